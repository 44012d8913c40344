//! Problems found in the input, each with the field path, the value and a hint.
//!
//! Validation never stops at the first problem: it collects every error and every warning, so
//! the CLI prints them all, the wizard marks every field and the KRM function fills `results[]`.

use std::fmt;

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be rendered.
    Error,
    /// The input renders, but probably not into what the user wants.
    Warning,
}

/// One problem at one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Dotted field path in the input, e.g. `spec.vm.memory` or `spec.network.interfaces[1].name`.
    pub path: String,
    /// The offending value as the user wrote it (masked for secrets), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong, lowercase, without the path or value.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        if let Some(value) = &self.value {
            write!(f, "{value:?} ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Collects diagnostics while a document is checked.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    pub(crate) items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error.
    pub(crate) fn error(&mut self, path: &str, value: Option<&str>, message: &str, hint: &str) {
        self.push(Severity::Error, path, value, message, hint);
    }

    /// Records a warning.
    pub(crate) fn warn(&mut self, path: &str, value: Option<&str>, message: &str, hint: &str) {
        self.push(Severity::Warning, path, value, message, hint);
    }

    fn push(&mut self, severity: Severity, path: &str, value: Option<&str>, msg: &str, hint: &str) {
        self.items.push(Diagnostic {
            severity,
            path: path.to_owned(),
            value: value.map(str::to_owned),
            message: msg.to_owned(),
            hint: (!hint.is_empty()).then(|| hint.to_owned()),
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Shows a secret as its length only, so it can appear in a message.
pub(crate) fn mask(secret: &str) -> String {
    format!("<secret, {} characters>", secret.chars().count())
}
