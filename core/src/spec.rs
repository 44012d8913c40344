//! The validated device: what the renderers accept.
//!
//! A [`DeviceSpec`] can only be made by [`crate::validate()`], so every value in it has been
//! checked and every default filled in. Renderers read it and cannot meet a bad value.

use std::collections::BTreeMap;

use crate::model::{AutoRenew, Command, ImageGarbageCollection, MaxRequests, SecretKeyRef};
use crate::versions::EdgeRelease;

/// A checked device with its defaults resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceSpec {
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
    pub(crate) vm: VmSpec,
    pub(crate) root_disk: RootDisk,
    pub(crate) data_disks: Vec<DataDiskSpec>,
    pub(crate) os: OsSpec,
    pub(crate) network: NetworkSpec,
    pub(crate) edge: EdgeSpec,
    pub(crate) services: Vec<ServicePlan>,
    pub(crate) extra_files: Vec<ExtraFileSpec>,
    pub(crate) extra_commands: Vec<Command>,
}

impl DeviceSpec {
    /// The device (and VirtualMachine) name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The device's namespace, when it has one.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The IoT Edge hostname.
    pub fn hostname(&self) -> &str {
        &self.edge.hostname
    }

    /// The DPS registration ID, when the device is provisioned through DPS with one.
    pub fn registration_id(&self) -> Option<&str> {
        match &self.edge.provisioning {
            ProvisioningSpec::DpsSymmetricKey {
                registration_id, ..
            }
            | ProvisioningSpec::DpsTpm {
                registration_id, ..
            } => Some(registration_id),
            ProvisioningSpec::DpsX509 {
                registration_id, ..
            } => registration_id.as_deref(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sizing {
    Explicit {
        cores: u32,
        sockets: u32,
        threads: u32,
        memory: String,
    },
    Instancetype {
        name: String,
        kind: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VmSpec {
    pub(crate) sizing: Sizing,
    pub(crate) preference: Option<(String, String)>,
    pub(crate) machine_type: Option<String>,
    /// `None` for BIOS, `Some(secure_boot)` for EFI.
    pub(crate) efi: Option<bool>,
    pub(crate) run_strategy: String,
    pub(crate) node_selector: BTreeMap<String, String>,
    pub(crate) tolerations: Vec<serde_json::Value>,
    pub(crate) affinity: Option<serde_json::Value>,
    pub(crate) eviction_strategy: Option<String>,
    pub(crate) template_labels: BTreeMap<String, String>,
    pub(crate) template_annotations: BTreeMap<String, String>,
    pub(crate) tpm: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Storage {
    pub(crate) size: String,
    pub(crate) storage_class_name: Option<String>,
    pub(crate) access_mode: Option<String>,
    pub(crate) volume_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CdiSource {
    Registry(String),
    Http(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RootDisk {
    DataVolume { source: CdiSource, storage: Storage },
    Pvc(String),
    ContainerDisk(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataDiskSpec {
    pub(crate) name: String,
    pub(crate) storage: Storage,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OsSpec {
    pub(crate) release: &'static str,
    pub(crate) codename: &'static str,
    pub(crate) user: String,
    pub(crate) ssh_authorized_keys: Vec<String>,
    pub(crate) password_hash: Option<String>,
    pub(crate) ntp_servers: Vec<String>,
    pub(crate) timezone: Option<String>,
    pub(crate) packages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NetworkSpec {
    /// MAC of the pod interface, when the pod network is attached.
    pub(crate) pod_mac: Option<String>,
    pub(crate) interfaces: Vec<InterfaceSpec>,
    pub(crate) nameservers: Vec<String>,
    pub(crate) search_domains: Vec<String>,
    pub(crate) mtu: Option<u32>,
    pub(crate) proxy: Option<ProxySpec>,
}

impl NetworkSpec {
    /// Whether the guest needs explicit network-data (static addresses, DNS or MTU).
    pub(crate) fn needs_network_data(&self) -> bool {
        self.mtu.is_some()
            || !self.nameservers.is_empty()
            || !self.search_domains.is_empty()
            || self.interfaces.iter().any(|i| !i.addresses.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InterfaceSpec {
    pub(crate) name: String,
    /// `namespace/name` or `name` of the NetworkAttachmentDefinition.
    pub(crate) network_name: String,
    /// A NetworkAttachmentDefinition to create: its name, bridge and VLAN.
    pub(crate) create: Option<(String, String, Option<u16>)>,
    pub(crate) mac: String,
    pub(crate) addresses: Vec<String>,
    pub(crate) gateway: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProxySpec {
    pub(crate) http: Option<String>,
    pub(crate) https: Option<String>,
    pub(crate) no_proxy: Vec<String>,
}

/// A string secret (key, connection string, password) as the renderer sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SecretText {
    /// Rendered into the cloud-init Secret.
    Inline(String),
    /// Read from a Secret mounted into the VM, at boot.
    Mounted(SecretKeyRef),
    /// A group key read from a mounted Secret; the VM derives the device key at boot.
    DeriveFrom {
        group_key: SecretKeyRef,
        registration_id: String,
    },
}

/// A PEM file (certificate or key) as the renderer sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PemFile {
    Inline(String),
    Mounted(SecretKeyRef),
    /// Already on the device, as a `file://` URI.
    OnDevice(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ProvisioningSpec {
    ConnectionString(SecretText),
    ManualSas {
        hub: String,
        device_id: String,
        key: SecretText,
    },
    ManualX509 {
        hub: String,
        device_id: String,
        cert: PemFile,
        pk: PemFile,
    },
    DpsSymmetricKey {
        scope: String,
        endpoint: String,
        registration_id: String,
        key: SecretText,
    },
    DpsX509 {
        scope: String,
        endpoint: String,
        registration_id: Option<String>,
        cert: PemFile,
        pk: PemFile,
    },
    DpsTpm {
        scope: String,
        endpoint: String,
        registration_id: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EdgeCaSpec {
    Quickstart {
        auto_generated_expiry_days: Option<u32>,
        common_name: Option<String>,
        expiry_days: Option<u32>,
        auto_renew: Option<AutoRenew>,
    },
    Provided {
        cert: PemFile,
        pk: PemFile,
    },
    Est {
        url: String,
        username: Option<String>,
        password: Option<SecretText>,
        bootstrap_cert: Option<PemFile>,
        bootstrap_pk: Option<PemFile>,
        subject: BTreeMap<String, String>,
        auto_renew: Option<AutoRenew>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegistrySpec {
    pub(crate) server: String,
    pub(crate) username: String,
    pub(crate) password: SecretText,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EdgeSpec {
    pub(crate) release: EdgeRelease,
    pub(crate) hostname: String,
    pub(crate) parent_hostname: Option<String>,
    pub(crate) provisioning: ProvisioningSpec,
    pub(crate) edge_ca: EdgeCaSpec,
    pub(crate) trust_bundle: Option<PemFile>,
    pub(crate) agent_image: String,
    pub(crate) registry: Option<RegistrySpec>,
    pub(crate) agent_env: BTreeMap<String, String>,
    pub(crate) create_options: serde_json::Map<String, serde_json::Value>,
    pub(crate) host_storage: bool,
    pub(crate) docker_log_driver: String,
    pub(crate) docker_log_max_size: String,
    pub(crate) docker_log_max_files: u32,
    pub(crate) moby_network: String,
    pub(crate) image_gc: Option<ImageGarbageCollection>,
    pub(crate) auto_reprovisioning_mode: String,
    pub(crate) prefer_module_identity_cache: Option<bool>,
    pub(crate) local_gateway_hostname: Option<String>,
    pub(crate) max_requests: Option<MaxRequests>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServiceRole {
    Ssh,
    Gateway,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ServicePlan {
    pub(crate) role: ServiceRole,
    pub(crate) service_type: String,
    pub(crate) source_ranges: Vec<String>,
    pub(crate) annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExtraFileSpec {
    pub(crate) path: String,
    pub(crate) content: String,
    pub(crate) permissions: String,
    pub(crate) owner: String,
}
