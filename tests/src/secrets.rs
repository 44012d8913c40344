//! Finding Secrets of a stream by name and reading their values as the API server stores them.
//!
//! The API server merges `stringData` over `data` (base64), so a key in `stringData` wins. A
//! payload that is not UTF-8 text is reported by the checks that need text, not here.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::problem::field;

/// The Secrets of one stream, by namespace (absent when unset) and name.
pub(crate) struct SecretIndex<'a> {
    by_name: HashMap<(Option<&'a str>, &'a str), &'a Value>,
}

impl<'a> SecretIndex<'a> {
    /// Indexes every `v1` Secret with a name.
    pub(crate) fn new(docs: &'a [Value]) -> Self {
        let by_name = docs
            .iter()
            .filter(|doc| is_secret(doc))
            .filter_map(|doc| {
                let name = doc.pointer("/metadata/name")?.as_str()?;
                Some(((namespace(doc), name), doc))
            })
            .collect();
        SecretIndex { by_name }
    }

    /// The Secret named `name` in `namespace`, if the stream has it.
    pub(crate) fn get(&self, namespace: Option<&str>, name: &str) -> Option<&'a Value> {
        self.by_name.get(&(namespace, name)).copied()
    }
}

/// Whether a document is a core `v1` Secret.
pub(crate) fn is_secret(doc: &Value) -> bool {
    doc.get("apiVersion").and_then(Value::as_str) == Some("v1")
        && doc.get("kind").and_then(Value::as_str) == Some("Secret")
}

/// The namespace of a document, absent when unset.
pub(crate) fn namespace(doc: &Value) -> Option<&str> {
    doc.pointer("/metadata/namespace").and_then(Value::as_str)
}

/// One value of a Secret, found under the first of several accepted keys.
pub(crate) struct Payload {
    /// Where it was found, such as `.stringData.userdata`.
    pub(crate) path: String,
    /// The decoded text, or why it cannot be read as text.
    pub(crate) text: Result<String, String>,
}

/// The value of the first key of `keys` that the Secret holds, as KubeVirt looks keys up.
pub(crate) fn payload(secret: &Value, keys: &[&str]) -> Option<Payload> {
    keys.iter().find_map(|key| {
        if let Some(value) = secret.pointer("/stringData").and_then(|d| d.get(*key)) {
            let text = value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{value} is not a string"));
            return Some(Payload {
                path: field(".stringData", key),
                text,
            });
        }
        let value = secret.pointer("/data").and_then(|d| d.get(*key))?;
        Some(Payload {
            path: field(".data", key),
            text: decode_base64(value),
        })
    })
}

fn decode_base64(value: &Value) -> Result<String, String> {
    let encoded = value
        .as_str()
        .ok_or_else(|| format!("{value} is not a base64 string"))?;
    let bytes = STANDARD
        .decode(encoded)
        .map_err(|e| format!("not valid base64 ({e})"))?;
    String::from_utf8(bytes).map_err(|_| "decodes to bytes that are not UTF-8 text".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_data_wins_over_data_and_keys_are_tried_in_order() {
        let secret = json!({
            "data": {"userdata": "I2Nsb3VkLWNvbmZpZwo=", "userData": "eA=="},
            "stringData": {"userData": "plain"}
        });
        let found = payload(&secret, &["userdata", "userData"]).expect("present");
        assert_eq!(found.path, ".data.userdata");
        assert_eq!(found.text, Ok("#cloud-config\n".to_owned()));
        let found = payload(&secret, &["userData"]).expect("present");
        assert_eq!(found.path, ".stringData.userData");
        assert_eq!(found.text, Ok("plain".to_owned()));
    }

    #[test]
    fn bad_base64_is_reported() {
        let secret = json!({"data": {"userdata": "%%%"}});
        let found = payload(&secret, &["userdata"]).expect("present");
        assert!(found.text.is_err());
    }
}
