//! JSON-schema validation of documents against the strict schemas in `tests/schemas/`.
//!
//! Schemas are read at run time from the crate's `schemas/` folder (see `schemas/SOURCES.md` for
//! where each comes from) and compiled once per process. Kubernetes and CRD schemas are read with
//! draft 7 semantics, whatever they declare; cloud-init's schema with draft 4, as it declares.
//! This module knows which schema fits which kind; the rules schemas cannot express live in the
//! admission modules.

use std::path::PathBuf;
use std::sync::OnceLock;

use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, Validator};
use serde_json::Value;

use crate::problem::{Origin, Problem, Stage, field, shorten};

/// The KubeVirt release whose `VirtualMachine` schema documents are checked against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KubeVirtVersion {
    /// KubeVirt 1.6.2, schema from the CRDs catalog.
    V1_6_2,
    /// KubeVirt 1.9.0, schema generated from the release's own CRD validation.
    #[default]
    V1_9_0,
}

/// One schema file of `tests/schemas/`, or a part of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Schema {
    Secret,
    Service,
    ConfigMap,
    VirtualMachine1_9_0,
    VirtualMachine1_6_2,
    DataVolume,
    NetworkAttachmentDefinition,
    /// The strict `ObjectMeta`, taken from the Secret schema, for CRD kinds whose schema leaves
    /// `metadata` open.
    ObjectMeta,
    /// cloud-init 26.2 `#cloud-config`.
    CloudConfig,
    /// IoT Edge `/etc/aziot/config.toml` (hand-derived).
    AziotConfig,
}

const SCHEMA_COUNT: usize = 10;

/// Compiled validators, one slot per [`Schema`], filled on first use.
static VALIDATORS: [OnceLock<Result<Validator, String>>; SCHEMA_COUNT] =
    [const { OnceLock::new() }; SCHEMA_COUNT];

impl Schema {
    /// The schema for a manifest of this apiVersion and kind, if the checker knows the kind.
    pub(crate) fn for_kind(
        api_version: &str,
        kind: &str,
        kubevirt: KubeVirtVersion,
    ) -> Option<Self> {
        Some(match (api_version, kind) {
            ("v1", "Secret") => Schema::Secret,
            ("v1", "Service") => Schema::Service,
            ("v1", "ConfigMap") => Schema::ConfigMap,
            ("kubevirt.io/v1", "VirtualMachine") => match kubevirt {
                KubeVirtVersion::V1_9_0 => Schema::VirtualMachine1_9_0,
                KubeVirtVersion::V1_6_2 => Schema::VirtualMachine1_6_2,
            },
            ("cdi.kubevirt.io/v1beta1", "DataVolume") => Schema::DataVolume,
            ("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition") => {
                Schema::NetworkAttachmentDefinition
            }
            _ => return None,
        })
    }

    /// The file, relative to `tests/schemas/`.
    fn file(self) -> &'static str {
        match self {
            Schema::Secret | Schema::ObjectMeta => "k8s-v1.30.0-standalone-strict/secret-v1.json",
            Schema::Service => "k8s-v1.30.0-standalone-strict/service-v1.json",
            Schema::ConfigMap => "k8s-v1.30.0-standalone-strict/configmap-v1.json",
            Schema::VirtualMachine1_9_0 => "kubevirt-v1.9.0/virtualmachine_v1.json",
            Schema::VirtualMachine1_6_2 => "crds-catalog/kubevirt.io/virtualmachine_v1.json",
            Schema::DataVolume => "crds-catalog/cdi.kubevirt.io/datavolume_v1beta1.json",
            Schema::NetworkAttachmentDefinition => {
                "crds-catalog/k8s.cni.cncf.io/networkattachmentdefinition_v1.json"
            }
            Schema::CloudConfig => "cloud-init-schema-cloud-config-v1.26.2.json",
            Schema::AziotConfig => "aziot-edge-config.schema.json",
        }
    }

    fn draft(self) -> Draft {
        match self {
            Schema::CloudConfig => Draft::Draft4,
            _ => Draft::Draft7,
        }
    }

    /// Whether documents of this kind need their `metadata` checked separately, because the
    /// schema (a CRD's) only says `metadata: {type: object}`.
    fn leaves_metadata_open(self) -> bool {
        matches!(
            self,
            Schema::VirtualMachine1_9_0
                | Schema::VirtualMachine1_6_2
                | Schema::DataVolume
                | Schema::NetworkAttachmentDefinition
        )
    }

    /// The compiled validator, built on first use.
    fn validator(self) -> Result<&'static Validator, &'static str> {
        VALIDATORS[self as usize]
            .get_or_init(|| compile(self))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Every place where `instance` breaks this schema, as `(path, message)` pairs with paths
    /// relative to `instance`.
    ///
    /// # Errors
    ///
    /// The reason the schema itself could not be loaded.
    fn violations(self, instance: &Value) -> Result<Vec<(String, String)>, String> {
        let validator = self.validator().map_err(str::to_owned)?;
        let mut found: Vec<(String, String)> = validator
            .iter_errors(instance)
            .map(|error| {
                let path = json_path(error.instance_path().segments());
                (path, shorten(&lowercase_first(&error.to_string()), 240))
            })
            .collect();
        found.sort();
        found.dedup();
        Ok(found)
    }

    /// Validates `instance`, found at `prefix`, and reports each violation as a problem.
    ///
    /// `prefix` is a path, or a chain ending in ` -> ` for a text embedded in a field; a
    /// violation of the embedded text as a whole is then reported at that field.
    pub(crate) fn check(
        self,
        instance: &Value,
        origin: &Origin,
        stage: Stage,
        prefix: &str,
    ) -> Vec<Problem> {
        let whole = prefix.trim_end_matches(" -> ");
        match self.violations(instance) {
            Ok(found) => found
                .into_iter()
                .map(|(inner, message)| {
                    let path = if inner.is_empty() {
                        whole.to_owned()
                    } else {
                        format!("{prefix}{inner}")
                    };
                    origin.problem(stage, &path, message)
                })
                .collect(),
            Err(reason) => vec![origin.problem(stage, whole, reason)],
        }
    }
}

/// The folder holding the schema files, found from the crate's own location.
fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn compile(schema: Schema) -> Result<Validator, String> {
    let path = schema_dir().join(schema.file());
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read schema {}: {e}", path.display()))?;
    let mut json: Value = serde_json::from_str(&text)
        .map_err(|e| format!("schema {} is not JSON: {e}", path.display()))?;
    if schema == Schema::ObjectMeta {
        json = json
            .pointer("/properties/metadata")
            .cloned()
            .ok_or_else(|| format!("schema {} has no metadata property", path.display()))?;
    }
    jsonschema::options()
        .with_draft(schema.draft())
        .build(&json)
        .map_err(|e| format!("schema {} does not compile: {e}", path.display()))
}

/// Turns a JSON-pointer location into the `.a.b[0]` form used in problems.
fn json_path<'a>(segments: impl Iterator<Item = LocationSegment<'a>>) -> String {
    segments.fold(String::new(), |path, segment| match segment {
        LocationSegment::Property(key) => field(&path, &key),
        LocationSegment::Index(index) => format!("{path}[{index}]"),
    })
}

/// House style: messages start lowercase, unless they start with a quoted value or an acronym.
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(message[first.len_utf8()..].chars())
            .collect(),
        _ => message.to_owned(),
    }
}

/// Checks a manifest against the schema of its kind, and a CRD's metadata against `ObjectMeta`.
pub(crate) fn check_document(
    doc: &Value,
    origin: &Origin,
    kubevirt: KubeVirtVersion,
) -> Vec<Problem> {
    let api_version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    let Some(schema) = Schema::for_kind(api_version, kind, kubevirt) else {
        let message = format!(
            "no schema for apiVersion {api_version:?} kind {kind:?} (the checker knows Secret, \
             Service, ConfigMap, VirtualMachine, DataVolume, NetworkAttachmentDefinition)"
        );
        return vec![origin.problem(Stage::Schema, "", message)];
    };

    let mut problems = schema.check(doc, origin, Stage::Schema, "");
    // A missing metadata is already reported by the kind's own schema or the name rule.
    if let Some(metadata) = doc
        .get("metadata")
        .filter(|_| schema.leaves_metadata_open())
    {
        problems.extend(Schema::ObjectMeta.check(metadata, origin, Stage::Schema, ".metadata"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles() {
        let all = [
            Schema::Secret,
            Schema::Service,
            Schema::ConfigMap,
            Schema::VirtualMachine1_9_0,
            Schema::VirtualMachine1_6_2,
            Schema::DataVolume,
            Schema::NetworkAttachmentDefinition,
            Schema::ObjectMeta,
            Schema::CloudConfig,
            Schema::AziotConfig,
        ];
        assert_eq!(all.len(), SCHEMA_COUNT);
        for schema in all {
            if let Err(reason) = schema.validator() {
                panic!("{schema:?}: {reason}");
            }
        }
    }

    #[test]
    fn strict_object_meta_rejects_unknown_fields() {
        let found = Schema::ObjectMeta
            .violations(&serde_json::json!({"name": "a", "lables": {}}))
            .expect("schema loads");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("lables"), "{found:?}");
    }

    #[test]
    fn first_letter_is_lowercased_only_for_words() {
        assert_eq!(
            lowercase_first("Additional properties"),
            "additional properties"
        );
        assert_eq!(lowercase_first("\"x\" is not"), "\"x\" is not");
        assert_eq!(lowercase_first("CNI config"), "CNI config");
    }
}
