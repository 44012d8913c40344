//! The network group: pod network, Multus secondary networks, DNS, MTU and proxy.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Networks of the VM and how the guest reaches the internet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Network {
    /// Attach the pod network with masquerade (NAT); default true. The guest reaches IoT Hub
    /// through it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<bool>,
    /// Multus secondary networks, each a bridge interface in the guest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<Interface>,
    /// DNS servers for the guest (network-data) and for Docker.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    /// DNS search domains for the guest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_domains: Vec<String>,
    /// MTU of the guest's interfaces and of Docker's bridge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    /// HTTP(S) proxy used by apt, Docker, the IoT Edge daemons and edgeAgent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Proxy>,
}

/// A Multus secondary network.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interface {
    /// Interface name in the VM spec: a DNS-1123 label, unique on the device.
    pub name: String,
    /// An existing NetworkAttachmentDefinition, `name` or `namespace/name`. Leave out and give
    /// `bridge` to have one created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_name: Option<String>,
    /// Create a NetworkAttachmentDefinition of the CNI `bridge` plugin on this node bridge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge: Option<BridgeAttachment>,
    /// MAC address; default derived from namespace, name and interface name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// Static addresses in CIDR form, e.g. `192.168.10.20/24`; left out, the guest uses DHCP.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// Default gateway through this interface (only with static `addresses`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
}

/// A NetworkAttachmentDefinition to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BridgeAttachment {
    /// The Linux bridge on the node, e.g. `br-plant`.
    pub bridge: String,
    /// VLAN ID on the bridge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u16>,
}

/// Proxy settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Proxy {
    /// Proxy for plain HTTP, e.g. `http://proxy.example:3128`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_proxy: Option<String>,
    /// Proxy for HTTPS (IoT Hub, DPS, registries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https_proxy: Option<String>,
    /// Hosts and domains reached directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_proxy: Vec<String>,
}
