//! The `edgevirt` binary as a user meets it: stdout carries manifests only, every problem goes to
//! stderr, and bad input exits 1 with nothing on stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn edgevirt(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edgevirt"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("edgevirt starts");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("edgevirt finishes")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

#[test]
fn render_writes_manifests_to_stdout_only() {
    let out = edgevirt(&["render", "examples/minimal.yaml"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("---\napiVersion: v1\nkind: Secret\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\nkind: VirtualMachine\n"));
    assert_eq!(
        text(&out.stderr),
        "",
        "a clean device prints nothing on stderr"
    );
}

#[test]
fn render_reads_stdin_and_matches_the_file_form() {
    let input = std::fs::read_to_string(repo().join("examples/full.yaml")).expect("example");
    let from_stdin = edgevirt(&["render", "-"], Some(&input));
    let from_file = edgevirt(&["render", "examples/full.yaml"], None);
    assert!(from_stdin.status.success());
    assert_eq!(from_stdin.stdout, from_file.stdout);
    assert!(
        text(&from_file.stderr).starts_with("warning: spec.vm.tpm: "),
        "warnings on stderr"
    );
}

#[test]
fn render_to_a_file_and_as_json() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("cli-render.yaml");
    let out = edgevirt(
        &[
            "render",
            "examples/minimal.yaml",
            "-o",
            file.to_str().expect("path"),
        ],
        None,
    );
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("output file");
    let yaml = edgevirt(&["render", "examples/minimal.yaml"], None);
    assert_eq!(written, text(&yaml.stdout));

    let json = edgevirt(
        &["render", "examples/minimal.yaml", "--format", "json"],
        None,
    );
    let docs: serde_json::Value = serde_json::from_slice(&json.stdout).expect("a JSON list");
    assert_eq!(docs.as_array().map(Vec::len), Some(2));
    assert_eq!(docs[1]["kind"], "VirtualMachine");
}

#[test]
fn bad_input_exits_1_with_every_problem_on_stderr() {
    let bad = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {name: dev}\n\
               spec:\n  vm: {memory: 3Gb, runStrategy: Sometimes}\n";
    for command in ["render", "validate"] {
        let out = edgevirt(&[command, "-"], Some(bad));
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(out.stdout.is_empty(), "{command}: nothing on stdout");
        let stderr = text(&out.stderr);
        assert!(
            stderr
                .contains(r#"error: spec.vm.memory: "3Gb" is not a quantity (expected e.g. 4Gi)"#)
        );
        assert!(stderr.contains(r#"error: spec.vm.runStrategy: "Sometimes""#));
        assert!(stderr.contains("error: spec.iotEdge.provisioning: is required"));
    }
}

#[test]
fn syntax_errors_and_missing_files_are_reported() {
    let out = edgevirt(&["render", "-"], Some("metadata: {name: [\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).starts_with("error: input is not valid YAML: line"));

    let out = edgevirt(&["render", "no-such-file.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read no-such-file.yaml"));
}

#[test]
fn validate_prints_nothing_on_stdout() {
    let out = edgevirt(&["validate", "examples/dps-tpm.yaml"], None);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("VMPersistentState"), "{stderr}");
    assert!(stderr.ends_with("plant-b-edge-04: valid\n"), "{stderr}");
}

#[test]
fn schema_is_json_schema_of_edgedevice() {
    let out = edgevirt(&["schema"], None);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "EdgeDevice");
    assert!(schema["properties"]["spec"].is_object());
}

#[test]
fn help_shows_examples() {
    let out = edgevirt(&["--help"], None);
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(help.contains("Examples:") && help.contains("edgevirt render device.yaml"));
}

#[test]
fn post_render_expands_devices_and_copies_the_rest() {
    let device = std::fs::read_to_string(repo().join("examples/minimal.yaml")).expect("example");
    let input =
        format!("---\n# Source: c/templates/cm.yaml\nkind: ConfigMap   \n---\n{device}---\nx: 1");
    let out = edgevirt(&["post-render", "--extra", "args"], Some(&input));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("---\n# Source: c/templates/cm.yaml\nkind: ConfigMap   \n---\n"));
    assert!(stdout.contains("\nkind: VirtualMachine\n"));
    assert!(
        stdout.ends_with("\n---\nx: 1"),
        "the last document keeps its missing newline"
    );

    let bad = input.replace("name: plant-a-edge-01", "name: Bad_Name");
    let out = edgevirt(&["post-render"], Some(&bad));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).starts_with("error: document 1: metadata.name: \"Bad_Name\""));
}

#[test]
fn krm_generates_from_the_function_config() {
    let device: serde_json::Value = serde_json::from_str(
        r#"{"apiVersion": "edgevirt.dev/v1alpha1", "kind": "EdgeDevice", "metadata": {"name": "d"},
        "spec": {"iotEdge": {"provisioning": {"dps": {"idScope": "0ne00000001", "tpm": {}}}}}}"#,
    )
    .expect("device");
    let list = serde_json::json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
        "items": [], "functionConfig": device});
    let out = edgevirt(&["krm"], Some(&list.to_string()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("kind: ResourceList") && stdout.contains("kind: VirtualMachine"));
    assert!(
        stdout.contains("severity: warning"),
        "the vTPM warning is a result: {stdout}"
    );

    let bad = list.to_string().replace("0ne00000001", "not a scope");
    let out = edgevirt(&["krm"], Some(&bad));
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors in results exit non-zero"
    );
    assert!(text(&out.stdout).contains("path: spec.iotEdge.provisioning.dps.idScope"));
}

#[test]
fn kustomize_exec_plugin_mode_renders_the_config_file() {
    let out = edgevirt(&["EdgeDevice", "examples/minimal.yaml"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plain = edgevirt(&["render", "examples/minimal.yaml"], None);
    assert_eq!(out.stdout, plain.stdout);
}
