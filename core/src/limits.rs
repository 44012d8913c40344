//! Bounds on what one input may ask of edgevirt.
//!
//! edgevirt reads text written by others (a Helm release, a portal user's upload, a fleet
//! inventory), so every cost that grows with the input is bounded: the text itself, the documents
//! in it, the YAML nodes it expands to (aliases included, so a "billion laughs" document stops
//! early), how deep it nests, the devices of one fleet, and the work and output of each user
//! template. Going past a bound is an error that names it and says how to raise it; the `edgevirt`
//! CLI has a flag (and an environment variable) for each.

use std::fmt;

/// The bounds one run works within. [`Limits::default`] suits any real device or fleet; raise a
/// field when an input legitimately needs more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input text, in bytes.
    pub max_input_bytes: usize,
    /// Most YAML documents in one input (an `edgevirt render` stream, a post-render stream, the
    /// items of a KRM ResourceList).
    pub max_documents: usize,
    /// Most devices one `EdgeDeviceFleet` may expand to.
    pub max_devices: usize,
    /// Deepest nesting of YAML collections.
    pub max_yaml_depth: usize,
    /// Most YAML nodes (scalars, lists, maps) in one input, counting again every node an alias
    /// repeats: the bound that stops alias bombs.
    pub max_yaml_nodes: usize,
    /// Work one render of a user template may do, in minijinja fuel (about one unit per
    /// instruction): enough for string formatting, not for runaway loops.
    pub template_fuel: u64,
    /// Largest output of one render of a user template, in bytes.
    pub max_template_output: usize,
}

impl Limits {
    /// The defaults: far above any device or fleet edgevirt has seen, far below what would tire
    /// a CI runner or a browser tab.
    pub const DEFAULT: Limits = Limits {
        max_input_bytes: 64 * 1024 * 1024,
        max_documents: 1024,
        max_devices: 10_000,
        max_yaml_depth: 64,
        max_yaml_nodes: 500_000,
        template_fuel: 50_000,
        max_template_output: 256 * 1024,
    };

    /// Refuses `text` when it is longer than [`Limits::max_input_bytes`].
    ///
    /// # Errors
    /// [`crate::Error::Limit`] naming the size and the limit.
    pub fn check_input(&self, text: &str) -> Result<(), crate::Error> {
        if text.len() > self.max_input_bytes {
            return Err(Limit::InputBytes.error(&format!(
                "the input has more than {} bytes",
                self.max_input_bytes
            )));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Which limit an input went past; each has a flag of the `edgevirt` CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_input_bytes`].
    InputBytes,
    /// [`Limits::max_documents`].
    Documents,
    /// [`Limits::max_devices`].
    Devices,
    /// [`Limits::max_yaml_depth`].
    YamlDepth,
    /// [`Limits::max_yaml_nodes`].
    YamlNodes,
    /// [`Limits::template_fuel`].
    TemplateFuel,
    /// [`Limits::max_template_output`].
    TemplateOutput,
}

impl Limit {
    /// The `edgevirt` flag that raises this limit.
    pub fn flag(self) -> &'static str {
        match self {
            Limit::InputBytes => "--max-input-bytes",
            Limit::Documents => "--max-documents",
            Limit::Devices => "--max-devices",
            Limit::YamlDepth => "--max-yaml-depth",
            Limit::YamlNodes => "--max-yaml-nodes",
            Limit::TemplateFuel => "--template-fuel",
            Limit::TemplateOutput => "--max-template-output",
        }
    }

    /// How to raise this limit, for a message.
    pub(crate) fn hint(self) -> String {
        format!("if the input is right, raise the limit with {self}")
    }

    pub(crate) fn error(self, message: &str) -> crate::Error {
        crate::Error::Limit {
            limit: self,
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.flag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_size_is_checked_against_the_limit() {
        let limits = Limits {
            max_input_bytes: 4,
            ..Limits::DEFAULT
        };
        assert!(limits.check_input("abcd").is_ok());
        let err = limits.check_input("abcde").expect_err("over the limit");
        assert_eq!(
            err.to_string(),
            "the input has more than 4 bytes (if the input is right, raise the limit with \
             --max-input-bytes)"
        );
    }
}
