// Embedding the wizard: the example portal (dist/portal/) that uses the JS API and mounts the
// wizard with an onDownload callback, and pages that frame the standalone wizard: one on its own
// origin and one on another origin, which is heard (downloads by postMessage, options taken)
// only when the page's <meta name="edgevirt-embed-origins"> lists it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as h from "./harness.mjs";

// A portal page that frames the wizard (the address in ?src=, default the wizard on the same
// origin) and keeps every message it receives. With ?options=ready it answers the wizard's
// "edgevirt-ready" with options that prefill the device and lock its namespace; with
// ?options=push it sends them unasked, ten times a second for two seconds.
const framingPages = {
  "/framing-portal.html": [
    "text/html; charset=utf-8",
    `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>A portal that frames the wizard</title></head>
  <body>
    <h1>Portal</h1>
    <script src="/framing-portal.js"></script>
  </body>
</html>
`,
  ],
  "/framing-portal.js": [
    "text/javascript",
    `const params = new URLSearchParams(location.search);
const frame = document.createElement("iframe");
frame.id = "wizard";
frame.title = "edgevirt wizard";
frame.width = "1200";
frame.height = "900";
const src = new URL(params.get("src") ?? "/index.html", location.href);
const options = {
  type: "edgevirt-options",
  device: {
    metadata: { name: "framed-edge-02", namespace: "plant-f" },
    spec: { iotEdge: { provisioning: { dps: { idScope: "0ne000000F2", tpm: {} } } } },
  },
  locked: ["metadata.namespace"],
};
window.received = [];
window.addEventListener("message", (event) => {
  window.received.push({ origin: event.origin, fromFrame: event.source === frame.contentWindow, data: event.data });
  if (event.data?.type === "edgevirt-ready" && params.get("options") === "ready") {
    frame.contentWindow.postMessage(options, event.origin);
  }
});
if (params.get("options") === "push") {
  let left = 20;
  const timer = setInterval(() => {
    frame.contentWindow.postMessage(options, src.origin);
    if (--left === 0) {
      clearInterval(timer);
      window.pushed = true;
    }
  }, 100);
}
frame.src = src.href;
document.body.append(frame);
`,
  ],
};

let browser;
let server;
// The portal's own server: another origin than the wizard's.
let portal;
let context;

before(async () => {
  browser = await h.launch();
  server = await h.serve(h.dist, { ...framingPages });
  portal = await h.serve(h.dist, framingPages);
  // The wizard page as a deployment that lists the portal's origin as allowed to embed it.
  const page = readFileSync(join(h.dist, "index.html"), "utf8");
  const listed = page.replace(
    /<meta name="edgevirt-embed-origins" content="[^"]*"/,
    `<meta name="edgevirt-embed-origins" content="${portal.base}"`,
  );
  assert.notEqual(listed, page, "index.html has the edgevirt-embed-origins meta");
  server.extra["/index-listed.html"] = ["text/html; charset=utf-8", listed];
  context = await h.newContext(browser);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await portal?.close();
});

/** Fills in a device in the framed wizard and downloads its manifests and EdgeDevice. */
async function downloadFromFrame(page, frame, name) {
  await frame.locator("#f-metadata-name").waitFor();
  await frame.locator("#f-metadata-name").fill(name);
  await frame
    .locator("#f-spec-iotEdge-provisioning-manual-connectionString-value")
    .fill(`HostName=h.azure-devices.net;DeviceId=${name};SharedAccessKey=ZnJhbWVk`);
  await frame.locator("section.problems .ok").waitFor();
  const manifests = await h.download(page, "#download-manifests", "framed-", frame);
  const device = await h.download(page, "#download-device", "framed-", frame);
  return { manifests, device };
}

/** The messages of a type the framing page received, without the event objects. */
const received = (page, type) =>
  page.evaluate(
    (t) =>
      window.received
        .filter((m) => m.data?.type === t)
        .map(({ origin, fromFrame, data: { kind, filename, text } }) => ({ origin, fromFrame, kind, filename, text })),
    type,
  );

test("the example portal renders through the API and receives the download", async () => {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${server.base}/portal/index.html`);
  await page.waitForSelector("html[data-ready=true]");
  assert.match(await page.textContent("#api-result"), /VirtualMachine\/portal-edge-01/);
  assert.ok(await page.isDisabled("#f-metadata-namespace"), "the portal locked the namespace");
  const file = await h.download(page, "#download-manifests", "portal-");
  assert.equal(file.name, "edgevirt-portal-edge-01.yaml");
  const received = await page.evaluate(() =>
    window.edgevirtDownloads.map(({ type, kind, filename, text }) => ({ type, kind, filename, text })),
  );
  assert.deepEqual(received, [
    { type: "edgevirt-download", kind: "manifests", filename: file.name, text: file.text },
  ]);
  assert.match(await page.textContent("#download-log"), /received edgevirt-portal-edge-01\.yaml/);
  await h.shot(page, "portal");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a page on the wizard's origin that frames it receives each download as a postMessage", async () => {
  const page = await context.newPage();
  await page.goto(`${server.base}/framing-portal.html`);
  const frame = page.frameLocator("#wizard");
  const { manifests, device } = await downloadFromFrame(page, frame, "framed-edge-01");
  await page.waitForFunction(
    () => window.received.filter((m) => m.data?.type === "edgevirt-download").length === 2,
  );
  assert.deepEqual(await received(page, "edgevirt-download"), [
    { origin: server.base, fromFrame: true, kind: "manifests", filename: "edgevirt-framed-edge-01.yaml", text: manifests.text },
    { origin: server.base, fromFrame: true, kind: "device", filename: "framed-edge-01.edgedevice.yaml", text: device.text },
  ]);
  assert.equal((await received(page, "edgevirt-ready")).length, 1, "the wizard said it was ready");
  await h.shot(page, "framed");
  await page.close();
});

test("the framing page's options prefill the wizard and lock fields", async () => {
  const page = await context.newPage();
  await page.goto(`${server.base}/framing-portal.html?options=ready`);
  const frame = page.frameLocator("#wizard");
  // The options mount the wizard again, with the namespace locked.
  await frame.locator("#f-metadata-namespace:disabled").waitFor();
  assert.equal(await frame.locator("#f-metadata-name").inputValue(), "framed-edge-02");
  assert.equal(await frame.locator("#f-metadata-namespace").inputValue(), "plant-f");
  assert.equal(await frame.locator("#f-spec-iotEdge-provisioning").inputValue(), "dps-tpm");
  await frame.locator("section.problems .ok").waitFor();
  const file = await h.download(page, "#download-manifests", "framed-", frame);
  assert.equal(file.name, "edgevirt-framed-edge-02.yaml");
  assert.match(file.text, /namespace: plant-f/);
  await page.close();
});

test("a page on another origin hears nothing, and its options are ignored, unless listed", async () => {
  // Not listed: the wizard works in the frame, but tells the portal nothing.
  const page = await context.newPage();
  await page.goto(`${portal.base}/framing-portal.html?options=push&src=${encodeURIComponent(`${server.base}/index.html`)}`);
  const frame = page.frameLocator("#wizard");
  await frame.locator("#f-metadata-name").waitFor();
  await page.waitForFunction(() => window.pushed === true);
  assert.equal(await frame.locator("#f-metadata-name").inputValue(), "", "the options were ignored");
  await downloadFromFrame(page, frame, "foreign-edge-01");
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.received), [], "no message left the frame");
  assert.equal(await frame.locator("#f-metadata-namespace").isDisabled(), false);
  await page.close();

  // Listed in the page's edgevirt-embed-origins: ready, options and downloads all work.
  const listed = await context.newPage();
  await listed.goto(
    `${portal.base}/framing-portal.html?options=ready&src=${encodeURIComponent(`${server.base}/index-listed.html`)}`,
  );
  const listedFrame = listed.frameLocator("#wizard");
  await listedFrame.locator("#f-metadata-namespace:disabled").waitFor();
  assert.equal(await listedFrame.locator("#f-metadata-name").inputValue(), "framed-edge-02");
  await listedFrame.locator("section.problems .ok").waitFor();
  const file = await h.download(listed, "#download-manifests", "listed-", listedFrame);
  await listed.waitForFunction(() => window.received.some((m) => m.data?.type === "edgevirt-download"));
  assert.deepEqual(await received(listed, "edgevirt-download"), [
    { origin: server.base, fromFrame: true, kind: "manifests", filename: file.name, text: file.text },
  ]);
  await listed.close();
});
