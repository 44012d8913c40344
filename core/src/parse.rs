//! Reading an `EdgeDevice` from YAML or JSON text.
//!
//! The text is read into a JSON value first (JSON is YAML), then into the model. A value of the
//! wrong type stops the read with its path; keys the model does not know are all collected, since
//! a typo in an optional field would otherwise pass silently.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostics, mask};
use crate::{Diagnostic, EdgeDevice, Error};

/// Reads one `EdgeDevice` document from YAML or JSON text.
///
/// Only the shape is checked here; [`crate::validate()`] checks the values.
///
/// # Errors
/// [`Error::Syntax`] when the text is not one YAML document, [`Error::Invalid`] when a field has
/// the wrong type or a key is unknown.
pub fn parse_device(text: &str) -> Result<EdgeDevice, Error> {
    device_from_value(crate::yaml::from_str(text, &crate::Limits::DEFAULT)?)
}

/// Reads an `EdgeDevice` from an already parsed document.
pub(crate) fn device_from_value(value: serde_json::Value) -> Result<EdgeDevice, Error> {
    from_value_strict(value, "")
}

/// Reads one `EdgeDevice` document, leaving out the keys the model does not know instead of
/// failing on them: each one comes back as a warning with its path, for a caller that imports a
/// document and shows what it left out (the wizard's import). A value of the wrong type is still
/// an error.
///
/// # Errors
/// [`Error::Syntax`] when the text is not one YAML document, [`Error::Invalid`] when a field has
/// the wrong type.
pub fn parse_device_lenient(text: &str) -> Result<(EdgeDevice, Vec<Diagnostic>), Error> {
    let value = crate::yaml::from_str(text, &crate::Limits::DEFAULT)?;
    let (parsed, mut diags) = from_value_collecting(value, "");
    for d in &mut diags.items {
        d.severity = crate::Severity::Warning;
        d.hint = Some("left out: edgevirt does not carry this key".to_owned());
    }
    match parsed {
        Ok(device) => Ok((device, diags.items)),
        Err(error) => Err(Error::Invalid {
            diagnostics: vec![error],
        }),
    }
}

/// Deserializes `value` into `T`, reporting a wrong type with its path and every unknown key.
/// `prefix` is prepended to every path (e.g. `spec.template` for embedded documents).
pub(crate) fn from_value_strict<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Error> {
    let (parsed, mut diags) = from_value_collecting(value, prefix);
    match parsed {
        Ok(device) if !diags.has_errors() => Ok(device),
        Ok(_) => Err(Error::Invalid {
            diagnostics: diags.items,
        }),
        Err(error) => {
            diags.items.insert(0, error);
            Err(Error::Invalid {
                diagnostics: diags.items,
            })
        }
    }
}

/// Deserializes `value` into `T`, skipping unknown keys: the result (or the wrong-type error)
/// and an error for every unknown key.
fn from_value_collecting<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> (Result<T, Diagnostic>, Diagnostics) {
    let mut unknown = Vec::new();
    let mut on_unknown = |path: serde_ignored::Path<'_>| unknown.push(path_string(&path));
    let ignored = serde_ignored::Deserializer::new(&value, &mut on_unknown);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(ignored);
    let mut diags = Diagnostics::default();
    for path in unknown {
        let (parent, key) = path.rsplit_once('.').unwrap_or(("", &path));
        let shown = join(prefix, parent);
        let where_ = if shown.is_empty() {
            "the document".to_owned()
        } else {
            shown
        };
        diags.error(
            &join(prefix, &path),
            None,
            &format!("is not a field of {where_}"),
            &format!("check the spelling of {key:?}; `edgevirt schema` lists every field"),
        );
    }
    let parsed = parsed.map_err(|err| {
        let at = serde_path_to_error_path(err.path());
        let mut message = err.inner().to_string();
        let mut shown = None;
        // serde quotes the wrong value (`invalid type: string "...", expected ...`): at a
        // secret field, say only what it expected and show the value masked.
        if is_secret_path(&at) {
            let expected = message.split_once(", expected ").map(|(_, e)| match e {
                "struct SecretSource" => "a map: {value: ...} or {secretKeyRef: {name, key}}",
                other => other,
            });
            message = match expected {
                Some(expected) => format!("has the wrong type: expected {expected}"),
                None => "has the wrong type".to_owned(),
            };
            shown = value_at(&value, err.path()).map(|v| match v {
                serde_json::Value::String(s) => mask(s),
                other => mask(&other.to_string()),
            });
        }
        type_error(&join(prefix, &at), shown, message)
    });
    (parsed, diags)
}

fn type_error(path: &str, value: Option<String>, message: String) -> Diagnostic {
    Diagnostic {
        severity: crate::Severity::Error,
        path: if path.is_empty() {
            "(document)".to_owned()
        } else {
            path.to_owned()
        },
        value,
        message,
        hint: Some("see `edgevirt schema` for the expected shape".to_owned()),
    }
}

/// Whether a field path (`spec.iotEdge.provisioning.manual.connectionString.value`) is at or
/// under a field that holds a secret.
fn is_secret_path(path: &str) -> bool {
    path.split(['.', '['])
        .any(|field| secret_fields().contains(field))
}

/// The names of the fields that hold secrets: every property the schema types as a
/// `SecretSource`, and the password hash.
fn secret_fields() -> &'static BTreeSet<String> {
    static FIELDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        fn refers_to_secret(schema: &serde_json::Value) -> bool {
            schema["$ref"]
                .as_str()
                .is_some_and(|r| r.ends_with("/SecretSource"))
                || ["anyOf", "oneOf", "allOf"].iter().any(|key| {
                    schema[key]
                        .as_array()
                        .is_some_and(|all| all.iter().any(refers_to_secret))
                })
        }
        let schema = crate::json_schema();
        let mut fields = BTreeSet::from(["passwordHash".to_owned()]);
        for def in schema["$defs"]
            .as_object()
            .into_iter()
            .flat_map(|d| d.values())
        {
            for (name, property) in def["properties"].as_object().into_iter().flatten() {
                if refers_to_secret(property) {
                    fields.insert(name.clone());
                }
            }
        }
        fields
    })
}

/// The value at a serde path of `value`.
fn value_at<'v>(
    value: &'v serde_json::Value,
    path: &serde_path_to_error::Path,
) -> Option<&'v serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(value, |v, segment| match segment {
        Segment::Seq { index } => v.get(index),
        Segment::Map { key } | Segment::Enum { variant: key } => v.get(key),
        Segment::Unknown => Some(v),
    })
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// Formats a serde_ignored path as `a.b[2].c`.
fn path_string(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", path_string(parent)),
        Path::Map { parent, key } => join(&path_string(parent), key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => path_string(parent),
    }
}

/// Formats a serde_path_to_error path as `a.b[2].c`.
fn serde_path_to_error_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |acc, segment| match segment {
            Segment::Seq { index } => format!("{acc}[{index}]"),
            Segment::Map { key } | Segment::Enum { variant: key } => join(&acc, key),
            Segment::Unknown => acc,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\n\
        metadata: {name: d, colour: red}\n\
        spec:\n  vm: {memory: 2Gi, gpu: true}\n  iotEdge:\n    provisioning:\n      \
        manual: {connectionString: {value: 'HostName=h;DeviceId=d;SharedAccessKey=a2V5'}}\n";

    #[test]
    fn strict_parsing_names_every_unknown_key() {
        let Err(Error::Invalid { diagnostics }) = parse_device(DEVICE) else {
            panic!("unknown keys must fail a strict parse");
        };
        let paths: Vec<&str> = diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["metadata.colour", "spec.vm.gpu"]);
    }

    #[test]
    fn lenient_parsing_keeps_the_rest_and_lists_what_it_left_out() {
        let (device, left_out) = parse_device_lenient(DEVICE).expect("parses");
        assert_eq!(device.metadata.name, "d");
        assert_eq!(device.spec.vm.memory.as_deref(), Some("2Gi"));
        let paths: Vec<&str> = left_out.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["metadata.colour", "spec.vm.gpu"]);
        assert!(
            left_out
                .iter()
                .all(|d| d.severity == crate::Severity::Warning)
        );
    }

    #[test]
    fn lenient_parsing_still_refuses_a_wrong_type() {
        let text = DEVICE.replace("memory: 2Gi", "memory: [2Gi]");
        let Err(Error::Invalid { diagnostics }) = parse_device_lenient(&text) else {
            panic!("a list where a string belongs must fail");
        };
        assert_eq!(diagnostics[0].path, "spec.vm.memory");
    }
}
