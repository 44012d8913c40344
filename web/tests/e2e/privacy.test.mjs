// What the wizard promises about secrets: once loaded the page reaches no server (its Content
// Security Policy forbids it, and it does not try), and a secret typed into it ends up in no URL
// and no browser storage, not even through "Copy a link (no secrets)".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import * as h from "./harness.mjs";

let browser;
let server;
// A second origin, as a server that a leaking page would send secrets to.
let elsewhere;

before(async () => {
  browser = await h.launch();
  server = await h.serve();
  elsewhere = await h.serve(h.dist, { "/collect": ["text/plain", "ok"] });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await elsewhere?.close();
});

const SECRET = "U2hhcmVkQWNjZXNzS2V5LWZvci10aGUtcHJpdmFjeS10ZXN0";
const CONNECTION = `HostName=plant-p.azure-devices.net;DeviceId=private-edge-01;SharedAccessKey=${SECRET}`;
const SECRET_FIELD = "#f-spec-iotEdge-provisioning-manual-connectionString-value";

/** A context whose pages record every Content Security Policy violation in window.__csp. */
async function watchedContext(options = {}) {
  const context = await h.newContext(browser, options);
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
  return context;
}

/** Parses a Content-Security-Policy value into {directive: [sources]}. */
function directives(policy) {
  return Object.fromEntries(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

test("the page carries a Content Security Policy that forbids connections", async () => {
  const context = await watchedContext();
  const { page } = await h.openWizard(context, `${server.base}/index.html`);
  const metas = await page.evaluate(() =>
    [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')].map((m) => ({
      content: m.content,
      // A policy in a meta tag covers only what comes after it in the document.
      first: [...document.head.querySelectorAll("script, link[rel=stylesheet], style")].every(
        (e) => m.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING,
      ),
    })),
  );
  assert.equal(metas.length, 1, "one policy");
  const policy = directives(metas[0].content);
  assert.deepEqual(policy["connect-src"], ["'none'"]);
  assert.deepEqual(policy["default-src"], ["'none'"]);
  assert.ok(!policy["script-src"].includes("'unsafe-inline'"), "no inline script");
  assert.ok(metas[0].first, "the policy comes before every script and style sheet");
  await context.close();
});

test("after load the page makes no request, even through a whole session", async () => {
  const context = await watchedContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  const start = server.requests.length;
  const { page, requests, problems } = await h.openWizard(context, `${server.base}/index.html`);
  // What loading took: the page, its style sheet and scripts, all from its own server.
  const loaded = server.requests.slice(start);
  assert.deepEqual(
    [...new Set(loaded)].sort(),
    ["/boot.js", "/edgevirt-web-wasm.js", "/edgevirt-web.js", "/index.html", "/style.css"],
  );
  const afterLoad = server.requests.length;
  const sockets = [];
  page.on("websocket", (w) => sockets.push(w.url()));

  await page.fill("#f-metadata-name", "private-edge-01");
  await page.fill(SECRET_FIELD, CONNECTION);
  for (let step = 1; step <= 5; step++) {
    await h.goToStep(page, step);
    await h.openAdvanced(page);
  }
  await page.setInputFiles("#import-file", join(h.repo, "tests/aziot-samples/iotedge/manual-connection-string.toml"));
  await page.locator("section.import-report").waitFor();
  await h.download(page, "#download-manifests", "privacy-");
  await h.download(page, "#download-device", "privacy-");
  await h.download(page, "#download-values", "privacy-");
  await page.click("#copy-manifests");
  await page.waitForSelector("p.status:text('Copied the manifests')");
  await page.click("#share-link");
  await page.waitForSelector("p.status:text('Copied a link')");

  assert.deepEqual(requests, [], "the page requested nothing after load");
  assert.deepEqual(sockets, [], "no WebSocket");
  assert.equal(server.requests.length, afterLoad, "the server saw nothing after load");
  assert.deepEqual(await page.evaluate(() => window.__csp), [], "and did not even try");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a fetch, XHR or beacon from the page is blocked before it leaves", async () => {
  const context = await watchedContext();
  const { page } = await h.openWizard(context, `${server.base}/index.html`);
  const before = { here: server.requests.length, there: elsewhere.requests.length };
  const finished = [];
  page.on("requestfinished", (r) => finished.push(r.url()));
  const attempts = await page.evaluate(
    async ([own, other]) => {
      const tryFetch = (url) =>
        fetch(url, { method: "POST", body: "secret" }).then(
          () => "sent",
          (e) => e.name,
        );
      const tryXhr = (url) =>
        new Promise((done) => {
          const xhr = new XMLHttpRequest();
          xhr.onload = () => done("sent");
          xhr.onerror = () => done("error");
          try {
            xhr.open("POST", url);
            xhr.send("secret");
          } catch (e) {
            done(e.name);
          }
        });
      const beacon = (() => {
        try {
          return navigator.sendBeacon(other, "secret") ? "queued" : "refused";
        } catch (e) {
          return e.name;
        }
      })();
      return {
        fetchOwn: await tryFetch(own),
        fetchOther: await tryFetch(other),
        xhrOther: await tryXhr(other),
        beacon,
      };
    },
    [`${server.base}/index.html`, `${elsewhere.base}/collect`],
  );
  assert.equal(attempts.fetchOwn, "TypeError");
  assert.equal(attempts.fetchOther, "TypeError");
  assert.equal(attempts.xhrOther, "error");
  // Chromium queues a beacon (sendBeacon returns true) and checks the policy when it sends it:
  // what counts is that it is reported as blocked and never arrives.
  await page.waitForFunction(() => window.__csp.length >= 4, null, { timeout: 5000 });
  await page.waitForTimeout(300);
  const violations = await page.evaluate(() => window.__csp);
  const blocked = violations.map((v) => v.blocked);
  assert.equal(blocked.filter((b) => b.startsWith(elsewhere.base)).length, 3, JSON.stringify(violations));
  assert.equal(blocked.filter((b) => b.startsWith(server.base)).length, 1, JSON.stringify(violations));
  assert.ok(violations.every((v) => v.directive === "connect-src"), JSON.stringify(violations));
  assert.equal(server.requests.length, before.here, "our server saw nothing");
  assert.equal(elsewhere.requests.length, before.there, "the other server saw nothing");
  assert.deepEqual(finished, [], "no request completed");
  await context.close();
});

test("a share link carries no secret; nothing is stored; the link prefills the rest", async () => {
  const context = await watchedContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  const { page } = await h.openWizard(context, `${server.base}/index.html`);
  await page.fill("#f-metadata-name", "private-edge-01");
  await page.fill("#f-metadata-namespace", "plant-p");
  await page.fill(SECRET_FIELD, CONNECTION);
  await h.goToStep(page, 2);
  await page.fill("#f-spec-vm-memory", "6Gi");
  await page.waitForSelector("section.problems .ok");
  await page.click("#share-link");
  await page.waitForSelector("p.status:text('Copied a link to this form, without its secrets.')");

  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url(), "the copied link is the page's address");
  assert.ok(link.startsWith(`${server.base}/index.html#device=`), link);
  for (const text of [link, decodeURIComponent(link)]) {
    assert.ok(!text.includes(SECRET) && !text.includes("SharedAccessKey"), text);
  }
  const fragment = new URL(link).hash.slice("#device=".length);
  const shared = Buffer.from(fragment, "base64url").toString("utf8");
  const doc = JSON.parse(shared);
  assert.equal(doc.metadata.name, "private-edge-01");
  assert.ok(!shared.includes(SECRET) && !shared.includes("SharedAccessKey"), shared);

  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    databases: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
    history: history.state,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: "", databases: 0, caches: 0, history: null });
  assert.deepEqual(await context.cookies(), []);

  // Someone opens the link: everything but the secret is back.
  const { page: opened, problems } = await h.openWizard(context, link);
  assert.equal(await opened.inputValue("#f-metadata-name"), "private-edge-01");
  assert.equal(await opened.inputValue("#f-metadata-namespace"), "plant-p");
  assert.equal(await opened.inputValue("#f-spec-iotEdge-provisioning"), "manual-connection-string");
  assert.equal(await opened.inputValue(SECRET_FIELD), "", "the secret is not in the link");
  assert.ok(!(await opened.content()).includes(SECRET));
  await h.goToStep(opened, 2);
  assert.equal(await opened.inputValue("#f-spec-vm-memory"), "6Gi");
  await h.shot(opened, "share-link-opened");
  assert.deepEqual(problems, []);
  await context.close();
});
