//! The blocks a step is made of, rendered from the catalogue in [`crate::fields`].

use std::rc::Rc;

use edgevirt_core::Diagnostic;
use serde_json::{Map, Value, json};
use yew::prelude::*;

use super::field::FieldView;
use super::secret::SecretView;
use super::{describe, dom_id, event_checked, event_value};
use crate::fields::{Block, DISK_SOURCES, EDGE_CAS, Field, Kind, provisioning_fields, text};
use crate::state::{self, Action, Mode, PROVISIONING};

/// What every control needs: the document, the problems, the locked paths and where changes go.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) doc: Rc<Value>,
    pub(crate) errors: Rc<Vec<Diagnostic>>,
    pub(crate) locked: Rc<Vec<String>>,
    pub(crate) dispatch: Callback<Action>,
}

impl Ctx {
    fn value(&self, path: &str) -> Option<Value> {
        state::get(&self.doc, path).cloned()
    }

    fn is_locked(&self, path: &str) -> bool {
        self.locked.iter().any(|l| state::is_within(path, l))
    }

    fn errors_at(&self, path: &str, exact: bool) -> Vec<Diagnostic> {
        state::diagnostics_at(&self.errors, path, exact)
            .cloned()
            .collect()
    }

    /// The control for `field` at the absolute `path`.
    pub(crate) fn control(&self, field: &Field, path: &str) -> Html {
        match field.kind {
            Kind::Secret { multiline, file } => html! {
                <SecretView label={field.label} path={path.to_owned()} {multiline}
                            allow_file={file} value={self.value(path)}
                            errors={self.errors_at(path, false)} locked={self.is_locked(path)}
                            dispatch={self.dispatch.clone()} />
            },
            _ => html! {
                <FieldView field={*field} path={path.to_owned()} value={self.value(path)}
                           errors={self.errors_at(path, false)} locked={self.is_locked(path)}
                           dispatch={self.dispatch.clone()} />
            },
        }
    }

    /// A `<select>` that chooses which one of several keys an object holds (provisioning mode,
    /// disk source, edge CA); `options` are `(value, label)`, the empty value clears `path`.
    fn chooser(
        &self,
        path: &str,
        label: &str,
        current: &str,
        options: Vec<(String, String)>,
        on_pick: Callback<String>,
    ) -> Html {
        let id = dom_id(path);
        let errors = self.errors_at(path, true);
        let (described, described_by) = describe(&id, crate::fields::help(path), None, &errors);
        let onchange = Callback::from(move |e: Event| on_pick.emit(event_value(&e)));
        let invalid = if errors.is_empty() { "false" } else { "true" };
        html! {
            <div class="field chooser">
                <label for={id.clone()}>{ label.to_owned() }</label>
                <select {id} {onchange} disabled={self.is_locked(path)}
                        aria-invalid={invalid} aria-describedby={described_by}>
                    { for options.into_iter().map(|(value, text)| html! {
                        <option value={value.clone()} selected={value == current}>{ text }</option>
                    }) }
                </select>
                { described }
            </div>
        }
    }

    pub(crate) fn block(&self, block: &Block) -> Html {
        match *block {
            Block::Field(ref field) => self.control(field, field.path),
            Block::Provisioning => self.provisioning(),
            Block::DiskSource => self.disk_source(),
            Block::EdgeCa => self.edge_ca(),
            Block::Toggle {
                path,
                label,
                fields,
            } => self.toggle(path, label, fields),
            Block::List {
                path,
                label,
                item,
                fields,
            } => self.list(path, label, item, fields),
            Block::Advanced { title, blocks } => html! {
                <details class="advanced">
                    <summary>{ title }</summary>
                    { for blocks.iter().map(|b| self.block(b)) }
                </details>
            },
        }
    }

    fn provisioning(&self) -> Html {
        let mode = Mode::detect(state::get(&self.doc, PROVISIONING));
        let dispatch = self.dispatch.clone();
        let on_pick = Callback::from(move |id: String| {
            if let Some(mode) = Mode::from_id(&id) {
                dispatch.emit(Action::SetMode(mode));
            }
        });
        let mut options: Vec<(String, String)> = Vec::new();
        if mode.is_none() {
            options.push((
                String::new(),
                "Choose how the device gets its identity".to_owned(),
            ));
        }
        options.extend(
            Mode::ALL
                .iter()
                .map(|m| (m.id().to_owned(), m.label().to_owned())),
        );
        html! {
            <section class="group" aria-label="Provisioning">
                { self.chooser(PROVISIONING, "How the device gets its identity",
                               mode.map_or("", Mode::id), options, on_pick) }
                if let Some(mode) = mode {
                    { for provisioning_fields(mode).iter().map(|f| self.control(f, f.path)) }
                }
            </section>
        }
    }

    fn disk_source(&self) -> Html {
        const PATH: &str = "spec.disk.source";
        let current = self
            .value(PATH)
            .and_then(|v| v.as_object().and_then(|m| m.keys().next().cloned()))
            .unwrap_or_default();
        let dispatch = self.dispatch.clone();
        let on_pick = Callback::from(move |kind: String| {
            match DISK_SOURCES.iter().find(|(k, _, _)| *k == kind) {
                Some((kind, _, key)) => {
                    let mut inner = Map::new();
                    inner.insert((*key).to_owned(), json!(""));
                    let mut outer = Map::new();
                    outer.insert((*kind).to_owned(), Value::Object(inner));
                    dispatch.emit(Action::Set(PATH.to_owned(), Value::Object(outer)));
                }
                None => dispatch.emit(Action::Clear(PATH.to_owned())),
            }
        });
        let mut options = vec![(
            String::new(),
            "Default: import Ubuntu from quay.io/containerdisks (persistent)".to_owned(),
        )];
        options.extend(
            DISK_SOURCES
                .iter()
                .map(|(k, l, _)| ((*k).to_owned(), (*l).to_owned())),
        );
        let chosen = DISK_SOURCES.iter().find(|(k, _, _)| *k == current);
        html! {
            <>
                { self.chooser(PATH, "Root disk source", &current, options, on_pick) }
                if let Some((kind, _, key)) = chosen {
                    { self.control(&Field { required: true, ..text("", source_label(key)) },
                                   &format!("{PATH}.{kind}.{key}")) }
                }
            </>
        }
    }

    fn edge_ca(&self) -> Html {
        const PATH: &str = "spec.iotEdge.edgeCa";
        let current = self
            .value(PATH)
            .and_then(|v| v.as_object().and_then(|m| m.keys().next().cloned()))
            .unwrap_or_default();
        let dispatch = self.dispatch.clone();
        let on_pick = Callback::from(move |kind: String| {
            let value = match kind.as_str() {
                "quickstart" => json!({"quickstart": {}}),
                "provided" => json!({"provided": {"cert": {"value": ""}, "pk": {"value": ""}}}),
                "est" => json!({"est": {"url": ""}}),
                _ => {
                    dispatch.emit(Action::Clear(PATH.to_owned()));
                    return;
                }
            };
            dispatch.emit(Action::Set(PATH.to_owned(), value));
        });
        let mut options = vec![(
            String::new(),
            "Default: quickstart (self-signed on the device)".to_owned(),
        )];
        options.extend(
            EDGE_CAS
                .iter()
                .map(|(k, l, _)| ((*k).to_owned(), (*l).to_owned())),
        );
        let chosen = EDGE_CAS.iter().find(|(k, _, _)| *k == current);
        html! {
            <section class="group" aria-label="Edge CA">
                { self.chooser(PATH, "Edge CA", &current, options, on_pick) }
                if let Some((kind, _, fields)) = chosen {
                    { for fields.iter().map(|f| self.control(f, &format!("{PATH}.{kind}.{}", f.path))) }
                }
            </section>
        }
    }

    fn toggle(&self, path: &str, label: &str, fields: &[Field]) -> Html {
        let on = self.value(path).is_some();
        let id = format!("{}-on", dom_id(path));
        let dispatch = self.dispatch.clone();
        let owned = path.to_owned();
        let onchange = Callback::from(move |e: Event| {
            if event_checked(&e) {
                dispatch.emit(Action::Set(format!("{owned}.enabled"), Value::Bool(true)));
            } else {
                dispatch.emit(Action::Clear(owned.clone()));
            }
        });
        let help_id = format!("{id}-help");
        html! {
            <section class="group toggle">
                <div class="check">
                    <input type="checkbox" id={id.clone()} checked={on} {onchange}
                           disabled={self.is_locked(path)} aria-describedby={help_id.clone()} />
                    <label for={id}>{ label.to_owned() }</label>
                </div>
                <p class="help" id={help_id}>
                    { crate::fields::help(path).as_deref().map(super::doc_html).unwrap_or_default() }
                </p>
                if on {
                    { for fields.iter().map(|f| self.control(f, &format!("{path}.{}", f.path))) }
                }
            </section>
        }
    }

    fn list(&self, path: &str, label: &str, item: &str, fields: &[Field]) -> Html {
        let items = self
            .value(path)
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0);
        let add = {
            let dispatch = self.dispatch.clone();
            let mut fresh = Map::new();
            for f in fields.iter().filter(|f| f.required) {
                fresh.insert(f.path.to_owned(), json!(""));
            }
            let at = format!("{path}[{items}]");
            Callback::from(move |_: MouseEvent| {
                dispatch.emit(Action::Set(at.clone(), Value::Object(fresh.clone())));
            })
        };
        let locked = self.is_locked(path);
        html! {
            <section class="group list" aria-label={label.to_owned()}>
                <h3>{ label.to_owned() }</h3>
                <p class="help">
                    { crate::fields::help(path).as_deref().map(super::doc_html).unwrap_or_default() }
                </p>
                { for (0..items).map(|i| {
                    let item_path = format!("{path}[{i}]");
                    let remove = {
                        let dispatch = self.dispatch.clone();
                        let item_path = item_path.clone();
                        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Clear(item_path.clone())))
                    };
                    html! {
                        <fieldset class="item">
                            <legend>{ format!("{item} {}", i + 1) }</legend>
                            { for fields.iter().map(|f| self.control(f, &format!("{item_path}.{}", f.path))) }
                            <button type="button" class="remove" onclick={remove} disabled={locked}>
                                { format!("Remove {item} {}", i + 1) }
                            </button>
                        </fieldset>
                    }
                }) }
                <button type="button" class="add" onclick={add} disabled={locked}>
                    { format!("Add a {item}") }
                </button>
            </section>
        }
    }
}

fn source_label(key: &str) -> &'static str {
    match key {
        "claimName" => "Claim name",
        "image" => "Container image",
        _ => "Image URL",
    }
}
