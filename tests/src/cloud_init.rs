//! KubeVirt's rules for `cloudInitNoCloud` and `cloudInitConfigDrive` volumes, and the Secrets
//! they point at.
//!
//! KubeVirt rejects inline user-data or network-data over 2048 bytes, and more than one source
//! of each. A Secret named by `secretRef` (the JSON name of the Go field `UserDataSecretRef`) must
//! be in the same stream and namespace, since edgevirt renders it next to the VM, and hold the key
//! `userdata` or `userData`. This module does not look inside the cloud-config: that is the deep
//! check of `cloud_config`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::problem::{Origin, Problem, Stage};
use crate::secrets::{SecretIndex, namespace, payload};
use crate::virtual_machine::{TEMPLATE_SPEC, list};

/// The most inline user-data or network-data KubeVirt accepts, in bytes.
pub(crate) const INLINE_LIMIT: usize = 2048;

/// Secret keys KubeVirt reads user-data from, in the order it tries them.
pub(crate) const USER_DATA_KEYS: [&str; 2] = ["userdata", "userData"];

/// Secret keys KubeVirt reads network-data from, in the order it tries them.
pub(crate) const NETWORK_DATA_KEYS: [&str; 2] = ["networkdata", "networkData"];

/// One kind of cloud-init data: its inline fields, its Secret reference and Secret keys.
struct DataKind {
    what: &'static str,
    inline: &'static str,
    base64: &'static str,
    secret_ref: &'static str,
    keys: [&'static str; 2],
    /// The first line the data must start with, when KubeVirt's consumer needs one.
    header: Option<&'static str>,
}

const USER_DATA: DataKind = DataKind {
    what: "user-data",
    inline: "userData",
    base64: "userDataBase64",
    secret_ref: "secretRef",
    keys: USER_DATA_KEYS,
    header: Some("#cloud-config"),
};

const NETWORK_DATA: DataKind = DataKind {
    what: "network-data",
    inline: "networkData",
    base64: "networkDataBase64",
    secret_ref: "networkDataSecretRef",
    keys: NETWORK_DATA_KEYS,
    header: None,
};

/// Checks every cloud-init volume of a VirtualMachine.
pub(crate) fn check_volumes(vm: &Value, origin: &Origin, secrets: &SecretIndex) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, volume) in list(vm, "/spec/template/spec/volumes").iter().enumerate() {
        for source in ["cloudInitNoCloud", "cloudInitConfigDrive"] {
            let Some(cloud_init) = volume.get(source) else {
                continue;
            };
            let volume = Volume {
                path: format!("{TEMPLATE_SPEC}.volumes[{index}].{source}"),
                cloud_init,
                namespace: namespace(vm),
                origin,
            };
            problems.extend(volume.check(secrets));
        }
    }
    problems
}

/// One cloud-init volume source under check.
struct Volume<'a> {
    path: String,
    cloud_init: &'a Value,
    namespace: Option<&'a str>,
    origin: &'a Origin,
}

impl Volume<'_> {
    fn check(&self, secrets: &SecretIndex) -> Vec<Problem> {
        let mut problems = Vec::new();
        let user = self.count_sources(&USER_DATA, &mut problems);
        let network = self.count_sources(&NETWORK_DATA, &mut problems);
        if user + network == 0 {
            let message = "no user-data or network-data source (set secretRef)";
            problems.push(self.problem(&self.path, message.to_owned()));
        }
        for kind in [&USER_DATA, &NETWORK_DATA] {
            problems.extend(self.check_inline_size(kind));
            problems.extend(self.check_secret_ref(kind, secrets));
        }
        problems
    }

    fn problem(&self, path: &str, message: String) -> Problem {
        self.origin.problem(Stage::Admission, path, message)
    }

    /// Counts the sources given for one kind of data, reporting more than one.
    fn count_sources(&self, kind: &DataKind, problems: &mut Vec<Problem>) -> usize {
        let given: Vec<&str> = [kind.inline, kind.base64, kind.secret_ref]
            .into_iter()
            .filter(|key| self.cloud_init.get(key).is_some())
            .collect();
        if given.len() > 1 {
            let message = format!("more than one {} source: {given:?} (keep one)", kind.what);
            problems.push(self.problem(&self.path, message));
        }
        given.len()
    }

    fn check_inline_size(&self, kind: &DataKind) -> Option<Problem> {
        let (field, size) = if let Some(text) = self.text_field(kind.inline) {
            (kind.inline, text.len())
        } else {
            let encoded = self.text_field(kind.base64)?;
            let path = format!("{}.{}", self.path, kind.base64);
            match STANDARD.decode(encoded) {
                Ok(bytes) => (kind.base64, bytes.len()),
                Err(e) => return Some(self.problem(&path, format!("not valid base64 ({e})"))),
            }
        };
        (size > INLINE_LIMIT).then(|| {
            let message = format!(
                "inline {} is {size} bytes, over KubeVirt's limit of {INLINE_LIMIT} (put it in a \
                 Secret and use {})",
                kind.what, kind.secret_ref
            );
            self.problem(&format!("{}.{field}", self.path), message)
        })
    }

    fn text_field(&self, key: &str) -> Option<&str> {
        self.cloud_init.get(key).and_then(Value::as_str)
    }

    fn check_secret_ref(&self, kind: &DataKind, secrets: &SecretIndex) -> Vec<Problem> {
        let Some(reference) = self.cloud_init.get(kind.secret_ref) else {
            return Vec::new();
        };
        let path = format!("{}.{}.name", self.path, kind.secret_ref);
        let Some(name) = reference.get("name").and_then(Value::as_str) else {
            return vec![self.problem(&path, "missing".to_owned())];
        };
        let Some(secret) = secrets.get(self.namespace, name) else {
            let namespace = self.namespace.unwrap_or("(none)");
            let message = format!(
                "Secret {name:?} is not in this stream in namespace {namespace} (edgevirt renders \
                 the {} Secret next to the VM)",
                kind.what
            );
            return vec![self.problem(&path, message)];
        };
        let Some(found) = payload(secret, &kind.keys) else {
            let message = format!("Secret {name:?} has none of the keys {:?}", kind.keys);
            return vec![self.problem(&path, message)];
        };
        let message = match (&found.text, kind.header) {
            (Err(reason), _) => format!("Secret {name:?} {}: {reason}", found.path),
            (Ok(text), Some(header)) if !text.starts_with(header) => format!(
                "Secret {name:?} {} does not start with {header} (starts with {:?})",
                found.path,
                text.lines().next().unwrap_or("")
            ),
            _ => return Vec::new(),
        };
        vec![self.problem(&path, message)]
    }
}
