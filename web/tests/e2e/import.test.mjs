// Importing files into the wizard (#import-file): real IoT Edge config.toml files from
// tests/aziot-samples/ and an EdgeDevice with a key the model does not know. What the wizard
// makes of each is compared with what `edgevirt import` and `edgevirt validate` make of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as h from "./harness.mjs";

const session = h.session();

const samples = join(h.repo, "tests/aziot-samples/iotedge");

/** The paths `edgevirt` names in its `error: PATH: ...` lines. */
const errorPaths = (stderr) => [...stderr.matchAll(/^error: (\S+):/gm)].map((m) => m[1]);

test("a real config.toml that edgevirt carries prefills the form as `edgevirt import` does", async () => {
  const file = join(samples, "dps-symmetric-key.toml");
  const imported = h.cli("import", file);
  assert.equal(imported.status, 0, `edgevirt import: ${imported.stderr}`);

  const { page, problems } = await session.open();
  await page.setInputFiles("#import-file", file);
  const report = page.locator("section.import-report");
  await report.waitFor();
  assert.equal((await report.locator("h2").textContent()).trim(), "Loaded dps-symmetric-key.toml.");
  assert.equal(await report.evaluate((r) => r.classList.contains("refused")), false);
  assert.equal(await report.locator("li").count(), 0, "nothing was left out");

  assert.equal(await page.inputValue("#f-metadata-name"), "my-device");
  assert.equal(await page.inputValue("#f-spec-iotEdge-provisioning"), "dps-symmetric-key");
  assert.equal(await page.inputValue("#f-spec-iotEdge-provisioning-dps-idScope"), "0ab1234C5D6");
  assert.equal(
    await page.inputValue("#f-spec-iotEdge-provisioning-dps-symmetricKey-deviceKey-value"),
    "YXppb3QtaWRlbnRpdHktc2VydmljZXxhemlvdC1pZGVudGl0eS1zZXJ2aWNlfGF6aW90LWlkZW50aXR5LXNlcg==",
  );
  await h.shot(page, "import-loaded");

  // The whole device, not just the fields on screen: the wizard's manifests are what the CLI
  // renders from its own import of the same file.
  const cliDevice = join(h.out, "import-cli.edgedevice.yaml");
  writeFileSync(cliDevice, imported.stdout);
  const rendered = h.cli("render", cliDevice);
  assert.equal(rendered.status, 0, rendered.stderr);
  const manifests = await h.download(page, "#download-manifests", "import-");
  assert.equal(manifests.name, "edgevirt-my-device.yaml");
  assert.equal(manifests.text, rendered.stdout);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a real config.toml that edgevirt refuses is not loaded, and each key is named", async () => {
  const file = join(samples, "not-socket-activated-both-custom.toml");
  const imported = h.cli("import", file);
  assert.equal(imported.status, 1, "edgevirt import refuses it too");
  const refusedKeys = errorPaths(imported.stderr);
  assert.ok(refusedKeys.length >= 2, imported.stderr);

  const { page } = await session.open();
  await page.fill("#f-metadata-name", "kept-edge-01");
  await page.setInputFiles("#import-file", file);
  const report = page.locator("section.import-report.refused");
  await report.waitFor();
  assert.match(await report.locator("h2").textContent(), /not-socket-activated-both-custom\.toml was not loaded/);
  const listed = await report.locator("li code").allTextContents();
  assert.deepEqual(listed.sort(), [...refusedKeys].sort());
  assert.match(await report.textContent(), /unix:\/\/\/my\/own\/iotedge\.workload\.sock/);
  assert.equal(await page.inputValue("#f-metadata-name"), "kept-edge-01", "the form is kept");
  await h.shot(page, "import-refused");
  await page.close();
});

test("an EdgeDevice with unknown keys loads without them and lists each one", async () => {
  const text = [
    "apiVersion: edgevirt.dev/v1alpha1",
    "kind: EdgeDevice",
    "metadata:",
    "  name: odd-edge-01",
    "  colour: red",
    "spec:",
    "  vm:",
    "    memory: 6Gi",
    "    turbo: true",
    "  iotEdge:",
    "    provisioning:",
    "      dps:",
    "        idScope: 0ne000000AA",
    "        tpm: {}",
    "",
  ].join("\n");
  const file = join(h.out, "odd-edge-01.yaml");
  writeFileSync(file, text);
  const validated = h.cli("validate", file);
  assert.equal(validated.status, 1, "the CLI does not accept the unknown keys");
  assert.deepEqual(errorPaths(validated.stderr).sort(), ["metadata.colour", "spec.vm.turbo"]);

  const { page, problems } = await session.open();
  await page.setInputFiles("#import-file", file);
  const report = page.locator("section.import-report");
  await report.waitFor();
  assert.match(await report.locator("h2").textContent(), /^Loaded odd-edge-01\.yaml, without these keys/);
  const listed = await report.locator("li code").allTextContents();
  assert.deepEqual(listed.sort(), ["metadata.colour", "spec.vm.turbo"]);
  assert.equal(await page.inputValue("#f-metadata-name"), "odd-edge-01");
  assert.equal(await page.inputValue("#f-spec-iotEdge-provisioning"), "dps-tpm");
  await h.shot(page, "import-left-out");

  const device = await h.download(page, "#download-device", "import-");
  assert.match(device.text, /memory: 6Gi/);
  assert.doesNotMatch(device.text, /colour|turbo/);
  assert.equal(h.cli("validate", device.path).status, 0, "what is left is a valid device");
  assert.deepEqual(problems, []);
  await page.close();
});
