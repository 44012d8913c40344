//! Fixture cases: each folder under `tests/cases/` holds an `input.yaml` (an `EdgeDevice`, an
//! `EdgeDeviceFleet` or a stream of them, read as `edgevirt render` reads it) and what edgevirt
//! must make of it: `expected.yaml` (the manifests) and `expected-warnings.txt`, or
//! `expected-error.txt` for input that must be refused.
//!
//! Regenerate the expected files with `scripts/bless.sh` and review the diff before committing.
//! Every rendered case is also checked the way a cluster would take it (schemas of KubeVirt
//! 1.9.0 and 1.6.2, admission rules, cloud-config and config.toml schemas), and written to
//! `target/tmp/` for the YAML 1.1 and cloud-init checks in `tests/tools/`. Where the secrets of
//! each case go is checked by `tests/tests/secrets.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use edgevirt_core::{Diagnostic, Error, Severity};
use edgevirt_tests::{KubeVirtVersion, check_manifests};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("input.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn bless() -> bool {
    std::env::var_os("EDGEVIRT_BLESS").is_some()
}

/// Compares `actual` with the file at `path`, or writes it when blessing.
fn expect_file(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if bless() {
        fs::write(path, actual).expect("write expected file");
        return;
    }
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs from the rendered output (run scripts/bless.sh and review the diff)\n{}",
            path.display(),
            first_difference(&expected, actual)
        )),
        Err(_) => failures.push(format!(
            "{} is missing (run scripts/bless.sh)",
            path.display()
        )),
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b);
    let n = line.unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    format!(
        "  line {}:\n  expected: {:?}\n  actual:   {:?}",
        n + 1,
        expected.lines().nth(n).unwrap_or("<end>"),
        actual.lines().nth(n).unwrap_or("<end>")
    )
}

fn diagnostics_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| match d.severity {
            Severity::Error => format!("error: {d}\n"),
            Severity::Warning => format!("warning: {d}\n"),
        })
        .collect()
}

fn rendered_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create rendered dir");
    dir
}

/// Writes the rendered case where the Python checks read it: manifests and the intended values
/// as JSON, and the cloud-config and network-data with their YAML 1.2 reading as JSON.
fn write_rendered(dir: &Path, name: &str, manifests: &edgevirt_core::Manifests) {
    let json = |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("json") + "\n";
    fs::write(dir.join(format!("{name}.yaml")), manifests.to_yaml()).expect("write");
    let docs = serde_json::Value::Array(manifests.documents().to_vec());
    fs::write(dir.join(format!("{name}.json")), json(&docs)).expect("write");
    let secret = &manifests.documents()[0]["stringData"];
    for (key, suffix) in [
        ("userdata", "cloud-config"),
        ("networkdata", "network-data"),
    ] {
        let Some(text) = secret[key].as_str() else {
            continue;
        };
        let meant: serde_json::Value = serde_saphyr::from_str(text).expect("own output parses");
        fs::write(dir.join(format!("{name}.{suffix}.yaml")), text).expect("write");
        fs::write(dir.join(format!("{name}.{suffix}.json")), json(&meant)).expect("write");
    }
}

#[test]
fn fixture_cases() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(
        all.len() >= 20,
        "expected the fixture cases under {}",
        cases_dir().display()
    );
    for dir in &all {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 case name")
            .to_owned();
        let input = fs::read_to_string(dir.join("input.yaml")).expect("read input");
        match edgevirt_core::render_documents(&input) {
            Ok(rendered) => {
                if name.starts_with("bad-") {
                    failures.push(format!("{name}: rendered, but bad-* cases must be refused"));
                }
                let yaml = rendered.manifests.to_yaml();
                expect_file(&dir.join("expected.yaml"), &yaml, &mut failures);
                let warnings = diagnostics_text(&rendered.warnings);
                expect_file(&dir.join("expected-warnings.txt"), &warnings, &mut failures);
                for version in [KubeVirtVersion::V1_9_0, KubeVirtVersion::V1_6_2] {
                    for problem in check_manifests(&yaml, version) {
                        failures.push(format!("{name} ({version:?}): {problem}"));
                    }
                }
            }
            Err(err) => {
                let text = match &err {
                    Error::Invalid { diagnostics } => diagnostics_text(diagnostics),
                    _ => format!("error: {err}\n"),
                };
                if !name.starts_with("bad-") {
                    failures.push(format!("{name}: refused:\n{text}"));
                }
                expect_file(&dir.join("expected-error.txt"), &text, &mut failures);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn examples_render_and_pass_the_cluster_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).expect("examples/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let input = fs::read_to_string(&path).expect("read example");
        let rendered = edgevirt_core::render_documents(&input)
            .unwrap_or_else(|e| panic!("{} does not render:\n{e}", path.display()));
        let problems = check_manifests(&rendered.manifests.to_yaml(), KubeVirtVersion::V1_9_0);
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
        seen += 1;
    }
    assert!(
        seen >= 8,
        "one example per provisioning mode and a full one, found {seen}"
    );
}

#[test]
fn rendering_is_deterministic() {
    for dir in cases() {
        let input = fs::read_to_string(dir.join("input.yaml")).expect("read input");
        let first = edgevirt_core::render_documents(&input).map(|r| r.manifests.to_yaml());
        let second = edgevirt_core::render_documents(&input).map(|r| r.manifests.to_yaml());
        assert_eq!(first, second, "{}", dir.display());
    }
}

/// Runs a test tool of `tests/tools/` on `dir`; a missing host tool fails with how to get it.
fn run_tool(program: &str, args: &[&str], dir: &Path) {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools");
    let output = std::process::Command::new(program)
        .args(args.iter().map(|a| tools.join(a)))
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}): run scripts/install-test-deps.sh"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{report}"
    );
    assert!(
        report.contains(" passed, 0 failed"),
        "{program} {args:?} checked nothing:\n{report}"
    );
}

/// Kubernetes (go-yaml) and cloud-init (PyYAML) read YAML 1.1, where `0600` is a number and
/// `yes` a boolean: every rendered value must read back as what the core meant. Then Debian's
/// real `cloud-init schema` checks every cloud-config.
#[test]
fn yaml_1_1_readers_and_cloud_init_accept_every_case() {
    let dir = rendered_dir("rendered");
    let mut written = 0;
    for case in cases() {
        let input = fs::read_to_string(case.join("input.yaml")).expect("read input");
        if let Ok(rendered) = edgevirt_core::render_documents(&input) {
            let name = case
                .file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8 name");
            write_rendered(&dir, name, &rendered.manifests);
            written += 1;
        }
    }
    assert!(written >= 20, "rendered only {written} cases");
    run_tool("python3", &["yaml11_check.py"], &dir);
    run_tool("bash", &["cloud_init_schema.sh"], &dir);
}
