//! kpt runs `edgevirt krm` as an exec KRM function: `kpt fn render --allow-exec` of the package
//! `examples/kpt/` (the Kptfile pipeline, a transformer) and `kpt fn eval --exec` as a
//! transformer and as a generator. kpt re-serializes YAML, so documents are compared as values
//! with `edgevirt render` of the same device. kpt is not installable here: it comes with the
//! machine image, and these tests fail when it is missing.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::{assert_valid, edgevirt, render_each, repo, run, scratch};

fn kpt() -> PathBuf {
    support::program(
        "KPT",
        "kpt is missing: it comes with the machine image and cannot be installed from the \
         registries here; scripts/install-hosts.sh reports whether it is on PATH",
    )
}

fn package() -> PathBuf {
    repo().join("examples/kpt")
}

fn device() -> String {
    std::fs::read_to_string(package().join("plant-e-edge-01.yaml")).expect("read the device")
}

/// Runs kpt with `args` and edgevirt on PATH; returns the documents of its `-o unwrap` output.
fn kpt_documents(args: &[&str], dir: &Path) -> Vec<Value> {
    let mut command = Command::new(kpt());
    command
        .args(args)
        .arg(dir)
        .args(["-o", "unwrap"])
        .env("PATH", support::path_with_edgevirt());
    let out = run(&mut command, "");
    let mut documents = edgevirt_tests::parse_stream(&out).expect("YAML stream");
    // The Kptfile is local configuration: kpt passes it through and it is not for a cluster.
    documents.retain(|doc| doc["kind"] != "Kptfile");
    let manifests = documents
        .iter()
        .map(|doc| serde_json::to_string(doc).expect("serialize"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    assert_valid(&manifests, &format!("kpt {args:?}"));
    documents
}

fn rendered(texts: &[&str]) -> Vec<Value> {
    edgevirt_tests::parse_stream(&render_each(texts.iter().copied())).expect("YAML stream")
}

#[test]
fn fn_render_runs_the_kptfile_pipeline() {
    let documents = kpt_documents(&["fn", "render", "--allow-exec"], &package());
    assert!(documents == rendered(&[&device()]), "{documents:#?}");
}

#[test]
fn fn_eval_exec_expands_edge_devices() {
    let exec = format!("{} krm", edgevirt().display());
    let documents = kpt_documents(&["fn", "eval", "--exec", &exec], &package());
    assert!(documents == rendered(&[&device()]), "{documents:#?}");
}

#[test]
fn fn_eval_exec_generates_from_the_function_config() {
    // A package with one unrelated resource, which must come through as it was.
    let dir = scratch("kpt-generator");
    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: site}\ndata: {a: b}\n";
    std::fs::write(dir.join("site.yaml"), config_map).expect("write");
    let exec = format!("{} krm", edgevirt().display());
    let config = package().join("plant-e-edge-01.yaml");
    let config = config.to_str().expect("a UTF-8 path");
    let documents = kpt_documents(
        &["fn", "eval", "--exec", &exec, "--fn-config", config],
        &dir,
    );
    let mut expected = edgevirt_tests::parse_stream(config_map).expect("YAML");
    expected.extend(rendered(&[&device()]));
    assert!(documents == expected, "{documents:#?}");
}

#[test]
fn a_bad_device_fails_the_pipeline_with_its_field_path() {
    let dir = scratch("kpt-bad");
    std::fs::copy(package().join("Kptfile"), dir.join("Kptfile")).expect("copy the Kptfile");
    let bad = device().replace("  iotEdge:", "  vm: {memory: 3Gb}\n  iotEdge:");
    std::fs::write(dir.join("device.yaml"), bad).expect("write the device");
    let mut command = Command::new(kpt());
    command
        .args(["fn", "render", "--allow-exec"])
        .arg(&dir)
        .args(["-o", "unwrap"])
        .env("PATH", support::path_with_edgevirt());
    let (ok, out, err) = support::run_status(&mut command, "");
    assert!(
        !ok && out.is_empty(),
        "a bad device must fail the render:\n{out}"
    );
    assert!(
        err.contains(r#"spec.vm.memory: "3Gb" is not a quantity"#),
        "{err}"
    );
}

/// A fleet in a package expands, through `kpt fn eval --exec`, into the documents `edgevirt
/// render` makes of it (compared as values: kpt re-serializes).
#[test]
fn fn_eval_exec_expands_a_fleet() {
    let dir = scratch("kpt-fleet");
    let fleet = std::fs::read_to_string(repo().join("tests/cases/fleet-csv-dps-group/input.yaml"))
        .expect("read the fleet case");
    std::fs::write(dir.join("fleet.yaml"), &fleet).expect("write");
    let exec = format!("{} krm", edgevirt().display());
    let documents = kpt_documents(&["fn", "eval", "--exec", &exec], &dir);
    let expected = rendered(&[&fleet]);
    assert!(expected.len() > 3, "the fleet makes several devices");
    assert!(documents == expected, "{documents:#?}");
}
