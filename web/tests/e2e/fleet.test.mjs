// Fleet mode of the wizard: the form becomes the device template of an EdgeDeviceFleet whose
// devices come from CSV text. The table shows every device with its problems under its CSV line;
// the download of every device's manifests must be byte for byte what `edgevirt render` prints
// for the downloaded EdgeDeviceFleet.
//
// Also a measurement (reported, not pass/fail; $EDGEVIRT_E2E_OUT/fleet-1000.*): with 1,000 CSV
// rows, how long checking every row takes in the page, and the longest frame while one edit is
// shown and while every device's manifests are rendered for the download.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as h from "./harness.mjs";

const session = h.session();

const p = "#f-spec-iotEdge-provisioning-";

/** Opens the wizard in fleet mode with a DPS group-enrollment template named by `{{ name }}`. */
async function openFleet(name) {
  const opened = await session.open();
  const { page } = opened;
  await page.click("#mode-fleet");
  assert.equal(await page.getAttribute("#mode-fleet", "aria-pressed"), "true");
  assert.equal(await page.getAttribute("#mode-device", "aria-pressed"), "false");
  await page.waitForSelector("#fleet-csv");
  await page.fill("#fleet-name", name);
  await page.fill("#fleet-namespace", "iot-edge");
  await page.fill("#f-metadata-name", "{{ name }}");
  await page.selectOption("#f-spec-iotEdge-provisioning", "dps-symmetric-key-group");
  await page.fill(`${p}dps-idScope`, "0ne00000A0A");
  await page.fill(`${p}dps-symmetricKey-enrollmentGroupKey-value`, "ZXhhbXBsZS1ncm91cC1rZXk=");
  return opened;
}

/** The table's rows as text: [label, name, namespace, hostname/registration ID, problems]. */
const tableRows = (page) =>
  page.$$eval("#fleet-devices tbody tr", (rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent.trim())),
  );

test("a CSV fleet: a duplicate name shows under its line, and the download is what the CLI renders", async () => {
  const { page, problems } = await openFleet("plant-t");
  await page.getByText("{{ index }}").first().waitFor();
  // The CSV comes as a file, picked with the file input.
  const csv = "name,site\nedge-01,a\n# a comment\nedge-02,b\nedge-01,c\n";
  await page.setInputFiles("#fleet-csv-file", {
    name: "plant-t.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  await page.waitForFunction((text) => document.getElementById("fleet-csv")?.value === text, csv);
  await page.waitForSelector("#fleet-row-2.bad");
  const bad = await tableRows(page);
  assert.equal(bad.length, 3);
  assert.deepEqual(bad.map((r) => r[0]), ["line 2", "line 4", "line 5"]);
  assert.deepEqual(bad[0].slice(1, 3), ["edge-01", "iot-edge"]);
  assert.equal(bad[1][4], "", "a good row has no problem");
  assert.match(
    bad[2][4],
    /spec\.inventoryCsv line 5: metadata\.name: "edge-01" is used by spec\.inventoryCsv line 2 too/,
  );
  assert.ok(await page.isDisabled("#download-manifests"), "no download while a row is bad");
  await h.shot(page, "fleet-duplicate");

  // The user fixes the line in the text.
  await page.fill("#fleet-csv", csv.replace("edge-01,c", "edge-03,c"));
  await page.waitForSelector("section.problems .ok");
  const good = await tableRows(page);
  assert.deepEqual(good.map((r) => r[1]), ["edge-01", "edge-02", "edge-03"]);
  assert.ok(good.every((r) => r[4] === ""), JSON.stringify(good));
  assert.match(good[2][3], /edge-03/, "the hostname or registration ID");

  // The preview shows the chosen device.
  await page.selectOption("#fleet-preview-device", "2");
  await page.waitForSelector("#preview-panel:has-text('name: edge-03')");
  await h.shot(page, "fleet-ready");

  const manifests = await h.download(page, "#download-manifests", "fleet-");
  const fleet = await h.download(page, "#download-fleet", "fleet-");
  assert.equal(manifests.name, "edgevirt-fleet-plant-t.yaml");
  assert.equal(fleet.name, "plant-t.edgedevicefleet.yaml");
  assert.match(fleet.text, /kind: EdgeDeviceFleet\n/);
  assert.match(fleet.text, /name: '\{\{ name \}\}'|name: "\{\{ name \}\}"/);
  const cli = h.cli("render", fleet.path);
  assert.equal(cli.status, 0, `edgevirt render ${fleet.path}: ${cli.stderr}`);
  assert.equal(manifests.text, cli.stdout, "the download is byte-identical to `edgevirt render`");
  for (const name of ["edge-01", "edge-02", "edge-03"]) {
    assert.match(manifests.text, new RegExp(`kind: VirtualMachine\\n(.*\\n)*?  name: ${name}\\n`));
  }

  // Back to one device: the ordinary preview and downloads.
  await page.click("#mode-device");
  await page.waitForSelector("#download-device");
  assert.equal(await page.$("#fleet-csv"), null);
  assert.deepEqual(problems, [], "no console errors");
  await page.close();
});

test("a count fleet numbers its devices", async () => {
  const { page, problems } = await openFleet("plant-c");
  await page.fill("#f-metadata-name", "plant-c-{{ index }}");
  await page.check("#fleet-source-count");
  await page.fill("#fleet-count", "4");
  await page.waitForSelector("section.problems .ok");
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => r[0]), ["1", "2", "3", "4"]);
  assert.deepEqual(rows.map((r) => r[1]), ["plant-c-1", "plant-c-2", "plant-c-3", "plant-c-4"]);
  assert.deepEqual(problems, []);
  await page.close();
});

const ROWS = 1000;
const TYPED = "edge-x,10.9.0.1";
const ms = (n) => Math.round(n * 10) / 10;

/** Starts recording frames in the page: requestAnimationFrame gaps, long animation frames. */
const startFrames = (page) =>
  page.evaluate(() => {
    const f = (window.__frames = { gaps: [], loaf: [], longtasks: [], running: true });
    let last = performance.now();
    const tick = (now) => {
      f.gaps.push(now - last);
      last = now;
      if (f.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    for (const [type, list] of [
      ["long-animation-frame", f.loaf],
      ["longtask", f.longtasks],
    ]) {
      try {
        const observer = new PerformanceObserver((entries) => {
          for (const e of entries.getEntries()) list.push(e.duration);
        });
        observer.observe({ type, buffered: false });
        f[`${type}-observer`] = observer;
      } catch {
        f[`${type}-unsupported`] = true;
      }
    }
  });

/** Stops recording; the longest gap and long frames. */
const stopFrames = (page) =>
  page.evaluate(async () => {
    const f = window.__frames;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    f.running = false;
    f["long-animation-frame-observer"]?.disconnect();
    f["longtask-observer"]?.disconnect();
    return {
      frames: f.gaps.length,
      longestGap: Math.max(...f.gaps),
      longestLoaf: f.loaf.length ? Math.max(...f.loaf) : 0,
      longAnimationFrames: f.loaf.length,
      longestTask: f.longtasks.length ? Math.max(...f.longtasks) : 0,
      longTasks: f.longtasks.length,
      loafSupported: !f["long-animation-frame-unsupported"],
    };
  });

test(`measurement: a fleet of ${ROWS} CSV rows`, async () => {
  const { page, problems } = await openFleet("plant-big");
  const lines = ["name,ip"];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(`edge-${String(i).padStart(4, "0")},10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  }
  const csv = `${lines.join("\n")}\n`;
  await page.fill("#fleet-csv", csv);
  await page.waitForSelector(`#fleet-devices-caption:has-text("Devices (${ROWS})")`);
  await page.waitForSelector("section.problems .ok");
  const checkedMs = Number(await page.getAttribute("#fleet-checked", "data-ms"));

  // One more row typed at the end of the inventory, a key at a time: each keystroke checks
  // every row again.
  await startFrames(page);
  const editStart = await page.evaluate(() => performance.now());
  await page.focus("#fleet-csv");
  await page.keyboard.press("End");
  await page.keyboard.press("Control+End");
  await page.keyboard.type(TYPED);
  await page.waitForSelector(`#fleet-devices-caption:has-text("Devices (${ROWS + 1})")`);
  const editMs = (await page.evaluate(() => performance.now())) - editStart;
  const edit = await stopFrames(page);
  const editCheckedMs = Number(await page.getAttribute("#fleet-checked", "data-ms"));
  await page.fill("#fleet-csv", csv);
  await page.waitForSelector(`#fleet-devices-caption:has-text("Devices (${ROWS})")`);
  await page.waitForSelector("section.problems .ok");

  await startFrames(page);
  const start = await page.evaluate(() => performance.now());
  const manifests = await h.download(page, "#download-manifests", "fleet-1000-");
  const downloadMs = (await page.evaluate(() => performance.now())) - start;
  const frames = await stopFrames(page);
  assert.equal(manifests.name, "edgevirt-fleet-plant-big.yaml");
  const fleet = await h.download(page, "#download-fleet", "fleet-1000-");
  // Some 13 MB: more than h.cli's default output buffer.
  const rendered = execFileSync(h.edgevirt, ["render", fleet.path], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  assert.ok(manifests.text === rendered, "1,000 devices: byte-identical to `edgevirt render`");
  assert.deepEqual(problems, []);

  // The table draws the first 100 rows (and every row with a problem) until asked for all.
  assert.equal(await page.locator("#fleet-devices tbody tr").count(), 100);
  await page.click("#fleet-show-all");
  await page.waitForSelector(`#fleet-row-${ROWS - 1}`);
  assert.equal(await page.locator("#fleet-devices tbody tr").count(), ROWS);

  const data = {
    rows: ROWS,
    validationMs: checkedMs,
    edit: { typed: TYPED, validationMs: editCheckedMs, toTableMs: ms(editMs), ...edit },
    download: { ms: ms(downloadMs), bytes: manifests.text.length, ...frames },
  };
  h.record(
    "fleet-1000",
    data,
    `fleet of ${ROWS} CSV rows: checking every row takes ${checkedMs} ms in the page ` +
      `(${editCheckedMs} ms after the last of ${TYPED.length} keystrokes typing a row; ` +
      `${ms(editMs)} ms for the typing until the table shows the row, longest frame then ` +
      `${ms(edit.longestGap)} ms); downloading every device's manifests ` +
      `(${manifests.text.length} bytes) takes ${ms(downloadMs)} ms, longest frame meanwhile ` +
      `${ms(frames.longestGap)} ms between animation frames, longest long-animation-frame ` +
      `${ms(frames.longestLoaf)} ms (${frames.longAnimationFrames} over 50 ms), longest task ` +
      `${ms(frames.longestTask)} ms`,
  );
  await page.close();
});
