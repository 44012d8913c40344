// An example portal: renders a device through the JS API, then mounts the wizard with the
// namespace fixed by the portal, and records each download the user makes.
import init, { render, mount, version } from "../edgevirt-web.js";

await init({ module_or_path: new URL("../edgevirt-web_bg.wasm", import.meta.url) });

const device = {
  apiVersion: "edgevirt.dev/v1alpha1",
  kind: "EdgeDevice",
  metadata: { name: "portal-edge-01", namespace: "contoso-edge" },
  spec: {
    iotEdge: {
      provisioning: {
        dps: {
          idScope: "0ne00000A0A",
          symmetricKey: { deviceKey: { secretKeyRef: { name: "dps-keys", key: "portal-edge-01" } } },
        },
      },
    },
  },
};

const result = render(device);
const kinds = result.manifests.map((m) => `${m.kind}/${m.metadata.name}`);
document.getElementById("api-result").textContent =
  `edgevirt ${version()}: ${result.errors.length} errors, ${result.warnings.length} warnings\n` +
  kinds.join("\n");

const log = document.getElementById("download-log");
window.edgevirtDownloads = [];
mount(document.getElementById("wizard"), {
  device,
  locked: ["metadata.namespace"],
  onDownload(event) {
    window.edgevirtDownloads.push(event);
    log.textContent = `The portal received ${event.filename} (${event.kind}, ${event.text.length} bytes).`;
  },
});
document.documentElement.dataset.ready = "true";
