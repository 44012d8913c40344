// Measurements, reported and kept as artifacts ($EDGEVIRT_E2E_OUT/interactive.* and
// keystroke.*), not pass/fail thresholds: how long a fresh page takes until its form can be typed
// into (and until the first frame that shows it), and how long the preview takes to show a
// keystroke.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as h from "./harness.mjs";

const session = h.session();

// scripts/perf-report.py --quick asks for fewer (EDGEVIRT_MEASURE_LOADS, EDGEVIRT_MEASURE_EDITS).
const count = (name, fallback) => Number(process.env[name] ?? fallback);
const LOADS = count("EDGEVIRT_MEASURE_LOADS", 5);
const EDITS = count("EDGEVIRT_MEASURE_EDITS", 100);
const ms = (n) => Math.round(n * 10) / 10;

test(`time to an interactive form, ${LOADS} cold loads`, async () => {
  const runs = [];
  for (let i = 0; i < LOADS; i++) {
    // A new context each time: no cache, as a first visit.
    const context = await h.newContext(session.browser);
    // Notes the moment the name field is in the page and laid out, from inside the page, so
    // the driver's polling does not count.
    await context.addInitScript(() => {
      const observer = new MutationObserver(() => {
        const field = document.getElementById("f-metadata-name");
        if (field && field.getBoundingClientRect().height > 0) {
          window.__interactive = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    const { page, problems } = await session.open(context);
    await page.waitForFunction(() => window.__interactive !== undefined);
    // web/boot.js marks the first animation frame that has the form in it.
    await page.waitForFunction(() => performance.getEntriesByName("edgevirt-interactive").length > 0);
    const run = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const wasm = performance
        .getEntriesByType("resource")
        .find((r) => r.name.endsWith("/edgevirt-web-wasm.js"));
      return {
        interactive: window.__interactive,
        firstFrame: performance.getEntriesByName("edgevirt-interactive")[0].startTime,
        responseEnd: nav.responseEnd,
        domInteractive: nav.domInteractive,
        domContentLoaded: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        wasmModuleLoaded: wasm?.responseEnd,
        wasmModuleBytes: wasm?.decodedBodySize,
      };
    });
    assert.ok(run.interactive > 0 && run.interactive >= run.responseEnd, JSON.stringify(run));
    assert.deepEqual(problems, []);
    runs.push(run);
    await context.close();
  }
  const median = (key) => ms(h.percentile(runs.map((r) => r[key]), 50));
  const summary =
    `interactive form after ${median("interactive")} ms (median of ${LOADS} cold loads: ` +
    `${runs.map((r) => ms(r.interactive)).join(", ")}); first frame with the form (the page's ` +
    `edgevirt-interactive mark) ${median("firstFrame")} ms; navigation timing medians: ` +
    `responseEnd ${median("responseEnd")} ms, domInteractive ${median("domInteractive")} ms, ` +
    `DOMContentLoaded ${median("domContentLoaded")} ms, load ${median("load")} ms, ` +
    `wasm module loaded ${median("wasmModuleLoaded")} ms (${runs[0].wasmModuleBytes} bytes)`;
  h.record("interactive", { unit: "ms since navigation start", runs }, summary);
});

test(`keystroke to updated preview, ${EDITS} edits`, async () => {
  const context = await h.newContext(session.browser);
  const { page, problems } = await session.open(context);
  await page.fill("#f-spec-iotEdge-provisioning-manual-connectionString-value", "HostName=h;DeviceId=d;SharedAccessKey=a2V5");
  await page.fill("#f-metadata-name", "bench");
  await page.waitForSelector("#preview-panel:has-text('name: bench')");
  await page.focus("#f-metadata-name");
  await page.keyboard.press("End");
  // From the key event's own time stamp to the moment the preview's text holds the edit.
  await page.evaluate(() => {
    const field = document.getElementById("f-metadata-name");
    window.__latencies = [];
    window.__expect = null;
    field.addEventListener("keydown", (e) => (window.__pressed = e.timeStamp), true);
    new MutationObserver(() => {
      const text = document.getElementById("preview-panel")?.textContent ?? "";
      if (window.__expect !== null && text.includes(window.__expect)) {
        window.__latencies.push(performance.now() - window.__pressed);
        window.__expect = null;
      }
    }).observe(document.querySelector("aside.preview"), {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  // Types a digit, then deletes it: every edit changes the device's name in the preview.
  for (let i = 0; i < EDITS; i++) {
    const digit = String(i % 10);
    const [key, name] = i % 2 === 0 ? [digit, `bench${digit}`] : ["Backspace", "bench"];
    await page.evaluate((n) => (window.__expect = `name: ${n}\n`), name);
    await page.keyboard.press(key);
    await page.waitForFunction(() => window.__expect === null);
  }
  const latencies = await page.evaluate(() => window.__latencies);
  assert.equal(latencies.length, EDITS);
  assert.ok(latencies.every((t) => t >= 0), JSON.stringify(latencies));
  const median = ms(h.percentile(latencies, 50));
  const p95 = ms(h.percentile(latencies, 95));
  h.record(
    "keystroke",
    { unit: "ms from keydown to the preview showing the edit", edits: EDITS, median, p95, latencies },
    `keystroke to updated preview over ${EDITS} edits: median ${median} ms, p95 ${p95} ms ` +
      `(min ${ms(Math.min(...latencies))}, max ${ms(Math.max(...latencies))})`,
  );
  assert.deepEqual(problems, []);
  await context.close();
});
