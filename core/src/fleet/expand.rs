//! One `EdgeDevice` document per row: the template, with every template string rendered over
//! the row's variables.
//!
//! The template strings are found and compiled once per fleet; a row then costs a copy of the
//! template tree and one render per template string. Strings under `spec.extensions` are left
//! alone: they are extension templates, rendered when the device is validated, with the device's
//! `name`, `namespace` and `hostname` besides the row's variables.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostics;
use crate::model::{self, EdgeDeviceFleet};
use crate::schema::{DeviceShape, Scalar, Step};
use crate::template::{Compiled, Sandbox, is_template};

/// The label every object of a fleet's devices carries: the fleet's name.
pub(super) const FLEET_LABEL: &str = "edgevirt.dev/fleet";

/// A fleet's template, ready to make a device per row.
pub(super) struct Expander<'a> {
    base: &'a Value,
    slots: Vec<Slot<'a>>,
}

/// A template string of the template, and the field it fills.
struct Slot<'a> {
    steps: Vec<Step>,
    path: String,
    template: Compiled<'a, 'a>,
    scalar: Scalar,
}

impl<'a> Expander<'a> {
    /// Prepares `base` (see [`base_document`]); a template string that does not compile is
    /// reported in `d` under `spec.template`, and there is no expander.
    pub(super) fn new(base: &'a Value, sandbox: &'a Sandbox, d: &mut Diagnostics) -> Option<Self> {
        let mut found = Vec::new();
        template_strings(base, &mut Vec::new(), &mut found);
        let shape = (!found.is_empty()).then(DeviceShape::new);
        let count = found.len();
        let slots = found.into_iter().filter_map(|(steps, source)| {
            let path = field_path(&steps);
            match Compiled::new(sandbox, source) {
                Ok(template) => Some(Slot {
                    scalar: shape.as_ref().map_or(Scalar::Text, |s| s.scalar_at(&steps)),
                    steps,
                    path,
                    template,
                }),
                Err(message) => {
                    d.error(
                        &format!("spec.template.{path}"),
                        None,
                        &message,
                        TEMPLATE_HINT,
                    );
                    None
                }
            }
        });
        let slots: Vec<Slot<'a>> = slots.collect();
        (slots.len() == count).then_some(Expander { base, slots })
    }

    /// The device document of one row; problems are reported in `d` with device field paths.
    pub(super) fn device(&self, vars: &minijinja::Value, d: &mut Diagnostics) -> Option<Value> {
        let mut device = self.base.clone();
        for slot in &self.slots {
            let rendered = match slot.template.render(vars) {
                Ok(text) => text,
                Err(message) => {
                    d.error(&slot.path, None, &message, TEMPLATE_HINT);
                    continue;
                }
            };
            let Some(value) = read_as(slot.scalar, &rendered) else {
                d.error(
                    &slot.path,
                    Some(&rendered),
                    &format!("is not {}", scalar_name(slot.scalar)),
                    "the field's template must render one",
                );
                continue;
            };
            if let Some(target) = at_mut(&mut device, &slot.steps) {
                *target = value;
            }
        }
        (!d.has_errors()).then_some(device)
    }
}

const TEMPLATE_HINT: &str =
    "fleet templates see index (from 1), index0, count, fleet, row and each column by name";

/// The device document every row starts from: the template's metadata and spec with the
/// fleet's namespace, labels and annotations under the template's own.
pub(super) fn base_document(fleet: &EdgeDeviceFleet) -> Value {
    let mut metadata = fleet.spec.template.metadata.clone();
    if metadata.is_null() {
        metadata = Value::Object(Map::new());
    }
    if let Value::Object(meta) = &mut metadata {
        if let Some(ns) = &fleet.metadata.namespace {
            meta.entry("namespace").or_insert_with(|| ns.clone().into());
        }
        let mut labels = fleet.metadata.labels.clone();
        labels.insert(FLEET_LABEL.to_owned(), fleet.metadata.name.clone());
        merge_under(meta, "labels", &labels);
        merge_under(meta, "annotations", &fleet.metadata.annotations);
    }
    let mut spec = fleet.spec.template.spec.clone();
    if spec.is_null() {
        spec = Value::Object(Map::new());
    }
    let mut doc = Map::new();
    doc.insert("apiVersion".to_owned(), model::API_VERSION.into());
    doc.insert("kind".to_owned(), model::KIND.into());
    doc.insert("metadata".to_owned(), metadata);
    doc.insert("spec".to_owned(), spec);
    Value::Object(doc)
}

/// Puts `fleet` entries into the map `meta[key]` where the template has none; a `key` that is
/// not a map is left for the device's parser to report.
fn merge_under(meta: &mut Map<String, Value>, key: &str, fleet: &BTreeMap<String, String>) {
    if fleet.is_empty() {
        return;
    }
    let entry = meta.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(map) = entry {
        for (k, v) in fleet {
            map.entry(k.clone()).or_insert_with(|| v.clone().into());
        }
    }
}

/// Every template string of `value` outside `spec.extensions`, with its steps.
fn template_strings<'v>(
    value: &'v Value,
    steps: &mut Vec<Step>,
    out: &mut Vec<(Vec<Step>, &'v str)>,
) {
    match value {
        Value::String(s) if is_template(s) => out.push((steps.clone(), s)),
        Value::Object(map) => {
            for (key, child) in map {
                let extensions = steps.len() == 1
                    && steps[0] == Step::Key("spec".to_owned())
                    && key == "extensions";
                if extensions {
                    continue;
                }
                steps.push(Step::Key(key.clone()));
                template_strings(child, steps, out);
                steps.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                template_strings(child, steps, out);
                steps.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    steps.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// `metadata.labels.site`, `spec.network.interfaces[0].addresses[1]`.
fn field_path(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(k) if path.is_empty() => path.push_str(k),
            Step::Key(k) => {
                path.push('.');
                path.push_str(k);
            }
            Step::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

fn read_as(scalar: Scalar, text: &str) -> Option<Value> {
    let text_trimmed = text.trim();
    match scalar {
        Scalar::Text => Some(Value::String(text.to_owned())),
        Scalar::Integer => text_trimmed.parse::<i64>().ok().map(Value::from),
        Scalar::Number => text_trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Scalar::Boolean => match text_trimmed {
            "true" | "True" => Some(Value::Bool(true)),
            "false" | "False" => Some(Value::Bool(false)),
            _ => None,
        },
    }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Text => "text",
        Scalar::Integer => "an integer",
        Scalar::Number => "a number",
        Scalar::Boolean => "true or false",
    }
}
