//! What a check reports: one [`Problem`] per finding, located by document, resource and path.
//!
//! This module only describes findings; it decides nothing about them. Every check in the crate
//! collects problems instead of stopping at the first, so one run lists everything that is wrong.

use std::fmt;

/// The stage of checking that found a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The YAML stream (or an embedded YAML/TOML/JSON text) could not be read.
    Parse,
    /// A document does not match the JSON schema of its kind, or its kind has no schema.
    Schema,
    /// A rule the API server or KubeVirt's admission webhook enforces but the schema misses.
    Admission,
    /// A problem inside the data a manifest carries: the cloud-config in a Secret, or the IoT
    /// Edge `config.toml` written by that cloud-config.
    Deep,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Parse => "parse",
            Stage::Schema => "schema",
            Stage::Admission => "admission",
            Stage::Deep => "deep",
        })
    }
}

/// One finding about a manifest stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Position of the document among the non-empty documents of the stream, from 0; `None` when
    /// the problem is about the stream as a whole or about a lone file.
    pub document: Option<usize>,
    /// `Kind/name` of the resource, or what was checked when there is no resource (for example
    /// `config.toml`).
    pub resource: String,
    /// Where in the document, as a JSON path such as `.spec.template.spec.volumes[1].name`.
    /// Paths into embedded data are chained with ` -> `, for example
    /// `.stringData.userdata -> .write_files[0].permissions`. Empty for the whole document.
    pub path: String,
    /// What is wrong, lowercase, naming the offending value where there is one.
    pub message: String,
    /// Which stage found it.
    pub stage: Stage,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(document) = self.document {
            write!(f, "document {document} ")?;
        }
        write!(f, "{}", self.resource)?;
        if !self.path.is_empty() {
            write!(f, " {}", self.path)?;
        }
        write!(f, ": {} ({})", self.message, self.stage)
    }
}

/// The document a check is looking at, so that every problem it raises carries its location.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    document: Option<usize>,
    resource: String,
}

impl Origin {
    /// A document of a stream, labelled `Kind/name`.
    pub(crate) fn document(index: usize, resource: String) -> Self {
        Origin {
            document: Some(index),
            resource,
        }
    }

    /// A lone file, such as a cloud-config or a `config.toml` checked on its own.
    pub(crate) fn file(label: &str) -> Self {
        Origin {
            document: None,
            resource: label.to_owned(),
        }
    }

    /// A problem found at `path` of this document.
    pub(crate) fn problem(&self, stage: Stage, path: &str, message: impl Into<String>) -> Problem {
        Problem {
            document: self.document,
            resource: self.resource.clone(),
            path: path.to_owned(),
            message: message.into(),
            stage,
        }
    }
}

/// Appends an object key to a JSON path, bracketing keys that are not plain identifiers.
pub(crate) fn field(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

/// Shortens a message that quotes a large value, such as a schema error echoing a whole object.
pub(crate) fn shorten(message: &str, limit: usize) -> String {
    match message.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}...", &message[..cut]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_bracket_keys_with_dots() {
        assert_eq!(field(".metadata", "name"), ".metadata.name");
        assert_eq!(
            field(".metadata.labels", "kubevirt.io/vm"),
            ".metadata.labels[\"kubevirt.io/vm\"]"
        );
    }

    #[test]
    fn display_names_document_resource_and_path() {
        let origin = Origin::document(2, "VirtualMachine/edge".to_owned());
        let problem = origin.problem(Stage::Admission, ".spec", "bad");
        assert_eq!(
            problem.to_string(),
            "document 2 VirtualMachine/edge .spec: bad (admission)"
        );
    }

    #[test]
    fn shorten_cuts_on_a_character_boundary() {
        assert_eq!(shorten("äöü", 2), "äö...");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
