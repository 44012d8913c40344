//! YAML in and out, through serde-saphyr.
//!
//! serde-saphyr is maintained, never panics on input, and quotes on output every string that a
//! YAML 1.1 reader (cloud-init's PyYAML, Kubernetes' go-yaml) would take for something else:
//! `"0600"`, `"yes"`, `"on"`, `"12:30"`. The tests read every rendered file back with PyYAML.

use serde::Serialize;

use crate::{Error, Limit, Limits};

/// Parses one YAML (or JSON) document into a JSON value, within `limits`.
pub(crate) fn from_str(text: &str, limits: &Limits) -> Result<serde_json::Value, Error> {
    limits.check_input(text)?;
    serde_saphyr::from_str_with_options(text, options(limits)).map_err(|e| read_error(e, limits))
}

/// Parses every document of a YAML stream into JSON values, within `limits`; empty documents
/// are left out.
pub(crate) fn from_str_multiple(
    text: &str,
    limits: &Limits,
) -> Result<Vec<serde_json::Value>, Error> {
    limits.check_input(text)?;
    serde_saphyr::from_multiple_with_options(text, options(limits))
        .map_err(|e| read_error(e, limits))
}

fn options(limits: &Limits) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_yaml_depth;
    // One level more for the parser's own bound on flow collections (`[[[...]]]`), so that the
    // budget, which names the limit, is what stops a deep one.
    budget.flow_nesting_limit = limits.max_yaml_depth.saturating_add(1);
    budget.max_documents = limits.max_documents;
    budget.max_nodes = limits.max_yaml_nodes;
    // A node is one or two parser events, and an alias replays its anchor's events: the
    // event, alias and replay counts follow the node bound.
    let events = limits.max_yaml_nodes.saturating_mul(2);
    budget.max_events = events;
    budget.max_aliases = limits.max_yaml_nodes;
    budget.max_recorded_anchor_events = events;
    options.alias_limits.max_total_replayed_events = events;
    budget.max_total_scalar_bytes = limits.max_input_bytes;
    budget.max_recorded_anchor_bytes = limits.max_input_bytes;
    // The node bound already stops what aliases expand to; serde-saphyr's alias/anchor ratio
    // heuristic would also refuse an inventory whose many rows merge one `&defaults` anchor.
    budget.enforce_alias_anchor_ratio = false;
    options.budget = Some(budget);
    // A syntax error names its line and column, without quoting the lines around it: they may
    // hold a secret, and messages end up in CI logs.
    options.with_snippet = false;
    options
}

/// A read error: a limit (naming it) or the YAML's own syntax error.
fn read_error(e: serde_saphyr::Error, limits: &Limits) -> Error {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let mut inner = &e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let at = e
        .location()
        .map(|l| format!(" (line {})", l.line()))
        .unwrap_or_default();
    let nodes = || {
        Limit::YamlNodes.error(&format!(
            "the YAML expands to more than {} nodes{at}; an alias counts every node it repeats",
            limits.max_yaml_nodes
        ))
    };
    let depth = || {
        Limit::YamlDepth.error(&format!(
            "the YAML nests deeper than {} levels{at}",
            limits.max_yaml_depth
        ))
    };
    match inner {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => depth(),
            B::Documents { .. } => Limit::Documents.error(&format!(
                "the input has more than {} documents",
                limits.max_documents
            )),
            B::ScalarBytes { .. } => Limit::InputBytes.error(&format!(
                "the YAML's text, with aliases expanded, is over {} bytes{at}",
                limits.max_input_bytes
            )),
            _ => nodes(),
        },
        E::AliasReplayLimitExceeded { .. } | E::AliasExpansionLimitExceeded { .. } => nodes(),
        // The parser's own bound on nesting, which it may reach while scanning ahead of the
        // budget.
        E::ExternalMessage { msg, .. } if msg.contains("recursion limit") => depth(),
        _ => syntax_error(&e),
    }
}

fn syntax_error(e: &serde_saphyr::Error) -> Error {
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
