//! Networking rules: a VirtualMachine's interfaces and networks pair up by name and carry
//! well-formed unicast MAC addresses, and a NetworkAttachmentDefinition's `spec.config` is a CNI
//! configuration.
//!
//! Whether a Multus network names a NetworkAttachmentDefinition that exists is left out: it may
//! live in the cluster already, outside the stream.

use std::collections::HashSet;

use serde_json::Value;

use crate::problem::{Origin, Problem, Stage};
use crate::virtual_machine::{TEMPLATE_SPEC, duplicate_names, list, name_of};

/// Checks interfaces, networks and MAC addresses of a VirtualMachine.
pub(crate) fn check_interfaces(vm: &Value, origin: &Origin) -> Vec<Problem> {
    let interfaces = list(vm, "/spec/template/spec/domain/devices/interfaces");
    let networks = list(vm, "/spec/template/spec/networks");
    let interfaces_path = format!("{TEMPLATE_SPEC}.domain.devices.interfaces");
    let networks_path = format!("{TEMPLATE_SPEC}.networks");

    let mut problems = duplicate_names(interfaces, &interfaces_path, origin);
    problems.extend(duplicate_names(networks, &networks_path, origin));
    problems.extend(unpaired(
        interfaces,
        networks,
        &interfaces_path,
        "network",
        origin,
    ));
    problems.extend(unpaired(
        networks,
        interfaces,
        &networks_path,
        "interface",
        origin,
    ));
    for (index, interface) in interfaces.iter().enumerate() {
        let Some(mac) = interface.get("macAddress").and_then(Value::as_str) else {
            continue;
        };
        if let Err(message) = check_mac(mac) {
            let path = format!("{interfaces_path}[{index}].macAddress");
            problems.push(origin.problem(Stage::Admission, &path, message));
        }
    }
    problems
}

/// Reports each item of `items` whose name no item of `partners` has.
fn unpaired(
    items: &[Value],
    partners: &[Value],
    path: &str,
    partner: &str,
    origin: &Origin,
) -> Vec<Problem> {
    let names: HashSet<&str> = partners.iter().filter_map(name_of).collect();
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let name = name_of(item).filter(|name| !names.contains(name))?;
            let message = format!("{name:?} has no {partner} of the same name");
            Some(origin.problem(Stage::Admission, &format!("{path}[{index}].name"), message))
        })
        .collect()
}

/// A MAC address must be six hex octets separated by ':' or '-', and unicast.
pub(crate) fn check_mac(mac: &str) -> Result<(), String> {
    let separator = if mac.contains('-') { '-' } else { ':' };
    let octets: Vec<&str> = mac.split(separator).collect();
    let well_formed = octets.len() == 6
        && octets
            .iter()
            .all(|o| o.len() == 2 && o.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Err(format!(
            "{mac:?} is not a MAC address (expected e.g. 02:00:00:1a:2b:3c)"
        ));
    }
    let first = u8::from_str_radix(octets[0], 16).map_err(|e| format!("{mac:?}: {e}"))?;
    if first & 1 == 1 {
        return Err(format!(
            "{mac:?} is a multicast address (the lowest bit of the first octet must be 0, e.g. 02)"
        ));
    }
    Ok(())
}

/// Checks that a NetworkAttachmentDefinition's `spec.config`, when present, is CNI JSON.
pub(crate) fn check_attachment_config(nad: &Value, origin: &Origin) -> Option<Problem> {
    let config = nad.pointer("/spec/config")?.as_str()?;
    let message = match serde_json::from_str::<Value>(config) {
        Err(e) => format!("not JSON ({e})"),
        Ok(Value::Object(cni)) => {
            let has_type = cni.contains_key("type") || cni.contains_key("plugins");
            if cni.contains_key("cniVersion") && has_type {
                return None;
            }
            "a CNI configuration needs cniVersion and either type or plugins".to_owned()
        }
        Ok(other) => format!("{other} is not a CNI configuration object"),
    };
    Some(origin.problem(Stage::Admission, ".spec.config", message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_addresses() {
        assert_eq!(check_mac("02:00:00:1a:2b:3c"), Ok(()));
        assert_eq!(check_mac("02-00-00-1A-2B-3C"), Ok(()));
        for bad in [
            "02:00:00:1a:2b",
            "02:00:00:1a:2b:3g",
            "2:0:0:1a:2b:3c",
            "020000",
            "",
        ] {
            assert!(check_mac(bad).is_err(), "{bad}");
        }
        let multicast = check_mac("01:00:5e:00:00:01").expect_err("multicast");
        assert!(multicast.contains("multicast"), "{multicast}");
    }
}
