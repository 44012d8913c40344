// Accessibility of the wizard: the steps by keyboard, an accessible name for every control (as
// Chromium computes it), axe-core on every step, and a 360 px wide screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as h from "./harness.mjs";

const session = h.session();

const STEPS = 5;

/** Where the keyboard focus is: the element's id, its text, and its step if it is a step button. */
const focused = (page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    const item = e?.closest("nav.steps li");
    return {
      id: e?.id ?? "",
      text: (e?.textContent ?? "").trim(),
      step: item ? [...item.parentElement.children].indexOf(item) + 1 : 0,
      inForm: Boolean(e?.closest("form.form")),
      next: Boolean(e?.matches("button.next")),
    };
  });

/** Presses Tab until `done(focus)` holds; fails after `limit` presses. */
async function tabUntil(page, done, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const focus = await focused(page);
    if (done(focus)) return focus;
  }
  assert.fail(`not reached with ${limit} presses of Tab; focus is on ${JSON.stringify(await focused(page))}`);
}

test("the steps are reached and switched with Tab and Enter", async () => {
  const context = await h.newContext(session.browser);
  const { page } = await session.open(context);
  await page.evaluate(() => document.activeElement?.blur());

  // From the top of the page to the third step's button, then Enter.
  await tabUntil(page, (f) => f.step === 3);
  await page.keyboard.press("Enter");
  await page.waitForSelector('#step-title:text-matches("^3\\\\.")');
  const current = await page.locator('nav.steps button[aria-current="step"]').textContent();
  assert.match(current, /Network and proxy/);

  // On into the step's form: its first field takes typing.
  const field = await tabUntil(page, (f) => f.inForm);
  assert.equal(field.id, "f-spec-network-proxy-httpsProxy");
  await page.keyboard.type("http://proxy.example:3128");
  assert.equal(await page.inputValue("#f-spec-network-proxy-httpsProxy"), "http://proxy.example:3128");

  // The "Next" button at the end of the form, by keyboard too.
  await tabUntil(page, (f) => f.next);
  await page.keyboard.press("Enter");
  await page.waitForSelector('#step-title:text-matches("^4\\\\.")');

  // Back to the first step with Shift+Tab and Enter.
  for (let i = 0; i < 60 && (await focused(page)).step !== 1; i++) {
    await page.keyboard.press("Shift+Tab");
  }
  assert.equal((await focused(page)).step, 1, "Shift+Tab reaches the first step's button");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#step-title:text-matches("^1\\\\.")');
  await context.close();
});

/** Chromium's accessible name of every control in the wizard, through the DevTools protocol. */
async function unnamedControls(cdp) {
  const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
  const { nodeIds } = await cdp.send("DOM.querySelectorAll", {
    nodeId: root.nodeId,
    selector: "#edgevirt-wizard :is(input, select, textarea, button)",
  });
  assert.ok(nodeIds.length > 0, "controls found");
  const unnamed = [];
  for (const nodeId of nodeIds) {
    const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
    const { outerHTML } = await cdp.send("DOM.getOuterHTML", { nodeId });
    const node = nodes[0];
    const name = node?.name?.value?.trim() ?? "";
    if (node?.ignored || !name) unnamed.push(outerHTML.slice(0, 160));
  }
  return { count: nodeIds.length, unnamed };
}

test("every form control has an accessible name, on every step and in every mode", async () => {
  const context = await h.newContext(session.browser);
  const { page } = await session.open(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("Accessibility.enable");
  let checked = 0;
  const modes = await page.locator("#f-spec-iotEdge-provisioning option").evaluateAll((o) =>
    o.map((e) => e.value).filter(Boolean),
  );
  assert.equal(modes.length, 7);
  const secretSources = ["value", "secretKeyRef", "file"];
  for (const mode of modes) {
    await page.selectOption("#f-spec-iotEdge-provisioning", mode);
    await h.expandAll(page);
    const sources = page.locator("select[id$='-source']");
    for (const source of secretSources) {
      for (let i = 0; i < (await sources.count()); i++) {
        const options = await sources.nth(i).locator("option").evaluateAll((o) => o.map((e) => e.value));
        if (options.includes(source)) await sources.nth(i).selectOption(source);
      }
      const { count, unnamed } = await unnamedControls(cdp);
      assert.deepEqual(unnamed, [], `step 1, ${mode}, secrets as ${source}: controls without a name`);
      checked += count;
    }
  }
  for (let step = 2; step <= STEPS; step++) {
    await h.goToStep(page, step);
    await h.expandAll(page);
    const choosers = page.locator("select[id='f-spec-disk-source'], select[id='f-spec-iotEdge-edgeCa']");
    const kinds = [""];
    if ((await choosers.count()) > 0) {
      kinds.push(...(await choosers.first().locator("option").evaluateAll((o) => o.map((e) => e.value).filter(Boolean))));
    }
    for (const kind of kinds) {
      if (kind) await choosers.first().selectOption(kind);
      const { count, unnamed } = await unnamedControls(cdp);
      assert.deepEqual(unnamed, [], `step ${step} ${kind}: controls without a name`);
      checked += count;
    }
  }
  console.log(`accessible names: ${checked} controls checked`);
  await context.close();
});

test("axe-core finds no serious or critical violation on any step", async () => {
  // The page's policy forbids inline scripts, so axe is injected in a context that ignores
  // the policy; only this test uses it.
  const context = await h.newContext(session.browser, { bypassCSP: true });
  const { page } = await session.open(context);
  await page.addScriptTag({ content: readFileSync(h.toolFile("axe-core/axe.min.js"), "utf8") });
  const found = [];
  for (let step = 1; step <= STEPS; step++) {
    await h.goToStep(page, step);
    await h.expandAll(page);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
      }));
    });
    for (const v of violations) found.push({ step, ...v });
    await h.shot(page, `a11y-step-${step}`);
  }
  writeFileSync(join(h.out, "axe-violations.json"), `${JSON.stringify(found, null, 2)}\n`);
  for (const v of found) {
    console.log(`axe step ${v.step}: ${v.impact} ${v.id}: ${v.help}`);
    for (const n of v.nodes) console.log(`  ${n.target}: ${n.summary.replace(/\n/g, " ")}`);
  }
  console.log(`axe: ${found.length} violations over ${STEPS} steps`);
  const blocking = found.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(blocking, [], "serious or critical axe violations");
  await context.close();
});

test("the wizard is usable at 360 px: no step scrolls sideways", async () => {
  const context = await h.newContext(session.browser, { viewport: { width: 360, height: 800 } });
  const { page } = await session.open(context);
  // A problem is listed with its long field path before anything is filled in.
  assert.ok((await page.locator("section.problems li").count()) > 0);
  for (let step = 1; step <= STEPS; step++) {
    await h.goToStep(page, step);
    await h.expandAll(page);
    const overflow = await page.evaluate(() => ({
      by: document.documentElement.scrollWidth - window.innerWidth,
      wide: [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`)
        .slice(0, 5),
    }));
    assert.ok(overflow.by <= 0, `step ${step} scrolls sideways by ${overflow.by}px: ${overflow.wide}`);
    await h.shot(page, `narrow-360-step-${step}`);
  }
  await context.close();
});

test("fleet mode: every control is named and axe-core finds no serious or critical violation", async () => {
  const context = await h.newContext(session.browser, { bypassCSP: true });
  const { page } = await session.open(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("Accessibility.enable");
  await page.addScriptTag({ content: readFileSync(h.toolFile("axe-core/axe.min.js"), "utf8") });
  await page.click("#mode-fleet");
  await page.fill("#f-metadata-name", "{{ name }}");
  // A duplicate row, so that the table shows a problem.
  await page.fill("#fleet-csv", "name\nedge-01\nedge-01\n");
  await page.waitForSelector("#fleet-row-1.bad");
  const found = [];
  for (const source of ["csv", "count"]) {
    await page.check(`#fleet-source-${source}`);
    await h.expandAll(page);
    const { unnamed } = await unnamedControls(cdp);
    assert.deepEqual(unnamed, [], `fleet mode, devices from ${source}: controls without a name`);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document);
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")) }));
    });
    for (const v of violations) {
      console.log(`axe fleet (${source}): ${v.impact} ${v.id}: ${v.help}: ${v.nodes.join(", ")}`);
      found.push(v);
    }
    await h.shot(page, `a11y-fleet-${source}`);
  }
  const blocking = found.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(blocking, [], "serious or critical axe violations in fleet mode");
  await context.close();
});
