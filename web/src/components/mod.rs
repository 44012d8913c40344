//! The wizard's components: one control per field ([`field`]), secrets ([`secret`]), the blocks
//! of a step ([`blocks`]) and the preview with its downloads ([`preview`]).

pub(crate) mod blocks;
pub(crate) mod field;
pub(crate) mod fleet;
pub(crate) mod preview;
pub(crate) mod secret;

use edgevirt_core::Diagnostic;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// The DOM id of the control for a field path: `spec.vm.cpu.cores` becomes `f-spec-vm-cpu-cores`.
pub(crate) fn dom_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id
}

/// The `value` of the element an event came from (input, textarea or select).
pub(crate) fn event_value(event: &web_sys::Event) -> String {
    event
        .target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The `checked` state of the checkbox an event came from.
pub(crate) fn event_checked(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("checked")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Model documentation as HTML: text with `code` spans, as the doc comments write them.
pub(crate) fn doc_html(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_owned() }</code> }
            } else {
                html! { { part.to_owned() } }
            }
        })
        .collect()
}

/// The help paragraph (model docs and the default) and the errors under a control, and the
/// `aria-describedby` value that points at them.
pub(crate) fn describe(
    id: &str,
    help: Option<String>,
    default: Option<&str>,
    errors: &[Diagnostic],
) -> (Html, String) {
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let mut described_by = help_id.clone();
    if !errors.is_empty() {
        described_by = format!("{error_id} {help_id}");
    }
    let html = html! {
        <>
            if !errors.is_empty() {
                <div class="field-errors" id={error_id}>
                    { for errors.iter().map(|d| html! { <p class="error">{ problem_text(d) }</p> }) }
                </div>
            }
            <p class="help" id={help_id}>
                { help.as_deref().map(doc_html).unwrap_or_default() }
                if let Some(default) = default {
                    <span class="default">{ format!(" Default: {default}.") }</span>
                }
            </p>
        </>
    };
    (html, described_by)
}

/// A diagnostic as a sentence: value, message, hint (the path is implied by the field).
pub(crate) fn problem_text(d: &Diagnostic) -> String {
    let mut text = String::new();
    if let Some(value) = &d.value {
        text.push_str(&format!("{value:?} "));
    }
    text.push_str(&d.message);
    if let Some(hint) = &d.hint {
        text.push_str(&format!(" ({hint})"));
    }
    text
}
