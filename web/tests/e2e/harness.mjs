// Shared by the end-to-end tests of the wizard (web/tests/e2e/*.test.mjs): a static server for
// the page trunk built (dist/), Debian's Chromium driven by Playwright, and small helpers.
//
// Environment: EDGEVIRT_DIST (default dist/), EDGEVIRT_BIN (the native edgevirt; default
// $CARGO_TARGET_DIR/release/edgevirt), EDGEVIRT_WEB_TOOLS (where playwright-core and axe-core
// are installed, default /opt/edgevirt-web-tools), CHROMIUM (default /usr/bin/chromium),
// EDGEVIRT_E2E_OUT (screenshots, downloads and measurements; default $CARGO_TARGET_DIR/e2e).
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { join, extname, resolve, normalize, sep } from "node:path";

export const repo = resolve(import.meta.dirname, "../../..");
export const tools = process.env.EDGEVIRT_WEB_TOOLS ?? "/opt/edgevirt-web-tools";
export const dist = resolve(process.env.EDGEVIRT_DIST ?? join(repo, "dist"));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
export const out = resolve(process.env.EDGEVIRT_E2E_OUT ?? join(targetDir, "e2e"));
export const edgevirt = resolve(process.env.EDGEVIRT_BIN ?? join(targetDir, "release/edgevirt"));
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const install = "scripts/install-web-tools.sh";
const toolsRequire = createRequire(join(tools, "node_modules") + "/");

/** A module installed by scripts/install-web-tools.sh, or a failure that says how to get it. */
function tool(name) {
  try {
    return toolsRequire(name);
  } catch (error) {
    throw new Error(`${name} is not installed in ${tools}/node_modules: run ${install}`, {
      cause: error,
    });
  }
}

/** The path of a file in an installed npm package, checked. */
export function toolFile(path) {
  const file = join(tools, "node_modules", path);
  assert.ok(existsSync(file), `no ${file}: run ${install}`);
  return file;
}

// The machine has no network: without these Chromium keeps trying to reach Google's services.
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Checks what every test needs and launches Chromium. Playwright gives the browser a fresh
 * profile directory of its own and deletes it on close.
 */
export async function launch() {
  assert.ok(existsSync(join(dist, "index.html")), `no ${dist}/index.html: run trunk build first`);
  assert.ok(existsSync(edgevirt), `no ${edgevirt}: cargo build --release -p edgevirt`);
  assert.ok(existsSync(chromiumPath), `no ${chromiumPath}: run ${install} (Debian chromium)`);
  mkdirSync(out, { recursive: true });
  const { chromium } = tool("playwright-core");
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** A browser context as a person's browser would be, downloads allowed. */
export function newContext(browser, options = {}) {
  return browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...options });
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
};

/**
 * Serves `root` (dist/) on a free port of 127.0.0.1; `extra` maps a path to [content type, body]
 * for test pages that are not in dist/ (the returned `extra` may be added to). `requests` lists
 * every path asked for, so a test can tell that the page asked the server for nothing more.
 */
export function serve(root = dist, extra = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    if (path.endsWith("/")) path += "index.html";
    if (extra[path]) {
      const [type, body] = extra[path];
      res.writeHead(200, { "content-type": type }).end(body);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      const base = `http://127.0.0.1:${server.address().port}`;
      done({ base, requests, extra, close: () => new Promise((closed) => server.close(closed)) });
    });
  });
}

/**
 * Starts Chromium, the page server and a browser context before the tests of the calling file,
 * and closes them after. Returns `{browser, server, context}`, filled in once started, and
 * `open(context)`, which opens the wizard (see `openWizard`) in `context`, by default that one.
 */
export function session() {
  const s = {
    browser: null,
    server: null,
    context: null,
    open: (context = s.context) => openWizard(context, `${s.server.base}/index.html`),
  };
  before(async () => {
    s.browser = await launch();
    s.server = await serve();
    s.context = await newContext(s.browser);
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
  return s;
}

/**
 * Opens the wizard in a new page of `context` and waits until its form can be typed into.
 * Returns the page, the console errors and page errors it reports (a test asserts there are
 * none), and the requests it makes from then on.
 */
export async function openWizard(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("#f-metadata-name", { state: "visible" });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  return { page, problems, requests };
}

/** Switches to step `number` (1-based) with its button and waits for its title. */
export async function goToStep(page, number) {
  await page.click(`nav.steps li:nth-child(${number}) button`);
  await page.waitForSelector(`#step-title:text-matches("^${number}\\\\.")`);
}

/** Opens every folded "Advanced" section of the current step. */
export async function openAdvanced(page) {
  const summaries = page.locator("details > summary");
  for (let i = 0; i < (await summaries.count()); i++) {
    const summary = summaries.nth(i);
    if (!(await summary.evaluate((s) => s.parentElement.open))) await summary.click();
  }
}

/**
 * Shows every control the current step can show: its folded sections opened, its optional
 * groups switched on and one item added to each of its lists.
 */
export async function expandAll(page) {
  await openAdvanced(page);
  const toggles = page.locator("section.toggle input[type=checkbox]");
  for (let i = 0; i < (await toggles.count()); i++) await toggles.nth(i).check();
  const lists = page.locator("section.list");
  for (let i = 0; i < (await lists.count()); i++) {
    const list = lists.nth(i);
    if ((await list.locator("fieldset.item").count()) === 0) await list.locator("button.add").click();
  }
  await openAdvanced(page);
}

/**
 * Clicks a download button (in `scope`, a frame of the page, if given); returns the file's
 * suggested name, saved path and text.
 */
export async function download(page, button, prefix = "", scope = page) {
  const [file] = await Promise.all([page.waitForEvent("download"), scope.locator(button).click()]);
  const name = file.suggestedFilename();
  const path = join(out, `${prefix}${name}`);
  await file.saveAs(path);
  return { name, path, text: readFileSync(path, "utf8") };
}

/** A full-page screenshot into the artifacts folder. */
export const shot = (page, name) =>
  page.screenshot({ path: join(out, `${name}.png`), fullPage: true });

/** Runs the native edgevirt; stdout as text, stderr and the exit code on failure. */
export function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(edgevirt, args, { encoding: "utf8", stdio: "pipe" }) };
  } catch (error) {
    if (typeof error.status !== "number") throw error;
    return { status: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

/** Writes a measurement into the artifacts folder (`name`.json) and prints it. */
export function record(name, data, summary) {
  writeFileSync(join(out, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(join(out, `${name}.txt`), `${summary}\n`);
  console.log(`${name}: ${summary}`);
}

/** The p-th percentile (0..100) of numbers, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
