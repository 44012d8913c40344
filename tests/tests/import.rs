//! `edgevirt import` against the real IoT Edge `config.toml` files in `aziot-samples/`.
//!
//! Each sample either imports, and the `config.toml` edgevirt renders for the imported device
//! holds every value of the original with the same type (edgevirt may add its defaults), or is
//! refused with errors at keys the original really has. [`EXPECTED`] writes down which samples
//! do which, so a change in behaviour fails here. `cargo test -p edgevirt-tests --test import
//! -- --nocapture` prints a summary table.

use std::fs;
use std::path::Path;

use edgevirt_core::{Error, Severity};
use serde_json::Value as Json;
use toml::{Table, Value};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/aziot-samples");

const SOCKETS_REFUSED: &[&str] = &[
    "connect.workload_uri",
    "connect.management_uri",
    "listen.workload_uri",
    "listen.management_uri",
];

/// Every sample and the TOML keys its import is refused at; empty: it imports.
const EXPECTED: &[(&str, &[&str])] = &[
    ("iot-identity-service/dps-symmetric-key-no-pad.toml", &[]),
    ("iot-identity-service/dps-symmetric-key.toml", &[]),
    ("iot-identity-service/dps-tpm.toml", &[]),
    (
        "iot-identity-service/dps-x509-est-bootstrap-auto-renew.toml",
        &[
            "provisioning.attestation.identity_cert",
            "cert_issuance.est",
        ],
    ),
    (
        "iot-identity-service/dps-x509-pkcs11-est-bootstrap.toml",
        &[
            "provisioning.attestation.identity_cert",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
            "cert_issuance.est",
        ],
    ),
    (
        "iot-identity-service/dps-x509-pkcs11-est-custom-bootstrap.toml",
        &[
            "provisioning.attestation.identity_cert",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
            "cert_issuance.est",
        ],
    ),
    (
        "iot-identity-service/dps-x509-pkcs11-est-subject-dn-bootstrap.toml",
        &[
            "provisioning.attestation.identity_cert",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
            "cert_issuance.est",
        ],
    ),
    (
        "iot-identity-service/dps-x509-pkcs11-est.toml",
        &[
            "provisioning.attestation.identity_cert",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
            "cert_issuance.est",
        ],
    ),
    (
        "iot-identity-service/dps-x509-pkcs11-localca.toml",
        &[
            "provisioning.attestation.identity_cert",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
            "cert_issuance.local_ca",
        ],
    ),
    (
        "iot-identity-service/dps-x509-pkcs11.toml",
        &[
            "provisioning.attestation.identity_pk",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
        ],
    ),
    ("iot-identity-service/dps-x509.toml", &[]),
    ("iot-identity-service/local-gateway.toml", &[]),
    ("iot-identity-service/manual-connection-string.toml", &[]),
    ("iot-identity-service/manual-symmetric-key-no-pad.toml", &[]),
    ("iot-identity-service/manual-symmetric-key.toml", &[]),
    (
        "iot-identity-service/manual-x509-est-custom-http.toml",
        &["provisioning.authentication.identity_cert"],
    ),
    (
        "iot-identity-service/manual-x509-est-custom.toml",
        &["provisioning.authentication.identity_cert"],
    ),
    (
        "iot-identity-service/manual-x509-est-subject-dn.toml",
        &["provisioning.authentication.identity_cert"],
    ),
    (
        "iot-identity-service/manual-x509-pkcs11.toml",
        &[
            "provisioning.authentication.identity_pk",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot",
        ],
    ),
    ("iot-identity-service/manual-x509.toml", &[]),
    ("iot-identity-service/throttle-limits.toml", &[]),
    ("iotedge/ca-certs-est.toml", &[]),
    (
        "iotedge/ca-certs-local-ca.toml",
        &["edge_ca.method", "cert_issuance.local_ca"],
    ),
    ("iotedge/ca-certs.toml", &[]),
    ("iotedge/ca-quickstart-custom.toml", &[]),
    ("iotedge/ca-quickstart.toml", &[]),
    ("iotedge/complex-agent-spec.toml", &[]),
    ("iotedge/dps-no-reprovisioning-flags.toml", &[]),
    ("iotedge/dps-symmetric-key-no-pad.toml", &[]),
    ("iotedge/dps-symmetric-key.toml", &[]),
    ("iotedge/dps-tpm.toml", &[]),
    ("iotedge/dps-x509.toml", &[]),
    (
        "iotedge/imported-master-encryption-key.toml",
        &["imported_master_encryption_key"],
    ),
    ("iotedge/manual-connection-string-2.toml", &[]),
    ("iotedge/manual-connection-string-no-pad.toml", &[]),
    ("iotedge/manual-connection-string.toml", &[]),
    ("iotedge/manual-x509.toml", &[]),
    (
        "iotedge/moby-runtime-network-2.toml",
        &["moby_runtime.network"],
    ),
    ("iotedge/moby-runtime-network.toml", &[]),
    ("iotedge/nested-edge.toml", &[]),
    (
        "iotedge/not-socket-activated-both-custom.toml",
        SOCKETS_REFUSED,
    ),
    ("iotedge/not-socket-activated-varlib.toml", SOCKETS_REFUSED),
    (
        "iotedge/not-socket-activated-varrun.toml",
        &["listen.workload_uri", "listen.management_uri"],
    ),
    (
        "iotedge/socket-activated-one-custom.toml",
        &["connect.workload_uri", "listen.workload_uri"],
    ),
];

/// The samples on disk, as `folder/file.toml`, without the two templates.
fn samples() -> Vec<String> {
    let mut found = Vec::new();
    for folder in ["iotedge", "iot-identity-service"] {
        let dir = Path::new(SAMPLES).join(folder);
        for entry in fs::read_dir(&dir).expect("the samples folder is readable") {
            let file = entry
                .expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if file.ends_with(".toml") && file != "template.toml" {
                found.push(format!("{folder}/{file}"));
            }
        }
    }
    found.sort();
    found
}

/// A device name made from a file stem: lowercase letters, digits and '-'.
fn name_from_stem(sample: &str) -> String {
    let stem = Path::new(sample)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let stem = stem.unwrap_or_default().to_ascii_lowercase();
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    let name = if name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.to_owned()
    } else {
        format!("d-{name}")
    };
    name.chars()
        .take(52)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// How the import of one sample went.
enum Outcome {
    Imported,
    Refused(Vec<String>),
}

/// Imports one sample and checks the result; problems go to `failures`.
fn check_sample(sample: &str, failures: &mut Vec<String>) -> Option<Outcome> {
    let text = fs::read_to_string(Path::new(SAMPLES).join(sample)).expect("a readable sample");
    let original: Table = toml::from_str(&text).expect("the sample is TOML");
    let name = (!original.contains_key("hostname")).then(|| name_from_stem(sample));
    match edgevirt_core::import_config_toml(&text, name.as_deref()) {
        Ok(device) => {
            let rendered = match rendered_config_toml(&device) {
                Ok(rendered) => rendered,
                Err(e) => {
                    failures.push(format!("{sample}: imported but does not render: {e}"));
                    return None;
                }
            };
            let mut missing = Vec::new();
            compare(&original, &rendered, "", &mut missing);
            failures.extend(missing.into_iter().map(|m| format!("{sample}: {m}")));
            Some(Outcome::Imported)
        }
        Err(Error::Invalid { diagnostics }) => {
            let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error);
            let paths: Vec<String> = errors.map(|d| d.path.clone()).collect();
            for d in &diagnostics {
                if lookup(&original, &d.path).is_none() {
                    failures.push(format!(
                        "{sample}: refused at {}, not a key of the file",
                        d.path
                    ));
                }
                if d.message.is_empty() || d.hint.is_none() || d.message.ends_with('.') {
                    failures.push(format!("{sample}: {d} lacks a message or a hint"));
                }
            }
            if paths.is_empty() {
                failures.push(format!("{sample}: refused without an error"));
            }
            Some(Outcome::Refused(paths))
        }
        Err(e) => {
            failures.push(format!("{sample}: {e}"));
            None
        }
    }
}

/// Validates and renders `device`, and reads back the `config.toml` its cloud-config writes.
fn rendered_config_toml(device: &edgevirt_core::EdgeDevice) -> Result<Table, String> {
    let validated = edgevirt_core::validate(device).map_err(|e| e.to_string())?;
    let manifests = edgevirt_core::render(&validated.spec);
    let user_data = manifests
        .documents()
        .iter()
        .filter(|d| d["kind"] == "Secret")
        .filter_map(|d| d["stringData"]["userdata"].as_str())
        .find(|u| u.starts_with("#cloud-config"))
        .ok_or("no Secret holds the cloud-config")?;
    let cloud_config: Json = serde_saphyr::from_str(user_data).map_err(|e| e.to_string())?;
    let files = cloud_config["write_files"]
        .as_array()
        .ok_or("no write_files")?;
    let content = files
        .iter()
        .find(|f| f["path"] == "/etc/aziot/config.toml")
        .and_then(|f| f["content"].as_str())
        .ok_or("no /etc/aziot/config.toml in write_files")?;
    toml::from_str(content).map_err(|e| format!("the rendered config.toml is not TOML: {e}"))
}

/// Records every leaf of `original` that `rendered` lacks or holds with another value or type.
/// Arrays are compared whole; an empty table counts as present.
fn compare(original: &Table, rendered: &Table, prefix: &str, missing: &mut Vec<String>) {
    for (key, value) in original {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (value, rendered.get(key)) {
            (Value::Table(t), _) if t.is_empty() => {}
            (Value::Table(t), Some(Value::Table(r))) => compare(t, r, &path, missing),
            (_, None) => missing.push(format!("{path} is missing from the rendered config.toml")),
            (want, Some(got)) if want != got => {
                missing.push(format!(
                    "{path} is {got} in the rendered config.toml, not {want}"
                ));
            }
            _ => {}
        }
    }
}

/// The value at a dotted TOML path such as `agent.env."a.b"`.
fn lookup<'t>(table: &'t Table, path: &str) -> Option<&'t Value> {
    let mut keys = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let (key, after) = match rest.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"')?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => rest.split_at(rest.find('.').unwrap_or(rest.len())),
        };
        keys.push(key);
        rest = after.strip_prefix('.').unwrap_or(after);
    }
    let (last, parents) = keys.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get(*key)?.as_table()?;
    }
    current.get(*last)
}

#[test]
fn every_sample_imports_and_round_trips_or_is_refused_at_its_keys() {
    let on_disk = samples();
    let listed: Vec<String> = EXPECTED.iter().map(|(s, _)| (*s).to_owned()).collect();
    assert_eq!(on_disk, listed, "EXPECTED lists every sample, in order");
    assert_eq!(on_disk.len(), 44);

    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for (sample, expected) in EXPECTED {
        let Some(outcome) = check_sample(sample, &mut failures) else {
            continue;
        };
        let got: Vec<String> = match &outcome {
            Outcome::Imported => Vec::new(),
            Outcome::Refused(paths) => paths.clone(),
        };
        let mut want: Vec<&str> = expected.to_vec();
        let mut got_sorted: Vec<&str> = got.iter().map(String::as_str).collect();
        want.sort_unstable();
        got_sorted.sort_unstable();
        if got_sorted != want {
            failures.push(format!("{sample}: expected refusals {want:?}, got {got:?}"));
        }
        rows.push((*sample, outcome));
    }
    print_summary(&rows);
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[expect(clippy::print_stdout, reason = "the summary is for --nocapture")]
fn print_summary(rows: &[(&str, Outcome)]) {
    let imported = rows
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Imported))
        .count();
    println!("{:<66} result", "sample");
    for (sample, outcome) in rows {
        match outcome {
            Outcome::Imported => println!("{sample:<66} imported"),
            Outcome::Refused(paths) => println!("{sample:<66} refused: {}", paths.join(", ")),
        }
    }
    println!("{imported} imported, {} refused", rows.len() - imported);
}

#[test]
fn a_misspelt_key_is_refused_by_name() {
    let path = Path::new(SAMPLES).join("iotedge/manual-connection-string.toml");
    let text = fs::read_to_string(path).expect("a readable sample");
    let misspelt = text.replacen("hostname = ", "hostnme = ", 1);
    assert_ne!(text, misspelt);
    let result = edgevirt_core::import_config_toml(&misspelt, Some("my-device"));
    let error = result.expect_err("a misspelt key is refused");
    let paths: Vec<&str> = error
        .diagnostics()
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(paths, ["hostnme"]);
    assert!(error.to_string().contains("hostnme"));
}

#[test]
fn a_sample_without_hostname_or_name_needs_a_name() {
    let path = Path::new(SAMPLES).join("iot-identity-service/manual-symmetric-key.toml");
    let text = fs::read_to_string(path).expect("a readable sample");
    let error = edgevirt_core::import_config_toml(&text, None).expect_err("no name");
    let d = &error.diagnostics()[0];
    assert_eq!(d.path, "hostname");
    assert!(d.hint.as_deref().unwrap_or("").contains("--name"));
}

#[test]
fn compare_finds_missing_and_changed_values() {
    let original: Table =
        toml::from_str("a = 1\n[t]\nb = \"x\"\nc = [1, 2]\n[empty]").expect("TOML");
    let rendered: Table = toml::from_str("a = 1.0\nextra = true\n[t]\nc = [1]").expect("TOML");
    let mut missing = Vec::new();
    compare(&original, &rendered, "", &mut missing);
    let paths: Vec<&str> = missing.iter().filter_map(|m| m.split(' ').next()).collect();
    assert_eq!(paths, ["a", "t.b", "t.c"]);
}

#[test]
fn lookup_reads_quoted_keys() {
    let table: Table = toml::from_str("[agent.env]\n\"a.b\" = \"c\"").expect("TOML");
    assert_eq!(
        lookup(&table, "agent.env.\"a.b\"").and_then(Value::as_str),
        Some("c")
    );
    assert!(lookup(&table, "agent.env.a").is_none());
}
