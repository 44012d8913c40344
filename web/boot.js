// Starts the wizard page: the wasm bytes come from a same-origin script (the page may not
// fetch()), then the wizard is mounted on #edgevirt-wizard.
import init, { mount } from "./edgevirt-web.js";
import bytes from "./edgevirt-web-wasm.js";

await init({ module_or_path: bytes });
const root = document.getElementById("edgevirt-wizard");
root.textContent = "";
mount(root, { shareLinks: true });
document.documentElement.dataset.ready = "true";
