//! The JSON Schema that `edgevirt schema` prints describes the documents edgevirt accepts: every
//! example validates against it, and a document with a misspelt or mistyped field does not.

use std::path::Path;

use serde_json::{Value, json};

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&edgevirt_core::json_schema()).expect("the schema compiles")
}

fn examples() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut found: Vec<(String, Value)> = std::fs::read_dir(dir)
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read example");
            (
                p.display().to_string(),
                serde_saphyr::from_str(&text).expect("example parses"),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn every_example_validates_against_the_schema() {
    let validator = validator();
    let all = examples();
    assert!(all.len() >= 8);
    for (path, doc) in all {
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}

#[test]
fn the_schema_rejects_what_the_parser_rejects() {
    let validator = validator();
    let (_, good) = examples().into_iter().next().expect("an example");
    let mut typo = good.clone();
    typo["spec"]["vm"] = json!({"cpu": {"cores": "two"}});
    assert!(
        !validator.is_valid(&typo),
        "a string where a number belongs"
    );
    let mut misspelt = good.clone();
    misspelt["spec"]["vm"] = json!({"memroy": "4Gi"});
    assert!(!validator.is_valid(&misspelt), "an unknown field");
    let mut wrong_type = good;
    wrong_type["spec"]["os"] = json!({"sshAuthorizedKeys": "ssh-ed25519 AAAA"});
    assert!(
        !validator.is_valid(&wrong_type),
        "a string where a list belongs"
    );
}

/// The fleet examples and the fleet fixture cases, as parsed documents.
fn fleets() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("examples/fleets"))
        .expect("examples/fleets/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    for case in ["fleet-count", "fleet-inventory", "fleet-csv-dps-group"] {
        paths.push(root.join("tests/cases").join(case).join("input.yaml"));
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read fleet");
            let doc = serde_saphyr::from_str(&text).expect("fleet parses");
            (p.display().to_string(), doc)
        })
        .collect()
}

#[test]
fn every_fleet_validates_against_the_fleet_schema() {
    let validator = jsonschema::validator_for(&edgevirt_core::fleet_json_schema())
        .expect("the fleet schema compiles");
    let all = fleets();
    assert!(all.len() >= 5);
    for (path, doc) in &all {
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    let (_, good) = &all[0];
    let mut typo = good.clone();
    typo["spec"]["template"]["spec"]["vm"] = json!({"memroy": "4Gi"});
    assert!(
        !validator.is_valid(&typo),
        "an unknown field in the template"
    );
    let mut count = good.clone();
    count["spec"]["count"] = json!("ten");
    assert!(!validator.is_valid(&count), "a count that is not a number");
    let mut templated = good.clone();
    templated["spec"]["template"]["spec"]["vm"] = json!({"cpu": {"cores": "{{ cores }}"}});
    assert!(
        validator.is_valid(&templated),
        "a template in a number field"
    );
}
