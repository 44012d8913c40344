// End-to-end test of the wizard as a person uses it, in Debian's Chromium driven by Playwright:
// the page built by `trunk build --release` (dist/) is served on 127.0.0.1 by this file.
//
//   node --test web/tests/e2e/
//
// Environment: EDGEVIRT_DIST (default dist/), EDGEVIRT_BIN (the native edgevirt; default
// $CARGO_TARGET_DIR/release/edgevirt), EDGEVIRT_WEB_TOOLS (where playwright-core is installed),
// EDGEVIRT_E2E_OUT (screenshots, downloads and measurements; default target/e2e).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, normalize } from "node:path";

const repo = resolve(import.meta.dirname, "../../..");
const tools = process.env.EDGEVIRT_WEB_TOOLS ?? "/opt/edgevirt-web-tools";
const require = createRequire(join(tools, "node_modules") + "/");
const { chromium } = require("playwright-core");

const dist = resolve(process.env.EDGEVIRT_DIST ?? join(repo, "dist"));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
const out = resolve(process.env.EDGEVIRT_E2E_OUT ?? join(targetDir, "e2e"));
const edgevirt =
  process.env.EDGEVIRT_BIN ??
  [join(targetDir, "release/edgevirt"), join(targetDir, "debug/edgevirt")].find(existsSync);

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
};

let server;
let base;
let context;
let userDataDir;

/** A static file server for dist/, on a free port of 127.0.0.1. */
function serve(root) {
  return new Promise((done) => {
    const s = createServer((req, res) => {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(root, path));
      if (!file.startsWith(root) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    });
    s.listen(0, "127.0.0.1", () => done(s));
  });
}

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), `no ${dist}/index.html: run trunk build first`);
  assert.ok(edgevirt, "no edgevirt binary: cargo build --release -p edgevirt");
  mkdirSync(out, { recursive: true });
  server = await serve(dist);
  base = `http://127.0.0.1:${server.address().port}`;
  userDataDir = mkdtempSync(join(tmpdir(), "edgevirt-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const shot = (page, name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true });

/** Opens the wizard; returns the page, the requests made after load, and the time to interactive. */
async function open() {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${base}/index.html`);
  await page.waitForSelector("#f-metadata-name", { state: "visible" });
  const interactive = await page.evaluate(() => performance.now());
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  return { page, requests, problems, interactive };
}

async function step(page, number) {
  await page.click(`nav.steps li:nth-child(${number}) button`);
  await page.waitForSelector(`#step-title:text-matches("^${number}\\\\.")`);
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const path = join(out, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path, text: readFileSync(path, "utf8") };
}

test("a new user fills in a DPS device and downloads what the CLI renders", async () => {
  const { page, requests, problems, interactive } = await open();
  await shot(page, "01-start");

  // Step 1: name and provisioning.
  await page.fill("#f-metadata-name", "plant-b-edge-07");
  await page.fill("#f-metadata-namespace", "iot-edge");
  await page.selectOption("#f-spec-iotEdge-provisioning", "dps-symmetric-key");
  await page.fill("#f-spec-iotEdge-provisioning-dps-idScope", "0ne00AB12CD");
  const key = "#f-spec-iotEdge-provisioning-dps-symmetricKey-deviceKey-value";
  await page.fill(key, "c2VjcmV0LWRldmljZS1rZXktZm9yLXRlc3Rz");
  assert.equal(await page.getAttribute(key, "type"), "password", "the key is masked");
  await shot(page, "02-device");

  // Step 2: size, with a bad memory value first.
  await step(page, 2);
  await page.fill("#f-spec-vm-memory", "3Gb");
  await page.waitForSelector("#f-spec-vm-memory-error");
  assert.equal(await page.getAttribute("#f-spec-vm-memory", "aria-invalid"), "true");
  assert.match(await page.getAttribute("#f-spec-vm-memory", "aria-describedby"), /f-spec-vm-memory-error/);
  assert.ok(await page.isDisabled("#download-manifests"), "no download while there are errors");
  assert.match(await page.textContent("#download-reason"), /Fix the 1 problem/);
  await shot(page, "03-bad-memory");
  await page.fill("#f-spec-vm-memory", "8Gi");
  await page.fill("#f-spec-vm-cpu-cores", "4");
  await page.waitForSelector("#f-spec-vm-memory-error", { state: "detached" });

  // Step 3: proxy.
  await step(page, 3);
  await page.fill("#f-spec-network-proxy-httpsProxy", "http://proxy.plant-b.example:3128");
  await page.fill("#f-spec-network-proxy-noProxy", "localhost\n.svc");
  await shot(page, "04-network");

  // Step 4: SSH key and Service.
  await step(page, 4);
  await page.fill("#f-spec-os-sshAuthorizedKeys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@example.com");
  await page.check("#f-spec-services-ssh-on");
  await shot(page, "05-access");
  await step(page, 5);
  await shot(page, "06-advanced");

  assert.ok(!(await page.isDisabled("#download-manifests")));
  const manifests = await download(page, "#download-manifests");
  const device = await download(page, "#download-device");
  assert.equal(manifests.name, "edgevirt-plant-b-edge-07.yaml");
  assert.match(device.text, /idScope: 0ne00AB12CD/);
  const cli = execFileSync(edgevirt, ["render", device.path], { encoding: "utf8" });
  assert.equal(manifests.text, cli, "the download is byte-identical to `edgevirt render`");
  assert.match(manifests.text, /kind: VirtualMachine/);

  assert.deepEqual(requests, [], "no network request after load");
  assert.deepEqual(problems, [], "no console errors");
  writeFileSync(join(out, "interactive-ms.txt"), `${interactive.toFixed(1)}\n`);
  await page.close();
});

test("the wizard is usable at 360 px", async () => {
  const { page } = await open();
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await shot(page, "07-narrow-360");
  await page.close();
});

test("keystroke to preview: median and p95 over 100 edits", async () => {
  const { page } = await open();
  await page.fill("#f-metadata-name", "bench-0");
  const times = await page.evaluate(async () => {
    const input = document.getElementById("f-metadata-name");
    const panel = document.getElementById("preview-panel");
    const results = [];
    for (let i = 1; i <= 100; i++) {
      const name = `bench-${i}`;
      const seen = new Promise((done) => {
        const check = () => panel.textContent.includes(`name: ${name}\n`);
        const observer = new MutationObserver(() => {
          if (check()) {
            observer.disconnect();
            done();
          }
        });
        observer.observe(panel, { childList: true, subtree: true, characterData: true });
      });
      const start = performance.now();
      input.value = name;
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
      await seen;
      results.push(performance.now() - start);
    }
    return results;
  });
  times.sort((a, b) => a - b);
  const median = times[49];
  const p95 = times[94];
  writeFileSync(join(out, "keystroke-ms.txt"), `median ${median.toFixed(2)}\np95 ${p95.toFixed(2)}\n`);
  assert.equal(times.length, 100);
  await page.close();
});

test("the example portal renders through the API and receives the download", async () => {
  const page = await context.newPage();
  await page.goto(`${base}/portal/index.html`);
  await page.waitForSelector("html[data-ready=true]");
  assert.match(await page.textContent("#api-result"), /VirtualMachine\/portal-edge-01/);
  assert.ok(await page.isDisabled("#f-metadata-namespace"), "the portal locked the namespace");
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#download-manifests")]);
  assert.equal(file.suggestedFilename(), "edgevirt-portal-edge-01.yaml");
  const received = await page.evaluate(() => window.edgevirtDownloads.map((d) => d.filename));
  assert.deepEqual(received, ["edgevirt-portal-edge-01.yaml"]);
  await shot(page, "08-portal");
  await page.close();
});
