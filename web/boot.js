// Starts the wizard page: the wasm bytes come from a same-origin script (the page may not
// fetch()), then the wizard is mounted on #edgevirt-wizard.
//
// In an iframe, the embedding page may send {type: "edgevirt-options", device, locked} to
// prefill and lock fields, and receives each download as {type: "edgevirt-download", ...}; both
// only when its origin is this page's own or is listed, space-separated, in
// <meta name="edgevirt-embed-origins">. The page answers {type: "edgevirt-ready"} once it can
// take options.
import init, { mount } from "./edgevirt-web.js";
import bytes from "./edgevirt-web-wasm.js";

await init({ module_or_path: bytes });

const meta = document.querySelector('meta[name="edgevirt-embed-origins"]');
const embedOrigins = (meta?.content ?? "").split(/\s+/).filter(Boolean);
const framed = window.parent !== window;
const allowed = (origin) =>
  origin !== "null" && (origin === location.origin || embedOrigins.includes(origin));

// Mounts a fresh wizard in place of the current one.
function start(options) {
  const old = document.getElementById("edgevirt-wizard");
  const root = old.cloneNode(false);
  old.replaceWith(root);
  try {
    mount(root, { shareLinks: !framed, embedOrigins, ...options });
  } catch (error) {
    root.textContent = String(error);
    root.setAttribute("role", "alert");
  }
}

start({});
// "edgevirt-interactive": the first frame with the form in it, for measurements.
const shown = () =>
  document.getElementById("f-metadata-name")
    ? performance.mark("edgevirt-interactive")
    : requestAnimationFrame(shown);
requestAnimationFrame(shown);
if (framed) {
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || !allowed(event.origin)) return;
    if (event.data?.type !== "edgevirt-options") return;
    start({ device: event.data.device, locked: event.data.locked });
  });
  let parentOrigin = null;
  try {
    parentOrigin = new URL(document.referrer).origin;
  } catch {}
  if (parentOrigin && allowed(parentOrigin)) {
    window.parent.postMessage({ type: "edgevirt-ready" }, parentOrigin);
  }
}
document.documentElement.dataset.ready = "true";
