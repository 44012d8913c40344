//! What must differ between the devices of one input: names (in a namespace), hostnames, MAC
//! addresses, static IP addresses and DPS registration IDs (in an ID scope).
//!
//! Each device is checked against those before it; a clash is reported on the later device and
//! names the earlier one's place.

use std::collections::HashMap;

use crate::diagnostic::Diagnostics;
use crate::spec::{DeviceSpec, ProvisioningSpec};

/// The values seen so far, each with the place of the device that has it.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    names: HashMap<(Option<String>, String), String>,
    hostnames: HashMap<String, String>,
    macs: HashMap<String, String>,
    addresses: HashMap<String, String>,
    registrations: HashMap<(String, String), String>,
}

impl Seen {
    /// Checks `spec`, the device at `place`, against the devices before it, and remembers it.
    pub(crate) fn check(&mut self, place: &str, spec: &DeviceSpec, d: &mut Diagnostics) {
        let name = (spec.namespace.clone(), spec.name.clone());
        if let Some(other) = self.names.get(&name) {
            // The hostname, the derived MACs and the registration ID default to the name: one
            // mistake, one message.
            clash(
                d,
                "metadata.name",
                &spec.name,
                other,
                "device names are unique in a namespace",
            );
            return;
        }
        self.names.insert(name, place.to_owned());
        let mut found = Vec::new();
        found.push((
            "spec.iotEdge.hostname".to_owned(),
            spec.edge.hostname.clone(),
            Kind::Hostname,
        ));
        if let Some(mac) = &spec.network.pod_mac {
            found.push(("spec.vm.macAddress".to_owned(), mac.clone(), Kind::Mac));
        }
        for (i, iface) in spec.network.interfaces.iter().enumerate() {
            let path = format!("spec.network.interfaces[{i}]");
            found.push((format!("{path}.macAddress"), iface.mac.clone(), Kind::Mac));
            for (j, address) in iface.addresses.iter().enumerate() {
                found.push((
                    format!("{path}.addresses[{j}]"),
                    address.clone(),
                    Kind::Address,
                ));
            }
        }
        for (path, value, kind) in found {
            let (table, key, rule) = match kind {
                Kind::Hostname => (
                    &mut self.hostnames,
                    value.to_ascii_lowercase(),
                    "hostnames are unique",
                ),
                Kind::Mac => (&mut self.macs, value.clone(), "MAC addresses are unique"),
                Kind::Address => (
                    &mut self.addresses,
                    ip_of(&value),
                    "static IP addresses are unique",
                ),
            };
            match table.get(&key) {
                Some(other) => clash(d, &path, &value, other, rule),
                None => {
                    table.insert(key, place.to_owned());
                }
            }
        }
        if let Some((path, scope, id)) = registration(&spec.edge.provisioning) {
            let key = (scope.to_owned(), id.to_owned());
            match self.registrations.get(&key) {
                Some(other) => clash(
                    d,
                    path,
                    id,
                    other,
                    "DPS registration IDs are unique in an ID scope",
                ),
                None => {
                    self.registrations.insert(key, place.to_owned());
                }
            }
        }
    }
}

enum Kind {
    Hostname,
    Mac,
    Address,
}

fn clash(d: &mut Diagnostics, path: &str, value: &str, other: &str, rule: &str) {
    d.error(path, Some(value), &format!("is used by {other} too"), rule);
}

/// The address of a CIDR, written one way: `10.0.0.5/24` and `10.0.0.5/16` clash.
fn ip_of(cidr: &str) -> String {
    let address = cidr.split_once('/').map_or(cidr, |(a, _)| a);
    address
        .parse::<std::net::IpAddr>()
        .map_or_else(|_| address.to_owned(), |ip| ip.to_string())
}

fn registration(p: &ProvisioningSpec) -> Option<(&'static str, &str, &str)> {
    match p {
        ProvisioningSpec::DpsSymmetricKey {
            scope,
            registration_id,
            ..
        } => Some((
            "spec.iotEdge.provisioning.dps.symmetricKey.registrationId",
            scope,
            registration_id,
        )),
        ProvisioningSpec::DpsTpm {
            scope,
            registration_id,
            ..
        } => Some((
            "spec.iotEdge.provisioning.dps.tpm.registrationId",
            scope,
            registration_id,
        )),
        ProvisioningSpec::DpsX509 {
            scope,
            registration_id: Some(id),
            ..
        } => Some((
            "spec.iotEdge.provisioning.dps.x509.registrationId",
            scope,
            id,
        )),
        _ => None,
    }
}
