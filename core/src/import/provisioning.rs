//! `[provisioning]`: manual provisioning (connection string, SAS key, X.509 files) and DPS
//! (symmetric key, X.509 files, TPM).

use super::reader::{Reader, Section};
use super::sources::{inline, pem_file, refuse_issued_cert, symmetric_key};
use crate::model::{
    Dps, DpsSymmetricKey, DpsTpm, DpsX509, Manual, Provisioning, SecretSource, X509Identity,
};

const PROVISIONING: &str = "spec.iotEdge.provisioning";
const MANUAL: &str = "spec.iotEdge.provisioning.manual";
const DPS: &str = "spec.iotEdge.provisioning.dps";

/// Reads `[provisioning]`.
pub(super) fn read(root: &mut Section, r: &mut Reader) -> Provisioning {
    root.require(
        "provisioning",
        "edgevirt needs manual or dps provisioning",
        r,
    );
    let Some(mut p) = root.table("provisioning", r) else {
        return Provisioning::default();
    };
    r.origin(PROVISIONING, p.path().to_owned());
    p.require("source", "\"manual\" or \"dps\"", r);
    let provisioning = match p.word("source", r).as_deref() {
        Some("manual") => Provisioning {
            manual: Some(manual(&mut p, r)),
            dps: None,
        },
        Some("dps") => Provisioning {
            manual: None,
            dps: Some(dps(&mut p, r)),
        },
        Some(other) => {
            r.refuse(
                &p.path_of("source"),
                Some(other),
                "is not a provisioning source edgevirt carries",
                "use \"manual\" or \"dps\"",
            );
            return Provisioning::default();
        }
        None => return Provisioning::default(),
    };
    p.finish(r);
    provisioning
}

fn manual(p: &mut Section, r: &mut Reader) -> Manual {
    r.origin(MANUAL, p.path().to_owned());
    let given = p.has("connection_string") || p.has("authentication");
    let connection_string = p
        .string(
            "connection_string",
            &format!("{MANUAL}.connectionString"),
            r,
        )
        .map(inline);
    let mut m = Manual {
        connection_string,
        iothub_hostname: p.string("iothub_hostname", &format!("{MANUAL}.iothubHostname"), r),
        device_id: p.string("device_id", &format!("{MANUAL}.deviceId"), r),
        ..Manual::default()
    };
    if !given {
        r.refuse(
            p.path(),
            None,
            "needs a connection_string or an authentication table",
            "give connection_string, or iothub_hostname, device_id and \
             [provisioning.authentication]",
        );
    }
    let Some(mut auth) = p.table("authentication", r) else {
        return m;
    };
    auth.require("method", "\"sas\" or \"x509\"", r);
    match auth.word("method", r).as_deref() {
        Some("sas") => {
            auth.require(
                "device_id_pk",
                "device_id_pk = { value = \"<base64 key>\" }",
                r,
            );
            let model = format!("{MANUAL}.symmetricKey");
            m.symmetric_key = symmetric_key(&mut auth, "device_id_pk", &model, r);
        }
        Some("x509") => {
            let x509 = x509(&mut auth, &format!("{MANUAL}.x509"), r);
            m.x509 = x509.map(|(identity_cert, identity_pk)| X509Identity {
                identity_cert,
                identity_pk,
            });
        }
        Some(other) => {
            r.refuse(
                &auth.path_of("method"),
                Some(other),
                "is not an authentication method edgevirt carries",
                "use \"sas\" or \"x509\"",
            );
            return m;
        }
        None => return m,
    }
    auth.finish(r);
    m
}

fn dps(p: &mut Section, r: &mut Reader) -> Dps {
    r.origin(DPS, p.path().to_owned());
    p.require(
        "id_scope",
        "the ID scope shown on the Overview page of the DPS instance",
        r,
    );
    let mut dps = Dps {
        id_scope: p
            .string("id_scope", &format!("{DPS}.idScope"), r)
            .unwrap_or_default(),
        global_endpoint: p.string("global_endpoint", &format!("{DPS}.globalEndpoint"), r),
        ..Dps::default()
    };
    p.refuse(
        "payload",
        "is a custom DPS registration payload, which edgevirt does not carry",
        "remove it; DPS then allocates the device without a payload",
        r,
    );
    p.require(
        "attestation",
        "a table with method \"symmetric_key\", \"x509\" or \"tpm\"",
        r,
    );
    let Some(mut a) = p.table("attestation", r) else {
        return dps;
    };
    a.require("method", "\"symmetric_key\", \"x509\" or \"tpm\"", r);
    match a.word("method", r).as_deref() {
        Some("symmetric_key") => {
            let path = format!("{DPS}.symmetricKey");
            let registration_id = a.string("registration_id", &format!("{path}.registrationId"), r);
            a.require(
                "symmetric_key",
                "symmetric_key = { value = \"<base64 key>\" }",
                r,
            );
            let device_key =
                symmetric_key(&mut a, "symmetric_key", &format!("{path}.deviceKey"), r);
            let key = DpsSymmetricKey {
                registration_id,
                device_key,
                enrollment_group_key: None,
            };
            dps.symmetric_key = Some(key);
        }
        Some("x509") => {
            let path = format!("{DPS}.x509");
            let registration_id = a.string("registration_id", &format!("{path}.registrationId"), r);
            dps.x509 = x509(&mut a, &path, r).map(|(identity_cert, identity_pk)| DpsX509 {
                registration_id,
                identity_cert,
                identity_pk,
            });
        }
        Some("tpm") => {
            let model = format!("{DPS}.tpm.registrationId");
            dps.tpm = Some(DpsTpm {
                registration_id: a.string("registration_id", &model, r),
            });
        }
        Some(other) => {
            r.refuse(
                &a.path_of("method"),
                Some(other),
                "is not an attestation method edgevirt carries",
                "use \"symmetric_key\", \"x509\" or \"tpm\"",
            );
            return dps;
        }
        None => return dps,
    }
    a.finish(r);
    dps
}

/// Reads `identity_cert` and `identity_pk` of X.509 authentication or attestation.
fn x509(t: &mut Section, model: &str, r: &mut Reader) -> Option<(SecretSource, SecretSource)> {
    let pk_model = format!("{model}.identityPk");
    if t.is_table("identity_cert") {
        let path = t.path_of("identity_cert");
        if let Some(issued) = t.table("identity_cert", r) {
            refuse_issued_cert(&path, issued, r);
        }
        // A key beside an issued certificate is read only to report what else is refused.
        let _ = pem_file(t, "identity_pk", &pk_model, r);
        return None;
    }
    t.require("identity_cert", "a file:// URI of the PEM certificate", r);
    t.require("identity_pk", "a file:// URI of the PEM private key", r);
    let cert = pem_file(t, "identity_cert", &format!("{model}.identityCert"), r);
    let pk = pem_file(t, "identity_pk", &pk_model, r);
    Some((cert?, pk?))
}
