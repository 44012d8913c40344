//! What the host tests share: finding the programs they drive, running them, and the devices they
//! feed them.
//!
//! scripts/test.sh builds the `edgevirt` binary and its WASI module once and names them, and the
//! hosts scripts/install-hosts.sh installs, in environment variables. A test that needs one fails
//! (it does not skip) when the variable is unset or the file is missing, saying how to get it.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The chart `charts/edgevirt`.
pub fn chart() -> PathBuf {
    repo().join("charts/edgevirt")
}

/// The program named by environment variable `var`; `hint` says where it comes from.
pub fn program(var: &str, hint: &str) -> PathBuf {
    let Some(path) = std::env::var_os(var) else {
        panic!("{var} is not set: run the tests through scripts/test.sh, which sets it ({hint})")
    };
    // scripts/test.sh sets a variable empty when it found no such program on the machine.
    assert!(
        !path.is_empty(),
        "{var} is empty: the program is missing ({hint})"
    );
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "{var}={}: no such file ({hint})",
        path.display()
    );
    path
}

/// The native `edgevirt` binary built by scripts/test.sh.
pub fn edgevirt() -> PathBuf {
    program(
        "EDGEVIRT_BIN",
        "scripts/test.sh builds it with `cargo build --release -p edgevirt`",
    )
}

/// The `wasm32-wasip1` module built by scripts/test.sh.
pub fn edgevirt_wasm() -> PathBuf {
    program(
        "EDGEVIRT_WASM",
        "scripts/test.sh builds it with \
         `cargo build --release -p edgevirt --target wasm32-wasip1`",
    )
}

/// A host program installed by scripts/install-hosts.sh, named by `var`.
pub fn host(var: &str) -> PathBuf {
    program(var, "install it with scripts/install-hosts.sh")
}

/// `PATH` with the folder of the `edgevirt` binary first, for hosts that find it by name.
pub fn path_with_edgevirt() -> std::ffi::OsString {
    let bin_dir = edgevirt().parent().expect("a folder").to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&rest)))
        .expect("join PATH")
}

/// Runs `command` with `stdin`, expects success and returns its stdout.
pub fn run(command: &mut Command, stdin: &str) -> String {
    let (ok, stdout, stderr) = run_status(command, stdin);
    assert!(ok, "{command:?} failed:\n{stderr}");
    stdout
}

/// Runs `command` with `stdin`: whether it succeeded, its stdout and its stderr.
pub fn run_status(command: &mut Command, stdin: &str) -> (bool, String, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_owned();
    // A writer thread, so a program that writes before it has read everything cannot deadlock.
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("wait for the child");
    writer
        .join()
        .expect("writer thread")
        .expect("write the child's stdin");
    (
        output.status.success(),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The example devices of `examples/`, as (file name, text), sorted by name.
pub fn examples() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(repo().join("examples"))
        .expect("read examples/")
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&p).expect("read example"))
        })
        .collect();
    found.sort();
    found
}

/// The example devices as chart values: `{"devices": [...]}` without apiVersion and kind.
pub fn example_values() -> Value {
    let devices: Vec<Value> = examples()
        .iter()
        .map(|(name, text)| {
            let mut device: Value =
                serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let fields = device.as_object_mut().expect("a device is a mapping");
            fields.remove("apiVersion");
            fields.remove("kind");
            device
        })
        .collect();
    json!({ "devices": devices })
}

/// Writes the example devices as a values file (JSON is YAML) and returns its path.
pub fn write_example_values(name: &str) -> PathBuf {
    let path = scratch(name).join("values.yaml");
    let text = serde_json::to_string_pretty(&example_values()).expect("serialize");
    std::fs::write(&path, text).expect("write values");
    path
}

/// What `edgevirt render` prints for the device in `text`, concatenated over `texts`.
pub fn render_each<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let edgevirt = edgevirt();
    texts
        .into_iter()
        .map(|text| run(Command::new(&edgevirt).args(["render", "-"]), text))
        .collect()
}

/// Fails with every problem the project's checker finds in `stream`.
pub fn assert_valid(stream: &str, what: &str) {
    let problems = edgevirt_tests::check_manifests(stream, edgevirt_tests::KubeVirtVersion::V1_9_0);
    assert!(problems.is_empty(), "{what}: {problems:#?}");
}

/// A fresh scratch directory under the system temp dir, emptied first if a run left it behind.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgevirt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch dir");
    dir
}
