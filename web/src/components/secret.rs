//! A secret: typed into the page (masked, with a reveal toggle), a key of an existing Secret,
//! or a file already on the device. A typed secret lives only in this component's document; it
//! is never put in the URL or in browser storage.

use edgevirt_core::Diagnostic;
use serde_json::{Value, json};
use yew::prelude::*;

use super::{describe, dom_id, event_value};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub(crate) struct SecretProps {
    pub(crate) label: AttrValue,
    /// Path of the `SecretSource` object.
    pub(crate) path: AttrValue,
    pub(crate) multiline: bool,
    pub(crate) allow_file: bool,
    pub(crate) value: Option<Value>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) locked: bool,
    pub(crate) dispatch: Callback<Action>,
}

const SOURCES: &[(&str, &str)] = &[
    ("value", "Typed here (rendered into a Secret)"),
    (
        "secretKeyRef",
        "A key of an existing Secret (the output holds no secret)",
    ),
    ("file", "A file already on the device (file://)"),
];

#[function_component(SecretView)]
pub(crate) fn secret_view(props: &SecretProps) -> Html {
    let revealed = use_state(|| false);
    let path = props.path.to_string();
    let source = props
        .value
        .as_ref()
        .and_then(|v| SOURCES.iter().find(|(key, _)| v.get(key).is_some()))
        .map_or("value", |(key, _)| *key);
    let id = dom_id(&path);
    let (described, described_by) = describe(&id, crate::fields::help(&path), None, &props.errors);
    let invalid = if props.errors.is_empty() {
        "false"
    } else {
        "true"
    };

    let on_source = {
        let dispatch = props.dispatch.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let value = match event_value(&e).as_str() {
                "secretKeyRef" => json!({"secretKeyRef": {"name": "", "key": ""}}),
                "file" => json!({"file": ""}),
                _ => json!({"value": ""}),
            };
            dispatch.emit(Action::Set(path.clone(), value));
        })
    };
    let setter = |sub: &'static str| {
        let dispatch = props.dispatch.clone();
        let path = format!("{path}.{sub}");
        Callback::from(move |e: InputEvent| {
            dispatch.emit(Action::Set(path.clone(), Value::String(event_value(&e))));
        })
    };
    let text_at = |sub: &str| {
        props
            .value
            .as_ref()
            .and_then(|v| v.pointer(sub))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };

    let mode_id = format!("{id}-source");
    let inputs = match source {
        "secretKeyRef" => {
            let name_id = dom_id(&format!("{path}.secretKeyRef.name"));
            let key_id = dom_id(&format!("{path}.secretKeyRef.key"));
            html! {
                <div class="secret-ref">
                    <label for={name_id.clone()}>{ "Secret name" }</label>
                    <input type="text" id={name_id} value={text_at("/secretKeyRef/name")}
                           oninput={setter("secretKeyRef.name")} disabled={props.locked}
                           autocomplete="off" spellcheck="false" aria-invalid={invalid}
                           aria-describedby={described_by.clone()} />
                    <label for={key_id.clone()}>{ "Key in the Secret" }</label>
                    <input type="text" id={key_id} value={text_at("/secretKeyRef/key")}
                           oninput={setter("secretKeyRef.key")} disabled={props.locked}
                           autocomplete="off" spellcheck="false" aria-invalid={invalid}
                           aria-describedby={described_by.clone()} />
                </div>
            }
        }
        "file" => {
            let file_id = dom_id(&format!("{path}.file"));
            html! {
                <>
                    <label for={file_id.clone()}>{ "File URI" }</label>
                    <input type="text" id={file_id} value={text_at("/file")}
                           placeholder="file:///var/secrets/device.pem"
                           oninput={setter("file")} disabled={props.locked}
                           autocomplete="off" spellcheck="false" aria-invalid={invalid}
                           aria-describedby={described_by.clone()} />
                </>
            }
        }
        _ => {
            let value_id = dom_id(&format!("{path}.value"));
            let toggle = {
                let revealed = revealed.clone();
                Callback::from(move |_: MouseEvent| revealed.set(!*revealed))
            };
            let shown = *revealed;
            let control = if props.multiline {
                let class = classes!("secret", (!shown).then_some("masked"));
                html! {
                    <textarea id={value_id.clone()} {class} rows="4" value={text_at("/value")}
                              oninput={setter("value")} disabled={props.locked}
                              autocomplete="off" spellcheck="false" aria-invalid={invalid}
                              aria-describedby={described_by.clone()} />
                }
            } else {
                html! {
                    <input id={value_id.clone()} class="secret"
                           type={if shown { "text" } else { "password" }}
                           value={text_at("/value")} oninput={setter("value")}
                           disabled={props.locked} autocomplete="off" spellcheck="false"
                           aria-invalid={invalid} aria-describedby={described_by.clone()} />
                }
            };
            html! {
                <>
                    <label for={value_id.clone()}>{ format!("{} (value)", props.label) }</label>
                    <div class="secret-value">
                        { control }
                        <button type="button" class="reveal" onclick={toggle}
                                aria-pressed={if shown { "true" } else { "false" }}
                                aria-controls={value_id}>
                            { if shown { "Hide" } else { "Show" } }
                        </button>
                    </div>
                </>
            }
        }
    };
    let class = classes!(
        "field",
        "secret-field",
        (!props.errors.is_empty()).then_some("has-error")
    );
    html! {
        <fieldset {class}>
            <legend>{ props.label.clone() }</legend>
            <label for={mode_id.clone()}>{ "Given as" }</label>
            <select id={mode_id} onchange={on_source} disabled={props.locked}>
                { for SOURCES.iter()
                    .filter(|(key, _)| props.allow_file || *key != "file" || source == "file")
                    .map(|(key, text)| html! {
                        <option value={*key} selected={source == *key}>{ *text }</option>
                    }) }
            </select>
            { inputs }
            { described }
        </fieldset>
    }
}
