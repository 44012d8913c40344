// Embedding the wizard: the example portal (dist/portal/) that uses the JS API and mounts the
// wizard with an onDownload callback, and a page that frames the standalone wizard and hears
// of each download through postMessage.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as h from "./harness.mjs";

// A portal page on the wizard's own origin that frames it and keeps every message it receives.
const framing = {
  "/framing-portal.html": [
    "text/html; charset=utf-8",
    `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>A portal that frames the wizard</title></head>
  <body>
    <h1>Portal</h1>
    <iframe id="wizard" src="/index.html" title="edgevirt wizard" width="1200" height="900"></iframe>
    <script src="/framing-portal.js"></script>
  </body>
</html>
`,
  ],
  "/framing-portal.js": [
    "text/javascript",
    `window.received = [];
window.addEventListener("message", (event) => {
  const frame = document.getElementById("wizard").contentWindow;
  window.received.push({ origin: event.origin, fromFrame: event.source === frame, data: event.data });
});
`,
  ],
};

let browser;
let server;
let context;

before(async () => {
  browser = await h.launch();
  server = await h.serve(h.dist, framing);
  context = await h.newContext(browser);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

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

test("a page that frames the wizard receives each download as a postMessage", async () => {
  const page = await context.newPage();
  await page.goto(`${server.base}/framing-portal.html`);
  const frame = page.frameLocator("#wizard");
  await frame.locator("#f-metadata-name").waitFor();
  await frame.locator("#f-metadata-name").fill("framed-edge-01");
  await frame
    .locator("#f-spec-iotEdge-provisioning-manual-connectionString-value")
    .fill("HostName=h.azure-devices.net;DeviceId=framed-edge-01;SharedAccessKey=ZnJhbWVk");
  await frame.locator("section.problems .ok").waitFor();

  const manifests = await h.download(page, "#download-manifests", "framed-", frame);
  const device = await h.download(page, "#download-device", "framed-", frame);
  await page.waitForFunction(
    () => window.received.filter((m) => m.data?.type === "edgevirt-download").length === 2,
  );
  const downloads = await page.evaluate(() =>
    window.received.filter((m) => m.data?.type === "edgevirt-download"),
  );
  assert.deepEqual(
    downloads.map(({ origin, fromFrame, data: { kind, filename, text } }) => ({ origin, fromFrame, kind, filename, text })),
    [
      { origin: server.base, fromFrame: true, kind: "manifests", filename: "edgevirt-framed-edge-01.yaml", text: manifests.text },
      { origin: server.base, fromFrame: true, kind: "device", filename: "framed-edge-01.edgedevice.yaml", text: device.text },
    ],
  );
  await h.shot(page, "framed");
  await page.close();
});
