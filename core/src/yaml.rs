//! YAML in and out, through serde-saphyr.
//!
//! serde-saphyr is maintained, never panics on input, and quotes on output every string that a
//! YAML 1.1 reader (cloud-init's PyYAML, Kubernetes' go-yaml) would take for something else:
//! `"0600"`, `"yes"`, `"on"`, `"12:30"`. The tests read every rendered file back with PyYAML.

use serde::Serialize;

use crate::Error;

/// Parses one YAML (or JSON) document into a JSON value.
pub(crate) fn from_str(text: &str) -> Result<serde_json::Value, Error> {
    serde_saphyr::from_str(text).map_err(syntax_error)
}

/// Parses every document of a YAML stream into JSON values; empty documents are left out.
pub(crate) fn from_str_multiple(text: &str) -> Result<Vec<serde_json::Value>, Error> {
    serde_saphyr::from_multiple(text).map_err(syntax_error)
}

fn syntax_error(e: serde_saphyr::Error) -> Error {
    let message = e.to_string();
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    Error::Syntax {
        message: format!("input is not valid YAML: {message}"),
    }
}

/// Serializes one document as YAML, without a leading `---`.
pub(crate) fn to_string<T: Serialize>(value: &T) -> String {
    let mut out = String::new();
    append(&mut out, value);
    out
}

/// Appends one document as YAML, without a leading `---`, to `out`: a fleet's output grows one
/// buffer instead of copying each document's text into it.
pub(crate) fn append<T: Serialize>(out: &mut String, value: &T) {
    let start = out.len();
    if let Err(e) = serde_saphyr::to_fmt_writer(out, value) {
        // Our values are JSON-shaped trees with string keys: serialization cannot fail. Should it
        // ever, the message lands in the output where a test sees it, instead of a panic in wasm.
        out.truncate(start);
        out.push_str(&format!("# edgevirt: YAML serialization failed: {e}\n"));
    }
}
