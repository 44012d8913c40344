// End-to-end tests of the wizard as a new user fills it in, in Debian's Chromium driven by
// Playwright: the page trunk built (dist/) is served on 127.0.0.1 by harness.mjs.
//
//   node --test web/tests/e2e/
//
// What the wizard downloads is checked against the native CLI: the manifests file must be byte
// for byte what `edgevirt render` prints for the downloaded EdgeDevice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as h from "./harness.mjs";

const session = h.session();

const p = "#f-spec-iotEdge-provisioning-";

/** Downloads the manifests and the EdgeDevice and checks them against `edgevirt render`. */
async function downloadAndCompare(page, name) {
  assert.ok(!(await page.isDisabled("#download-manifests")), "the download is offered");
  const manifests = await h.download(page, "#download-manifests");
  const device = await h.download(page, "#download-device");
  assert.equal(manifests.name, `edgevirt-${name}.yaml`);
  assert.equal(device.name, `${name}.edgedevice.yaml`);
  const cli = h.cli("render", device.path);
  assert.equal(cli.status, 0, `edgevirt render ${device.path}: ${cli.stderr}`);
  assert.equal(manifests.text, cli.stdout, "the download is byte-identical to `edgevirt render`");
  assert.match(manifests.text, new RegExp(`kind: VirtualMachine\\n(.*\\n)*?  name: ${name}\\n`));
  return { manifests, device };
}

// Each provisioning mode as a user sets it up on the first step; the DPS symmetric key device
// also goes through every other step.
const modes = [
  {
    mode: "manual-connection-string",
    name: "plant-a-edge-01",
    async fill(page) {
      const secret = `${p}manual-connectionString-value`;
      assert.equal(await page.getAttribute(secret, "type"), "password", "the secret is masked");
      await page.fill(
        secret,
        "HostName=plant-a.azure-devices.net;DeviceId=plant-a-edge-01;SharedAccessKey=c2VjcmV0LWtleS0x",
      );
    },
    device: /connectionString:\n\s+value: /,
  },
  {
    mode: "dps-tpm",
    name: "plant-c-edge-03",
    async fill(page) {
      await page.fill(`${p}dps-idScope`, "0ne00000C03");
      await page.fill(`${p}dps-tpm-registrationId`, "plant-c-edge-03-reg");
    },
    device: /tpm:\n\s+registrationId: plant-c-edge-03-reg/,
  },
  {
    mode: "dps-x509",
    name: "plant-d-edge-04",
    async fill(page) {
      await page.fill(`${p}dps-idScope`, "0ne00000D04");
      const cert = `${p}dps-x509-identityCert-value`;
      await page.fill(cert, "-----BEGIN CERTIFICATE-----\nMIIBdGVzdC1jZXJ0\n-----END CERTIFICATE-----\n");
      // The key stays in a Secret of the cluster: the output must hold no key at all.
      await page.selectOption(`${p}dps-x509-identityPk-source`, "secretKeyRef");
      await page.fill(`${p}dps-x509-identityPk-secretKeyRef-name`, "plant-d-x509");
      await page.fill(`${p}dps-x509-identityPk-secretKeyRef-key`, "identity.key.pem");
    },
    device: /identityPk:\n\s+secretKeyRef:\n\s+name: plant-d-x509\n\s+key: identity.key.pem/,
  },
];

for (const { mode, name, fill, device: expected } of modes) {
  test(`provisioning "${mode}": the download is what the CLI renders`, async () => {
    const { page, problems } = await session.open();
    await page.fill("#f-metadata-name", name);
    await page.selectOption("#f-spec-iotEdge-provisioning", mode);
    await fill(page);
    await page.waitForSelector("section.problems .ok");
    await h.shot(page, `mode-${mode}`);
    const { device } = await downloadAndCompare(page, name);
    assert.match(device.text, expected);
    assert.deepEqual(problems, [], "no console errors");
    await page.close();
  });
}

test("a DPS device through every step, with a bad memory value on the way", async () => {
  const { page, problems } = await session.open();
  await h.shot(page, "step-1-start");

  // Step 1: name and provisioning.
  await page.fill("#f-metadata-name", "plant-b-edge-07");
  await page.fill("#f-metadata-namespace", "iot-edge");
  await page.selectOption("#f-spec-iotEdge-provisioning", "dps-symmetric-key");
  await page.fill(`${p}dps-idScope`, "0ne00AB12CD");
  const key = `${p}dps-symmetricKey-deviceKey-value`;
  await page.fill(key, "c2VjcmV0LWRldmljZS1rZXktZm9yLXRlc3Rz");
  assert.equal(await page.getAttribute(key, "type"), "password", "the key is masked");
  await h.shot(page, "step-1-device");

  // Step 2: size, with a bad memory value first, typed as a person types.
  await h.goToStep(page, 2);
  await page.click("#f-spec-vm-memory");
  await page.keyboard.type("3Gb");
  const error = await page.waitForSelector("#f-spec-vm-memory-error");
  assert.match(await error.textContent(), /"3Gb" is not a quantity/);
  assert.equal(await page.getAttribute("#f-spec-vm-memory", "aria-invalid"), "true");
  const describedBy = (await page.getAttribute("#f-spec-vm-memory", "aria-describedby")).split(/\s+/);
  assert.ok(describedBy.includes("f-spec-vm-memory-error"), `aria-describedby: ${describedBy}`);
  assert.ok(await page.isDisabled("#download-manifests"), "no download while there are errors");
  assert.equal(await page.getAttribute("#download-manifests", "aria-describedby"), "download-reason");
  assert.match(await page.textContent("#download-reason"), /Fix the 1 problem above/);
  assert.equal(await page.textContent("nav.steps li:nth-child(2) .badge"), "1", "the step shows it");
  await h.shot(page, "step-2-bad-memory");
  await page.fill("#f-spec-vm-memory", "8Gi");
  await page.fill("#f-spec-vm-cpu-cores", "4");
  await page.waitForSelector("#f-spec-vm-memory-error", { state: "detached" });
  assert.equal(await page.getAttribute("#f-spec-vm-memory", "aria-invalid"), "false");
  await h.shot(page, "step-2-vm");

  // Step 3: proxy.
  await h.goToStep(page, 3);
  await page.fill("#f-spec-network-proxy-httpsProxy", "http://proxy.plant-b.example:3128");
  await page.fill("#f-spec-network-proxy-noProxy", "localhost\n.svc");
  await h.shot(page, "step-3-network");

  // Step 4: SSH key and Service.
  await h.goToStep(page, 4);
  await page.fill("#f-spec-os-sshAuthorizedKeys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@example.com");
  await page.check("#f-spec-services-ssh-on");
  await h.shot(page, "step-4-access");

  // Step 5: a Docker log limit in a folded section.
  await h.goToStep(page, 5);
  await h.openAdvanced(page);
  await page.fill("#f-spec-iotEdge-docker-logMaxFiles", "5");
  await h.shot(page, "step-5-advanced");

  const { manifests, device } = await downloadAndCompare(page, "plant-b-edge-07");
  assert.match(device.text, /idScope: 0ne00AB12CD/);
  assert.match(device.text, /memory: 8Gi/);
  assert.match(device.text, /logMaxFiles: 5/);
  assert.match(manifests.text, /namespace: iot-edge/);
  assert.match(manifests.text, /kind: Service\n/, "the SSH Service");

  // The Helm chart values: YAML with the device under `device:`, as downloaded.
  const values = await h.download(page, "#download-values");
  assert.equal(values.name, "plant-b-edge-07.values.yaml");
  assert.match(values.text, /^device:\n/);
  const [parsed, edgeDevice] = yamlToJson(values.path, device.path);
  assert.deepEqual(Object.keys(parsed), ["device"]);
  assert.deepEqual(parsed.device.metadata, edgeDevice.metadata);
  assert.deepEqual(parsed.device.spec, edgeDevice.spec);
  assert.deepEqual(problems, [], "no console errors");
  await page.close();
});

/** Parses YAML files with PyYAML (installed by scripts/install-test-deps.sh). */
function yamlToJson(...files) {
  const script =
    "import json, sys, yaml\n" +
    "print(json.dumps([yaml.safe_load(open(f, encoding='utf-8')) for f in sys.argv[1:]]))";
  return JSON.parse(execFileSync("python3", ["-c", script, ...files], { encoding: "utf8" }));
}

test("a problem's link shows its step and focuses its field, opening a folded section", async () => {
  const { page } = await session.open();
  await page.fill("#f-metadata-name", "focus-edge-01");
  await page.fill(`${p}manual-connectionString-value`, "HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=a2V5");
  await h.goToStep(page, 2);
  await page.fill("#f-spec-vm-memory", "3Gb");
  await h.openAdvanced(page);
  await page.fill("#f-spec-vm-macAddress", "zz");
  await page.waitForSelector("#f-spec-vm-macAddress-error");

  // Back on the first step, the problems list still names both fields.
  await h.goToStep(page, 1);
  const link = (path) => page.locator("section.problems button.link", { hasText: path });
  assert.equal(await page.locator("section.problems li").count(), 2);
  await link("spec.vm.memory").click();
  await page.waitForSelector("#step-title:text-matches('^2\\\\.')");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "f-spec-vm-memory");

  // A field in a closed "Advanced" section: the section opens and the field gets focus.
  for (const summary of await page.locator("details[open] > summary").all()) await summary.click();
  assert.equal(await page.locator("details[open]").count(), 0, "folded again");
  await h.goToStep(page, 1);
  await link("spec.vm.macAddress").click();
  await page.waitForFunction(() => document.activeElement?.id === "f-spec-vm-macAddress");
  assert.ok(await page.isVisible("#f-spec-vm-macAddress"));
  await h.shot(page, "problem-link-focus");
  await page.close();
});
