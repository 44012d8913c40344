// What the wizard promises about secrets: once loaded the page reaches no server (its Content
// Security Policy forbids it, and it does not try), and a secret typed into it ends up in no URL
// and no browser storage, not even through "Copy a link (no secrets)"; in fleet mode neither does
// the DPS group key nor a device key derived from it, and no console message shows one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
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

// A fleet: a DPS group key, a registry password, proxy credentials and a password hash typed into
// the template; the device keys the page derives from the group key.
const GROUP_KEY = "cHJpdmFjeS10ZXN0LWdyb3VwLWtleS1mb3ItdGhlLWZsZWV0LTAwMQ==";
const REGISTRY_PASSWORD = "RegistryPa55-privacy-fleet-002";
const PROXY_PASSWORD = "Pr0xyPa55-privacy-fleet-003";
const PROXY = `http://fleet-user:${PROXY_PASSWORD}@proxy.plant-f.example:3128`;
const PASSWORD_HASH = "$6$rounds=4096$PrivacySalt$HashOfThePrivacyFleetTest0123456789abcdefghij";
const DEVICES = ["f-edge-01", "f-edge-02", "f-edge-03"];
/** The key DPS expects of a device of the group: HMAC-SHA256 of its registration ID. */
const derived = (registrationId) =>
  createHmac("sha256", Buffer.from(GROUP_KEY, "base64")).update(registrationId).digest("base64");

/**
 * The forms a secret could take in a URL or a stored value: as is, URL-encoded, and base64 or
 * base64url at each of the three alignments it could have inside a longer encoded text.
 */
function forms(secret) {
  const found = new Set([secret, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret);
  for (let skip = 0; skip < 3; skip++) {
    const whole = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3);
    for (const encoding of ["base64", "base64url"]) {
      found.add(whole.toString(encoding).replace(/=+$/, ""));
    }
  }
  return [...found].filter((f) => f.length >= 8);
}

test("a fleet session: no group key, device secret or derived key in storage, a URL or the console", async () => {
  const context = await watchedContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  // Every console message of every page, whatever its level.
  const messages = [];
  context.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  const { page, problems, requests } = await h.openWizard(context, `${server.base}/index.html`);
  page.on("pageerror", (e) => messages.push(String(e)));

  const p = "#f-spec-iotEdge-provisioning-";
  await page.click("#mode-fleet");
  await page.waitForSelector("#fleet-csv");
  await page.fill("#fleet-name", "plant-f");
  await page.fill("#fleet-namespace", "plant-f");
  await page.fill("#f-metadata-name", "{{ name }}");
  await page.selectOption("#f-spec-iotEdge-provisioning", "dps-symmetric-key-group");
  await page.fill(`${p}dps-idScope`, "0ne00000F0F");
  await page.fill(`${p}dps-symmetricKey-enrollmentGroupKey-value`, GROUP_KEY);
  await page.fill("#fleet-csv", `name\n${DEVICES.join("\n")}\n`);
  await h.goToStep(page, 3);
  await page.fill("#f-spec-network-proxy-httpsProxy", PROXY);
  await h.goToStep(page, 4);
  await h.openAdvanced(page);
  await page.fill("#f-spec-os-passwordHash", PASSWORD_HASH);
  await h.goToStep(page, 5);
  await h.openAdvanced(page);
  await page.fill("#f-spec-iotEdge-agent-registry-serverAddress", "plantf.azurecr.io");
  await page.fill("#f-spec-iotEdge-agent-registry-username", "pull");
  await page.fill("#f-spec-iotEdge-agent-registry-password-value", REGISTRY_PASSWORD);
  await page.waitForSelector(`#fleet-devices-caption:has-text("Devices (${DEVICES.length})")`);
  await page.waitForSelector("#download-manifests:not([disabled])");
  for (let i = 0; i < DEVICES.length; i++) {
    await page.selectOption("#fleet-preview-device", String(i));
    await page.waitForSelector(`#preview-panel:has-text('name: ${DEVICES[i]}')`);
  }

  // The downloads are where the secrets go: each device's derived key, never the group key.
  const manifests = await h.download(page, "#download-manifests", "privacy-fleet-");
  const fleet = await h.download(page, "#download-fleet", "privacy-fleet-");
  for (const name of DEVICES) {
    assert.ok(manifests.text.includes(derived(name)), `the manifests hold the key derived for ${name}`);
  }
  assert.ok(manifests.text.includes(REGISTRY_PASSWORD), "the manifests hold the registry password");
  assert.ok(!manifests.text.includes(GROUP_KEY), "the manifests do not hold the group key");
  assert.ok(fleet.text.includes(GROUP_KEY), "the downloaded fleet holds what was typed");

  await page.click("#share-link");
  await page.waitForSelector("p.status:text('Copied a link to this form, without its secrets.')");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url(), "the copied link is the page's address");
  const fragment = Buffer.from(new URL(link).hash.slice("#device=".length), "base64url").toString("utf8");

  const stored = await page.evaluate(async () => {
    const all = (storage) =>
      Object.fromEntries([...Array(storage.length).keys()].map((i) => [storage.key(i), storage.getItem(storage.key(i))]));
    return {
      local: all(localStorage),
      session: all(sessionStorage),
      cookie: document.cookie,
      databases: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      history: history.state,
      name: window.name,
    };
  });
  assert.deepEqual(stored, { local: {}, session: {}, cookie: "", databases: [], caches: [], history: null, name: "" });
  const state = await context.storageState({ indexedDB: true });
  assert.deepEqual(state.cookies, []);
  for (const origin of state.origins) {
    assert.deepEqual([origin.localStorage, origin.indexedDB ?? []], [[], []], JSON.stringify(origin));
  }

  // The console is listened to, and forms() finds a secret inside longer base64.
  await page.evaluate(() => console.debug("privacy-probe"));
  await page.waitForTimeout(100);
  assert.ok(messages.some((m) => m.includes("privacy-probe")), "console messages are recorded");
  assert.ok(forms(GROUP_KEY).some((f) => Buffer.from(`k=${GROUP_KEY};`).toString("base64url").includes(f)));

  const secrets = { GROUP_KEY, REGISTRY_PASSWORD, PROXY_PASSWORD, PASSWORD_HASH };
  for (const name of DEVICES) secrets[`the key derived for ${name}`] = derived(name);
  const places = {
    "the page's address": page.url(),
    "the share link": link,
    "the share link, decoded": decodeURIComponent(link),
    "the shared document": fragment,
    "browser storage": JSON.stringify([stored, state]),
    "console messages": messages.filter((m) => !m.includes("privacy-probe")).join("\n"),
    "requests after load": requests.join("\n"),
  };
  for (const [secret, value] of Object.entries(secrets)) {
    for (const [where, text] of Object.entries(places)) {
      const shown = forms(value).find((f) => text.includes(f));
      assert.equal(shown, undefined, `${secret} shows in ${where}: ${text}`);
    }
  }
  // The link still carries the rest of the template.
  const shared = JSON.parse(fragment);
  assert.equal(shared.metadata.name, "{{ name }}");
  assert.equal(shared.spec.iotEdge.agent.registry.username, "pull");
  assert.match(shared.spec.network.proxy.httpsProxy, /proxy\.plant-f\.example:3128/);
  assert.deepEqual(requests, [], "the page requested nothing after load");
  assert.deepEqual(await page.evaluate(() => window.__csp), [], "and did not try");
  assert.deepEqual(problems, []);
  await context.close();
});
