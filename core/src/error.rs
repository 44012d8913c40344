//! The one error type of the core.

use std::fmt;

use crate::Diagnostic;

/// Why a document could not be turned into manifests.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The text cannot be read: not YAML (or TOML, for an import), or not a single document.
    Syntax {
        /// What is wrong, naming the format, with line and column.
        message: String,
    },
    /// A document of a manifest stream is bad.
    Document {
        /// Its position in the stream, from 0.
        index: usize,
        /// The Helm template it came from, when known.
        origin: Option<String>,
        /// What is wrong with it.
        error: Box<Error>,
    },
    /// The document was read but has problems: every error found, and the warnings beside them.
    Invalid {
        /// Every problem, errors first.
        diagnostics: Vec<Diagnostic>,
    },
    /// The input goes past one of the [`crate::Limits`].
    Limit {
        /// Which one.
        limit: crate::Limit,
        /// What went past it, with the limit's value.
        message: String,
    },
}

impl Error {
    /// The diagnostics of an [`Error::Invalid`]; empty for a syntax error.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Syntax { .. } | Error::Limit { .. } => &[],
            Error::Document { error, .. } => error.diagnostics(),
            Error::Invalid { diagnostics } => diagnostics,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax { message } => f.write_str(message),
            Error::Limit { limit, message } => write!(f, "{message} ({})", limit.hint()),
            Error::Document {
                index,
                origin,
                error,
            } => {
                write!(f, "document {index}")?;
                if let Some(origin) = origin {
                    write!(f, " ({origin})")?;
                }
                write!(f, ": {error}")
            }
            Error::Invalid { diagnostics } => {
                let errors = diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::Severity::Error);
                let lines: Vec<String> = errors.map(|d| format!("  {d}")).collect();
                write!(
                    f,
                    "{} problem(s) in the input:\n{}",
                    lines.len(),
                    lines.join("\n")
                )
            }
        }
    }
}

impl std::error::Error for Error {}
