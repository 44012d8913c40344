//! The chart `charts/edgevirt`: its `values.schema.json` is generated from the core's types and
//! kept in sync here (`EDGEVIRT_BLESS=1` rewrites it), every example device is a valid value, and
//! `helm lint` of Helm 4 and Helm 3 finds nothing.

mod support;

use std::process::Command;

use serde_json::{Map, Value, json};
use support::{chart, example_values, host, run, write_example_values};

/// The values schema: `device` and each item of `devices` is an `EdgeDevice` without
/// `apiVersion` and `kind`, which the chart's template adds.
fn values_schema() -> Value {
    let mut root = edgevirt_core::json_schema();
    let root = root.as_object_mut().expect("the schema is an object");
    let mut defs = match root.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    let mut device = Map::new();
    for (key, value) in std::mem::take(root) {
        match key.as_str() {
            "$schema" | "title" => {}
            "properties" => {
                let mut properties = value;
                let fields = properties.as_object_mut().expect("properties is an object");
                fields.remove("apiVersion");
                fields.remove("kind");
                device.insert(key, properties);
            }
            "required" => {
                let required: Vec<Value> = value
                    .as_array()
                    .expect("required is a list")
                    .iter()
                    .filter(|name| *name != "apiVersion" && *name != "kind")
                    .cloned()
                    .collect();
                device.insert(key, Value::Array(required));
            }
            _ => {
                device.insert(key, value);
            }
        }
    }
    defs.insert("Device".to_owned(), Value::Object(device));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "edgevirt chart values",
        "description": "Generated from edgevirt-core's EdgeDevice schema by tests/tests/chart.rs \
                        (EDGEVIRT_BLESS=1 cargo test -p edgevirt-tests --test chart).",
        "type": "object",
        "properties": {
            "device": {
                "description": "One device: an EdgeDevice without apiVersion and kind.",
                "$ref": "#/$defs/Device"
            },
            "devices": {
                "description": "Devices: EdgeDevices without apiVersion and kind.",
                "type": "array",
                "items": {"$ref": "#/$defs/Device"}
            },
            "global": {
                "description": "Helm's values shared with subcharts; unused.",
                "type": "object"
            }
        },
        "additionalProperties": false,
        "$defs": defs
    })
}

#[test]
fn values_schema_is_generated_from_the_core_types() {
    let path = chart().join("values.schema.json");
    let expected = serde_json::to_string_pretty(&values_schema()).expect("serialize") + "\n";
    if std::env::var_os("EDGEVIRT_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write values.schema.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is out of date with edgevirt-core: regenerate it with \
         `EDGEVIRT_BLESS=1 cargo test -p edgevirt-tests --test chart` and review the diff",
        path.display()
    );
}

#[test]
fn every_example_is_a_valid_value_and_a_typo_is_not() {
    let validator = jsonschema::validator_for(&values_schema()).expect("the schema compiles");
    let values = example_values();
    let errors: Vec<String> = validator
        .iter_errors(&values)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    let one = json!({ "device": values["devices"][0] });
    assert!(validator.is_valid(&one), "a single device");
    let mut typo = one.clone();
    typo["device"]["spec"]["vm"] = json!({"memroy": "4Gi"});
    assert!(!validator.is_valid(&typo), "a misspelt field");
    let mut with_kind = one;
    with_kind["device"]["kind"] = json!("EdgeDevice");
    assert!(
        !validator.is_valid(&with_kind),
        "kind is the chart's to add"
    );
    assert!(
        !validator.is_valid(&json!({"devcies": []})),
        "a misspelt top-level key"
    );
}

fn lint(helm_var: &str) {
    let helm = host(helm_var);
    let values = write_example_values(&format!("lint-{helm_var}"));
    for extra in [vec![], vec!["-f".to_owned(), values.display().to_string()]] {
        let mut command = Command::new(&helm);
        command
            .arg("lint")
            .arg("--strict")
            .arg(chart())
            .args(&extra);
        let out = run(&mut command, "");
        assert!(
            out.contains("1 chart(s) linted, 0 chart(s) failed") && !out.contains("[WARNING]"),
            "{helm_var} lint {extra:?}:\n{out}"
        );
    }

    // The schema is what stops a typo before edgevirt ever sees the device.
    let typo = values.with_file_name("typo.yaml");
    let text = "device: {metadata: {name: a}, spec: {vm: {memroy: 4Gi}}}\n";
    std::fs::write(&typo, text).expect("write values");
    let mut command = Command::new(&helm);
    command.arg("lint").arg(chart()).arg("-f").arg(&typo);
    let (ok, out, err) = support::run_status(&mut command, "");
    assert!(
        !ok && out.contains("memroy"),
        "{helm_var} lint of a typo:\n{out}{err}"
    );
}

#[test]
fn helm4_lint_is_clean() {
    lint("HELM");
}

#[test]
fn helm3_lint_is_clean() {
    lint("HELM3");
}
