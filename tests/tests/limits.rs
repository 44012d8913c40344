//! Every limit of `edgevirt_core::Limits` holds by default, stops an input that goes past it with
//! a message naming the flag that raises it (and nothing on stdout), and gives way when raised
//! with that flag or its environment variable. Hostile YAML (an alias bomb, deep nesting) stops
//! early, before it can exhaust memory.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use edgevirt_core::{Error, Limit, Limits};

/// A valid device, named `name`.
fn device(name: &str) -> String {
    format!(
        "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {{name: {name}}}\n\
         spec:\n  iotEdge:\n    provisioning:\n      manual:\n        connectionString:\n          \
         secretKeyRef: {{name: {name}-hub, key: connection-string}}\n"
    )
}

/// A valid device with one extension file whose content is `template`.
fn device_with_file(template: &str) -> String {
    format!(
        "{}  extensions:\n    writeFiles:\n      - path: /etc/big\n        content: \"{template}\"\n",
        device("dev")
    )
}

/// What one run of the `edgevirt` binary gave.
struct Outcome {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs `edgevirt args` with `env` set and `stdin` as input. The child may stop reading its
/// input early (that is what a size limit does), so a broken pipe on the way in is expected.
fn edgevirt(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Outcome {
    let mut child = Command::new(support::edgevirt())
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start edgevirt");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        if let Err(e) = pipe.write_all(&input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    });
    let output = child.wait_with_output().expect("wait for edgevirt");
    writer.join().expect("writer thread");
    Outcome {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The run failed because of `limit`: a message that names its flag, and no output.
fn assert_refused(out: &Outcome, limit: Limit, what: &str) {
    assert!(!out.ok, "{what}: accepted, but goes past {limit}");
    assert!(
        out.stdout.is_empty(),
        "{what}: output on stdout:\n{}",
        out.stdout
    );
    assert!(
        out.stderr.starts_with("error: ")
            && out
                .stderr
                .contains(&format!("raise the limit with {}", limit.flag())),
        "{what}: the message does not say how to raise {limit}:\n{}",
        out.stderr
    );
}

/// The run succeeded, or failed for a reason other than `limit`.
fn assert_not_limited(out: &Outcome, limit: Limit, what: &str) {
    assert!(
        !out.stderr.contains(limit.flag()),
        "{what}: still refused by {limit}:\n{}",
        out.stderr
    );
}

fn assert_renders(out: &Outcome, what: &str) {
    assert!(out.ok, "{what}: refused:\n{}", out.stderr);
    assert!(out.stdout.contains("kind: VirtualMachine"), "{what}");
}

#[test]
fn input_size() {
    let text = device("dev");
    let small = text.len() - 1;
    let flag = format!("--max-input-bytes={small}");
    let out = edgevirt(&["render", &flag], &[], text.as_bytes());
    assert_refused(&out, Limit::InputBytes, "stdin over the limit");
    let env = [("EDGEVIRT_MAX_INPUT_BYTES", small.to_string())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = edgevirt(&["validate"], &env, text.as_bytes());
    assert_refused(&out, Limit::InputBytes, "the limit from the environment");
    let flag = format!("--max-input-bytes={}", text.len());
    assert_renders(
        &edgevirt(&["render", &flag], &[], text.as_bytes()),
        "at the limit",
    );

    // A file is held to the limit too.
    let file = support::scratch("limits").join("device.yaml");
    std::fs::write(&file, &text).expect("write the device");
    let path = file.to_str().expect("utf-8 path");
    let out = edgevirt(&["render", path, "--max-input-bytes", "100"], &[], b"");
    assert_refused(&out, Limit::InputBytes, "a file over the limit");

    // The reading stops at the limit: 50 MB on stdin against a 1 KB limit is refused at once,
    // whatever comes after (here, bytes that are not even UTF-8).
    let flood = vec![0xff_u8; 50 * 1024 * 1024];
    let started = Instant::now();
    let out = edgevirt(&["post-render", "--max-input-bytes", "1024"], &[], &flood);
    assert_refused(&out, Limit::InputBytes, "a flood on stdin");
    eprintln!("50 MB on stdin refused in {:?}", started.elapsed());
}

#[test]
fn documents_per_stream() {
    let stream = ["a", "b", "c"].map(device).join("---\n");
    assert_renders(&edgevirt(&["render"], &[], stream.as_bytes()), "3 devices");
    let out = edgevirt(&["render", "--max-documents", "2"], &[], stream.as_bytes());
    assert_refused(&out, Limit::Documents, "3 devices, 2 allowed");

    // The post-renderer counts every document of the stream, not only devices.
    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    let release = [config_map, config_map, &device("a")].join("---\n");
    let out = edgevirt(
        &["post-render", "--max-documents", "2"],
        &[],
        release.as_bytes(),
    );
    assert_refused(&out, Limit::Documents, "a stream of 3, 2 allowed");
    let env = [("EDGEVIRT_MAX_DOCUMENTS", "2")];
    let out = edgevirt(&["post-render"], &env, release.as_bytes());
    assert_refused(&out, Limit::Documents, "the limit from the environment");
    let out = edgevirt(
        &["post-render"],
        &[("EDGEVIRT_MAX_DOCUMENTS", "3")],
        release.as_bytes(),
    );
    assert_renders(&out, "a stream of 3, 3 allowed");

    // A KRM function reports it in results[], as the KRM contract asks, and fails.
    let items: Vec<serde_json::Value> = (0..3)
        .map(|i| serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("c{i}")}}))
        .collect();
    let list = serde_json::json!({
        "apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items,
    })
    .to_string();
    let out = edgevirt(&["krm", "--max-documents", "2"], &[], list.as_bytes());
    assert!(!out.ok, "a ResourceList of 3 items, 2 allowed: accepted");
    let results: serde_json::Value = serde_saphyr::from_str(&out.stdout).expect("a ResourceList");
    let message = results["results"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("--max-documents"), "{}", out.stdout);
    assert!(
        edgevirt(&["krm"], &[], list.as_bytes()).ok,
        "3 items by default"
    );
}

#[test]
fn devices_per_fleet() {
    let fleet = |count: usize| {
        format!(
            "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDeviceFleet\nmetadata: {{name: lab}}\n\
             spec:\n  count: {count}\n  template:\n    metadata: {{name: 'lab-{{{{ index }}}}'}}\n    \
             spec:\n      iotEdge:\n        provisioning:\n          manual:\n            \
             connectionString:\n              secretKeyRef: {{name: hub, key: cs}}\n"
        )
    };
    let out = edgevirt(
        &["validate", "--max-devices", "2"],
        &[],
        fleet(3).as_bytes(),
    );
    assert_refused(&out, Limit::Devices, "3 devices, 2 allowed");
    assert!(out.stderr.contains("spec.count: \"3\""), "{}", out.stderr);
    let max = Limits::DEFAULT.max_devices;
    let over = fleet(max + 1);
    assert_refused(
        &edgevirt(&["validate"], &[], over.as_bytes()),
        Limit::Devices,
        "default",
    );
    let raised = format!("--max-devices={}", max + 1);
    let out = edgevirt(&["validate", &raised], &[], over.as_bytes());
    assert!(out.ok, "raised: {}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{} devices: valid", max + 1)),
        "{}",
        out.stderr
    );
}

/// `levels` anchors, each a list of nine aliases of the one before: 9^levels nodes expanded.
fn laughs(levels: usize) -> String {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..levels {
        let aliases = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{aliases}]\n"));
    }
    text
}

fn limit_error(text: &str) -> (Limit, String) {
    match edgevirt_core::validate_documents(text) {
        Err(error @ Error::Limit { limit, .. }) => (limit, error.to_string()),
        other => panic!("expected a limit error, got {other:?}"),
    }
}

#[test]
fn an_alias_bomb_stops_early() {
    // 9^10 = 3.5 billion nodes if expanded.
    let started = Instant::now();
    let (limit, message) = limit_error(&laughs(10));
    eprintln!("alias bomb refused in {:?}: {message}", started.elapsed());
    assert_eq!(limit, Limit::YamlNodes, "{message}");
    assert!(message.contains("more than 500000 nodes"), "{message}");

    // 9^5 = 59,049 nodes: past a lowered limit, and read (as a bad device) under a raised one.
    let small = laughs(5);
    let out = edgevirt(
        &["validate", "--max-yaml-nodes", "10000"],
        &[],
        small.as_bytes(),
    );
    assert_refused(&out, Limit::YamlNodes, "59,049 nodes, 10,000 allowed");
    let out = edgevirt(
        &["validate", "--max-yaml-nodes", "100000"],
        &[],
        small.as_bytes(),
    );
    assert_not_limited(&out, Limit::YamlNodes, "59,049 nodes, 100,000 allowed");
    assert!(
        out.stderr.contains("a0"),
        "read as a document: {}",
        out.stderr
    );
}

#[test]
fn nesting_depth() {
    // 100,000 levels: a recursive reader would overflow its stack.
    let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(limit_error(&deep).0, Limit::YamlDepth);

    let nested = |levels: usize| {
        let value = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        format!("{}  vm: {{cores: {value}}}\n", device("dev"))
    };
    let out = edgevirt(&["validate"], &[], nested(80).as_bytes());
    assert_refused(&out, Limit::YamlDepth, "80 levels by default");
    let out = edgevirt(
        &["validate", "--max-yaml-depth", "100"],
        &[],
        nested(80).as_bytes(),
    );
    assert_not_limited(&out, Limit::YamlDepth, "80 levels, 100 allowed");
    assert!(
        out.stderr.contains("spec.vm"),
        "read as a device: {}",
        out.stderr
    );
}

#[test]
fn template_work() {
    // 20,000 rounds of a loop take more than the default fuel.
    let looping = device_with_file("{% for i in range(20000) %}x{% endfor %}");
    let out = edgevirt(&["render"], &[], looping.as_bytes());
    assert_refused(&out, Limit::TemplateFuel, "a long loop");
    assert!(
        out.stderr.contains("spec.extensions.writeFiles[0].content"),
        "{}",
        out.stderr
    );
    let out = edgevirt(
        &["render", "--template-fuel", "10000000"],
        &[],
        looping.as_bytes(),
    );
    assert_renders(&out, "a long loop with more fuel");

    // A render is capped in size, whatever its fuel.
    let big = device_with_file("{{ 'x' * 300000 }}");
    assert_refused(
        &edgevirt(&["render"], &[], big.as_bytes()),
        Limit::TemplateOutput,
        "300 KB",
    );
    let env = [("EDGEVIRT_MAX_TEMPLATE_OUTPUT", "400000")];
    assert_renders(
        &edgevirt(&["render"], &env, big.as_bytes()),
        "300 KB, 400 KB allowed",
    );
}
