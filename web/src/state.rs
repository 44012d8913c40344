//! The wizard's state: the `EdgeDevice` as a JSON tree that the form edits by field path, and
//! what the core makes of it after every change.
//!
//! The tree is the single source of truth. Each control reads its value at a path such as
//! `spec.vm.memory` or `spec.network.interfaces[1].name` (the same notation the core uses in its
//! diagnostics) and writes it back through [`set`] or [`clear`]. Nothing here touches the DOM, so
//! it is tested natively.

use edgevirt_core::{Diagnostic, Severity};
use serde_json::{Map, Value, json};

/// One step of a field path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `a.b[2].c` into `a`, `b`, `2`, `c`. A malformed index is taken as a key, so it
/// addresses nothing instead of panicking.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            match index.parse() {
                Ok(i) => out.push(Segment::Index(i)),
                Err(_) => out.push(Segment::Key(index)),
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    out
}

/// The path one level up, or `None` at the top.
pub(crate) fn parent(path: &str) -> Option<&str> {
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// Whether `path` is `prefix` or lies under it.
pub(crate) fn is_within(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// The value at `path`, if there is one.
pub(crate) fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    segments(path)
        .into_iter()
        .try_fold(doc, |node, segment| match segment {
            Segment::Key(key) => node.get(key),
            Segment::Index(i) => node.get(i),
        })
}

/// Sets the value at `path`, creating the objects and list items on the way.
pub(crate) fn set(doc: &mut Value, path: &str, value: Value) {
    let segments = segments(path);
    let Some((last, ancestors)) = segments.split_last() else {
        *doc = value;
        return;
    };
    let mut node = doc;
    for (depth, segment) in ancestors.iter().enumerate() {
        let next_is_index = matches!(segments[depth + 1], Segment::Index(_));
        let empty = || {
            if next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        };
        node = match *segment {
            Segment::Key(key) => {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                let Value::Object(map) = node else { return };
                let child = map.entry(key).or_insert_with(empty);
                if child.is_null() {
                    *child = empty();
                }
                child
            }
            Segment::Index(i) => {
                if !node.is_array() {
                    *node = Value::Array(Vec::new());
                }
                let Value::Array(items) = node else { return };
                while items.len() <= i {
                    items.push(empty());
                }
                &mut items[i]
            }
        };
    }
    match *last {
        Segment::Key(key) => {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            if let Value::Object(map) = node {
                map.insert(key.to_owned(), value);
            }
        }
        Segment::Index(i) => {
            if !node.is_array() {
                *node = Value::Array(Vec::new());
            }
            if let Value::Array(items) = node {
                while items.len() <= i {
                    items.push(Value::Null);
                }
                items[i] = value;
            }
        }
    }
}

/// Objects that mean something even when empty, so clearing their last field keeps them.
/// `dps.tpm: {}` chooses TPM attestation with the default registration ID.
const KEPT_WHEN_EMPTY: &[&str] = &["spec.iotEdge.provisioning.dps.tpm"];

/// Removes the value at `path` (a key, or an item of a list), then every ancestor that is left
/// empty, up to the top-level groups (`metadata`, `spec`), which always stay.
pub(crate) fn clear(doc: &mut Value, path: &str) {
    remove_one(doc, path);
    let mut current = parent(path);
    while let Some(path) = current {
        let is_empty = match get(doc, path) {
            Some(Value::Object(map)) => map.is_empty(),
            Some(Value::Array(items)) => items.is_empty(),
            Some(Value::Null) => true,
            _ => false,
        };
        if !is_empty || !path.contains(['.', '[']) || KEPT_WHEN_EMPTY.contains(&path) {
            break;
        }
        remove_one(doc, path);
        current = parent(path);
    }
}

fn remove_one(doc: &mut Value, path: &str) {
    let segments = segments(path);
    let Some((last, ancestors)) = segments.split_last() else {
        return;
    };
    let mut node = doc;
    for segment in ancestors {
        let next = match *segment {
            Segment::Key(key) => node.get_mut(key),
            Segment::Index(i) => node.get_mut(i),
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    match (*last, node) {
        (Segment::Key(key), Value::Object(map)) => {
            map.shift_remove(key);
        }
        (Segment::Index(i), Value::Array(items)) if i < items.len() => {
            items.remove(i);
        }
        _ => {}
    }
}

/// How the device gets its identity: the provisioning modes of the README, one per choice of
/// the wizard's first step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    ConnectionString,
    ManualKey,
    ManualX509,
    DpsKey,
    DpsGroup,
    DpsX509,
    DpsTpm,
}

impl Mode {
    /// Every mode, in the order the wizard offers them.
    pub(crate) const ALL: [Mode; 7] = [
        Mode::ConnectionString,
        Mode::ManualKey,
        Mode::ManualX509,
        Mode::DpsKey,
        Mode::DpsGroup,
        Mode::DpsX509,
        Mode::DpsTpm,
    ];

    /// A stable name, used as the `<option>` value and in the JS API.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Mode::ConnectionString => "manual-connection-string",
            Mode::ManualKey => "manual-symmetric-key",
            Mode::ManualX509 => "manual-x509",
            Mode::DpsKey => "dps-symmetric-key",
            Mode::DpsGroup => "dps-symmetric-key-group",
            Mode::DpsX509 => "dps-x509",
            Mode::DpsTpm => "dps-tpm",
        }
    }

    /// What a person picks from.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Mode::ConnectionString => "IoT Hub connection string (manual)",
            Mode::ManualKey => "IoT Hub symmetric key (manual)",
            Mode::ManualX509 => "IoT Hub X.509 certificate (manual)",
            Mode::DpsKey => "DPS symmetric key, individual enrollment",
            Mode::DpsGroup => "DPS symmetric key, group enrollment",
            Mode::DpsX509 => "DPS X.509 certificate",
            Mode::DpsTpm => "DPS TPM (virtual TPM of the VM)",
        }
    }

    pub(crate) fn from_id(id: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.id() == id)
    }

    /// The `provisioning` object this mode starts from: its required fields, empty.
    pub(crate) fn skeleton(self) -> Value {
        let secret = || json!({"value": ""});
        match self {
            Mode::ConnectionString => json!({"manual": {"connectionString": secret()}}),
            Mode::ManualKey => json!({"manual": {
                "iothubHostname": "", "deviceId": "", "symmetricKey": secret()}}),
            Mode::ManualX509 => json!({"manual": {
                "iothubHostname": "", "deviceId": "",
                "x509": {"identityCert": secret(), "identityPk": secret()}}}),
            Mode::DpsKey => json!({"dps": {"idScope": "",
                "symmetricKey": {"deviceKey": secret()}}}),
            Mode::DpsGroup => json!({"dps": {"idScope": "",
                "symmetricKey": {"enrollmentGroupKey": secret()}}}),
            Mode::DpsX509 => json!({"dps": {"idScope": "",
                "x509": {"identityCert": secret(), "identityPk": secret()}}}),
            Mode::DpsTpm => json!({"dps": {"idScope": "", "tpm": {}}}),
        }
    }

    /// The mode a `provisioning` object is in, if it is in one.
    pub(crate) fn detect(provisioning: Option<&Value>) -> Option<Mode> {
        let p = provisioning?;
        if let Some(manual) = p.get("manual") {
            return Some(if manual.get("connectionString").is_some() {
                Mode::ConnectionString
            } else if manual.get("x509").is_some() {
                Mode::ManualX509
            } else {
                Mode::ManualKey
            });
        }
        let dps = p.get("dps")?;
        Some(if dps.get("x509").is_some() {
            Mode::DpsX509
        } else if dps.get("tpm").is_some() {
            Mode::DpsTpm
        } else if dps
            .get("symmetricKey")
            .is_some_and(|k| k.get("enrollmentGroupKey").is_some())
        {
            Mode::DpsGroup
        } else {
            Mode::DpsKey
        })
    }
}

/// Where the provisioning block lives.
pub(crate) const PROVISIONING: &str = "spec.iotEdge.provisioning";

/// The document a new wizard starts from: no name yet, and a connection string to fill in.
pub(crate) fn new_device() -> Value {
    json!({
        "apiVersion": edgevirt_core::model::API_VERSION,
        "kind": edgevirt_core::model::KIND,
        "metadata": {"name": ""},
        "spec": {"iotEdge": {"provisioning": Mode::ConnectionString.skeleton()}},
    })
}

/// Reads an `EdgeDevice` given as YAML or JSON text into the wizard's tree.
///
/// # Errors
/// The core's message, with every diagnostic, when the text is not a valid `EdgeDevice` shape
/// (unknown keys included, so nothing is dropped silently).
pub(crate) fn device_from_text(text: &str) -> Result<Value, String> {
    let device = edgevirt_core::parse_device(text).map_err(|e| e.to_string())?;
    serde_json::to_value(&device).map_err(|e| e.to_string())
}

/// What importing a file gave.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Imported {
    /// The form is prefilled with `doc`; `left_out` lists each key of the file the model does
    /// not carry (empty for a clean import).
    Loaded {
        doc: Value,
        left_out: Vec<Diagnostic>,
    },
    /// Nothing was loaded: `message`, and the keys or fields at fault.
    Refused {
        message: String,
        problems: Vec<Diagnostic>,
    },
}

/// Reads a file the user dropped or picked: an IoT Edge `config.toml` (by its name) through the
/// core's importer, anything else as an `EdgeDevice` in YAML or JSON. An `EdgeDevice` with keys
/// the model does not know is loaded without them and they are listed; a `config.toml` with keys
/// edgevirt does not carry is refused as `edgevirt import` refuses it, naming each key.
pub(crate) fn import(file_name: &str, text: &str) -> Imported {
    let parsed = if file_name.to_ascii_lowercase().ends_with(".toml") {
        edgevirt_core::import_config_toml(text, None).map(|device| (device, Vec::new()))
    } else {
        edgevirt_core::parse_device_lenient(text)
    };
    let loaded = parsed.and_then(|(device, left_out)| {
        serde_json::to_value(&device)
            .map(|doc| (doc, left_out))
            .map_err(|e| edgevirt_core::Error::Syntax {
                message: e.to_string(),
            })
    });
    match loaded {
        Ok((doc, left_out)) => Imported::Loaded { doc, left_out },
        Err(error) => Imported::Refused {
            message: match &error {
                edgevirt_core::Error::Invalid { .. } => {
                    format!("{file_name} was not loaded: edgevirt cannot carry what it holds")
                }
                other => format!("{file_name} was not loaded: {other}"),
            },
            problems: error.diagnostics().to_vec(),
        },
    }
}

/// Whether an object is a `SecretSource` holding a typed secret: only `value`, `secretKeyRef`
/// or `file`, and `value` among them.
fn is_secret_source(map: &Map<String, Value>) -> bool {
    const SOURCE_KEYS: [&str; 3] = ["value", "secretKeyRef", "file"];
    map.contains_key("value") && map.keys().all(|k| SOURCE_KEYS.contains(&k.as_str()))
}

/// The field that holds a password hash: no `SecretSource`, but no more shareable than one.
const PASSWORD_HASH: &str = "passwordHash";

/// Where the credentials of a URL are (`user:password@` of `scheme://user:password@host/...`),
/// if it carries any: a proxy, EST or DPS URL may.
fn url_credentials(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find("://")? + 3;
    let authority = text[start..].split('/').next()?;
    let at = authority.rfind('@')?;
    Some(start..start + at + 1)
}

/// The document without the secrets typed into it, for a share link: every `SecretSource`
/// (an object holding only `value`, `secretKeyRef` or `file`) loses its `value`, the password
/// hash is emptied and every URL loses its credentials, so a link can never carry a secret. The
/// form shows those fields empty again.
pub(crate) fn without_secrets(doc: &Value) -> Value {
    match doc {
        Value::Object(map) => {
            let is_source = is_secret_source(map);
            Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let v = if (is_source && k == "value") || k == PASSWORD_HASH {
                            Value::String(String::new())
                        } else {
                            without_secrets(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(without_secrets).collect()),
        Value::String(text) => match url_credentials(text) {
            Some(credentials) => {
                let mut text = text.clone();
                text.replace_range(credentials, "");
                Value::String(text)
            }
            None => doc.clone(),
        },
        other => other.clone(),
    }
}

/// The secrets typed into the document (the `value` of every `SecretSource`, the password
/// hash, the credentials of every URL), for masking.
pub(crate) fn secret_values(doc: &Value) -> Vec<String> {
    fn walk(node: &Value, out: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(secret)) =
                    map.get("value").filter(|_| is_secret_source(map))
                {
                    out.push(secret.clone());
                }
                if let Some(Value::String(hash)) = map.get(PASSWORD_HASH) {
                    out.push(hash.clone());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Value::String(text) => {
                if let Some(credentials) = url_credentials(text) {
                    out.push(text[credentials].trim_end_matches('@').to_owned());
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut out);
    out
}

/// What the preview shows of `text`: each line of each secret (of 4 characters or more: shorter
/// ones would mask ordinary words) replaced by bullets. A PEM key is masked line by line, since
/// YAML indents it.
pub(crate) fn mask(text: &str, secrets: &[String]) -> String {
    let mut lines: Vec<&str> = secrets
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .filter(|l| l.chars().count() >= 4)
        .collect();
    // Longest first, so a line that contains another is masked whole.
    lines.sort_by_key(|l| std::cmp::Reverse(l.len()));
    lines.dedup();
    let mut masked = text.to_owned();
    for line in lines {
        if masked.contains(line) {
            masked = masked.replace(line, "••••••••");
        }
    }
    masked
}

/// The prefix of a share link's fragment.
pub(crate) const SHARE_PREFIX: &str = "#device=";

/// The URL fragment that shares the document's non-secret fields: [`SHARE_PREFIX`] and the
/// JSON of [`without_secrets`], base64url without padding.
pub(crate) fn share_fragment(doc: &Value) -> String {
    use base64::Engine as _;
    let json = without_secrets(doc).to_string();
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    format!("{SHARE_PREFIX}{encoded}")
}

/// The document a share link's fragment holds, if it holds one. Secrets are dropped again on
/// the way in, so a hand-made link cannot plant one either.
pub(crate) fn from_fragment(fragment: &str) -> Option<Value> {
    use base64::Engine as _;
    let encoded = fragment.strip_prefix(SHARE_PREFIX)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?;
    let doc: Value = serde_json::from_slice(&json).ok()?;
    doc.is_object().then(|| without_secrets(&doc))
}

/// The `values.yaml` for `charts/edgevirt` holding this device, from the downloaded
/// `EdgeDevice` text; `None` while the device does not parse.
pub(crate) fn chart_values(device_yaml: &str) -> Option<String> {
    let device = edgevirt_core::parse_device(device_yaml).ok()?;
    Some(edgevirt_core::chart_values_yaml(&device))
}

/// Whether an embedding page at `origin` may receive the wizard's download events: the page's
/// own origin (`own`) or one of `allowed`. An opaque origin (`"null"`) never may.
pub(crate) fn may_receive(origin: &str, own: &str, allowed: &[String]) -> bool {
    origin != "null" && !origin.is_empty() && (origin == own || allowed.iter().any(|a| a == origin))
}

/// A change the form makes to the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// Put a value at a path.
    Set(String, Value),
    /// Remove the value at a path (and the groups it leaves empty).
    Clear(String),
    /// Switch provisioning mode: the old mode's fields go, the new mode's appear empty.
    SetMode(Mode),
    /// Replace the whole document (prefill, import).
    Load(Value),
}

/// The document and what the core made of it, recomputed after every action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub(crate) doc: Value,
    pub(crate) outcome: Outcome,
}

impl Model {
    pub(crate) fn new(doc: Value) -> Model {
        let outcome = evaluate(&doc);
        Model { doc, outcome }
    }

    /// The document after `action`, evaluated.
    pub(crate) fn after(&self, action: Action) -> Model {
        let mut doc = self.doc.clone();
        match action {
            Action::Set(path, value) => set(&mut doc, &path, value),
            Action::Clear(path) => clear(&mut doc, &path),
            Action::SetMode(mode) => set(&mut doc, PROVISIONING, mode.skeleton()),
            Action::Load(value) => doc = value,
        }
        Model::new(doc)
    }

    /// The device name, for file names.
    pub(crate) fn name(&self) -> &str {
        match get(&self.doc, "metadata.name").and_then(Value::as_str) {
            Some(name) if !name.is_empty() => name,
            _ => "device",
        }
    }
}

/// One rendered manifest, for a preview tab.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    pub(crate) kind: String,
    pub(crate) name: String,
    /// The document as it appears in the stream, `---` line included.
    pub(crate) yaml: String,
}

/// What the core made of the tree.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Outcome {
    /// The `EdgeDevice` as YAML, as downloaded; `None` when its shape is wrong.
    pub(crate) device_yaml: Option<String>,
    /// The manifest stream, as downloaded; `None` while there are errors.
    pub(crate) manifests_yaml: Option<String>,
    /// The same stream, one entry per document.
    pub(crate) documents: Vec<Document>,
    /// The rendered documents as JSON values (for the JS API).
    pub(crate) values: Vec<Value>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Runs the tree through the core exactly as `edgevirt render` runs a file: the tree becomes the
/// `EdgeDevice` YAML that is offered for download, and that text is what gets rendered, so the
/// downloaded manifests are byte for byte what the CLI makes of the downloaded device.
pub(crate) fn evaluate(doc: &Value) -> Outcome {
    evaluate_text(&doc.to_string())
}

/// [`evaluate`] for a device given as YAML or JSON text (the JS API's input).
pub(crate) fn evaluate_text(text: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let device = match edgevirt_core::parse_device(text) {
        Ok(device) => device,
        Err(error) => {
            outcome.take_diagnostics(&error);
            return outcome;
        }
    };
    let device_yaml = edgevirt_core::device_to_yaml(&device);
    match edgevirt_core::render_device(&device_yaml) {
        Ok(rendered) => {
            let stream = rendered.manifests.to_yaml();
            outcome.documents = split_stream(&stream, rendered.manifests.documents());
            outcome.values = rendered.manifests.documents().to_vec();
            outcome.manifests_yaml = Some(stream);
            outcome.warnings = rendered.warnings;
        }
        Err(error) => outcome.take_diagnostics(&error),
    }
    outcome.device_yaml = Some(device_yaml);
    outcome
}

impl Outcome {
    fn take_diagnostics(&mut self, error: &edgevirt_core::Error) {
        let diagnostics = error.diagnostics();
        if diagnostics.is_empty() {
            self.errors.push(Diagnostic {
                severity: Severity::Error,
                path: "(document)".to_owned(),
                value: None,
                message: error.to_string(),
                hint: None,
            });
        }
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors.push(d.clone()),
                _ => self.warnings.push(d.clone()),
            }
        }
    }
}

/// Cuts a `---`-separated stream into its documents, pairing each with its kind and name. A
/// line that is exactly `---` only ever opens a document: content inside block scalars is
/// indented.
pub(crate) fn split_stream(stream: &str, values: &[Value]) -> Vec<Document> {
    let mut texts: Vec<String> = Vec::new();
    for line in stream.split_inclusive('\n') {
        if line.trim_end_matches('\n') == "---" || texts.is_empty() {
            texts.push(String::new());
        }
        if let Some(last) = texts.last_mut() {
            last.push_str(line);
        }
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(i, yaml)| {
            let value = values.get(i);
            let field = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
            Document {
                kind: field(value.and_then(|v| v.get("kind"))),
                name: field(value.and_then(|v| v.pointer("/metadata/name"))),
                yaml,
            }
        })
        .collect()
}

/// The diagnostics that belong to a control at `path`: at the path itself or, unless `exact`,
/// under it (an item of a list, a key of a map).
pub(crate) fn diagnostics_at<'a>(
    diagnostics: &'a [Diagnostic],
    path: &'a str,
    exact: bool,
) -> impl Iterator<Item = &'a Diagnostic> + 'a {
    diagnostics.iter().filter(move |d| {
        if exact {
            d.path == path
        } else {
            is_within(&d.path, path)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_address_keys_and_items() {
        let mut doc = json!({"spec": {}});
        set(&mut doc, "spec.network.interfaces[1].name", json!("plant"));
        assert_eq!(doc["spec"]["network"]["interfaces"][1]["name"], "plant");
        assert_eq!(
            get(&doc, "spec.network.interfaces[1].name"),
            Some(&json!("plant"))
        );
        assert_eq!(
            parent("spec.network.interfaces[1]"),
            Some("spec.network.interfaces")
        );
        assert!(is_within("spec.vm.cpu.cores", "spec.vm"));
        assert!(is_within(
            "spec.os.sshAuthorizedKeys[0]",
            "spec.os.sshAuthorizedKeys"
        ));
        assert!(!is_within("spec.vmx", "spec.vm"));
    }

    #[test]
    fn clearing_the_last_field_removes_empty_groups_but_keeps_the_top() {
        let mut doc = json!({"metadata": {"name": "a"}, "spec": {}});
        set(&mut doc, "spec.vm.cpu.cores", json!(4));
        clear(&mut doc, "spec.vm.cpu.cores");
        assert_eq!(doc, json!({"metadata": {"name": "a"}, "spec": {}}));
        set(
            &mut doc,
            "spec.iotEdge.provisioning",
            Mode::DpsTpm.skeleton(),
        );
        set(
            &mut doc,
            "spec.iotEdge.provisioning.dps.tpm.registrationId",
            json!("r"),
        );
        clear(&mut doc, "spec.iotEdge.provisioning.dps.tpm.registrationId");
        assert_eq!(
            Mode::detect(get(&doc, PROVISIONING)),
            Some(Mode::DpsTpm),
            "an empty tpm block still means TPM attestation"
        );
    }

    #[test]
    fn every_mode_is_detected_from_its_own_skeleton() {
        for mode in Mode::ALL {
            assert_eq!(Mode::detect(Some(&mode.skeleton())), Some(mode));
            assert_eq!(Mode::from_id(mode.id()), Some(mode));
        }
    }

    #[test]
    fn a_new_device_reports_what_is_missing_at_its_fields() {
        let outcome = evaluate(&new_device());
        assert!(outcome.manifests_yaml.is_none());
        let paths: Vec<&str> = outcome.errors.iter().map(|d| d.path.as_str()).collect();
        assert!(paths.contains(&"metadata.name"), "{paths:?}");
    }

    #[test]
    fn the_rendered_stream_is_what_the_cli_makes_of_the_device_yaml() {
        let mut doc = new_device();
        set(&mut doc, "metadata.name", json!("plant-a-edge-01"));
        set(
            &mut doc,
            "spec.iotEdge.provisioning.manual.connectionString.value",
            json!("HostName=h.azure-devices.net;DeviceId=plant-a-edge-01;SharedAccessKey=a2V5"),
        );
        let outcome = evaluate(&doc);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let device = outcome.device_yaml.expect("device yaml");
        let again = edgevirt_core::render_device(&device).expect("renders");
        assert_eq!(outcome.manifests_yaml, Some(again.manifests.to_yaml()));
        let joined: String = outcome.documents.iter().map(|d| d.yaml.as_str()).collect();
        assert_eq!(Some(joined), outcome.manifests_yaml);
        assert!(outcome.documents.iter().any(|d| d.kind == "VirtualMachine"));
    }

    const TOML: &str = "hostname = \"plant-a-edge-01\"\n\n[provisioning]\nsource = \"manual\"\n\
        connection_string = \"HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=a2V5\"\n";

    #[test]
    fn importing_a_config_toml_prefills_the_device_it_describes() {
        let Imported::Loaded { doc, left_out } = import("config.toml", TOML) else {
            panic!("a plain manual config.toml imports");
        };
        assert!(left_out.is_empty());
        assert_eq!(get(&doc, "metadata.name"), Some(&json!("plant-a-edge-01")));
        assert_eq!(
            Mode::detect(get(&doc, PROVISIONING)),
            Some(Mode::ConnectionString)
        );
    }

    #[test]
    fn importing_a_config_toml_with_a_key_edgevirt_lacks_names_it() {
        let Imported::Refused { message, problems } =
            import("config.toml", "[unknown_table]\nx = 1\n")
        else {
            panic!("an unknown table must be refused");
        };
        assert!(message.contains("config.toml"), "{message}");
        assert!(
            problems
                .iter()
                .any(|d| d.path.contains("unknown_table") || d.message.contains("unknown_table")),
            "{problems:?}"
        );
    }

    #[test]
    fn importing_a_device_with_unknown_keys_loads_the_rest_and_lists_them() {
        let text = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {name: a, colour: red}\n\
            spec: {iotEdge: {provisioning: {dps: {idScope: 0ne1, tpm: {}}}}}\n";
        let Imported::Loaded { doc, left_out } = import("a.yaml", text) else {
            panic!("loads");
        };
        assert_eq!(get(&doc, "metadata.name"), Some(&json!("a")));
        assert_eq!(get(&doc, "metadata.colour"), None);
        let paths: Vec<&str> = left_out.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["metadata.colour"]);
        assert!(matches!(
            import("a.yaml", "a: [1"),
            Imported::Refused { .. }
        ));
    }

    #[test]
    fn a_share_link_carries_no_secret_and_reads_back() {
        let mut doc = new_device();
        set(&mut doc, "metadata.name", json!("share-me"));
        set(
            &mut doc,
            "spec.iotEdge.provisioning.manual.connectionString.value",
            json!("HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0LWtleQ=="),
        );
        set(
            &mut doc,
            "spec.vm.tolerations[0]",
            json!({"key": "k", "value": "kept"}),
        );
        let fragment = share_fragment(&doc);
        assert!(!fragment.contains("c2VjcmV0"), "{fragment}");
        let back = from_fragment(&fragment).expect("reads back");
        assert_eq!(get(&back, "metadata.name"), Some(&json!("share-me")));
        assert_eq!(
            get(
                &back,
                "spec.iotEdge.provisioning.manual.connectionString.value"
            ),
            Some(&json!(""))
        );
        assert_eq!(
            get(&back, "spec.vm.tolerations[0].value"),
            Some(&json!("kept"))
        );
        assert!(!back.to_string().contains("SharedAccessKey"));
        assert_eq!(from_fragment("#device=not base64!"), None);
        assert_eq!(from_fragment("#other"), None);
    }

    #[test]
    fn a_share_link_carries_no_password_hash_and_no_url_credentials() {
        let mut doc = new_device();
        let proxy = "http://user:pr0xy-pa55@proxy.example:3128";
        set(&mut doc, "spec.network.proxy.httpsProxy", json!(proxy));
        set(
            &mut doc,
            "spec.network.proxy.httpProxy",
            json!("http://proxy.example/a@b"),
        );
        set(
            &mut doc,
            "spec.os.passwordHash",
            json!("$6$salt$hash-of-a-password"),
        );
        let back = from_fragment(&share_fragment(&doc)).expect("reads back");
        assert_eq!(
            get(&back, "spec.network.proxy.httpsProxy"),
            Some(&json!("http://proxy.example:3128"))
        );
        assert_eq!(
            get(&back, "spec.network.proxy.httpProxy"),
            Some(&json!("http://proxy.example/a@b")),
            "an @ after the host is no credential"
        );
        assert_eq!(get(&back, "spec.os.passwordHash"), Some(&json!("")));
        // A hand-made link cannot plant them either.
        let planted = from_fragment(&format!(
            "{SHARE_PREFIX}{}",
            base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                doc.to_string()
            )
        ))
        .expect("reads back");
        assert!(!planted.to_string().contains("pr0xy-pa55"), "{planted}");
        assert!(
            !planted.to_string().contains("hash-of-a-password"),
            "{planted}"
        );
        // The preview masks them.
        let secrets = secret_values(&doc);
        assert!(
            secrets.contains(&"user:pr0xy-pa55".to_owned()),
            "{secrets:?}"
        );
        let shown = mask(
            &format!("proxy: {proxy}\nhash: $6$salt$hash-of-a-password"),
            &secrets,
        );
        assert!(
            !shown.contains("pr0xy-pa55") && !shown.contains("hash-of"),
            "{shown}"
        );
        assert!(shown.contains("proxy.example:3128"), "{shown}");
    }

    #[test]
    fn chart_values_hold_the_device_under_device() {
        let mut doc = new_device();
        set(&mut doc, "metadata.name", json!("chart-me"));
        let device = evaluate(&doc).device_yaml.expect("the shape is right");
        let values = chart_values(&device).expect("parses");
        assert!(values.starts_with("device:\n"), "{values}");
        assert!(values.contains("name: chart-me"), "{values}");
        assert!(!values.contains("apiVersion"), "{values}");
    }

    #[test]
    fn download_events_go_only_to_the_own_or_an_allowed_origin() {
        let own = "https://wizard.example";
        let allowed = vec!["https://portal.example".to_owned()];
        assert!(may_receive(own, own, &[]));
        assert!(may_receive("https://portal.example", own, &allowed));
        assert!(!may_receive("https://evil.example", own, &allowed));
        assert!(!may_receive("https://portal.example.evil", own, &allowed));
        assert!(!may_receive("null", "null", &[]));
        assert!(!may_receive("", own, &allowed));
    }

    #[test]
    fn the_preview_masks_every_typed_secret() {
        let mut doc = new_device();
        let secret = "HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0LWtleQ==";
        set(&mut doc, "metadata.name", json!("mask-me"));
        set(
            &mut doc,
            "spec.iotEdge.provisioning.manual.connectionString.value",
            json!(secret),
        );
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
        set(
            &mut doc,
            "spec.iotEdge.edgeCa.provided.pk.value",
            json!(pem),
        );
        let secrets = secret_values(&doc);
        assert_eq!(secrets.len(), 2, "{secrets:?}");
        let outcome = evaluate(&doc);
        let shown = mask(outcome.device_yaml.as_deref().unwrap_or_default(), &secrets);
        assert!(!shown.contains("SharedAccessKey=c2Vj"), "{shown}");
        assert!(
            !shown.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
            "{shown}"
        );
        assert!(shown.contains("name: mask-me"), "{shown}");
        assert_eq!(
            mask("a b", &["a".to_owned()]),
            "a b",
            "short secrets are left"
        );
    }
}
