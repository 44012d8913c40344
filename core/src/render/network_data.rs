//! cloud-init network-data (netplan version 2): static addresses, DNS and MTU, matched by MAC.

use serde_json::{Map, Value, json};

use crate::spec::DeviceSpec;

/// The network-data document, when the device needs one.
pub(crate) fn build(spec: &DeviceSpec) -> Option<Value> {
    let net = &spec.network;
    if !net.needs_network_data() {
        return None;
    }
    let mut ethernets = Map::new();
    let nameservers = (!net.nameservers.is_empty() || !net.search_domains.is_empty())
        .then(|| json!({"addresses": net.nameservers, "search": net.search_domains}));
    let mut add = |id: &str, mac: &str, addresses: &[String], gateway: Option<&String>| {
        let mut eth = Map::new();
        eth.insert("match".into(), json!({"macaddress": mac}));
        eth.insert("set-name".into(), json!(id));
        if addresses.is_empty() {
            eth.insert("dhcp4".into(), json!(true));
        } else {
            eth.insert("addresses".into(), json!(addresses));
        }
        if let Some(gw) = gateway {
            eth.insert("routes".into(), json!([{"to": "default", "via": gw}]));
        }
        if let Some(ns) = &nameservers {
            eth.insert("nameservers".into(), ns.clone());
        }
        if let Some(mtu) = net.mtu {
            eth.insert("mtu".into(), json!(mtu));
        }
        ethernets.insert(id.to_owned(), Value::Object(eth));
    };
    if let Some(mac) = &net.pod_mac {
        add("eth0", mac, &[], None);
    }
    for iface in &net.interfaces {
        add(
            &iface.name,
            &iface.mac,
            &iface.addresses,
            iface.gateway.as_ref(),
        );
    }
    Some(json!({"version": 2, "ethernets": ethernets}))
}
