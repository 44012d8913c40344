//! Where each secret goes: inline into the cloud-init Secret, or read at boot from a Secret
//! attached to the VM as a disk.
//!
//! The plan is filled while `config.toml` is rendered and then read by the VM renderer (which
//! attaches the disks) and the cloud-config renderer (which writes `/etc/edgevirt/apply.json`
//! for the boot script). Mounted secrets appear in `config.toml` as tokens that the boot script
//! replaces; inline ones as their value.

use serde::Serialize;

use crate::model::SecretKeyRef;
use crate::spec::{PemFile, SecretText};

/// Where PEM files are kept in the guest.
pub(crate) const SECRETS_DIR: &str = "/var/lib/edgevirt/secrets";

/// One Secret attached to the VM as a disk.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SecretVolume {
    pub(crate) secret: String,
    /// Disk serial: the guest finds the disk as `/dev/disk/by-id/virtio-<serial>`.
    pub(crate) serial: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Substitution {
    pub(crate) token: String,
    pub(crate) secret: String,
    pub(crate) key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) derive_for: Option<String>,
}

/// A PEM file in the guest: inline (written by cloud-init) or copied from a mounted Secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlannedFile {
    pub(crate) path: String,
    #[serde(skip)]
    pub(crate) inline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) key: Option<String>,
    pub(crate) owner: &'static str,
    pub(crate) mode: &'static str,
}

/// Every secret the device needs, and where each one goes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SecretPlan {
    pub(crate) secret_volumes: Vec<SecretVolume>,
    pub(crate) substitutions: Vec<Substitution>,
    pub(crate) files: Vec<PlannedFile>,
}

/// Who reads a PEM file in the guest.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PemKind {
    /// A certificate, read by aziot-certd.
    Cert,
    /// A private key, read by aziot-keyd.
    Key,
}

impl SecretPlan {
    fn attach(&mut self, r: &SecretKeyRef) {
        if !self.secret_volumes.iter().any(|v| v.secret == r.name) {
            let serial = format!("edgevirt-sec{}", self.secret_volumes.len());
            self.secret_volumes.push(SecretVolume {
                secret: r.name.clone(),
                serial,
            });
        }
    }

    /// The string `config.toml` carries for a secret: its value, or a token.
    pub(crate) fn text(&mut self, secret: &SecretText) -> String {
        self.token(secret, |name, key| format!("edgevirt-secret:{name}/{key}"))
    }

    /// Like [`SecretPlan::text`], with a token shaped like a connection string, so that the
    /// `config.toml` in the cloud-init Secret is valid before the boot script fills it in.
    pub(crate) fn connection_string(&mut self, secret: &SecretText) -> String {
        self.token(secret, |name, key| {
            format!(
                "HostName=edgevirt-secret.invalid;DeviceId={name}/{key};SharedAccessKey=mounted"
            )
        })
    }

    fn token(&mut self, secret: &SecretText, shape: impl Fn(&str, &str) -> String) -> String {
        let (r, derive_for) = match secret {
            SecretText::Inline(value) => return value.clone(),
            SecretText::Mounted(r) => (r, None),
            SecretText::DeriveFrom {
                group_key,
                registration_id,
            } => (group_key, Some(registration_id.clone())),
        };
        self.attach(r);
        let suffix = derive_for
            .as_ref()
            .map_or(String::new(), |id| format!("#derive:{id}"));
        let token = format!("{}{suffix}", shape(&r.name, &r.key));
        if !self.substitutions.iter().any(|s| s.token == token) {
            self.substitutions.push(Substitution {
                token: token.clone(),
                secret: r.name.clone(),
                key: r.key.clone(),
                derive_for,
            });
        }
        token
    }

    /// The `file://` URI `config.toml` carries for a PEM file named `name` in the guest.
    pub(crate) fn pem(&mut self, file: &PemFile, name: &str, kind: PemKind) -> String {
        let path = format!("{SECRETS_DIR}/{name}");
        let (owner, mode) = match kind {
            PemKind::Cert => ("aziotcs", "0644"),
            PemKind::Key => ("aziotks", "0600"),
        };
        let (inline, source) = match file {
            PemFile::OnDevice(uri) => return uri.clone(),
            PemFile::Inline(pem) => (Some(pem.clone()), None),
            PemFile::Mounted(r) => {
                self.attach(r);
                (None, Some(r.clone()))
            }
        };
        self.files.push(PlannedFile {
            path: path.clone(),
            inline,
            secret: source.as_ref().map(|r| r.name.clone()),
            key: source.map(|r| r.key),
            owner,
            mode,
        });
        format!("file://{path}")
    }
}
