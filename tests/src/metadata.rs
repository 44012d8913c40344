//! Name rules the API server applies to `metadata` and that no JSON schema here states.
//!
//! Object names are DNS-1123 subdomains (at most 253 characters), namespaces DNS-1123 labels,
//! and Service names DNS-1035 labels, because a Service name becomes a DNS label of its own.

use serde_json::Value;

use crate::problem::{Origin, Problem, Stage};

/// Checks `metadata.name` and `metadata.namespace` of any document.
pub(crate) fn check_names(doc: &Value, origin: &Origin) -> Vec<Problem> {
    let mut problems = Vec::new();
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    match doc.pointer("/metadata/name") {
        Some(Value::String(name)) if kind == "Service" => {
            if !is_dns1035_label(name) {
                let message = format!(
                    "{name:?} is not a DNS-1035 label (a Service name: lowercase letters, digits \
                     and '-', starting with a letter, at most 63 characters)"
                );
                problems.push(origin.problem(Stage::Admission, ".metadata.name", message));
            }
        }
        Some(Value::String(name)) => {
            if !is_dns1123_subdomain(name) {
                let message = format!(
                    "{name:?} is not a DNS-1123 subdomain (lowercase letters, digits, '-' and \
                     '.', starting and ending alphanumeric, at most 253 characters)"
                );
                problems.push(origin.problem(Stage::Admission, ".metadata.name", message));
            }
        }
        Some(other) => problems.push(origin.problem(
            Stage::Admission,
            ".metadata.name",
            format!("{other} is not a string"),
        )),
        None => problems.push(origin.problem(
            Stage::Admission,
            ".metadata.name",
            "missing (generateName is not supported by kubectl apply)",
        )),
    }
    let namespace = doc.pointer("/metadata/namespace").and_then(Value::as_str);
    if let Some(namespace) = namespace.filter(|n| !is_dns1123_label(n)) {
        let message = format!("{namespace:?} is not a DNS-1123 label");
        problems.push(origin.problem(Stage::Admission, ".metadata.namespace", message));
    }
    problems
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub(crate) fn is_dns1123_label(name: &str) -> bool {
    name.len() <= 63 && is_label_text(name)
}

/// Dot-separated DNS-1123 labels, at most 253 characters in all.
pub(crate) fn is_dns1123_subdomain(name: &str) -> bool {
    // Kubernetes limits only the whole name, not each label of a subdomain.
    name.len() <= 253 && name.split('.').all(is_label_text)
}

/// Lowercase letters, digits and '-', starting and ending alphanumeric, of any length but 0.
fn is_label_text(part: &str) -> bool {
    let bytes = part.as_bytes();
    let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.first().is_some_and(alphanumeric)
        && bytes.last().is_some_and(alphanumeric)
        && bytes.iter().all(|b| alphanumeric(b) || *b == b'-')
}

/// A DNS-1123 label that starts with a letter.
pub(crate) fn is_dns1035_label(name: &str) -> bool {
    is_dns1123_label(name) && name.as_bytes()[0].is_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains() {
        for good in ["a", "edge-01", "plant-a.edge-01", "0abc", &"a".repeat(253)] {
            assert!(is_dns1123_subdomain(good), "{good}");
        }
        for bad in [
            "",
            "Edge",
            "edge_01",
            "-a",
            "a-",
            "a..b",
            ".a",
            "a.",
            &"a".repeat(254),
        ] {
            assert!(!is_dns1123_subdomain(bad), "{bad}");
        }
    }

    #[test]
    fn labels() {
        assert!(is_dns1123_label("iot-edge"));
        assert!(!is_dns1123_label("iot.edge"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_dns1035_label("ssh-edge"));
        assert!(!is_dns1035_label("1edge"));
    }
}
