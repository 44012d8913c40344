//! Helm 3.18 runs edgevirt as a post-renderer (an executable path, not a plugin name): the
//! native binary and, through `plugins/helm3/edgevirt-wasm.sh`, the WASI module under the
//! wasmtime CLI. Both must print exactly what `edgevirt post-render` makes of the chart's plain
//! `helm template` output, which is `edgevirt render` of the same devices plus Helm's
//! `# Source:` comments, and pass the project's checker.

mod support;

use std::process::Command;

use support::{assert_valid, chart, edgevirt, examples, host, render_each, repo, run};

/// `helm3 template` of the chart with the example devices; `configure` adds the post-renderer.
fn template(configure: impl FnOnce(&mut Command)) -> String {
    let values = support::write_example_values("helm3");
    let mut command = Command::new(host("HELM3"));
    command
        .arg("template")
        .arg("edge")
        .arg(chart())
        .arg("-f")
        .arg(&values);
    configure(&mut command);
    run(&mut command, "")
}

/// What `edgevirt post-render` prints for the chart's output without a post-renderer.
fn expected() -> String {
    let plain = template(|_| {});
    assert!(plain.contains("kind: EdgeDevice"), "{plain}");
    run(Command::new(edgevirt()).arg("post-render"), &plain)
}

fn without_source_comments(stream: &str) -> String {
    stream
        .lines()
        .filter(|line| !line.starts_with("# Source: "))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn expected_output_is_edgevirt_render_of_the_same_devices() {
    let expected = expected();
    let rendered = render_each(examples().iter().map(|(_, text)| text.as_str()));
    // Same documents, same values. Not the same bytes: Helm's toYaml sorts the keys of the
    // free-form objects edgevirt passes through in input order (vm.tolerations, affinity).
    let documents = |stream: &str| edgevirt_tests::parse_stream(stream).expect("YAML stream");
    assert!(
        documents(&expected) == documents(&rendered),
        "post-render of the chart differs from edgevirt render of examples/"
    );
    assert!(
        without_source_comments(&expected).len() == rendered.len(),
        "only Helm's # Source: comments may be added"
    );
    assert_valid(&expected, "helm3 template | edgevirt post-render");
}

#[test]
fn native_binary_as_post_renderer() {
    // Helm 3 runs the path it is given with the --post-renderer-args, here the subcommand.
    let out = template(|command| {
        command
            .arg("--post-renderer")
            .arg(edgevirt())
            .args(["--post-renderer-args", "post-render"]);
    });
    assert!(out == expected(), "helm3 --post-renderer edgevirt:\n{out}");
    assert_valid(&out, "helm3 template --post-renderer edgevirt");
}

#[test]
fn wasm_through_wasmtime_as_post_renderer() {
    let script = repo().join("plugins/helm3/edgevirt-wasm.sh");
    let (wasm, wasmtime) = (support::edgevirt_wasm(), host("WASMTIME"));
    let out = template(|command| {
        command
            .arg("--post-renderer")
            .arg(&script)
            .env("EDGEVIRT_WASM", &wasm)
            .env("WASMTIME", &wasmtime);
    });
    assert!(
        out == expected(),
        "helm3 --post-renderer edgevirt-wasm.sh:\n{out}"
    );
    assert_valid(&out, "helm3 template --post-renderer edgevirt-wasm.sh");
}
