//! The KRM function: a `config.kubernetes.io/v1` `ResourceList` in, a `ResourceList` out.
//!
//! Used by kpt (`kpt fn eval --exec`, `kpt fn render --allow-exec`) and standalone kustomize
//! (`--enable-exec`). As a generator, the function config is an `EdgeDevice` or
//! `EdgeDeviceFleet` and its manifests are added to the items. As a transformer, every
//! `EdgeDevice` and `EdgeDeviceFleet` item is replaced by its manifests and the other items are
//! kept. Problems go into `results[]` with their severity,
//! the resource they belong to and the field path.

use serde_json::{Map, Value, json};

use crate::{Diagnostic, Error, Limit, Limits, Severity, Validated};

/// The outcome of one function run.
#[derive(Debug, Clone)]
pub struct KrmOutput {
    /// The output `ResourceList` as YAML.
    pub resource_list: String,
    /// Whether any result is an error; the function then exits non-zero.
    pub failed: bool,
}

/// Runs the function on a `ResourceList` given as YAML or JSON.
///
/// Never fails: a bad input becomes an error result in the output list, as the KRM function
/// specification asks.
pub fn krm(input: &str) -> KrmOutput {
    krm_with(input, &Limits::DEFAULT)
}

/// [`krm`] within `limits`; a ResourceList may hold at most [`Limits::max_documents`] items.
pub fn krm_with(input: &str, limits: &Limits) -> KrmOutput {
    let mut results = Vec::new();
    let list = match crate::yaml::from_str(input, limits) {
        Ok(v) if v["kind"] == "ResourceList" => v,
        Ok(_) => {
            results.push(result("error", "input is not a ResourceList", None, None));
            return finish(Vec::new(), results);
        }
        Err(e) => {
            results.push(result("error", &e.to_string(), None, None));
            return finish(Vec::new(), results);
        }
    };
    let given = list["items"].as_array().cloned().unwrap_or_default();
    if given.len() > limits.max_documents {
        let message = format!(
            "the ResourceList has {} items, more than {}",
            given.len(),
            limits.max_documents
        );
        let error = Limit::Documents.error(&message);
        results.push(result("error", &error.to_string(), None, None));
        return finish(Vec::new(), results);
    }
    let mut items = Vec::new();
    for item in given {
        if expands(&item) {
            items.extend(expand(&item, limits, &mut results));
        } else {
            items.push(item);
        }
    }
    let config = &list["functionConfig"];
    if expands(config) {
        items.extend(expand(config, limits, &mut results));
    }
    finish(items, results)
}

fn expands(resource: &Value) -> bool {
    crate::stream::is_edge_device(resource) || crate::fleet::is_fleet(resource)
}

/// The manifests of one `EdgeDevice` or `EdgeDeviceFleet` resource; problems go to `results`.
fn expand(resource: &Value, limits: &Limits, results: &mut Vec<Value>) -> Vec<Value> {
    let mut device_value = resource.clone();
    strip_krm_annotations(&mut device_value);
    let reference = resource_ref(resource);
    if crate::fleet::is_fleet(resource) {
        let mut batch = crate::devices::Batch::new(limits);
        batch.add_fleet(device_value, None);
        return match batch.finish() {
            Ok(devices) => {
                let warnings = devices.warnings().iter();
                results.extend(warnings.map(|w| diagnostic_result(w, &reference)));
                devices.manifests().documents().to_vec()
            }
            Err(error) => {
                let diagnostics = error.diagnostics().iter();
                results.extend(diagnostics.map(|d| diagnostic_result(d, &reference)));
                Vec::new()
            }
        };
    }
    let outcome = crate::parse::device_from_value(device_value)
        .and_then(|device| crate::validate::validate_with(&device, None, limits));
    match outcome {
        Ok(Validated { spec, warnings }) => {
            results.extend(warnings.iter().map(|w| diagnostic_result(w, &reference)));
            crate::render(&spec).documents().to_vec()
        }
        Err(Error::Invalid { diagnostics }) => {
            results.extend(diagnostics.iter().map(|d| diagnostic_result(d, &reference)));
            Vec::new()
        }
        Err(other) => {
            results.push(result("error", &other.to_string(), Some(reference), None));
            Vec::new()
        }
    }
}

/// kpt and kustomize annotate items with where they came from; an `EdgeDevice` does not
/// declare these, so they are set aside before it is read.
fn strip_krm_annotations(resource: &mut Value) {
    let Some(annotations) = resource
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    annotations.retain(|k, _| {
        !k.starts_with("config.kubernetes.io/")
            && !k.starts_with("internal.config.kubernetes.io/")
            && !k.starts_with("config.k8s.io/")
            && !k.starts_with("kustomize.config.k8s.io/")
    });
    if annotations.is_empty()
        && let Some(meta) = resource.get_mut("metadata").and_then(Value::as_object_mut)
    {
        meta.remove("annotations");
    }
}

fn resource_ref(resource: &Value) -> Value {
    let mut r = Map::new();
    for key in ["apiVersion", "kind"] {
        r.insert(key.to_owned(), resource[key].clone());
    }
    r.insert("name".to_owned(), resource["metadata"]["name"].clone());
    if let Some(ns) = resource["metadata"]["namespace"].as_str() {
        r.insert("namespace".to_owned(), json!(ns));
    }
    Value::Object(r)
}

fn diagnostic_result(d: &Diagnostic, reference: &Value) -> Value {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = String::new();
    if let Some(v) = &d.value {
        message.push_str(&format!("{v:?} "));
    }
    message.push_str(&d.message);
    if let Some(h) = &d.hint {
        message.push_str(&format!(" ({h})"));
    }
    result(severity, &message, Some(reference.clone()), Some(&d.path))
}

fn result(severity: &str, message: &str, reference: Option<Value>, path: Option<&str>) -> Value {
    let mut r = Map::new();
    r.insert("message".to_owned(), json!(message));
    r.insert("severity".to_owned(), json!(severity));
    if let Some(reference) = reference {
        r.insert("resourceRef".to_owned(), reference);
    }
    if let Some(path) = path {
        r.insert("field".to_owned(), json!({"path": path}));
    }
    Value::Object(r)
}

fn finish(items: Vec<Value>, results: Vec<Value>) -> KrmOutput {
    let failed = results.iter().any(|r| r["severity"] == "error");
    let mut list = Map::new();
    list.insert("apiVersion".to_owned(), json!("config.kubernetes.io/v1"));
    list.insert("kind".to_owned(), json!("ResourceList"));
    list.insert("items".to_owned(), Value::Array(items));
    if !results.is_empty() {
        list.insert("results".to_owned(), Value::Array(results));
    }
    KrmOutput {
        resource_list: crate::yaml::to_string(&Value::Object(list)),
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = r#"{"apiVersion": "edgevirt.dev/v1alpha1", "kind": "EdgeDevice",
        "metadata": {"name": "dev", "annotations": {"config.kubernetes.io/index": "0"}},
        "spec": {"iotEdge": {"provisioning": {"manual": {"connectionString": {"value":
        "HostName=h.azure-devices.net;DeviceId=dev;SharedAccessKey=a2V5"}}}}}}"#;

    fn list(items: &str, config: &str) -> String {
        format!(
            r#"{{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
            "items": [{items}], "functionConfig": {config}}}"#
        )
    }

    fn output(input: &str) -> (Value, bool) {
        let out = krm(input);
        (
            serde_saphyr::from_str(&out.resource_list).expect("output parses"),
            out.failed,
        )
    }

    #[test]
    fn generator_adds_the_manifests() {
        let cm = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "keep"}}"#;
        let (out, failed) = output(&list(cm, DEVICE));
        assert!(!failed);
        let kinds: Vec<&str> = out["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["kind"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(kinds, ["ConfigMap", "Secret", "VirtualMachine"]);
    }

    #[test]
    fn transformer_expands_items_in_place() {
        let (out, failed) = output(&list(DEVICE, "{}"));
        assert!(!failed);
        assert_eq!(out["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(out["items"][1]["kind"], "VirtualMachine");
    }

    #[test]
    fn fleets_expand_and_their_problems_name_the_row() {
        let fleet = r#"{"apiVersion": "edgevirt.dev/v1alpha1", "kind": "EdgeDeviceFleet",
            "metadata": {"name": "f", "annotations": {"config.kubernetes.io/index": "0"}},
            "spec": {"inventory": [{"m": "2Gi"}, {"m": "3Gb"}], "template": {
            "metadata": {"name": "d-{{ index }}"}, "spec": {"vm": {"memory": "{{ m }}"},
            "iotEdge": {"provisioning": {"manual": {"connectionString": {"secretKeyRef":
            {"name": "hub", "key": "cs"}}}}}}}}}"#;
        let (out, failed) = output(&list(fleet, "{}"));
        assert!(failed);
        assert_eq!(out["results"][0]["resourceRef"]["kind"], "EdgeDeviceFleet");
        assert_eq!(
            out["results"][0]["field"]["path"],
            "spec.inventory[1]: spec.vm.memory"
        );
        let good = fleet.replace("3Gb", "4Gi");
        let (out, failed) = output(&list(&good, "{}"));
        assert!(!failed);
        let names: Vec<&str> = out["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["kind"] == "VirtualMachine")
            .filter_map(|i| i["metadata"]["name"].as_str())
            .collect();
        assert_eq!(names, ["d-1", "d-2"]);
    }

    #[test]
    fn problems_become_results_with_field_paths() {
        let bad = DEVICE.replace(r#""spec": {"#, r#""spec": {"vm": {"memory": "3Gb"}, "#);
        let (out, failed) = output(&list(&bad, "{}"));
        assert!(failed);
        assert_eq!(out["results"][0]["severity"], "error");
        assert_eq!(out["results"][0]["field"]["path"], "spec.vm.memory");
        assert_eq!(out["results"][0]["resourceRef"]["name"], "dev");
        assert_eq!(out["items"].as_array().map(Vec::len), Some(0));
    }
}
