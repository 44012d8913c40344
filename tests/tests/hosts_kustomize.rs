//! `kubectl kustomize --enable-alpha-plugins` runs edgevirt as a legacy exec plugin for the
//! generators of `examples/kustomize/`, both with the machine image's kubectl and with kubectl
//! 1.35.2 (kustomize 5.7.1). The result holds the same documents as `edgevirt render` of each
//! device: kustomize re-serializes YAML (sorted keys), so documents are compared as values.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{assert_valid, render_each, repo, run_status, scratch};

fn example() -> PathBuf {
    repo().join("examples/kustomize")
}

/// `kubectl kustomize` of `dir`, with the plugin home of the example and edgevirt on PATH.
fn kustomize(kubectl: &Path, dir: &Path) -> (bool, String, String) {
    let mut command = Command::new(kubectl);
    command
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(dir)
        .env("KUSTOMIZE_PLUGIN_HOME", example().join("plugins"))
        .env("PATH", support::path_with_edgevirt());
    run_status(&mut command, "")
}

fn check_example(kubectl_var: &str) {
    let kubectl = support::program(
        kubectl_var,
        "KUBECTL comes from scripts/install-hosts.sh, KUBECTL_IMAGE is the machine's kubectl",
    );
    let (ok, out, err) = kustomize(&kubectl, &example());
    assert!(ok, "{kubectl_var} kustomize failed:\n{err}");
    let devices: Vec<String> = ["plant-d-edge-01.yaml", "plant-d-edge-02.yaml"]
        .iter()
        .map(|name| std::fs::read_to_string(example().join(name)).expect("read device"))
        .collect();
    let rendered = render_each(devices.iter().map(String::as_str));
    let documents = |stream: &str| edgevirt_tests::parse_stream(stream).expect("YAML stream");
    assert!(
        documents(&out) == documents(&rendered),
        "{kubectl_var} kustomize differs from edgevirt render:\n{out}"
    );
    assert_valid(&out, "kubectl kustomize examples/kustomize");
}

#[test]
fn kubectl_1_35_runs_the_legacy_plugin() {
    check_example("KUBECTL");
}

#[test]
fn image_kubectl_runs_the_legacy_plugin() {
    check_example("KUBECTL_IMAGE");
}

#[test]
fn a_bad_device_fails_the_build_with_its_field_path() {
    let dir = scratch("kustomize-bad");
    let text = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {name: bad}\n\
                spec: {vm: {memory: 3Gb}}\n";
    std::fs::write(dir.join("bad.yaml"), text).expect("write device");
    std::fs::write(dir.join("kustomization.yaml"), "generators: [bad.yaml]\n").expect("write");
    let (ok, out, err) = kustomize(&support::host("KUBECTL"), &dir);
    assert!(
        !ok && out.is_empty(),
        "a bad device must fail the build:\n{out}"
    );
    assert!(err.contains("spec.vm.memory"), "{err}");
}
