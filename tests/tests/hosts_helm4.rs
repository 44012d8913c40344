//! Helm 4.1.4 runs edgevirt's Helm 4 plugins from `plugins/helm4/`: `edgevirt-wasm`, a `cli/v1`
//! plugin whose `plugin.wasm` Helm runs itself (`extism/v1`), and `edgevirt`, the
//! `postrenderer/v1` `subprocess` plugin that pipes the manifests through it.
//!
//! The plugins are installed with `helm plugin install <dir>`, and again from the archives of
//! `helm plugin package`, into Helm directories of their own. Helm runs with a bare `PATH`, so
//! neither a WASI runtime nor `helm` itself can be found there: the post-renderer must find the
//! Helm that called it. `helm template` and `helm install --dry-run=client` of `charts/edgevirt`
//! with `--post-renderer edgevirt` must give the documents `edgevirt_core::post_render` makes of
//! the chart's plain `helm template` output, byte for byte, in Helm's install order.
//!
//! Helm comes from `$HELM` (set by scripts/test.sh), else `helm` on `PATH`; `plugin.wasm` from
//! `$EDGEVIRT_HELM4_WASM`, else the release build of the `edgevirt-helm4` crate for
//! `wasm32-wasip1` that `plugins/helm4/build.sh` (run by scripts/test.sh) makes.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use support::{assert_valid, chart, repo, run_status, scratch, write_example_values};

/// Helm 4 from `$HELM` or `PATH`; fails, naming the installer, when there is none.
fn helm_binary() -> PathBuf {
    let helm = std::env::var_os("HELM")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("helm"), PathBuf::from);
    let hint = "install Helm 4.1.4 with scripts/install-hosts.sh and set HELM to its bin/helm \
                (scripts/test.sh does)";
    let output = Command::new(&helm)
        .args(["version", "--short"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {hint}", helm.display()));
    let version = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && version.starts_with("v4."),
        "{} is not Helm 4 ({}): {hint}",
        helm.display(),
        version.trim()
    );
    helm
}

/// The `plugin.wasm` of the `edgevirt-wasm` plugin.
fn plugin_wasm() -> PathBuf {
    let path = match std::env::var_os("EDGEVIRT_HELM4_WASM").filter(|v| !v.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| repo().join("target"), |dir| repo().join(dir));
            target.join("wasm32-wasip1/release/edgevirt_helm4.wasm")
        }
    };
    assert!(
        path.is_file(),
        "{}: no such file; build it with plugins/helm4/build.sh (scripts/test.sh does), or \
         set EDGEVIRT_HELM4_WASM",
        path.display()
    );
    path
}

/// One set of Helm directories (data with its plugins, config), run with a bare environment.
struct Helm {
    binary: PathBuf,
    home: PathBuf,
}

/// Helm runs one at a time: they share the wazero compilation cache.
static HELM_RUNS: Mutex<()> = Mutex::new(());

impl Helm {
    fn new(binary: &Path, name: &str) -> Helm {
        Helm {
            binary: binary.to_path_buf(),
            home: scratch(name),
        }
    }

    /// Runs `helm ARGS` with `stdin`: whether it succeeded, its stdout and its stderr.
    fn run(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        let data = self.home.join("data");
        // Kept between runs: Helm compiles plugin.wasm into it, which takes seconds the first
        // time.
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("helm4-cache");
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &self.home)
            .env("TMPDIR", std::env::temp_dir())
            .env("KUBECONFIG", self.home.join("no-kubeconfig"))
            .env("HELM_DATA_HOME", &data)
            // `helm plugin install` writes into HELM_DATA_HOME/plugins whatever HELM_PLUGINS says.
            .env("HELM_PLUGINS", data.join("plugins"))
            .env("HELM_CONFIG_HOME", self.home.join("config"))
            .env("HELM_CACHE_HOME", cache);
        let _one_at_a_time = HELM_RUNS.lock().unwrap_or_else(|e| e.into_inner());
        run_status(&mut command, stdin)
    }

    /// Runs `helm ARGS`, expects success and returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let (ok, stdout, stderr) = self.run(args, "");
        assert!(ok, "helm {} failed:\n{stderr}", args.join(" "));
        stdout
    }

    fn install_plugin(&self, source: &Path, extra: &[&str]) {
        let source = source.to_str().expect("UTF-8 path");
        let out = self.ok(&[&["plugin", "install", source], extra].concat());
        assert!(out.contains("Installed plugin: "), "{out}");
    }
}

/// Copies the plugin directories of `plugins/helm4/` with `wasm` as `plugin.wasm` into `into`,
/// and returns the two copies: `edgevirt-wasm` and `edgevirt`.
fn plugin_sources(into: &Path, wasm: &Path) -> (PathBuf, PathBuf) {
    let plugins = repo().join("plugins/helm4");
    let copy = |name: &str, files: &[&str]| {
        let dir = into.join(name);
        std::fs::create_dir_all(&dir).expect("create a plugin dir");
        for file in files {
            // fs::copy keeps the run bits of post-render.sh.
            std::fs::copy(plugins.join(name).join(file), dir.join(file))
                .unwrap_or_else(|e| panic!("copy plugins/helm4/{name}/{file}: {e}"));
        }
        dir
    };
    let cli = copy("edgevirt-wasm", &["plugin.yaml"]);
    std::fs::copy(wasm, cli.join("plugin.wasm")).expect("copy plugin.wasm");
    let post_renderer = copy("edgevirt", &["plugin.yaml", "post-render.sh"]);
    (cli, post_renderer)
}

/// Helm with both plugins installed from their directories, and the chart's values.
struct Fixture {
    helm: Helm,
    values: String,
    /// `helm template` of the chart without a post-renderer.
    plain: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let helm = Helm::new(&helm_binary(), "helm4");
        let (cli, post_renderer) = plugin_sources(&helm.home.join("src"), &plugin_wasm());
        helm.install_plugin(&cli, &[]);
        helm.install_plugin(&post_renderer, &[]);
        let values = write_example_values("helm4-values");
        let values = values.to_str().expect("UTF-8 path").to_owned();
        let plain = helm.ok(&["template", "edge", chart_path(), "-f", &values]);
        assert!(plain.contains("kind: EdgeDevice"), "{plain}");
        Fixture {
            helm,
            values,
            plain,
        }
    })
}

fn chart_path() -> &'static str {
    static CHART: OnceLock<String> = OnceLock::new();
    CHART.get_or_init(|| chart().to_str().expect("UTF-8 path").to_owned())
}

/// What the post-rendered chart must hold: the core's post-render of the plain output.
fn expected(fixture: &Fixture) -> String {
    edgevirt_core::post_render(&fixture.plain).expect("the examples render")
}

/// The documents of a stream as text, without the `# Source:` comments Helm writes above each,
/// sorted: Helm orders the post-rendered documents by kind, the core keeps them in place.
fn documents(stream: &str) -> Vec<String> {
    let mut docs: Vec<String> = stream
        .split("---\n")
        .map(|doc| {
            doc.lines()
                .filter(|line| !line.starts_with("# Source: "))
                .map(|line| format!("{line}\n"))
                .collect::<String>()
        })
        .filter(|doc| !doc.trim().is_empty())
        .collect();
    docs.sort();
    docs
}

/// `actual` holds the same documents as `expected`, and every one of them is filed under a
/// template of the chart: Helm files a document without its filename annotation under
/// `generated-by-postrender-N.yaml`.
fn assert_same_documents(actual: &str, expected: &str, what: &str) {
    let (actual_docs, expected_docs) = (documents(actual), documents(expected));
    assert_eq!(actual_docs.len(), expected_docs.len(), "{what}:\n{actual}");
    for (a, e) in actual_docs.iter().zip(&expected_docs) {
        assert!(
            a == e,
            "{what}: a document differs\n--- got\n{a}--- expected\n{e}"
        );
    }
    for line in actual.lines().filter(|l| l.starts_with("# Source: ")) {
        assert!(
            line.starts_with("# Source: edgevirt/templates/"),
            "{what}: {line}"
        );
    }
    assert!(!actual.contains("kind: EdgeDevice"), "{what}:\n{actual}");
    assert!(!actual.contains("postrender-filename"), "{what}:\n{actual}");
}

#[test]
fn template_with_the_post_renderer_plugin() {
    let f = fixture();
    let out = f.helm.ok(&[
        "template",
        "edge",
        chart_path(),
        "-f",
        &f.values,
        "--post-renderer",
        "edgevirt",
        "--post-renderer-args",
        "--accepted-and-ignored",
    ]);
    assert_same_documents(&out, &expected(f), "helm template --post-renderer edgevirt");
    assert_valid(&out, "helm template --post-renderer edgevirt");
}

#[test]
fn install_dry_run_with_the_post_renderer_plugin() {
    let f = fixture();
    let args = ["install", "edge", chart_path(), "-f", &f.values];
    let out = f.helm.ok(&[
        &args[..],
        &["--dry-run=client", "--post-renderer", "edgevirt"],
    ]
    .concat());
    let manifest = out
        .split_once("\nMANIFEST:\n")
        .map(|(_, rest)| rest.split_once("\nNOTES:\n").map_or(rest, |(m, _)| m))
        .unwrap_or_else(|| panic!("no MANIFEST: section in\n{out}"));
    assert_same_documents(manifest, &expected(f), "helm install --dry-run=client");
    assert_valid(
        manifest,
        "helm install --dry-run=client --post-renderer edgevirt",
    );
}

#[test]
fn packaged_plugins_install_with_verify_false() {
    let f = fixture();
    let helm = Helm::new(&f.helm.binary, "helm4-packaged");
    let (cli, post_renderer) = plugin_sources(&helm.home.join("src"), &plugin_wasm());
    let dist = helm.home.join("dist");
    let dist = dist.to_str().expect("UTF-8 path");
    for dir in [&cli, &post_renderer] {
        let dir = dir.to_str().expect("UTF-8 path");
        let out = helm.ok(&["plugin", "package", dir, "--sign=false", "-d", dist]);
        assert!(out.contains("Successfully packaged plugin"), "{out}");
    }
    let archive = |name: &str| Path::new(dist).join(format!("{name}-0.1.0.tgz"));
    // An archive is verified unless told not to, and ours come without a .prov signature.
    let unverified = archive("edgevirt-wasm");
    let (ok, _, stderr) = helm.run(
        &["plugin", "install", unverified.to_str().expect("UTF-8")],
        "",
    );
    assert!(!ok && stderr.contains(".prov"), "{stderr}");
    helm.install_plugin(&archive("edgevirt-wasm"), &["--verify=false"]);
    helm.install_plugin(&archive("edgevirt"), &["--verify=false"]);
    let list = helm.ok(&["plugin", "list"]);
    assert!(
        list.contains("postrenderer/v1") && list.contains("cli/v1"),
        "{list}"
    );

    let args = ["template", "edge", chart_path(), "-f", &f.values];
    let packaged = helm.ok(&[&args[..], &["--post-renderer", "edgevirt"]].concat());
    let from_dirs = f
        .helm
        .ok(&[&args[..], &["--post-renderer", "edgevirt"]].concat());
    assert!(packaged == from_dirs, "packaged plugins render differently");
}

#[test]
fn a_bad_device_fails_the_release_and_the_cli_plugin_says_why() {
    let f = fixture();
    let mut values = support::example_values();
    values["devices"][0]["spec"]["vm"]["memory"] = "8Gb".into();
    let path = scratch("helm4-bad").join("values.yaml");
    std::fs::write(&path, values.to_string()).expect("write values");
    let values = path.to_str().expect("UTF-8 path");

    let (ok, stdout, stderr) = f.helm.run(
        &[
            "template",
            "edge",
            chart_path(),
            "-f",
            values,
            "--post-renderer",
            "edgevirt",
        ],
        "",
    );
    assert!(!ok && stdout.is_empty(), "{stdout}");
    // Helm 4.1 drops a post-renderer's stderr: this is all it says.
    assert!(
        stderr.contains("plugin \"edgevirt\" exited with error"),
        "{stderr}"
    );

    let bad = f.helm.ok(&["template", "edge", chart_path(), "-f", values]);
    let (ok, stdout, stderr) = f.helm.run(&["edgevirt-wasm", "post-render"], &bad);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("spec.vm.memory") && stderr.contains("8Gb"),
        "{stderr}"
    );
}

#[test]
fn cli_plugin_passes_other_documents_byte_for_byte() {
    let f = fixture();
    let stream = "# a comment\nkind: ConfigMap\n---\nb: |\n  ---\n  x\n--- \nc: 1";
    let (ok, stdout, stderr) = f.helm.run(&["edgevirt-wasm"], stream);
    assert!(ok, "{stderr}");
    assert_eq!(stdout, stream);
    let (ok, stdout, _) = f.helm.run(&["edgevirt-wasm", "--help"], "");
    assert!(
        ok && stdout.contains("--post-renderer edgevirt"),
        "{stdout}"
    );
    let (ok, _, stderr) = f.helm.run(&["edgevirt-wasm", "rendr"], "");
    assert!(
        !ok && stderr.contains("unknown command \"rendr\""),
        "{stderr}"
    );
}

/// Documents what Helm 4.1.4 does with an `extism/v1` post-renderer, here the
/// `helm_postrenderer_main` export of the same `plugin.wasm`: it passes `{"manifests":{}}`
/// (a Go `*bytes.Buffer` has no JSON form) and cannot read any reply, since it unmarshals
/// `manifests` into a `bytes.Buffer`. When this test fails, Helm has changed: switch the
/// `edgevirt` plugin to this runtime and update plugins/helm4/README.md.
#[test]
fn extism_post_renderer_in_helm_4_1_4() {
    let f = fixture();
    let helm = Helm::new(&f.helm.binary, "helm4-extism");
    let dir = helm.home.join("src/edgevirt-extism");
    std::fs::create_dir_all(&dir).expect("create the plugin dir");
    std::fs::copy(plugin_wasm(), dir.join("plugin.wasm")).expect("copy plugin.wasm");
    let metadata = "apiVersion: v1\nname: edgevirt-extism\ntype: postrenderer/v1\n\
                    runtime: extism/v1\nversion: 0.1.0\n\
                    runtimeConfig:\n  entryFuncName: helm_postrenderer_main\n";
    std::fs::write(dir.join("plugin.yaml"), metadata).expect("write plugin.yaml");
    helm.install_plugin(&dir, &[]);

    let args = ["template", "edge", chart_path(), "-f", &f.values];
    let post_render = ["--post-renderer", "edgevirt-extism", "--debug"];
    let (ok, _, stderr) = helm.run(&[&args[..], &post_render[..]].concat(), "");
    let input = r#"inputData="{\"manifests\":{},\"extraArgs\":[]}""#;
    let output = r#"outputData="{\"manifests\":\"\"}""#;
    let refusal = "cannot unmarshal string into Go struct field \
                   OutputMessagePostRendererV1.manifests of type bytes.Buffer";
    assert!(
        !ok && stderr.contains(input) && stderr.contains(output) && stderr.contains(refusal),
        "Helm's extism/v1 post-renderer behaves differently from 4.1.4:\n{stderr}"
    );
}

/// `helm template` of the chart with the values file `values` and `--post-renderer edgevirt`.
fn template_with_post_renderer(f: &Fixture, values: &Path) -> String {
    let values = values.to_str().expect("UTF-8 path");
    f.helm.ok(&[
        "template",
        "edge",
        chart_path(),
        "-f",
        values,
        "--post-renderer",
        "edgevirt",
    ])
}

/// The `values.yaml` the wizard offers for a device (`edgevirt_core::chart_values_yaml`) installs
/// that device: through the chart and the post-renderer it gives the documents `edgevirt render`
/// gives for the device itself.
#[test]
fn chart_values_of_one_device_render_like_the_device() {
    let f = fixture();
    for (name, text) in support::examples() {
        let device = edgevirt_core::parse_device(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let path = scratch("helm4-one-device").join("values.yaml");
        std::fs::write(&path, edgevirt_core::chart_values_yaml(&device)).expect("write values");
        let out = template_with_post_renderer(f, &path);
        let direct = support::render_each([text.as_str()]);
        assert_same_documents(&out, &direct, &format!("{name} through values.yaml"));
    }
}

/// A fleet in the chart's values (`fleets:`) comes out of `helm template --post-renderer
/// edgevirt` as the documents `edgevirt render` makes of the same `EdgeDeviceFleet`: the fleet
/// fixture cases, each through the chart.
#[test]
fn a_fleet_in_the_values_renders_like_the_fleet() {
    let f = fixture();
    for case in ["fleet-count", "fleet-inventory", "fleet-csv-dps-group"] {
        let input = repo().join("tests/cases").join(case).join("input.yaml");
        let text = std::fs::read_to_string(&input).expect("read the fleet case");
        let mut fleet: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
        let fields = fleet.as_object_mut().expect("a mapping");
        fields.remove("apiVersion");
        fields.remove("kind");
        let path = scratch("helm4-fleet").join("values.yaml");
        let values = serde_json::json!({ "fleets": [fleet] });
        std::fs::write(&path, values.to_string()).expect("write values");
        let out = template_with_post_renderer(f, &path);
        let direct = support::render_each([text.as_str()]);
        assert_same_documents(&out, &direct, &format!("{case} through the chart"));
        assert_valid(&out, case);
    }
}
