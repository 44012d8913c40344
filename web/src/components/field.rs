//! One control for one field, of any [`Kind`] but secrets.

use edgevirt_core::Diagnostic;
use serde_json::{Map, Value};
use yew::prelude::*;

use super::{describe, dom_id, event_value};
use crate::fields::{Field, Kind};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub(crate) struct FieldProps {
    pub(crate) field: Field,
    /// Absolute path of the field in the document.
    pub(crate) path: AttrValue,
    pub(crate) value: Option<Value>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) locked: bool,
    pub(crate) dispatch: Callback<Action>,
}

/// The value a control's text stands for; `None` leaves the field out.
pub(crate) fn parse(kind: Kind, required: bool, text: &str) -> Option<Value> {
    let trimmed = text.trim();
    let value = match kind {
        Kind::Text | Kind::Multiline | Kind::Choice(_) => {
            if text.is_empty() {
                None
            } else {
                Some(Value::String(text.to_owned()))
            }
        }
        Kind::Number => (!trimmed.is_empty()).then(|| match trimmed.parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(trimmed.to_owned()),
        }),
        Kind::Flag => match trimmed {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Kind::Lines => {
            let items: Vec<Value> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_owned()))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Kind::Pairs => {
            let mut map = Map::new();
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let (key, value) = line.split_once('=').unwrap_or((line, ""));
                map.insert(
                    key.trim().to_owned(),
                    Value::String(value.trim().to_owned()),
                );
            }
            (!map.is_empty()).then_some(Value::Object(map))
        }
        Kind::Json => (!trimmed.is_empty()).then(|| {
            serde_json::from_str(trimmed).unwrap_or_else(|_| Value::String(trimmed.to_owned()))
        }),
        Kind::Secret { .. } => None,
    };
    match value {
        None if required => Some(Value::String(String::new())),
        other => other,
    }
}

/// The text a control shows for a value.
pub(crate) fn format(kind: Kind, value: Option<&Value>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    let plain = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (kind, value) {
        (Kind::Lines, Value::Array(items)) => {
            items.iter().map(plain).collect::<Vec<_>>().join("\n")
        }
        (Kind::Pairs, Value::Object(map)) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", plain(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        (Kind::Json, Value::String(s)) => s.clone(),
        (Kind::Json, other) => serde_json::to_string_pretty(other).unwrap_or_default(),
        (_, other) => plain(other),
    }
}

#[function_component(FieldView)]
pub(crate) fn field_view(props: &FieldProps) -> Html {
    // What the user typed, kept while it still means the document's value: a trailing newline
    // in a list, or `1.` in a number, would otherwise be lost on the next render.
    let typed = use_state(|| None::<String>);
    let Field {
        kind,
        required,
        label,
        default,
        ..
    } = props.field;
    let shown = match &*typed {
        Some(text) if parse(kind, required, text) == props.value => text.clone(),
        _ => format(kind, props.value.as_ref()),
    };
    let id = dom_id(&props.path);
    let (described, described_by) = describe(
        &id,
        crate::fields::help(&props.path),
        default,
        &props.errors,
    );
    let invalid = if props.errors.is_empty() {
        "false"
    } else {
        "true"
    };
    let on_text = {
        let typed = typed.clone();
        let dispatch = props.dispatch.clone();
        let path = props.path.to_string();
        move |text: String| {
            let action = match parse(kind, required, &text) {
                Some(value) => Action::Set(path.clone(), value),
                None => Action::Clear(path.clone()),
            };
            typed.set(Some(text));
            dispatch.emit(action);
        }
    };
    let oninput = {
        let on_text = on_text.clone();
        Callback::from(move |e: InputEvent| on_text(event_value(&e)))
    };
    let onchange = Callback::from(move |e: Event| on_text(event_value(&e)));
    let placeholder = default.map(|d| format!("default: {d}"));
    let control = match kind {
        Kind::Choice(options) => {
            let none = match default {
                Some(d) => format!("Default ({d})"),
                None => "Not set".to_owned(),
            };
            html! {
                <select id={id.clone()} {onchange} disabled={props.locked}
                        aria-invalid={invalid} aria-describedby={described_by}>
                    <option value="" selected={shown.is_empty()}>{ none }</option>
                    { for options.iter().map(|o| html! {
                        <option value={*o} selected={shown == *o}>{ *o }</option>
                    }) }
                    if !shown.is_empty() && !options.contains(&shown.as_str()) {
                        <option value={shown.clone()} selected=true>{ shown.clone() }</option>
                    }
                </select>
            }
        }
        Kind::Flag => {
            let none = match default {
                Some(d) => format!("Default ({d})"),
                None => "Not set".to_owned(),
            };
            html! {
                <select id={id.clone()} {onchange} disabled={props.locked}
                        aria-invalid={invalid} aria-describedby={described_by}>
                    <option value="" selected={shown.is_empty()}>{ none }</option>
                    <option value="true" selected={shown == "true"}>{ "Yes" }</option>
                    <option value="false" selected={shown == "false"}>{ "No" }</option>
                </select>
            }
        }
        Kind::Multiline | Kind::Lines | Kind::Pairs | Kind::Json => {
            let rows = if matches!(kind, Kind::Multiline | Kind::Json) {
                "5"
            } else {
                "3"
            };
            html! {
                <textarea id={id.clone()} {oninput} value={shown} rows={rows} {placeholder}
                          spellcheck="false" disabled={props.locked}
                          aria-invalid={invalid} aria-describedby={described_by} />
            }
        }
        Kind::Text | Kind::Number | Kind::Secret { .. } => {
            let mode = if kind == Kind::Number {
                "numeric"
            } else {
                "text"
            };
            html! {
                <input type="text" id={id.clone()} {oninput} value={shown} {placeholder}
                       inputmode={mode} spellcheck="false" autocomplete="off"
                       disabled={props.locked} aria-invalid={invalid}
                       aria-describedby={described_by} />
            }
        }
    };
    let class = classes!("field", (!props.errors.is_empty()).then_some("has-error"));
    html! {
        <div {class}>
            <label for={id}>
                { label }
                if required { <span class="required" aria-hidden="true">{ " *" }</span> }
                if props.locked { <span class="locked">{ " (set by the portal)" }</span> }
            </label>
            { control }
            { described }
        </div>
    }
}
