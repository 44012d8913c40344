//! The document envelope and the VM, disk, OS, services and extensions groups.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{IotEdge, Network};

/// One Azure IoT Edge device that runs as a KubeVirt virtual machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "EdgeDevice")]
pub struct EdgeDevice {
    /// Always `edgevirt.dev/v1alpha1`.
    pub api_version: String,
    /// Always `EdgeDevice`.
    pub kind: String,
    /// Name, namespace, labels and annotations shared by every rendered object.
    pub metadata: Metadata,
    /// What the device is.
    pub spec: EdgeDeviceSpec,
}

/// Kubernetes object metadata of the device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// The device name: names the VirtualMachine, and prefixes every other rendered object.
    /// A DNS-1123 label of at most 52 characters, so derived names stay within limits.
    pub name: String,
    /// Namespace of every rendered object; left out, `kubectl apply -n` decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels added to every rendered object.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations added to every rendered object.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// The field groups of a device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EdgeDeviceSpec {
    /// The virtual machine: size, firmware, placement.
    #[serde(default)]
    pub vm: Vm,
    /// The root disk and extra data disks.
    #[serde(default)]
    pub disk: Disk,
    /// The guest operating system and its login.
    #[serde(default)]
    pub os: Os,
    /// Pod network, Multus networks, DNS and proxy.
    #[serde(default)]
    pub network: Network,
    /// IoT Edge runtime and provisioning.
    #[serde(default)]
    pub iot_edge: IotEdge,
    /// Kubernetes Services in front of the VM.
    #[serde(default)]
    pub services: Services,
    /// Extra files and commands for cloud-init.
    #[serde(default)]
    pub extensions: Extensions,
}

/// Size, firmware and placement of the VirtualMachine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vm {
    /// vCPU topology (`domain.cpu`); default 2 cores. Not with `instancetype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    /// Guest memory as a Kubernetes quantity (`domain.memory.guest`); default `4Gi`, at least
    /// `1Gi` for IoT Edge. Not with `instancetype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// A KubeVirt instancetype that sets CPU and memory instead (`spec.instancetype`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instancetype: Option<InstancetypeRef>,
    /// A KubeVirt preference (`spec.preference`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preference: Option<InstancetypeRef>,
    /// QEMU machine type (`domain.machine.type`), e.g. `q35`; default: the cluster's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_type: Option<String>,
    /// Firmware: `bios` (default) or `efi`, optionally with secure boot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware: Option<Firmware>,
    /// KubeVirt run strategy: `Always` (default), `RerunOnFailure`, `Manual`, `Halted` or `Once`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_strategy: Option<String>,
    /// Node labels the VM must be scheduled on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Kubernetes tolerations, passed through to the VM template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<serde_json::Value>,
    /// Kubernetes affinity, passed through to the VM template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<serde_json::Value>,
    /// What happens on node drain: `LiveMigrate`, `LiveMigrateIfPossible`, `External` or `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_strategy: Option<String>,
    /// Labels for the VM's pods only (the template), on top of `metadata.labels`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations for the VM's pods only (the template).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// MAC address of the pod network interface. Default: derived from namespace and name, so it
    /// survives restarts and the guest's netplan keeps matching.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// Give the VM a persistent virtual TPM (`devices.tpm.persistent`); needed for DPS TPM
    /// attestation, and needs the `VMPersistentState` feature gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpm: Option<bool>,
}

/// vCPU topology.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cpu {
    /// Cores per socket; default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cores: Option<u32>,
    /// Sockets; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sockets: Option<u32>,
    /// Threads per core; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
}

/// A reference to a KubeVirt instancetype or preference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstancetypeRef {
    /// Its name.
    pub name: String,
    /// Its kind; default the cluster-wide kind (`VirtualMachineClusterInstancetype` or
    /// `VirtualMachineClusterPreference`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// VM firmware.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Firmware {
    /// `bios` (default) or `efi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootloader: Option<String>,
    /// UEFI secure boot (only with `efi`; turns on SMM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
}

/// Root disk and data disks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Disk {
    /// Where the root disk comes from. Default: a persistent DataVolume imported from
    /// `docker://quay.io/containerdisks/ubuntu:<os.release>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DiskSource>,
    /// Root disk size (a quantity); default `32Gi`. Ignored for `pvc` and `containerDisk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// StorageClass of the root DataVolume; default: the cluster's default class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// `ReadWriteOnce`, `ReadWriteMany` (needed for live migration) or `ReadOnlyMany`;
    /// default: what the storage profile says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_mode: Option<String>,
    /// `Filesystem` or `Block`; default: what the storage profile says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    /// Extra empty disks, each a blank DataVolume.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_disks: Vec<DataDisk>,
}

/// Where the root disk comes from: exactly one of the fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiskSource {
    /// CDI import from a container registry, e.g. `docker://quay.io/containerdisks/ubuntu:24.04`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<UrlSource>,
    /// CDI import from an HTTP(S) URL of a qcow2 or raw image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<UrlSource>,
    /// An existing PersistentVolumeClaim that already holds the OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pvc: Option<PvcSource>,
    /// An ephemeral containerDisk: wiped at every restart, and the device identity with it.
    /// Only for throwaway test devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_disk: Option<ImageSource>,
}

/// An image URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UrlSource {
    /// The URL.
    pub url: String,
}

/// An existing claim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PvcSource {
    /// The claim's name, in the device's namespace.
    pub claim_name: String,
}

/// A container image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageSource {
    /// The image reference, e.g. `quay.io/containerdisks/ubuntu:24.04`.
    pub image: String,
}

/// An extra empty disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DataDisk {
    /// Disk name: a DNS-1123 label, unique on the device.
    pub name: String,
    /// Size (a quantity).
    pub size: String,
    /// StorageClass; default the root disk's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Access mode; default the root disk's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_mode: Option<String>,
    /// Volume mode; default the root disk's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
}

/// Guest operating system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Os {
    /// Ubuntu release: `24.04` (default) or `22.04`. Chooses the Microsoft package repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Login user created by cloud-init; default `edge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// SSH public keys of the login user.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_authorized_keys: Vec<String>,
    /// A crypt(3) hash (e.g. from `mkpasswd -m sha-512`) for console login; default: no password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    /// NTP servers for the guest's time sync; default: the distribution's pool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ntp_servers: Vec<String>,
    /// Time zone, e.g. `Europe/Berlin`; default UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Extra Ubuntu packages to install.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
}

/// Kubernetes Services that reach the VM.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Services {
    /// SSH to the VM (port 22). Off by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh: Option<ServiceSpec>,
    /// IoT Edge gateway ports for downstream devices: 443 (HTTPS, MQTT/AMQP over WebSockets),
    /// 5671 (AMQPS) and 8883 (MQTTS). Off by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<ServiceSpec>,
}

/// One Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    /// Render this Service; default true once the block is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `ClusterIP` (default), `NodePort` or `LoadBalancer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// CIDRs allowed to reach a `LoadBalancer` (`loadBalancerSourceRanges`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_ranges: Vec<String>,
    /// Annotations on the Service, e.g. for a cloud load balancer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Extra cloud-init content, rendered from templates.
///
/// Each `content` and each command is a minijinja template with the variables `name`,
/// `namespace` and `hostname`; it runs sandboxed, with no file or network access.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Extensions {
    /// Files written by cloud-init before IoT Edge is installed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_files: Vec<ExtraFile>,
    /// Commands run after IoT Edge is installed and configured, each a list of arguments
    /// (run without a shell) or one string (run by `sh -c`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runcmd: Vec<Command>,
}

/// A file for cloud-init's `write_files`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtraFile {
    /// Absolute path in the guest.
    pub path: String,
    /// File content (a template).
    pub content: String,
    /// Octal mode as a string, e.g. `"0644"` (default) or `"0600"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
    /// `user:group`; default `root:root`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// A command: an argument list run without a shell, or a string run by `sh -c`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Command {
    /// Run by `sh -c`.
    Shell(String),
    /// Run as is, without a shell.
    Args(Vec<String>),
}
