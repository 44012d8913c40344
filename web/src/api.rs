//! The JavaScript API for portals, through wasm-bindgen:
//!
//! ```js
//! import init, { render, validate, schema, mount } from "./edgevirt-web.js";
//! await init();
//! const { manifests, yaml, errors, warnings } = render({ apiVersion: "edgevirt.dev/v1alpha1", ... });
//! mount(document.querySelector("#wizard"), { device, locked: ["metadata.namespace"], onDownload });
//! ```
//!
//! Every result is a plain object (JSON values), so it can be posted, stored or logged as is.

use std::rc::Rc;

use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::app::{App, AppProps, Embed};
use crate::state::{self, Outcome};

/// A device given as YAML or JSON text, or as an object, as text for the core.
fn device_text(spec: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = spec.as_string() {
        return Ok(text);
    }
    js_sys::JSON::stringify(spec)
        .map(String::from)
        .map_err(|_| JsValue::from_str("edgevirt: the device is neither text nor a JSON object"))
}

fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.to_string())
}

fn diagnostics(outcome: &Outcome) -> (Value, Value) {
    (json!(outcome.errors), json!(outcome.warnings))
}

/// Renders a device: `{manifests, yaml, device, errors, warnings}`. `manifests` is the list of
/// rendered objects and `yaml` the stream `edgevirt render` prints; both are empty while there
/// are errors. Each error and warning is `{severity, path, value?, message, hint?}`.
#[wasm_bindgen]
pub fn render(spec: JsValue) -> Result<JsValue, JsValue> {
    let outcome = state::evaluate_text(&device_text(&spec)?);
    let (errors, warnings) = diagnostics(&outcome);
    to_js(&json!({
        "manifests": outcome.values,
        "yaml": outcome.manifests_yaml,
        "device": outcome.device_yaml,
        "errors": errors,
        "warnings": warnings,
    }))
}

/// Checks a device without rendering it for the caller: `{valid, errors, warnings}`.
#[wasm_bindgen]
pub fn validate(spec: JsValue) -> Result<JsValue, JsValue> {
    let outcome = state::evaluate_text(&device_text(&spec)?);
    let (errors, warnings) = diagnostics(&outcome);
    to_js(&json!({
        "valid": outcome.errors.is_empty(),
        "errors": errors,
        "warnings": warnings,
    }))
}

/// The JSON Schema (draft 2020-12) of `EdgeDevice`, every field documented.
#[wasm_bindgen]
pub fn schema() -> Result<JsValue, JsValue> {
    to_js(&edgevirt_core::json_schema())
}

/// The edgevirt version.
#[wasm_bindgen]
pub fn version() -> String {
    edgevirt_core::VERSION.to_owned()
}

/// The strings of a JS array; nothing for anything else.
fn strings(value: &JsValue) -> Vec<String> {
    if !js_sys::Array::is_array(value) {
        return Vec::new();
    }
    js_sys::Array::from(value)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

/// Places the wizard inside `element`. `options` (all optional):
///
/// - `device`: an `EdgeDevice` (object, YAML or JSON text) to start from; an object may leave
///   out `apiVersion` and `kind`;
/// - `locked`: field paths the user cannot change, e.g. `["metadata.namespace"]`;
/// - `onDownload`: called with `{type, kind, filename, text}` after each download
///   (`kind` is `"manifests"`, `"device"` or `"values"`);
/// - `shareLinks`: offer a link that carries the non-secret fields in the URL fragment, and
///   start from such a link (the standalone page sets it; a portal's URL is its own);
/// - `embedOrigins`: origins, besides the page's own, whose pages may frame the wizard and
///   receive each download as a `postMessage` (`{type: "edgevirt-download", ...}`).
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<(), JsValue> {
    let get = |key: &str| -> JsValue {
        if options.is_object() {
            js_sys::Reflect::get(&options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let device = get("device");
    // A portal may pass just `metadata` and `spec`, as the chart's values hold them.
    if device.is_object() {
        for (key, value) in [
            ("apiVersion", edgevirt_core::model::API_VERSION),
            ("kind", edgevirt_core::model::KIND),
        ] {
            let key = JsValue::from_str(key);
            if !js_sys::Reflect::has(&device, &key).unwrap_or(true) {
                let _ = js_sys::Reflect::set(&device, &key, &JsValue::from_str(value));
            }
        }
    }
    let initial = if device.is_undefined() || device.is_null() {
        state::new_device()
    } else {
        state::device_from_text(&device_text(&device)?)
            .map_err(|e| JsValue::from_str(&format!("edgevirt: options.device: {e}")))?
    };
    let locked = strings(&get("locked"));
    let on_download = get("onDownload").dyn_into::<js_sys::Function>().ok();
    let props = AppProps {
        initial: Rc::new(initial),
        locked: Rc::new(locked),
        embed: Rc::new(Embed {
            on_download,
            share: get("shareLinks").as_bool().unwrap_or(false),
            embed_origins: strings(&get("embedOrigins")),
        }),
    };
    yew::Renderer::<App>::with_root_and_props(element, props).render();
    Ok(())
}
