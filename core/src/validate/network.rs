//! Checks of the network group.

use std::collections::BTreeSet;

use super::checks::{
    has_credentials, is_cidr, is_dns_label, is_dns_subdomain, is_http_url, is_ip, mac_problem,
    shown_url,
};
use super::derived_mac;
use crate::diagnostic::Diagnostics;
use crate::model::{Metadata, Network};
use crate::spec::{InterfaceSpec, NetworkSpec, ProxySpec};

pub(super) fn check(
    net: &Network,
    meta: &Metadata,
    vm_mac: Option<&String>,
    d: &mut Diagnostics,
) -> NetworkSpec {
    let ns = meta.namespace.as_deref().unwrap_or("");
    let pod = net.pod.unwrap_or(true);
    if !pod && net.interfaces.is_empty() {
        d.error(
            "spec.network.pod",
            Some("false"),
            "leaves the VM without a network",
            "keep the pod network or add spec.network.interfaces",
        );
    }
    let mut seen = BTreeSet::new();
    let mut interfaces = Vec::new();
    for (i, iface) in net.interfaces.iter().enumerate() {
        let path = format!("spec.network.interfaces[{i}]");
        if !is_dns_label(&iface.name, 15) || ["default", "eth0"].contains(&iface.name.as_str()) {
            d.error(
                &format!("{path}.name"),
                Some(&iface.name),
                "is not a usable interface name",
                "a DNS-1123 label of at most 15 characters, not default or eth0",
            );
        } else if !seen.insert(iface.name.clone()) {
            d.error(
                &format!("{path}.name"),
                Some(&iface.name),
                "is used twice",
                "interface names are unique",
            );
        }
        let nad_name = format!("{}-{}", meta.name, iface.name);
        let (network_name, create) = match (&iface.network_name, &iface.bridge) {
            (Some(_), Some(_)) => {
                d.error(
                    &path,
                    None,
                    "sets both networkName and bridge",
                    "networkName uses an existing NetworkAttachmentDefinition, bridge creates one",
                );
                (String::new(), None)
            }
            (Some(n), None) => {
                let (nns, nname) = n.split_once('/').unwrap_or(("", n));
                if (!nns.is_empty() && !is_dns_label(nns, 63)) || !is_dns_subdomain(nname) {
                    d.error(
                        &format!("{path}.networkName"),
                        Some(n),
                        "is not a NAD reference",
                        "name or namespace/name",
                    );
                }
                (n.clone(), None)
            }
            (None, Some(b)) => {
                if !is_dns_label(&b.bridge, 15)
                    && !b
                        .bridge
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
                {
                    d.error(
                        &format!("{path}.bridge.bridge"),
                        Some(&b.bridge),
                        "is not a bridge name",
                        "a Linux interface name such as br-plant",
                    );
                }
                if b.vlan.is_some_and(|v| v == 0 || v > 4094) {
                    d.error(
                        &format!("{path}.bridge.vlan"),
                        b.vlan.map(|v| v.to_string()).as_deref(),
                        "is not a VLAN ID",
                        "between 1 and 4094",
                    );
                }
                (nad_name.clone(), Some((nad_name, b.bridge.clone(), b.vlan)))
            }
            (None, None) => {
                d.error(&path, None, "needs networkName or bridge",
                    "name an existing NetworkAttachmentDefinition, or a node bridge to create one on");
                (String::new(), None)
            }
        };
        let mac = check_mac(&format!("{path}.macAddress"), iface.mac_address.as_ref(), d)
            .unwrap_or_else(|| derived_mac(ns, &meta.name, &iface.name));
        for (j, a) in iface.addresses.iter().enumerate() {
            if !is_cidr(a) {
                d.error(
                    &format!("{path}.addresses[{j}]"),
                    Some(a),
                    "is not an address with prefix",
                    "e.g. 192.168.10.20/24",
                );
            }
        }
        if let Some(g) = &iface.gateway {
            if !is_ip(g) {
                d.error(
                    &format!("{path}.gateway"),
                    Some(g),
                    "is not an IP address",
                    "",
                );
            } else if iface.addresses.is_empty() {
                d.error(
                    &format!("{path}.gateway"),
                    Some(g),
                    "needs static addresses",
                    "add addresses, or leave the gateway to DHCP",
                );
            }
        }
        interfaces.push(InterfaceSpec {
            name: iface.name.clone(),
            network_name,
            create,
            mac,
            addresses: iface.addresses.clone(),
            gateway: iface.gateway.clone(),
        });
    }
    let gateways = interfaces.iter().filter(|i| i.gateway.is_some()).count();
    if gateways > 1 {
        d.warn(
            "spec.network.interfaces",
            None,
            "sets more than one default gateway",
            "the guest routes through whichever comes up last",
        );
    }
    for (i, n) in net.nameservers.iter().enumerate() {
        if !is_ip(n) {
            d.error(
                &format!("spec.network.nameservers[{i}]"),
                Some(n),
                "is not an IP address",
                "",
            );
        }
    }
    for (i, s) in net.search_domains.iter().enumerate() {
        if !super::checks::is_hostname(s) {
            d.error(
                &format!("spec.network.searchDomains[{i}]"),
                Some(s),
                "is not a domain",
                "",
            );
        }
    }
    if let Some(mtu) = net.mtu
        && !(576..=9000).contains(&mtu)
    {
        d.error(
            "spec.network.mtu",
            Some(&mtu.to_string()),
            "is out of range",
            "between 576 and 9000",
        );
    }
    let given_mac = check_mac("spec.vm.macAddress", vm_mac, d);
    let pod_mac = pod.then(|| given_mac.unwrap_or_else(|| derived_mac(ns, &meta.name, "default")));
    NetworkSpec {
        pod_mac,
        interfaces,
        nameservers: net.nameservers.clone(),
        search_domains: net.search_domains.clone(),
        mtu: net.mtu,
        proxy: net.proxy.as_ref().map(|p| check_proxy(p, d)),
    }
}

/// Checks a given MAC; `None` when none was given (or it was bad, which is reported).
pub(super) fn check_mac(path: &str, mac: Option<&String>, d: &mut Diagnostics) -> Option<String> {
    let mac = mac?;
    match mac_problem(mac) {
        Some(problem) => {
            d.error(
                path,
                Some(mac),
                problem,
                "a unicast address such as 02:00:00:0a:00:01",
            );
            None
        }
        None => Some(mac.to_ascii_lowercase()),
    }
}

fn check_proxy(p: &crate::model::Proxy, d: &mut Diagnostics) -> ProxySpec {
    for (field, url) in [("httpProxy", &p.http_proxy), ("httpsProxy", &p.https_proxy)] {
        let Some(url) = url else { continue };
        let shown = shown_url(url);
        if !is_http_url(url) {
            d.error(
                &format!("spec.network.proxy.{field}"),
                Some(&shown),
                "is not a proxy URL",
                "expected e.g. http://proxy.example:3128",
            );
        } else if has_credentials(url) {
            d.warn(&format!("spec.network.proxy.{field}"), Some(&shown),
                "carries credentials, which end up in the cloud-init Secret and the guest's config files",
                "prefer a proxy that authorizes by source address");
        }
    }
    if p.http_proxy.is_none() && p.https_proxy.is_none() {
        d.error(
            "spec.network.proxy",
            None,
            "sets no proxy",
            "give httpProxy, httpsProxy or both",
        );
    }
    for (i, n) in p.no_proxy.iter().enumerate() {
        if n.is_empty() || n.contains([',', ' ']) || !super::checks::is_single_line(n) {
            d.error(
                &format!("spec.network.proxy.noProxy[{i}]"),
                Some(n),
                "is not a host pattern",
                "one host, domain (.example.com) or CIDR per entry",
            );
        }
    }
    ProxySpec {
        http: p.http_proxy.clone(),
        https: p.https_proxy.clone(),
        no_proxy: p.no_proxy.clone(),
    }
}
