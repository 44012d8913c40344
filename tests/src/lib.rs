//! An independent checker for the manifest streams edgevirt renders.
//!
//! edgevirt's own validation lives in `edgevirt-core`. This crate checks the *output* without
//! sharing any code with it, the way a cluster would take it:
//!
//! 1. the YAML stream is split into documents, read with YAML 1.1 scalars as Kubernetes and
//!    cloud-init read them ([`parse_stream`]);
//! 2. each document is validated against the strict JSON schema of its kind, copied into
//!    `tests/schemas/` (Kubernetes 1.30 Secret/Service/ConfigMap, KubeVirt `VirtualMachine` 1.9.0
//!    or 1.6.2, CDI `DataVolume`, Multus `NetworkAttachmentDefinition`); a kind without a schema
//!    is itself a problem;
//! 3. the rules the API server and KubeVirt's admission webhook enforce but the schemas miss:
//!    names, run strategy, guest memory of at least 1M, disks paired with volumes, DataVolume
//!    templates, cloud-init sources and their Secrets, interfaces paired with networks, MAC
//!    addresses, CNI configurations;
//! 4. deep checks of what the Secrets carry: the `#cloud-config` against cloud-init 26.2's
//!    schema, `write_files` modes and paths, and `/etc/aziot/config.toml` against the IoT Edge
//!    config schema.
//!
//! Every problem is reported, none stops the others (except a YAML syntax error, after which
//! there are no documents to look at).
//!
//! ```
//! use edgevirt_tests::{KubeVirtVersion, check_manifests};
//!
//! let stream = "\
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: edge-cloud-init}
//! stringData:
//!   userdata: |
//!     #cloud-config
//!     hostname: edge
//! ";
//! assert!(check_manifests(stream, KubeVirtVersion::V1_9_0).is_empty());
//! ```
//!
//! The schema files are read at run time from this crate's folder (`CARGO_MANIFEST_DIR`), so
//! the checker works from a clone of the repository, not as a published crate.

mod aziot_config;
mod cloud_config;
mod cloud_init;
mod metadata;
mod network;
mod problem;
mod quantity;
mod schema;
mod secrets;
mod stream;
mod virtual_machine;

use serde_json::Value;

pub use aziot_config::check_aziot_config;
pub use cloud_config::check_cloud_config;
pub use problem::{Problem, Stage};
pub use schema::KubeVirtVersion;
pub use stream::parse_stream;

use problem::Origin;
use secrets::SecretIndex;

/// Checks a multi-document YAML stream of manifests; an empty result means it passed.
///
/// See the crate documentation for what is checked.
pub fn check_manifests(yaml_stream: &str, kubevirt: KubeVirtVersion) -> Vec<Problem> {
    match parse_stream(yaml_stream) {
        Ok(docs) => check_documents(&docs, kubevirt),
        Err(problem) => vec![problem],
    }
}

/// Checks documents already parsed, as [`check_manifests`] does after parsing.
///
/// Secrets referenced by a VirtualMachine are looked up among `docs`.
pub fn check_documents(docs: &[Value], kubevirt: KubeVirtVersion) -> Vec<Problem> {
    let secrets = SecretIndex::new(docs);
    let mut problems = Vec::new();
    for (index, doc) in docs.iter().enumerate() {
        let origin = Origin::document(index, stream::resource_label(doc));
        if !doc.is_object() {
            problems.push(origin.problem(Stage::Parse, "", "document is not a mapping"));
            continue;
        }
        problems.extend(schema::check_document(doc, &origin, kubevirt));
        problems.extend(admission(doc, &origin, &secrets));
        if secrets::is_secret(doc) {
            problems.extend(cloud_config::check_secret(doc, &origin));
        }
    }
    problems
}

/// The admission rules that apply to a document of its kind.
fn admission(doc: &Value, origin: &Origin, secrets: &SecretIndex) -> Vec<Problem> {
    let mut problems = metadata::check_names(doc, origin);
    let api_version = doc.get("apiVersion").and_then(Value::as_str);
    let kind = doc.get("kind").and_then(Value::as_str);
    match (api_version, kind) {
        (Some("kubevirt.io/v1"), Some("VirtualMachine")) => {
            problems.extend(virtual_machine::check(doc, origin));
            problems.extend(cloud_init::check_volumes(doc, origin, secrets));
            problems.extend(network::check_interfaces(doc, origin));
        }
        (Some("k8s.cni.cncf.io/v1"), Some("NetworkAttachmentDefinition")) => {
            problems.extend(network::check_attachment_config(doc, origin));
        }
        _ => {}
    }
    problems
}

#[cfg(test)]
mod tests;
