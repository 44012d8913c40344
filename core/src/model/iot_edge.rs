//! The IoT Edge group: version, provisioning, certificates, edgeAgent and Docker settings.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// IoT Edge runtime settings: what ends up in `/etc/aziot/config.toml` and around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IotEdge {
    /// IoT Edge LTS line: `1.6` (default, serviced to 2028-11-14) or `1.5` (serviced to
    /// 2026-11-10). Package versions are pinned per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The device's hostname (`hostname` in config.toml and the guest); default the device name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Hostname of the parent device in a nested (layered) deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_hostname: Option<String>,
    /// How the device gets its identity in IoT Hub: exactly one of `manual` or `dps`.
    #[serde(default)]
    pub provisioning: Provisioning,
    /// The edge CA that signs module server certificates; default quickstart (self-signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_ca: Option<EdgeCa>,
    /// PEM bundle of root CAs the device trusts (`trust_bundle_cert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_bundle: Option<SecretSource>,
    /// edgeAgent image, registry credentials, environment and create options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Agent>,
    /// Docker (Moby) daemon settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker: Option<Docker>,
    /// Automatic removal of unused module images (`[image_garbage_collection]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_garbage_collection: Option<ImageGarbageCollection>,
    /// When the device reprovisions: `Dynamic` (default), `AlwaysOnStartup` or `OnErrorOnly`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_reprovisioning_mode: Option<String>,
    /// Let modules start from cached identities while IoT Hub is unreachable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefer_module_identity_cache: Option<bool>,
    /// Hostname downstream devices use for this gateway (`local_gateway_hostname`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_gateway_hostname: Option<String>,
    /// Request limits of the IoT Edge and identity service daemons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<MaxRequests>,
}

/// Exactly one provisioning method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Provisioning {
    /// Manual provisioning with an identity made in IoT Hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<Manual>,
    /// Provisioning through the Device Provisioning Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dps: Option<Dps>,
}

/// Manual provisioning: a connection string, or IoT Hub host and device ID with a symmetric key
/// or an X.509 identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Manual {
    /// The device connection string from IoT Hub
    /// (`HostName=...;DeviceId=...;SharedAccessKey=...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_string: Option<SecretSource>,
    /// IoT Hub host name, e.g. `plant-a.azure-devices.net` (without a connection string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iothub_hostname: Option<String>,
    /// Device ID in IoT Hub (without a connection string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// The device's primary key, base64 (SAS authentication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symmetric_key: Option<SecretSource>,
    /// X.509 authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509: Option<X509Identity>,
}

/// Device Provisioning Service settings: `idScope` and exactly one attestation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dps {
    /// The DPS ID scope, e.g. `0ne00000000`.
    pub id_scope: String,
    /// DPS endpoint; default `https://global.azure-devices-provisioning.net`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_endpoint: Option<String>,
    /// Symmetric key attestation, individual or group enrollment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symmetric_key: Option<DpsSymmetricKey>,
    /// X.509 attestation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509: Option<DpsX509>,
    /// TPM attestation with the VM's virtual TPM (turns on `vm.tpm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpm: Option<DpsTpm>,
}

/// DPS symmetric key attestation: `deviceKey` (individual enrollment) or `enrollmentGroupKey`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DpsSymmetricKey {
    /// Registration ID; default the device name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
    /// The individual enrollment's key, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<SecretSource>,
    /// The enrollment group's key, base64. With `value`, edgevirt derives the device key
    /// (HMAC-SHA256 of the registration ID) and renders only that; with `secretKeyRef`, the VM
    /// derives it at boot, which hands the group key to the VM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment_group_key: Option<SecretSource>,
}

/// DPS X.509 attestation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DpsX509 {
    /// Registration ID; default the certificate's common name, as DPS takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
    /// The identity certificate (PEM, full chain).
    #[serde(default)]
    pub identity_cert: SecretSource,
    /// The identity certificate's private key (PEM).
    #[serde(default)]
    pub identity_pk: SecretSource,
}

/// DPS TPM attestation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DpsTpm {
    /// Registration ID; default the device name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
}

/// An X.509 identity: certificate and private key, both PEM.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct X509Identity {
    /// The identity certificate (PEM, full chain).
    #[serde(default)]
    pub identity_cert: SecretSource,
    /// The identity certificate's private key (PEM).
    #[serde(default)]
    pub identity_pk: SecretSource,
}

/// Where a secret comes from: exactly one of the fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretSource {
    /// The secret itself; it is rendered into a Secret of the output and nowhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A key of an existing Secret in the device's namespace. The Secret is attached to the VM
    /// as a disk and read at boot, so the rendered output holds no secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<SecretKeyRef>,
    /// A file already on the device, as a `file://` URI (certificates and keys only), put there
    /// by an image or an extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A key of a Secret.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyRef {
    /// The Secret's name.
    pub name: String,
    /// The key in its data.
    pub key: String,
}

/// The edge CA: exactly one of the fields; default `quickstart`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EdgeCa {
    /// A CA made on the device itself; fine for tests and for devices with no downstream
    /// devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quickstart: Option<QuickstartCa>,
    /// A CA certificate and key you provide (PEM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provided: Option<ProvidedCa>,
    /// A CA issued and renewed by an EST server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub est: Option<EstCa>,
}

/// Quickstart edge CA settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuickstartCa {
    /// Days the generated CA is valid (`auto_generated_edge_ca_expiry_days`); default 90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_generated_expiry_days: Option<u32>,
    /// Common name of the CA; with it (or `expiryDays`, `autoRenew`) the CA is IoT Edge's
    /// customized `self_signed` edge CA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// Days the customized CA is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_days: Option<u32>,
    /// Renewal policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<AutoRenew>,
}

/// A provided edge CA.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvidedCa {
    /// CA certificate (PEM chain).
    #[serde(default)]
    pub cert: SecretSource,
    /// CA private key (PEM).
    #[serde(default)]
    pub pk: SecretSource,
}

/// An edge CA from EST.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EstCa {
    /// EST server URL, e.g. `https://est.example/.well-known/est`.
    pub url: String,
    /// Basic auth user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Basic auth password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretSource>,
    /// Bootstrap identity certificate (PEM) for TLS client auth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap_identity_cert: Option<SecretSource>,
    /// Bootstrap identity private key (PEM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap_identity_pk: Option<SecretSource>,
    /// Subject of the requested CA certificate, e.g. `{CN: "plant-a CA", L: "Berlin"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subject: BTreeMap<String, String>,
    /// Renewal policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<AutoRenew>,
}

/// When a certificate is renewed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AutoRenew {
    /// Make a new key at renewal; default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate_key: Option<bool>,
    /// Renew when this much of the lifetime has passed, e.g. `80%`, or this long before expiry,
    /// e.g. `30day` or `90min`.
    pub threshold: String,
    /// Wait between failed renewals, e.g. `4%` or `1day`.
    pub retry: String,
}

/// edgeAgent settings (`[agent]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    /// edgeAgent image; default `mcr.microsoft.com/azureiotedge-agent:<version>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Credentials of the registry edgeAgent is pulled from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistryAuth>,
    /// Environment variables of edgeAgent (e.g. `UpstreamProtocol: AmqpWs`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Docker create options of edgeAgent (`[agent.config.createOptions]`), as an object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_options: Option<serde_json::Map<String, serde_json::Value>>,
    /// Keep edgeAgent's storage on the VM disk across container restarts: binds
    /// `/var/lib/edgevirt/storage/edgeAgent` and sets `storageFolder`. Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_storage: Option<bool>,
}

/// Container registry credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistryAuth {
    /// Registry host, e.g. `example.azurecr.io`.
    pub server_address: String,
    /// User name.
    pub username: String,
    /// Password or token.
    #[serde(default)]
    pub password: SecretSource,
}

/// Docker daemon settings (`/etc/docker/daemon.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Docker {
    /// Log driver; default `local` (compressed, rotated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_driver: Option<String>,
    /// Largest log file before rotation; default `10m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_max_size: Option<String>,
    /// Rotated log files kept; default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_max_files: Option<u32>,
    /// Name of the Docker network modules join (`moby_runtime.network`); default
    /// `azure-iot-edge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
}

/// Image garbage collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageGarbageCollection {
    /// Turn it on; default true once the block is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// How often it runs, e.g. `1d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_recurrence: Option<String>,
    /// Remove images unused for this long, e.g. `7d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_age_cleanup_threshold: Option<String>,
    /// Time of day it runs, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_time: Option<String>,
}

/// Request limits (`[iotedge_max_requests]` and `[aziot_max_requests]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MaxRequests {
    /// aziot-edged management API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management: Option<u32>,
    /// aziot-edged workload API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<u32>,
    /// aziot-keyd.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyd: Option<u32>,
    /// aziot-certd.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certd: Option<u32>,
    /// aziot-identityd.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identityd: Option<u32>,
    /// aziot-tpmd.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpmd: Option<u32>,
}
