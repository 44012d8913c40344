//! Turning an existing IoT Edge `config.toml` into an `EdgeDevice`.
//!
//! Every key of the file is either carried into the model, so that rendering the device gives
//! back a `config.toml` with the same value, or refused. A key is refused when edgevirt has no
//! field for it (PKCS#11 keys, certificate issuance, custom sockets, unknown keys), or has one
//! with a fixed value and the file holds another. All refusals are reported at once, each at
//! its TOML key path, such as `aziot_keys.pkcs11_lib_path`.
//!
//! What the import does not do: it does not read the files that `file://` URIs point to (they
//! stay files expected on the device) and sets nothing outside `spec.iotEdge`.
//!
//! ```
//! let config = r#"
//! hostname = "plant-a-edge-01"
//! [provisioning]
//! source = "manual"
//! connection_string = "HostName=hub.azure-devices.net;DeviceId=edge-01;SharedAccessKey=c2VjcmV0"
//! "#;
//! let device = edgevirt_core::import_config_toml(config, None).expect("carried");
//! assert_eq!(device.metadata.name, "plant-a-edge-01");
//! ```

mod edge_ca;
mod provisioning;
mod reader;
mod runtime;
mod sources;
#[cfg(test)]
mod tests;

use reader::{Reader, Section};
use sources::{PKCS11_HINT, PKCS11_MODULE, pem_file};

use crate::model::{self, EdgeDevice, EdgeDeviceSpec, IotEdge, Metadata};
use crate::{Diagnostic, Error, Severity};

/// The longest device name, as validation allows it.
const MAX_NAME: usize = 52;

/// Reads an IoT Edge `config.toml` and returns the equivalent `EdgeDevice`, named `name` or
/// after the config's hostname.
///
/// # Errors
/// [`Error::Syntax`] for text that is not TOML, [`Error::Invalid`] naming every key edgevirt
/// does not carry.
pub fn import_config_toml(text: &str, name: Option<&str>) -> Result<EdgeDevice, Error> {
    let table: toml::Table = toml::from_str(text).map_err(|e| Error::Syntax {
        message: format!("input is not valid TOML: {e}"),
    })?;
    let mut r = Reader::default();
    let mut root = Section::root(table);
    let iot_edge = read(&mut root, &mut r);
    root.finish(&mut r);
    let name = device_name(name, iot_edge.hostname.as_deref(), &mut r);
    if r.diagnostics.has_errors() {
        return Err(Error::Invalid {
            diagnostics: r.diagnostics.items,
        });
    }
    let device = EdgeDevice {
        api_version: model::API_VERSION.to_owned(),
        kind: model::KIND.to_owned(),
        metadata: Metadata {
            name,
            ..Metadata::default()
        },
        spec: EdgeDeviceSpec {
            iot_edge,
            ..EdgeDeviceSpec::default()
        },
    };
    check(&device, &r)?;
    Ok(device)
}

/// Reads every top-level key edgevirt carries, and refuses the ones it knows but does not.
fn read(root: &mut Section, r: &mut Reader) -> IotEdge {
    let iot_edge = IotEdge {
        hostname: root.string("hostname", "spec.iotEdge.hostname", r),
        parent_hostname: root.string("parent_hostname", "spec.iotEdge.parentHostname", r),
        local_gateway_hostname: root.string(
            "local_gateway_hostname",
            "spec.iotEdge.localGatewayHostname",
            r,
        ),
        trust_bundle: pem_file(root, "trust_bundle_cert", "spec.iotEdge.trustBundle", r),
        auto_reprovisioning_mode: root.string(
            "auto_reprovisioning_mode",
            "spec.iotEdge.autoReprovisioningMode",
            r,
        ),
        prefer_module_identity_cache: root.boolean(
            "prefer_module_identity_cache",
            "spec.iotEdge.preferModuleIdentityCache",
            r,
        ),
        provisioning: provisioning::read(root, r),
        max_requests: runtime::max_requests(root, r),
        agent: Some(runtime::agent(root, r)),
        edge_ca: edge_ca::read(root, r),
        docker: runtime::moby_runtime(root, r),
        image_garbage_collection: runtime::image_gc(root, r),
        ..IotEdge::default()
    };
    runtime::fixed_sockets(root, r);
    refuse_identity_service_tables(root, r);
    refuse_settings(root, r);
    iot_edge
}

/// The identity service's own tables: fine when empty, refused key by key otherwise.
fn refuse_identity_service_tables(root: &mut Section, r: &mut Reader) {
    if let Some(mut keys) = root.table("aziot_keys", r) {
        for key in ["pkcs11_lib_path", "pkcs11_base_slot"] {
            keys.refuse(key, PKCS11_MODULE, PKCS11_HINT, r);
        }
        keys.refuse_rest(
            "is a key service setting, which edgevirt does not carry",
            "remove it; edgevirt runs aziot-keyd with its defaults",
            r,
        );
    }
    if let Some(issuance) = root.table("cert_issuance", r) {
        for (path, key, _) in issuance.into_entries() {
            let message = match key.as_str() {
                "est" => "is certificate issuance through EST, which edgevirt does not carry",
                "local_ca" => {
                    "is certificate issuance by a local CA, which edgevirt does not carry"
                }
                _ => "is a certificate issuance setting, which edgevirt does not carry",
            };
            r.refuse(
                &path,
                None,
                message,
                "give identity certificates as file:// URIs, or use the edge CA's method \"est\"",
            );
        }
    }
    for table in ["preloaded_keys", "preloaded_certs"] {
        if let Some(preloaded) = root.table(table, r) {
            preloaded.refuse_rest(
                "is a preloaded key or certificate, which edgevirt does not carry",
                "give keys and certificates where they are used, as file:// URIs",
                r,
            );
        }
    }
    if let Some(tpm) = root.table("tpm", r) {
        tpm.refuse_rest(
            "is a TPM setting, which edgevirt does not carry",
            "remove it; edgevirt uses the VM's virtual TPM with IoT Edge's defaults",
            r,
        );
    }
}

/// Top-level settings that IoT Edge has and edgevirt does not carry.
fn refuse_settings(root: &mut Section, r: &mut Reader) {
    const NOT_CARRIED: [(&str, &str, &str); 6] = [
        (
            "imported_master_encryption_key",
            "is an imported master encryption key, which edgevirt does not carry",
            "remove it; aziot-keyd makes a new master key on the VM",
        ),
        (
            "allow_elevated_docker_permissions",
            "is a Docker permission setting, which edgevirt does not carry",
            "remove it; IoT Edge's default then applies",
        ),
        (
            "cloud_timeout_sec",
            "is a cloud timeout, which edgevirt does not carry",
            "remove it; IoT Edge's default then applies",
        ),
        (
            "cloud_retries",
            "is a cloud retry count, which edgevirt does not carry",
            "remove it; IoT Edge's default then applies",
        ),
        (
            "manifest_trust_bundle_cert",
            "is a trust bundle for signed deployments, which edgevirt does not carry",
            "remove it, or add the file with an extension",
        ),
        (
            "additional_info",
            "is additional device information, which edgevirt does not carry",
            "remove it",
        ),
    ];
    for (key, message, hint) in NOT_CARRIED {
        root.refuse(key, message, hint, r);
    }
}

/// The device name: the one given, else the hostname when it is a valid device name.
fn device_name(given: Option<&str>, hostname: Option<&str>, r: &mut Reader) -> String {
    const HINT: &str = "pass --name with at most 52 lowercase letters, digits and '-', starting \
                        with a letter; the hostname stays as it is";
    if let Some(name) = given {
        return name.to_owned();
    }
    match hostname {
        Some(h) if is_device_name(h) => h.to_owned(),
        Some(h) => {
            r.refuse("hostname", Some(h), "is not a valid device name", HINT);
            String::new()
        }
        None => {
            r.refuse(
                "hostname",
                None,
                "is not set, so the device has no name",
                HINT,
            );
            String::new()
        }
    }
}

/// A DNS-1123 label that starts with a letter, short enough for derived object names.
fn is_device_name(s: &str) -> bool {
    s.len() <= MAX_NAME
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Validates the imported device, so that a value edgevirt would not render (a hostname with
/// an underscore, a key that is not base64) is refused now, at the TOML key it came from.
fn check(device: &EdgeDevice, r: &Reader) -> Result<(), Error> {
    let diagnostics = match crate::validate(device) {
        Ok(_) => return Ok(()),
        Err(Error::Invalid { diagnostics }) => diagnostics,
        Err(other) => return Err(other),
    };
    let errors = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error);
    let at_keys = errors.map(|d| match r.toml_path(&d.path) {
        Some(path) => Diagnostic {
            path: path.to_owned(),
            ..d
        },
        None => d,
    });
    Err(Error::Invalid {
        diagnostics: at_keys.collect(),
    })
}
