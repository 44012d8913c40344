//! What must differ between the devices of one input: names (in a namespace), hostnames, MAC
//! addresses, static IP addresses and DPS registration IDs (in an ID scope).
//!
//! Each device is checked against those before it; a clash is reported on the later device and
//! names the earlier one's place.

use std::collections::HashMap;

use crate::diagnostic::Diagnostics;
use crate::model::EdgeDevice;

/// The values seen so far, each with the place of the device that has it.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    names: HashMap<(Option<String>, String), String>,
    hostnames: HashMap<String, String>,
    macs: HashMap<String, String>,
    addresses: HashMap<String, String>,
    registrations: HashMap<String, String>,
}

impl Seen {
    /// Checks `device`, at `place`, against the devices before it, and remembers it. The values
    /// are taken as written (with the defaults the validation fills in), so that devices clash
    /// even when they have other problems.
    pub(crate) fn check(&mut self, place: &str, device: &EdgeDevice, d: &mut Diagnostics) {
        let meta = &device.metadata;
        let name = (meta.namespace.clone(), meta.name.clone());
        if let Some(other) = self.names.get(&name) {
            // The hostname, the derived MACs and the registration ID default to the name: one
            // mistake, one message.
            clash(
                d,
                "metadata.name",
                &meta.name,
                other,
                "device names are unique in a namespace",
            );
            return;
        }
        self.names.insert(name, place.to_owned());
        for (path, value, kind) in unique_values(device) {
            let (table, key, rule) = match kind {
                Kind::Hostname => (
                    &mut self.hostnames,
                    value.to_ascii_lowercase(),
                    "hostnames are unique",
                ),
                Kind::Mac => (
                    &mut self.macs,
                    value.to_ascii_lowercase(),
                    "MAC addresses are unique",
                ),
                Kind::Address => (
                    &mut self.addresses,
                    ip_of(&value),
                    "static IP addresses are unique",
                ),
                Kind::Registration(scope) => (
                    &mut self.registrations,
                    format!("{scope}/{value}"),
                    "DPS registration IDs are unique in an ID scope",
                ),
            };
            match table.get(&key) {
                Some(other) => clash(d, &path, &value, other, rule),
                None => {
                    table.insert(key, place.to_owned());
                }
            }
        }
    }
}

/// The values of `device` that no other device may have, with their field paths.
fn unique_values(device: &EdgeDevice) -> Vec<(String, String, Kind)> {
    let name = &device.metadata.name;
    let spec = &device.spec;
    let hostname = spec.iot_edge.hostname.as_ref().unwrap_or(name);
    let mut found = vec![(
        "spec.iotEdge.hostname".to_owned(),
        hostname.clone(),
        Kind::Hostname,
    )];
    if let Some(mac) = &spec.vm.mac_address {
        found.push(("spec.vm.macAddress".to_owned(), mac.clone(), Kind::Mac));
    }
    for (i, iface) in spec.network.interfaces.iter().enumerate() {
        let path = format!("spec.network.interfaces[{i}]");
        if let Some(mac) = &iface.mac_address {
            found.push((format!("{path}.macAddress"), mac.clone(), Kind::Mac));
        }
        for (j, address) in iface.addresses.iter().enumerate() {
            found.push((
                format!("{path}.addresses[{j}]"),
                address.clone(),
                Kind::Address,
            ));
        }
    }
    if let Some(dps) = &spec.iot_edge.provisioning.dps {
        let path = "spec.iotEdge.provisioning.dps";
        let given = [
            (
                "symmetricKey",
                dps.symmetric_key
                    .as_ref()
                    .map(|k| k.registration_id.as_ref().unwrap_or(name)),
            ),
            (
                "tpm",
                dps.tpm
                    .as_ref()
                    .map(|t| t.registration_id.as_ref().unwrap_or(name)),
            ),
            // Without one, DPS takes the certificate's common name, which edgevirt does not read.
            (
                "x509",
                dps.x509.as_ref().and_then(|x| x.registration_id.as_ref()),
            ),
        ];
        for (method, id) in given {
            if let Some(id) = id {
                let kind = Kind::Registration(dps.id_scope.clone());
                found.push((format!("{path}.{method}.registrationId"), id.clone(), kind));
            }
        }
    }
    found
}

enum Kind {
    Hostname,
    Mac,
    Address,
    /// In the DPS ID scope given.
    Registration(String),
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
