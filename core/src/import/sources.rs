//! Certificates, keys and secrets as `config.toml` gives them: `file://` URIs, inline values,
//! and the PKCS#11 URIs and issued certificates that edgevirt refuses.

use toml::Value;

use super::reader::{Reader, Section, shown, wrong_type};
use crate::model::SecretSource;

/// Why a PKCS#11 key cannot come along.
pub(super) const PKCS11: &str =
    "is a PKCS#11 key, which needs a hardware security module a KubeVirt VM does not have";

/// Why the PKCS#11 settings of the key service cannot come along.
pub(super) const PKCS11_MODULE: &str =
    "configures PKCS#11 keys, which need a hardware security module a KubeVirt VM does not have";

/// What to do about a PKCS#11 key or module.
pub(super) const PKCS11_HINT: &str =
    "export the key and certificate as PEM files and give them as file:// URIs";

/// Takes a certificate or private key given as a URI; a `file://` URI is carried as a file
/// already on the device.
pub(super) fn pem_file(
    sec: &mut Section,
    key: &str,
    model: &str,
    r: &mut Reader,
) -> Option<SecretSource> {
    let value = sec.take(key)?;
    pem_uri(&sec.path_of(key), value, model, r)
}

/// A certificate or private key URI taken from the key at `path`.
pub(super) fn pem_uri(
    path: &str,
    value: Value,
    model: &str,
    r: &mut Reader,
) -> Option<SecretSource> {
    let Value::String(uri) = value else {
        wrong_type(path, &value, "a file:// URI", r);
        return None;
    };
    if uri.starts_with("file://") {
        r.origin(model, path.to_owned());
        return Some(SecretSource {
            file: Some(uri),
            ..SecretSource::default()
        });
    }
    let shown = shown(path, &Value::String(uri.clone()));
    if uri.starts_with("pkcs11:") {
        r.refuse(path, shown.as_deref(), PKCS11, PKCS11_HINT);
    } else {
        r.refuse(
            path,
            shown.as_deref(),
            "is not a file:// URI",
            "give the PEM file as a URI such as file:///var/secrets/device-id.pem",
        );
    }
    None
}

/// Refuses an identity certificate given as a table: one that IoT Edge has issued, through EST
/// or by a local CA.
pub(super) fn refuse_issued_cert(path: &str, mut issued: Section, r: &mut Reader) {
    let method = issued.word("method", r);
    let by = match method.as_deref() {
        Some("est") => "by an EST server",
        Some("local_ca") => "by a local CA",
        _ => "at run time",
    };
    r.refuse(
        path,
        method.as_deref(),
        &format!("is an identity certificate issued {by}, which edgevirt does not carry"),
        "issue the certificate beforehand and give identity_cert and identity_pk as file:// URIs, \
         or use symmetric key or TPM attestation",
    );
}

/// Takes a symmetric key table, `{ value = "..." }`; a key read from a URI is refused.
pub(super) fn symmetric_key(
    sec: &mut Section,
    key: &str,
    model: &str,
    r: &mut Reader,
) -> Option<SecretSource> {
    let mut table = sec.table(key, r)?;
    let value = table.string("value", model, r);
    if let Some(uri) = table.take("uri") {
        let path = table.path_of("uri");
        let pkcs11 = uri.as_str().is_some_and(|u| u.starts_with("pkcs11:"));
        let message = if pkcs11 {
            PKCS11
        } else {
            "is a symmetric key read from a file, which edgevirt does not carry"
        };
        r.refuse(
            &path,
            shown(&path, &uri).as_deref(),
            message,
            "give the key itself as value, or as a secretKeyRef in the EdgeDevice",
        );
    }
    table.finish(r);
    value.map(|v| SecretSource {
        value: Some(v),
        ..SecretSource::default()
    })
}

/// An inline secret such as a password or connection string.
pub(super) fn inline(value: String) -> SecretSource {
    SecretSource {
        value: Some(value),
        ..SecretSource::default()
    }
}
