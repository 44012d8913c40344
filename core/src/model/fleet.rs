//! The `EdgeDeviceFleet` document: one device template and the rows it is expanded over.
//!
//! The template is kept as the user wrote it (a JSON tree), not as an [`EdgeDevice`]: its strings
//! may be minijinja templates, also where the device has a number or a boolean, and it is only
//! read as a device once per row, after its templates ran. The JSON Schema still describes it
//! as an `EdgeDevice`'s `metadata` and `spec`.
//!
//! [`EdgeDevice`]: super::EdgeDevice

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{EdgeDeviceSpec, Metadata};

/// The `kind` of a fleet document.
pub const FLEET_KIND: &str = "EdgeDeviceFleet";

/// Many Azure IoT Edge devices from one template: a count, or an inventory with a row per device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "EdgeDeviceFleet")]
pub struct EdgeDeviceFleet {
    /// Always `edgevirt.dev/v1alpha1`.
    pub api_version: String,
    /// Always `EdgeDeviceFleet`.
    pub kind: String,
    /// The fleet's name (the `edgevirt.dev/fleet` label of every rendered object), the default
    /// namespace of its devices, and labels and annotations every device gets.
    pub metadata: FleetMetadata,
    /// The device template and the devices made from it.
    pub spec: FleetSpec,
}

/// Kubernetes-style metadata of the fleet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetMetadata {
    /// The fleet name: a DNS-1123 label. Templates see it as `fleet`.
    pub name: String,
    /// Namespace of every device whose template sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels added to every device; the template's win.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations added to every device; the template's win.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// The template and exactly one of `count`, `inventory` or `inventoryCsv`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetSpec {
    /// Make this many devices (at most 10000), with no inventory columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// One row per device: a map of column names to values (strings; numbers and booleans are
    /// taken as their text). Templates see each column as a variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<BTreeMap<String, InventoryValue>>>")]
    pub inventory: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
    /// One row per device as CSV text: a header row with the column names, then a row per
    /// device. Cells are trimmed; lines starting with `#` and empty lines are skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory_csv: Option<String>,
    /// What every device is: an `EdgeDevice`'s `metadata` and `spec`. Any string outside
    /// `spec.extensions` may be a minijinja template over `index` (from 1), `index0` (from 0),
    /// `count`, `fleet`, `row` (the row's columns as a map) and each column by name; a template
    /// in a number or boolean field renders to its text, which is then read as that type.
    #[serde(default)]
    pub template: DeviceTemplate,
}

/// An `EdgeDevice` without `apiVersion` and `kind`, whose strings may be templates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceTemplate {
    /// The device's metadata; `name` must differ per device, so it is usually a template.
    #[serde(default)]
    #[schemars(with = "Metadata")]
    pub metadata: serde_json::Value,
    /// The device's spec.
    #[serde(default)]
    #[schemars(with = "EdgeDeviceSpec")]
    pub spec: serde_json::Value,
}

/// A value of an inventory row: text, or a number or boolean taken as its text.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum InventoryValue {
    Text(String),
    Number(f64),
    Boolean(bool),
}
