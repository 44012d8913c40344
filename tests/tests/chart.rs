//! The chart `charts/edgevirt`: its `values.schema.json` is generated from the core's types and
//! kept in sync here (`EDGEVIRT_BLESS=1` rewrites it), every example device is a valid value, and
//! `helm lint` of Helm 4 and Helm 3 finds nothing.

mod support;

use std::process::Command;

use serde_json::{Map, Value, json};
use support::{chart, example_values, host, run, write_example_values};

/// A document schema without `apiVersion` and `kind`, which the chart's templates add, as one
/// definition plus the definitions it refers to. With a `prefix`, every definition is renamed
/// `<prefix><Name>` (and every reference with it), so two schemas whose definitions share names
/// (the fleet's template allows strings where the device has numbers) can sit side by side.
fn without_kind(mut schema: Value, prefix: &str) -> (Map<String, Value>, Map<String, Value>) {
    if !prefix.is_empty() {
        rename_refs(&mut schema, prefix);
    }
    let root = schema.as_object_mut().expect("the schema is an object");
    let defs = match root.remove("$defs") {
        Some(Value::Object(defs)) => defs
            .into_iter()
            .map(|(name, def)| (format!("{prefix}{name}"), def))
            .collect(),
        _ => Map::new(),
    };
    let mut document = Map::new();
    for (key, mut value) in std::mem::take(root) {
        match key.as_str() {
            "$schema" | "title" => continue,
            "properties" => {
                let fields = value.as_object_mut().expect("properties is an object");
                fields.remove("apiVersion");
                fields.remove("kind");
            }
            "required" => {
                let list = value.as_array_mut().expect("required is a list");
                list.retain(|name| name != "apiVersion" && name != "kind");
            }
            _ => {}
        }
        document.insert(key, value);
    }
    (document, defs)
}

fn rename_refs(value: &mut Value, prefix: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/$defs/") {
                            *r = format!("#/$defs/{prefix}{name}");
                        }
                    }
                    (_, v) => rename_refs(v, prefix),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, prefix)),
        _ => {}
    }
}

/// The values schema: `device` and each item of `devices` is an `EdgeDevice`, each item of
/// `fleets` an `EdgeDeviceFleet`, all without `apiVersion` and `kind`.
fn values_schema() -> Value {
    let (device, mut defs) = without_kind(edgevirt_core::json_schema(), "");
    let (fleet, fleet_defs) = without_kind(edgevirt_core::fleet_json_schema(), "Fleet.");
    defs.extend(fleet_defs);
    defs.insert("Device".to_owned(), Value::Object(device));
    defs.insert("Fleet".to_owned(), Value::Object(fleet));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "edgevirt chart values",
        "description": "Generated from edgevirt-core's EdgeDevice and EdgeDeviceFleet schemas by \
                        tests/tests/chart.rs (EDGEVIRT_BLESS=1 cargo test -p edgevirt-tests --test chart).",
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
            "fleets": {
                "description": "Fleets: EdgeDeviceFleets without apiVersion and kind.",
                "type": "array",
                "items": {"$ref": "#/$defs/Fleet"}
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

    let fleet = json!({"fleets": [{
        "metadata": {"name": "plant-a"},
        "spec": {"count": 3, "template": {
            "metadata": {"name": "plant-a-edge-{{ index }}"},
            "spec": {"vm": {"cpu": {"cores": "{{ 2 * index }}"}}}
        }}
    }]});
    assert!(
        validator.is_valid(&fleet),
        "a fleet, with a template in a number field"
    );
    let mut fleet_typo = fleet.clone();
    fleet_typo["fleets"][0]["spec"]["cuont"] = json!(3);
    assert!(!validator.is_valid(&fleet_typo), "a misspelt fleet field");
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
