//! Typed Kubernetes and KubeVirt objects, only the fields edgevirt sets.
//!
//! Field order is the order a person reads a manifest in (`apiVersion`, `kind`, `metadata`,
//! `spec`); serde keeps it, so the YAML is stable byte for byte.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// `metadata` of a top-level object.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ObjectMeta {
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) namespace: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) annotations: BTreeMap<String, String>,
}

/// A `v1` Secret with string data.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Secret {
    pub(crate) api_version: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) metadata: ObjectMeta,
    #[serde(rename = "type")]
    pub(crate) type_: &'static str,
    pub(crate) string_data: BTreeMap<String, String>,
}

/// A top-level object with a `spec`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Object<S> {
    pub(crate) api_version: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) metadata: ObjectMeta,
    pub(crate) spec: S,
}

/// A `k8s.cni.cncf.io/v1` NetworkAttachmentDefinition.
pub(crate) type NetworkAttachmentDefinition = Object<NadSpec>;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct NadSpec {
    /// The CNI configuration, as JSON text.
    pub(crate) config: String,
}

/// A `v1` Service.
pub(crate) type Service = Object<ServiceSpec>;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServiceSpec {
    #[serde(rename = "type")]
    pub(crate) type_: String,
    pub(crate) selector: BTreeMap<String, String>,
    pub(crate) ports: Vec<ServicePort>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) load_balancer_source_ranges: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServicePort {
    pub(crate) name: &'static str,
    pub(crate) protocol: &'static str,
    pub(crate) port: u16,
    pub(crate) target_port: u16,
}

/// A `kubevirt.io/v1` VirtualMachine.
pub(crate) type VirtualMachine = Object<VmSpec>;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VmSpec {
    pub(crate) run_strategy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) instancetype: Option<Matcher>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) preference: Option<Matcher>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) data_volume_templates: Vec<DataVolumeTemplate>,
    pub(crate) template: VmiTemplate,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Matcher {
    pub(crate) name: String,
    pub(crate) kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataVolumeTemplate {
    pub(crate) metadata: ObjectMeta,
    pub(crate) spec: DataVolumeSpec,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataVolumeSpec {
    pub(crate) source: Value,
    pub(crate) storage: StorageSpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StorageSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) access_modes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) volume_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) storage_class_name: Option<String>,
    pub(crate) resources: Value,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct VmiTemplate {
    pub(crate) metadata: TemplateMeta,
    pub(crate) spec: VmiSpec,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct TemplateMeta {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VmiSpec {
    pub(crate) domain: Domain,
    pub(crate) hostname: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) node_selector: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) tolerations: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) affinity: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) eviction_strategy: Option<String>,
    pub(crate) termination_grace_period_seconds: u32,
    pub(crate) networks: Vec<Value>,
    pub(crate) volumes: Vec<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Domain {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cpu: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) memory: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) machine: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) firmware: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) features: Option<Value>,
    pub(crate) devices: Devices,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Devices {
    pub(crate) disks: Vec<Value>,
    pub(crate) interfaces: Vec<Value>,
    pub(crate) rng: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tpm: Option<Value>,
}
