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
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: input is not valid YAML: "),
        "{stderr}"
    );
    assert!(stderr.contains("at line 1, column 18"), "{stderr}");

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

/// The fleet examples, as (path from the repository root, text).
fn fleet_examples() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(repo().join("examples/fleets"))
        .expect("examples/fleets/")
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("read fleet example");
            (format!("examples/fleets/{name}"), text)
        })
        .collect();
    found.sort();
    assert!(found.len() >= 2, "the fleet examples are missing");
    found
}

/// Fails at the first line where `actual` and `expected` differ, without printing megabytes.
fn same(actual: &str, expected: &str, what: &str) {
    if actual == expected {
        return;
    }
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    panic!(
        "{what}: differs at line {}:\n  actual:   {:?}\n  expected: {:?}",
        line + 1,
        actual.lines().nth(line),
        expected.lines().nth(line)
    );
}

/// The comment lines at the top of a document, and the rest.
fn split_leading_comments(text: &str) -> (&str, &str) {
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if !line.starts_with('#') {
            break;
        }
        end += line.len();
    }
    text.split_at(end)
}

/// The items of a KRM function's output list, as the YAML stream `render` writes.
fn krm_items_as_stream(resource_list: &str) -> String {
    let list: serde_json::Value = serde_saphyr::from_str(resource_list).expect("a ResourceList");
    let items = list["items"].as_array().expect("items");
    items
        .iter()
        .map(|item| format!("---\n{}", serde_saphyr::to_string(item).expect("YAML")))
        .collect()
}

#[test]
fn every_shell_expands_a_fleet_as_render_does() {
    for (path, fleet) in fleet_examples() {
        let render = edgevirt(&["render", &path], None);
        assert!(render.status.success(), "{path}: {}", text(&render.stderr));
        let rendered = text(&render.stdout);
        assert!(
            rendered.matches("\nkind: VirtualMachine\n").count() >= 3,
            "{path}"
        );

        let from_stdin = edgevirt(&["render", "-"], Some(&fleet));
        same(
            &text(&from_stdin.stdout),
            &rendered,
            &format!("{path}: render -"),
        );
        let plugin = edgevirt(&["EdgeDeviceFleet", &path], None);
        same(
            &text(&plugin.stdout),
            &rendered,
            &format!("{path}: kustomize plugin"),
        );

        // post-render keeps a document's leading comments (Helm's `# Source:`) above what
        // replaces it: without them its output is render's, byte for byte.
        let (comments, document) = split_leading_comments(&fleet);
        assert!(
            !comments.is_empty(),
            "{path}: the examples open with comments"
        );
        let post = edgevirt(&["post-render"], Some(document));
        assert!(post.status.success(), "{path}: {}", text(&post.stderr));
        same(
            &text(&post.stdout),
            &rendered,
            &format!("{path}: post-render"),
        );
        let post = edgevirt(&["post-render"], Some(&fleet));
        let body = rendered.strip_prefix("---\n").expect("a stream");
        let expected = format!("---\n{comments}{body}");
        same(
            &text(&post.stdout),
            &expected,
            &format!("{path}: post-render with comments"),
        );

        let value: serde_json::Value = serde_saphyr::from_str(&fleet).expect("fleet parses");
        for list in [
            serde_json::json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
                "items": [value]}),
            serde_json::json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
                "items": [], "functionConfig": value}),
        ] {
            let krm = edgevirt(&["krm"], Some(&list.to_string()));
            assert!(krm.status.success(), "{path}: {}", text(&krm.stderr));
            assert_eq!(
                krm_items_as_stream(&text(&krm.stdout)),
                rendered,
                "{path}: krm"
            );
        }
    }
}

#[test]
fn a_fleet_renders_to_a_file_as_to_stdout_and_validates() {
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-fleet.yaml");
    let path = "examples/fleets/lab-count.yaml";
    let out = edgevirt(&["render", path, "-o", file.to_str().expect("path")], None);
    assert!(out.status.success() && out.stdout.is_empty());
    let stdout = edgevirt(&["render", path], None);
    assert_eq!(std::fs::read(&file).expect("written"), stdout.stdout);

    let out = edgevirt(&["validate", path], None);
    assert!(out.status.success() && out.stdout.is_empty());
    assert_eq!(text(&out.stderr), "10 devices: valid\n");
}

#[test]
fn a_bad_fleet_exits_1_naming_each_row() {
    let fleet =
        std::fs::read_to_string(repo().join("examples/fleets/plant-csv.yaml")).expect("example");
    let bad = fleet.replace("192.168.10.22,", "192.168.10.21,").replace(
        "vm: {memory: 4Gi}",
        "vm: {memory: '{{ \"3Gb\" if line == \"paint\" else \"4Gi\" }}'}",
    );
    for command in ["render", "validate", "post-render"] {
        let out = edgevirt(&[command, "-"], Some(&bad));
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(out.stdout.is_empty(), "{command}: nothing on stdout");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(
                "spec.inventoryCsv line 3: spec.network.interfaces[0].addresses[0]: \
                 \"192.168.10.21/24\" is used by spec.inventoryCsv line 2 too"
            ),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("spec.inventoryCsv line 3: spec.vm.memory: \"3Gb\" is not a quantity"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn schema_of_the_fleet_document() {
    let out = edgevirt(&["schema", "--kind", "fleet"], None);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "EdgeDeviceFleet");
    assert!(schema["$defs"]["DeviceTemplate"]["properties"]["spec"].is_object());
}

#[test]
fn a_large_fleet_renders_in_device_order() {
    // More devices than one thread renders between two writes, so the native build renders
    // them on several threads; post-render renders them one by one.
    let fleet = std::fs::read_to_string(repo().join("examples/fleets/lab-count.yaml"))
        .expect("example")
        .replace("count: 10", "count: 300");
    let render = edgevirt(&["render", "-"], Some(&fleet));
    assert!(render.status.success(), "{}", text(&render.stderr));
    let (_, document) = split_leading_comments(&fleet);
    let post = edgevirt(&["post-render"], Some(document));
    same(
        &text(&render.stdout),
        &text(&post.stdout),
        "render and post-render",
    );
    let rendered = text(&render.stdout);
    let names: Vec<&str> = rendered
        .lines()
        .filter_map(|l| l.strip_prefix("    edgevirt.dev/device: "))
        .collect();
    assert_eq!(names.len(), 600, "a Secret and a VirtualMachine per device");
    assert_eq!(names[598], "lab-edge-300");
}
