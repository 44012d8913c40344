//! Reading YAML as Kubernetes and cloud-init read it, into `serde_json` values.
//!
//! Kubernetes (through go-yaml v2) and cloud-init (through PyYAML) read YAML 1.1: an unquoted
//! `0600` is the octal number 384 and `yes`/`on` are booleans. `serde-saphyr` follows YAML 1.2
//! unless told otherwise, so the options here switch on the YAML 1.1 readings it supports. The
//! checker then sees a wrongly unquoted value as the wrong type, as the cluster would. Sexagesimal
//! numbers (`12:30` read as 750 by PyYAML) are not reproduced; `tools/yaml11_check.py` covers
//! those with PyYAML itself.

use serde_json::Value;

use crate::problem::{Origin, Problem, Stage};

/// Parser options that read scalars the YAML 1.1 way where `serde-saphyr` can.
pub(crate) fn yaml11_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.legacy_octal_numbers = true;
    options.with_snippet = false;
    options
}

/// Splits a multi-document YAML stream into its non-empty documents.
///
/// Documents that are empty or hold only comments are skipped, as `kubectl` skips them; the
/// index of a document in the result is the `document` of the problems found in it. A duplicate
/// mapping key is an error, as it is for `kubectl apply`.
///
/// # Errors
///
/// A [`Problem`] of [`Stage::Parse`] describing the first syntax error in the stream.
///
/// # Example
///
/// ```
/// let docs = edgevirt_tests::parse_stream("a: 1\n---\n# nothing\n---\nb: 0600\n")
///     .expect("valid YAML");
/// assert_eq!(docs.len(), 2);
/// assert_eq!(docs[1]["b"], 384);
/// ```
pub fn parse_stream(yaml: &str) -> Result<Vec<Value>, Problem> {
    serde_saphyr::from_multiple_with_options(yaml, yaml11_options()).map_err(|error| {
        Origin::file("stream").problem(Stage::Parse, "", format!("invalid YAML: {error}"))
    })
}

/// The `Kind/name` label of a document, with `?` for what is missing.
pub(crate) fn resource_label(doc: &Value) -> String {
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("?");
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    format!("{kind}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDGE_CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/edge-cases");

    fn edge_case(name: &str) -> String {
        let path = format!("{EDGE_CASES}/{name}");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    #[test]
    fn yaml11_scalars_read_as_the_cluster_reads_them() {
        let docs = parse_stream("mode: 0600\nok: yes\nquoted: '0600'\n").expect("valid");
        assert_eq!(docs[0]["mode"], 384);
        assert_eq!(docs[0]["ok"], true);
        assert_eq!(docs[0]["quoted"], "0600");
    }

    #[test]
    fn comment_only_documents_are_skipped() {
        let docs = parse_stream("# header\n---\na: 1\n---\n---\n# tail\n").expect("valid");
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn real_streams_without_leading_separator_split_into_all_documents() {
        let counts = [
            (
                "kubevirt_kubevirt__docs__devel__hostpath-provisioner.yaml",
                5,
            ),
            (
                "kubevirt_kubevirt__pkg__virt-operator__resource__generate__components__data__\
                 virt-template__install-virt-operator.yaml",
                35,
            ),
            (
                "kubevirt_kubevirt__kubevirtci__cluster-up__cluster__k8s-1.37__sriov-components__\
                 manifests__dra__sriov_dra.yaml",
                7,
            ),
            (
                "cert-manager_cert-manager__test__fixtures__cert-manager-resources.yaml",
                3,
            ),
            (
                "cert-manager_cert-manager__make__config__bind__configmap.yaml",
                1,
            ),
            (
                "kubernetes_ingress-nginx__docs__examples__customization__custom-headers__\
                 configmap-client-response.yaml",
                1,
            ),
        ];
        for (name, count) in counts {
            let docs = parse_stream(&edge_case(name)).unwrap_or_else(|p| panic!("{name}: {p}"));
            assert_eq!(docs.len(), count, "{name}");
        }
    }

    #[test]
    fn duplicate_key_in_a_real_crd_is_an_error() {
        let name = "kubevirt_kubevirt__vendor__github.com__openshift__api__config__v1__\
                    0000_00_cluster-version-operator_01_clusteroperator.crd.yaml";
        let problem = parse_stream(&edge_case(name)).expect_err("duplicate spec.versions");
        assert_eq!(problem.stage, Stage::Parse);
        assert!(problem.message.contains("duplicate"), "{problem}");
    }

    #[test]
    fn tabs_inside_block_scalars_survive() {
        let name = "cert-manager_cert-manager__make__config__bind__configmap.yaml";
        let docs = parse_stream(&edge_case(name)).expect("valid");
        let data = docs[0]["data"].as_object().expect("ConfigMap data");
        assert!(
            data.values()
                .any(|v| v.as_str().is_some_and(|s| s.contains('\t')))
        );
    }
}
