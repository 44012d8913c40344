//! The JSON Schemas of `EdgeDevice` and `EdgeDeviceFleet`, generated from the model types, and
//! the scalar type of a field, which fleet templates are read as.
//!
//! The parser refuses keys it does not know, so the schemas do too: every object with declared
//! properties gets `additionalProperties: false`, and editors flag a misspelt field as the CLI
//! would.

use std::sync::OnceLock;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::Value;

use crate::EdgeDevice;
use crate::model::EdgeDeviceFleet;

/// The JSON Schema (draft 2020-12) of an `EdgeDevice` document.
pub fn json_schema() -> Value {
    root_schema::<EdgeDevice>()
}

/// The JSON Schema (draft 2020-12) of an `EdgeDeviceFleet` document. In its template a number or
/// a boolean may also be a string: a template that renders to one.
pub fn fleet_json_schema() -> Value {
    let mut schema = root_schema::<EdgeDeviceFleet>();
    let fleet_own = [
        "FleetMetadata",
        "FleetSpec",
        "DeviceTemplate",
        "InventoryValue",
    ];
    if let Some(Value::Object(defs)) = schema.get_mut("$defs") {
        for (name, def) in defs.iter_mut() {
            if !fleet_own.contains(&name.as_str()) {
                allow_strings(def);
            }
        }
    }
    schema
}

fn root_schema<T: JsonSchema>() -> Value {
    generator().into_root_schema_for::<T>().to_value()
}

fn generator() -> SchemaGenerator {
    let closed_objects = RecursiveTransform(|schema: &mut Schema| {
        if schema.get("properties").is_some() && schema.get("additionalProperties").is_none() {
            schema.insert("additionalProperties".to_owned(), false.into());
        }
    });
    SchemaSettings::draft2020_12()
        .with_transform(closed_objects)
        .into_generator()
}

/// Lets every number and boolean of `schema` also be a string.
fn allow_strings(schema: &mut Value) {
    let scalar = |t: &Value| matches!(t.as_str(), Some("integer" | "number" | "boolean"));
    match schema {
        Value::Object(map) => {
            match map.get_mut("type") {
                Some(t) if scalar(t) => *t = serde_json::json!([t.clone(), "string"]),
                Some(Value::Array(types))
                    if types.iter().any(scalar) && !types.iter().any(|t| t == "string") =>
                {
                    types.push("string".into());
                }
                _ => {}
            }
            map.values_mut().for_each(allow_strings);
        }
        Value::Array(items) => items.iter_mut().for_each(allow_strings),
        _ => {}
    }
}

/// What a rendered fleet template is read as, after the field it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    Text,
    Integer,
    Number,
    Boolean,
}

/// One step of a field path: a key of an object or an index of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// The `EdgeDevice` schema, asked for the type of fields.
pub(crate) struct DeviceShape {
    schema: &'static Value,
}

impl DeviceShape {
    /// Generating the schema costs more than expanding a small fleet, so it is made once.
    pub(crate) fn new() -> Self {
        static SCHEMA: OnceLock<Value> = OnceLock::new();
        DeviceShape {
            schema: SCHEMA.get_or_init(json_schema),
        }
    }

    /// The scalar type of the field at `path`; text where the schema allows a string, or does
    /// not know the field.
    pub(crate) fn scalar_at(&self, path: &[Step]) -> Scalar {
        self.find(self.schema, path).unwrap_or(Scalar::Text)
    }

    fn find(&self, node: &Value, path: &[Step]) -> Option<Scalar> {
        let node = self.resolve(node);
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(branches)) = node.get(key) {
                let mut found: Vec<Scalar> =
                    branches.iter().filter_map(|b| self.find(b, path)).collect();
                found.sort_by_key(|s| *s != Scalar::Text);
                return found.first().copied();
            }
        }
        match path.split_first() {
            None => scalar_of(node.get("type")?),
            Some((Step::Key(key), rest)) => {
                let next = node
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()))?;
                self.find(next, rest)
            }
            Some((Step::Index(_), rest)) => self.find(node.get("items")?, rest),
        }
    }

    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        let name = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"));
        match name.and_then(|n| self.schema.get("$defs")?.get(n)) {
            Some(def) => self.resolve(def),
            None => node,
        }
    }
}

/// The scalar a `type` keyword allows, text first.
fn scalar_of(types: &Value) -> Option<Scalar> {
    let names: Vec<&str> = match types {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    [
        ("string", Scalar::Text),
        ("integer", Scalar::Integer),
        ("number", Scalar::Number),
        ("boolean", Scalar::Boolean),
    ]
    .into_iter()
    .find(|(name, _)| names.contains(name))
    .map(|(_, scalar)| scalar)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<Step> {
        text.split('.')
            .map(|s| match s.parse() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(s.to_owned()),
            })
            .collect()
    }

    #[test]
    fn fields_have_the_scalar_type_of_the_model() {
        let shape = DeviceShape::new();
        let cases = [
            ("spec.vm.cpu.cores", Scalar::Integer),
            ("spec.vm.memory", Scalar::Text),
            ("spec.vm.tpm", Scalar::Boolean),
            ("spec.network.interfaces.0.bridge.vlan", Scalar::Integer),
            ("spec.network.interfaces.0.addresses.0", Scalar::Text),
            ("spec.services.ssh.type", Scalar::Text),
            ("metadata.labels.site", Scalar::Text),
            ("spec.vm.notAField", Scalar::Text),
        ];
        for (p, expected) in cases {
            assert_eq!(shape.scalar_at(&path(p)), expected, "{p}");
        }
    }

    #[test]
    fn the_fleet_schema_lets_template_numbers_be_strings() {
        let schema = fleet_json_schema();
        let cpu = &schema["$defs"]["Cpu"]["properties"]["cores"]["type"];
        assert!(
            cpu.as_array().is_some_and(|t| t.contains(&"string".into())),
            "{cpu}"
        );
        let count = &schema["$defs"]["FleetSpec"]["properties"]["count"]["type"];
        assert!(!count.to_string().contains("string"), "{count}");
    }
}
