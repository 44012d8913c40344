//! edgevirt inside Helm 4: the `plugin.wasm` of an `extism/v1` plugin.
//!
//! Helm 4 loads `plugin.wasm` from the plugin directory with its Extism runtime (wazero, WASI
//! enabled), calls one exported function with a JSON message and reads a JSON message back. What
//! the messages hold depends on the plugin type:
//!
//! - `cli/v1`: Helm calls `helm_plugin_main` (its default entry name) with
//!   `{"extraArgs": [..]}`, wires WASI stdin, stdout and stderr to its own, and wants a JSON
//!   object back (`{}` will do).
//! - `postrenderer/v1`: Helm calls the export named by `runtimeConfig.entryFuncName`, here
//!   `helm_postrenderer_main`, with `{"manifests": .., "extraArgs": [..]}`, and wants
//!   `{"manifests": ".."}` back.
//!
//! The `cli/v1` entry is what `helm edgevirt-wasm post-render` runs: it reads a manifest stream
//! from stdin, expands every `EdgeDevice` with [`edgevirt_core::post_render`] and writes the
//! result to stdout. The `edgevirt` subprocess post-renderer pipes Helm's manifests through it.
//!
//! The `postrenderer/v1` entry is for the Helm release that passes the manifests as a string.
//! Helm 4.1 declares them as a Go `*bytes.Buffer`, which JSON turns into `{}` on the way in and
//! which cannot be read from any JSON value on the way out, so this entry cannot work there; it
//! takes `{}` as an empty stream rather than failing on it.
//!
//! Natively this crate is only the message handling below; the exports exist on `wasm32`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What `helm edgevirt-wasm --help` prints.
pub const USAGE: &str = "\
Expands the EdgeDevice documents of a manifest stream into KubeVirt manifests.

Usage:
  helm edgevirt-wasm [post-render] [ARGS...] < manifests.yaml > expanded.yaml

Reads a multi-document YAML stream from stdin and writes it to stdout with every EdgeDevice
document replaced, in place, by the manifests it stands for; other documents pass unchanged.
Extra arguments are accepted and ignored, as Helm's --post-renderer-args are.
As a Helm post-renderer, install the `edgevirt` plugin and use `--post-renderer edgevirt`.
";

/// The message a `cli/v1` plugin returns to Helm: Helm only checks that it is a JSON object.
pub const CLI_OUTPUT: &str = "{}";

/// What the `cli/v1` entry was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliCommand {
    /// Expand the manifest stream on stdin to stdout.
    PostRender,
    /// Print [`USAGE`].
    Help,
}

/// Why a plugin call fails.
#[derive(Debug)]
pub enum PluginError {
    /// Helm's message is not what the plugin type promises, or the arguments are unknown.
    Input(String),
    /// The manifest stream holds a bad `EdgeDevice`.
    Render(edgevirt_core::Error),
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PluginError::Input(message) => f.write_str(message),
            PluginError::Render(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for PluginError {}

/// The `cli/v1` input message; Helm 4.1 also defines `settings`, which it leaves out.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CliInput {
    #[serde(default)]
    extra_args: Vec<String>,
}

/// Reads the `cli/v1` message Helm passes and decides what to do.
///
/// No arguments, or `post-render` followed by anything, post-renders; `-h`, `--help` or `help`
/// print the usage. Anything else is refused, so a mistyped subcommand does not silently act
/// as a post-renderer.
///
/// # Errors
/// [`PluginError::Input`] when the message is not JSON of the expected shape or the first
/// argument is unknown.
pub fn cli_command(message: &str) -> Result<CliCommand, PluginError> {
    let input: CliInput = serde_json::from_str(message)
        .map_err(|e| PluginError::Input(format!("unexpected cli/v1 message from Helm: {e}")))?;
    match input.extra_args.first().map(String::as_str) {
        None | Some("post-render") => Ok(CliCommand::PostRender),
        Some("-h" | "--help" | "help") => Ok(CliCommand::Help),
        Some(other) => Err(PluginError::Input(format!(
            "unknown command {other:?} (expected post-render; see helm edgevirt-wasm --help)"
        ))),
    }
}

/// Expands a manifest stream: the work of the `cli/v1` entry between stdin and stdout.
///
/// # Errors
/// [`PluginError::Render`] for a bad `EdgeDevice`; nothing should be written then.
pub fn post_render(manifests: &str) -> Result<String, PluginError> {
    edgevirt_core::post_render(manifests).map_err(PluginError::Render)
}

/// The manifests of a `postrenderer/v1` message: text, or the `{}` Helm 4.1 sends instead.
#[derive(Deserialize)]
#[serde(untagged)]
enum Manifests {
    Text(String),
    /// A Go `bytes.Buffer` marshalled to JSON: an object without fields, its content lost.
    EmptyBuffer(serde_json::Map<String, serde_json::Value>),
}

/// The `postrenderer/v1` input message; its `extraArgs` (Helm's `--post-renderer-args`) are
/// accepted and ignored, as `edgevirt post-render` ignores extra arguments.
#[derive(Deserialize)]
struct PostRendererInput {
    manifests: Manifests,
}

/// The `postrenderer/v1` output message.
#[derive(Serialize)]
struct PostRendererOutput {
    manifests: String,
}

/// Answers a `postrenderer/v1` message: `{"manifests": TEXT}` in, `{"manifests": TEXT}` out.
///
/// `manifests` given as an object without fields (what Helm 4.1 sends) is read as an empty
/// stream, and answered with an empty string.
///
/// # Errors
/// [`PluginError::Input`] for a message of another shape (an object with fields included),
/// [`PluginError::Render`] for a bad `EdgeDevice`.
pub fn postrenderer_message(message: &str) -> Result<String, PluginError> {
    let input: PostRendererInput = serde_json::from_str(message).map_err(|e| {
        PluginError::Input(format!("unexpected postrenderer/v1 message from Helm: {e}"))
    })?;
    let manifests = match input.manifests {
        Manifests::Text(text) => post_render(&text)?,
        Manifests::EmptyBuffer(fields) if fields.is_empty() => String::new(),
        Manifests::EmptyBuffer(_) => {
            return Err(PluginError::Input(
                "unexpected postrenderer/v1 message from Helm: `manifests` is an object with \
                 fields; expected a string"
                    .to_owned(),
            ));
        }
    };
    serde_json::to_string(&PostRendererOutput { manifests })
        .map_err(|e| PluginError::Input(format!("cannot write the reply to Helm: {e}")))
}

/// The functions Helm calls. Each returns a JSON message, or fails with the error text, which
/// Helm prints as `Error: plugin error: TEXT` and exits 1.
#[cfg(target_arch = "wasm32")]
mod exports {
    use std::io::{Read, Write};

    use extism_pdk::{FnResult, WithReturnCode, plugin_fn};

    use crate::{CLI_OUTPUT, CliCommand, PluginError, USAGE};

    fn fail(error: impl std::fmt::Display) -> WithReturnCode<extism_pdk::Error> {
        WithReturnCode::new(extism_pdk::Error::msg(error.to_string()), 1)
    }

    /// Writes all of `text` to WASI stdout (Helm's stdout) and flushes it: the module is not
    /// exited after the call, so nothing else would flush a last line without a newline.
    fn write_stdout(text: &str) -> FnResult<()> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes()).map_err(fail)?;
        stdout.flush().map_err(fail)?;
        Ok(())
    }

    /// The `cli/v1` entry: `helm edgevirt-wasm [post-render]` (Helm's default entry name).
    #[plugin_fn]
    pub fn helm_plugin_main(message: String) -> FnResult<String> {
        match crate::cli_command(&message).map_err(fail)? {
            CliCommand::Help => write_stdout(USAGE)?,
            CliCommand::PostRender => {
                let mut input = String::new();
                std::io::stdin()
                    .read_to_string(&mut input)
                    .map_err(|e| fail(PluginError::Input(format!("cannot read stdin: {e}"))))?;
                // Rendered completely before the first byte goes out: a bad device leaves
                // stdout empty.
                let output = crate::post_render(&input).map_err(fail)?;
                write_stdout(&output)?;
            }
        }
        Ok(CLI_OUTPUT.to_owned())
    }

    /// The `postrenderer/v1` entry, for `runtimeConfig.entryFuncName: helm_postrenderer_main`.
    #[plugin_fn]
    pub fn helm_postrenderer_main(message: String) -> FnResult<String> {
        crate::postrenderer_message(&message).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = include_str!("../../../examples/minimal.yaml");

    #[test]
    fn cli_commands() {
        let command = |m: &str| cli_command(m).map_err(|e| e.to_string());
        assert_eq!(command(r#"{"extraArgs":[]}"#), Ok(CliCommand::PostRender));
        assert_eq!(command("{}"), Ok(CliCommand::PostRender));
        assert_eq!(
            command(r#"{"extraArgs":["post-render","--x"],"settings":null}"#),
            Ok(CliCommand::PostRender)
        );
        assert_eq!(command(r#"{"extraArgs":["--help"]}"#), Ok(CliCommand::Help));
        assert!(command(r#"{"extraArgs":["render"]}"#).is_err_and(|e| e.contains("\"render\"")));
        assert!(command("\"post-render\"").is_err());
    }

    #[test]
    fn postrenderer_takes_a_string() {
        let message = serde_json::json!({"manifests": DEVICE, "extraArgs": ["a"]}).to_string();
        let reply: serde_json::Value =
            serde_json::from_str(&postrenderer_message(&message).expect("renders")).expect("JSON");
        let expected = edgevirt_core::post_render(DEVICE).expect("renders");
        assert_eq!(reply, serde_json::json!({ "manifests": expected }));
    }

    #[test]
    fn postrenderer_takes_helm_4_1_empty_buffer() {
        let reply = postrenderer_message(r#"{"manifests":{},"extraArgs":[]}"#);
        assert_eq!(reply.expect("accepted"), r#"{"manifests":""}"#);
        assert!(postrenderer_message(r#"{"manifests":{"a":1}}"#).is_err());
        assert!(postrenderer_message(r#"{"extraArgs":[]}"#).is_err());
    }

    #[test]
    fn bad_device_is_an_error() {
        let bad = DEVICE.replace("kind: EdgeDevice", "kind: EdgeDevice\nbogus: 1");
        let message = serde_json::json!({ "manifests": bad }).to_string();
        assert!(matches!(
            postrenderer_message(&message),
            Err(PluginError::Render(_))
        ));
    }

    #[test]
    fn usage_lines_fit() {
        assert!(USAGE.lines().all(|line| line.len() <= 100));
    }
}
