//! Secrets only land in Secrets (SECURITY.md): every fixture case of `tests/cases/`, every
//! example under `examples/` and the cases below (one for each kind of secret the model has) go
//! through the native `edgevirt` binary every way a user runs it: `render` (YAML and JSON),
//! `validate`, `post-render` (inside a stream of other documents), `krm` (as items and as the
//! function config) and the legacy Kustomize plugin, and through the core library the wizard
//! calls. For each run:
//!
//! - every secret of the input (each inline `value` of a secret field, the password hash,
//!   credentials in a URL, and each device key edgevirt derives from a DPS group key, computed
//!   here with an HMAC of our own) occurs only inside the `stringData` or `data` of a `Secret`,
//!   not in its metadata, not in any other document, not on stderr, not in a KRM result; not as
//!   it is, not base64-encoded (at any alignment), not percent-encoded in a URL, not cut short
//!   (any 16 characters of a key, password or PEM line count). A multi-line secret (PEM) is
//!   looked for line by line;
//! - a DPS group key given inline appears nowhere at all, Secrets included;
//! - every secret the input gives does reach a Secret: the checker looks for the right strings;
//! - bad input whose bad value is a secret is refused (non-zero exit, nothing on stdout) with a
//!   message that names the field and shows the value masked as `"<secret, N characters>"`.
//!
//! `the_checker_finds_planted_secrets` shows the checker fails when it should. Inputs that once
//! leaked a secret are kept in `former_leak_cases`. Needs `EDGEVIRT_BIN`, as scripts/test.sh
//! sets it.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::{edgevirt, repo, run_status, scratch};

/// Shorter pieces of a secret are not looked for: they would match ordinary text.
const MIN_NEEDLE: usize = 6;

/// A run of this many characters of a key, password or PEM line counts as showing it, so a
/// message that cuts a secret short is caught too.
const WINDOW: usize = 16;

// ---------------------------------------------------------------------------------------------
// The secrets of an input

/// What may become of a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Given inline: may appear in a Secret's data, and nowhere else.
    Inline,
    /// A DPS enrollment group key given inline: appears nowhere.
    GroupKey,
    /// A device key edgevirt derives from a group key: may appear in a Secret's data only.
    Derived,
}

/// One secret of an input.
#[derive(Debug, Clone)]
struct Secret {
    /// Where the input gives it, e.g. `spec.os.passwordHash` (for a fleet, with its row).
    field: String,
    value: String,
    kind: Kind,
}

impl Secret {
    /// How an error message must show it.
    fn masked(&self) -> String {
        format!("\"<secret, {} characters>\"", self.value.chars().count())
    }
}

/// Whether a PEM line is an armor line (`-----BEGIN ...-----`), which is no secret.
fn is_armor(line: &str) -> bool {
    line.starts_with("-----")
}

/// The password of a URL with credentials (`scheme://user:password@host`), if it has one.
fn url_password(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    Some(userinfo.split_once(':').map_or(userinfo, |(_, pw)| pw))
}

/// Decodes `%XX` escapes; anything else is kept.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pieces of a secret that must not show: the whole, each line of a PEM and its joined
/// body, the key of a connection string, the password of a URL.
fn needles(value: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    found.insert(value.trim().to_owned());
    let body: Vec<&str> = value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !is_armor(l))
        .collect();
    found.extend(body.iter().map(|l| (*l).to_owned()));
    found.insert(body.concat());
    for part in value.split(';') {
        if let Some((key, v)) = part.split_once('=')
            && key.trim().eq_ignore_ascii_case("SharedAccessKey")
        {
            found.insert(v.trim().to_owned());
        }
    }
    if let Some(password) = url_password(value) {
        found.insert(password.to_owned());
        found.insert(percent_decode(password));
    }
    found
        .into_iter()
        .filter(|n| n.chars().count() >= MIN_NEEDLE)
        .collect()
}

/// The base64 forms of `needle` as they would show inside any longer base64 text: for each of
/// the three alignments, the whole 3-byte groups, in the standard and the URL-safe alphabet.
fn base64_needles(needle: &str) -> Vec<String> {
    let bytes = needle.as_bytes();
    let mut found = Vec::new();
    for skip in 0..3 {
        let Some(rest) = bytes.get(skip..) else {
            continue;
        };
        let whole = &rest[..rest.len() / 3 * 3];
        for encoded in [STANDARD_NO_PAD.encode(whole), URL_SAFE_NO_PAD.encode(whole)] {
            if encoded.len() >= 8 && !found.contains(&encoded) {
                found.push(encoded);
            }
        }
    }
    found
}

/// HMAC-SHA256 (RFC 2104), written here so the derived keys do not come from the code under
/// test.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    let mut mac = [0u8; 32];
    mac.copy_from_slice(&outer.finalize());
    mac
}

/// The key DPS expects of `registration_id` in the group of `group_key` (base64): the HMAC of
/// the ID keyed with the decoded group key, base64. `None` for a key that is not base64.
fn derived_key(group_key: &str, registration_id: &str) -> Option<String> {
    let key: String = group_key.split_whitespace().collect();
    let decoded = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(&key).ok())?;
    Some(STANDARD.encode(hmac_sha256(&decoded, registration_id.as_bytes())))
}

/// The names of the model's secret fields (`SecretSource`s; the test
/// `every_secret_field_of_the_model_is_covered` keeps the list honest).
const SECRET_FIELDS: [&str; 12] = [
    "trustBundle",
    "connectionString",
    "symmetricKey",
    "identityCert",
    "identityPk",
    "deviceKey",
    "enrollmentGroupKey",
    "cert",
    "pk",
    "password",
    "bootstrapIdentityCert",
    "bootstrapIdentityPk",
];

/// A secret found in a device spec: its path below `spec`, its value and kind.
type Found = (String, String, Kind);

/// Walks a device spec (or a fleet's template spec) for its secrets. `extensions` is the user's
/// own content and holds no secret field.
fn walk_spec(v: &Value, path: &str, out: &mut Vec<Found>) {
    match v {
        Value::Object(map) => {
            let is_source = !map.is_empty()
                && map
                    .keys()
                    .all(|k| ["value", "secretKeyRef", "file"].contains(&k.as_str()));
            let kind = if path.ends_with(".enrollmentGroupKey") {
                Kind::GroupKey
            } else {
                Kind::Inline
            };
            // A secret written as a number is still the user's secret.
            if let (true, Some(value @ (Value::String(_) | Value::Number(_)))) =
                (is_source, map.get("value"))
            {
                out.push((format!("{path}.value"), cell_text(value), kind));
                return;
            }
            for (key, x) in map {
                if path == "spec" && key == "extensions" {
                    continue;
                }
                let at = format!("{path}.{key}");
                match x {
                    Value::String(s) if key == "passwordHash" || url_password(s).is_some() => {
                        out.push((at, s.clone(), Kind::Inline));
                    }
                    // A secret field given the secret itself instead of `{value: ...}`: wrong,
                    // and refused, but a secret all the same.
                    Value::String(s) if SECRET_FIELDS.contains(&key.as_str()) => {
                        out.push((at, s.clone(), Kind::Inline));
                    }
                    _ => walk_spec(x, &at, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                walk_spec(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// One device of a fleet: a label for messages and the variables its templates see.
struct Row {
    label: String,
    vars: BTreeMap<String, String>,
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The rows of a fleet: from `count`, `inventory` or `inventoryCsv` (a plain CSV reader: no
/// quoted commas, which the cases do not use).
fn fleet_rows(fleet: &Value) -> Vec<Row> {
    let name = fleet
        .pointer("/metadata/name")
        .map(cell_text)
        .unwrap_or_default();
    let spec = &fleet["spec"];
    let mut rows: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    if let Some(count) = spec["count"].as_u64() {
        rows.extend((1..=count).map(|i| (format!("index {i}"), BTreeMap::new())));
    } else if let Some(items) = spec["inventory"].as_array() {
        for (i, item) in items.iter().enumerate() {
            let columns = item.as_object().map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), cell_text(v)))
                    .collect::<BTreeMap<_, _>>()
            });
            rows.push((format!("spec.inventory[{i}]"), columns.unwrap_or_default()));
        }
    } else if let Some(csv) = spec["inventoryCsv"].as_str() {
        let split = |line: &str| -> Vec<String> {
            line.split(',')
                .map(|c| c.trim().trim_matches('"').to_owned())
                .collect()
        };
        let mut header: Option<Vec<String>> = None;
        for (n, line) in csv.lines().enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            match &header {
                None => header = Some(split(line)),
                Some(columns) => rows.push((
                    format!("spec.inventoryCsv line {}", n + 1),
                    columns.iter().cloned().zip(split(line)).collect(),
                )),
            }
        }
    }
    let count = rows.len();
    rows.into_iter()
        .enumerate()
        .map(|(i, (label, mut vars))| {
            vars.insert("index".into(), (i + 1).to_string());
            vars.insert("index0".into(), i.to_string());
            vars.insert("count".into(), count.to_string());
            vars.insert("fleet".into(), name.clone());
            Row { label, vars }
        })
        .collect()
}

/// A template whose every tag is `{{ variable }}`, filled in; `None` for anything else.
fn substitute(template: &str, vars: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}")? + start;
        out.push_str(vars.get(rest[start + 2..end].trim())?);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    (!out.contains("{%")).then_some(out)
}

/// The variables a template names, `{{ name }}` or inside a longer expression.
fn template_variables(template: &str) -> Vec<String> {
    template
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The registration ID a device uses with DPS symmetric key attestation, as written (maybe a
/// template): the one it gives, or its name.
fn registration_template(device: &Value) -> Option<String> {
    device
        .pointer("/spec/iotEdge/provisioning/dps/symmetricKey/registrationId")
        .or_else(|| device.pointer("/metadata/name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Every secret of an input text.
fn known_secrets(input: &str) -> Vec<Secret> {
    let docs: Vec<Value> = serde_saphyr::from_multiple(input).unwrap_or_default();
    if docs.is_empty() {
        return secrets_of_unreadable(input);
    }
    let mut secrets = Vec::new();
    let several = docs.len() > 1;
    for (i, doc) in docs.iter().enumerate() {
        let prefix = if several {
            format!("document {i}: ")
        } else {
            String::new()
        };
        if doc["kind"] == "EdgeDeviceFleet" {
            secrets.extend(fleet_secrets(doc, &prefix));
            continue;
        }
        let mut found = Vec::new();
        walk_spec(&doc["spec"], "spec", &mut found);
        for (field, value, kind) in found {
            if kind == Kind::GroupKey
                && let Some(rid) = registration_template(doc)
                && let Some(derived) = derived_key(&value, &rid)
            {
                secrets.push(Secret {
                    field: format!("{prefix}device key derived for {rid}"),
                    value: derived,
                    kind: Kind::Derived,
                });
            }
            secrets.push(Secret {
                field: format!("{prefix}{field}"),
                value,
                kind,
            });
        }
    }
    secrets
}

/// The secrets of a fleet: constant ones once, templated ones per row.
fn fleet_secrets(fleet: &Value, prefix: &str) -> Vec<Secret> {
    let template = &fleet["spec"]["template"];
    let rows = fleet_rows(fleet);
    let mut found = Vec::new();
    walk_spec(&template["spec"], "spec", &mut found);
    let mut secrets = Vec::new();
    for (field, value, kind) in found {
        if !value.contains("{{") && !value.contains("{%") {
            if kind == Kind::GroupKey {
                let rid = registration_template(template).unwrap_or_default();
                for row in &rows {
                    let rid = substitute(&rid, &row.vars);
                    if let Some((rid, key)) =
                        rid.and_then(|r| Some((r.clone(), derived_key(&value, &r)?)))
                    {
                        secrets.push(Secret {
                            field: format!("{prefix}{}: device key derived for {rid}", row.label),
                            value: key,
                            kind: Kind::Derived,
                        });
                    }
                }
            }
            secrets.push(Secret {
                field: format!("{prefix}spec.template.{field}"),
                value,
                kind,
            });
            continue;
        }
        for row in &rows {
            let field = format!("{prefix}{}: {field}", row.label);
            match substitute(&value, &row.vars) {
                Some(value) => secrets.push(Secret { field, value, kind }),
                // A template we cannot run: each column it names is a secret.
                None => secrets.extend(template_variables(&value).iter().filter_map(|var| {
                    Some(Secret {
                        field: format!("{field} ({var})"),
                        value: row.vars.get(var)?.clone(),
                        kind,
                    })
                })),
            }
        }
    }
    secrets
}

/// The secrets of an input that is not YAML: each `value:` (also inside a `{...}`) and each
/// URL with credentials, line by line.
fn secrets_of_unreadable(input: &str) -> Vec<Secret> {
    let scalar = |text: &str| -> String {
        let text = text.trim();
        match text.chars().next() {
            Some(q @ ('"' | '\'')) => text[1..].split(q).next().unwrap_or("").to_owned(),
            _ => text
                .split([',', '}'])
                .next()
                .unwrap_or("")
                .trim()
                .to_owned(),
        }
    };
    let mut secrets = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let mut values: Vec<String> = line.split("value:").skip(1).map(scalar).collect();
        if let Some((_, v)) = line.split_once(": ")
            && url_password(v).is_some()
        {
            values.push(scalar(v));
        }
        secrets.extend(
            values
                .into_iter()
                .filter(|v| !v.is_empty())
                .map(|value| Secret {
                    field: format!("line {}", n + 1),
                    value,
                    kind: Kind::Inline,
                }),
        );
    }
    secrets
}

// ---------------------------------------------------------------------------------------------
// Where output may and may not hold secrets

/// A piece of output text and whether secrets may be in it.
struct Place {
    what: String,
    text: String,
    secret_data: bool,
}

/// Every string of a JSON tree, keys included, with its path; `skip` leaves out subtrees.
fn leaves(v: &Value, path: &str, skip: &dyn Fn(&str) -> bool, out: &mut Vec<(String, String)>) {
    if skip(path) {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let at = format!("{path}.{k}");
                out.push((format!("{at} (key)"), k.clone()));
                leaves(x, &at, skip, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                leaves(x, &format!("{path}[{i}]"), skip, out);
            }
        }
        Value::String(s) => out.push((path.to_owned(), s.clone())),
        Value::Null => {}
        other => out.push((path.to_owned(), other.to_string())),
    }
}

fn is_secret_doc(doc: &Value) -> bool {
    doc["kind"] == "Secret" && doc["apiVersion"] == "v1"
}

/// The places of one output document; `raw` is its text as printed, when there is one.
fn document_places(doc: &Value, raw: Option<&str>, what: &str, out: &mut Vec<Place>) {
    let kind = doc["kind"].as_str().unwrap_or("?");
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let what = format!("{what}: {kind} {name}");
    let secret = is_secret_doc(doc);
    if secret {
        for (key, value) in doc["stringData"].as_object().into_iter().flatten() {
            out.push(Place {
                what: format!("{what} .stringData.{key}"),
                text: cell_text(value),
                secret_data: true,
            });
        }
        for (key, value) in doc["data"].as_object().into_iter().flatten() {
            let encoded = cell_text(value);
            let decoded = STANDARD
                .decode(encoded.split_whitespace().collect::<String>())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            out.push(Place {
                what: format!("{what} .data.{key}"),
                text: format!("{encoded}\n{decoded}"),
                secret_data: true,
            });
        }
    }
    let skip = |path: &str| secret && (path == ".stringData" || path == ".data");
    let mut found = Vec::new();
    leaves(doc, "", &skip, &mut found);
    // The keys of a Secret's data are shown by `kubectl describe`: not secret either.
    if secret {
        for field in ["stringData", "data"] {
            for key in doc[field].as_object().into_iter().flat_map(|m| m.keys()) {
                found.push((format!(".{field}.{key} (key)"), key.clone()));
            }
        }
    }
    out.extend(found.into_iter().map(|(path, text)| Place {
        what: format!("{what} {path}"),
        text,
        secret_data: false,
    }));
    if let Some(raw) = raw {
        // A Secret's text holds its data; its comments at the margin are outside the data.
        let text = if secret {
            raw.lines()
                .filter(|l| l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            raw.to_owned()
        };
        out.push(Place {
            what: format!("{what} (its text)"),
            text,
            secret_data: false,
        });
    }
}

/// A YAML stream's documents, split at `---` lines (inside a block scalar such a line would be
/// indented).
fn split_stream(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line == "---" || line.starts_with("--- ") || line == "..." {
            docs.push(String::new());
        } else if let Some(doc) = docs.last_mut() {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    docs
}

/// How a run's stdout is read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stdout {
    /// A YAML stream of manifests (and the documents that passed through).
    Stream,
    /// A JSON list of manifests.
    Json,
    /// A KRM `ResourceList`.
    ResourceList,
    /// Nothing, ever.
    Nothing,
}

/// The places of a run's stdout; a problem when it cannot be read.
fn stdout_places(stdout: &str, how: Stdout, what: &str) -> Result<Vec<Place>, String> {
    let mut places = Vec::new();
    match how {
        Stdout::Nothing => places.push(Place {
            what: format!("{what}: stdout"),
            text: stdout.to_owned(),
            secret_data: false,
        }),
        Stdout::Stream => {
            for raw in split_stream(stdout) {
                let blank = raw
                    .lines()
                    .all(|l| l.trim().is_empty() || l.starts_with('#'));
                if blank {
                    places.push(Place {
                        what: format!("{what}: text between documents"),
                        text: raw,
                        secret_data: false,
                    });
                    continue;
                }
                let doc: Value = serde_saphyr::from_str(&raw)
                    .map_err(|e| format!("{what}: stdout is not a YAML stream: {e}"))?;
                if doc.is_null() {
                    places.push(Place {
                        what: format!("{what}: text between documents"),
                        text: raw,
                        secret_data: false,
                    });
                } else {
                    document_places(&doc, Some(&raw), what, &mut places);
                }
            }
        }
        Stdout::Json => {
            let docs: Vec<Value> = serde_json::from_str(stdout)
                .map_err(|e| format!("{what}: stdout is not a JSON list: {e}"))?;
            for doc in &docs {
                let raw = serde_json::to_string(doc).unwrap_or_default();
                document_places(doc, Some(&raw), what, &mut places);
            }
        }
        Stdout::ResourceList => {
            let list: Value = serde_saphyr::from_str(stdout)
                .map_err(|e| format!("{what}: stdout is not a ResourceList: {e}"))?;
            for item in list["items"].as_array().into_iter().flatten() {
                document_places(item, None, what, &mut places);
            }
            let mut rest = Vec::new();
            leaves(&list, "", &|path| path == ".items", &mut rest);
            places.extend(rest.into_iter().map(|(path, text)| Place {
                what: format!("{what}: ResourceList {path}"),
                text,
                secret_data: false,
            }));
            places.push(Place {
                what: format!("{what}: comments"),
                text: stdout
                    .lines()
                    .filter(|l| l.starts_with('#'))
                    .collect::<Vec<_>>()
                    .join("\n"),
                secret_data: false,
            });
        }
    }
    Ok(places)
}

/// The URLs of a text (`scheme://...`), as written.
fn urls(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("://").map(|i| i + from) {
        let start = text[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c)))
            .map_or(0, |i| i + 1);
        let end = text[at..]
            .find(|c: char| c.is_whitespace() || "\"'<>`\\".contains(c))
            .map_or(text.len(), |i| i + at);
        if start < at {
            found.push(&text[start..end]);
        }
        from = at + 3;
    }
    found
}

/// What to look for of one secret: its pieces, and their base64 forms.
struct Needles<'a> {
    secret: &'a Secret,
    plain: Vec<String>,
    base64: Vec<String>,
}

impl<'a> Needles<'a> {
    fn new(secret: &'a Secret) -> Self {
        let plain = needles(&secret.value);
        let base64 = plain.iter().flat_map(|n| base64_needles(n)).collect();
        Needles {
            secret,
            plain,
            base64,
        }
    }
}

/// How the secret of `needles` shows in `text`, if it does: as is, percent-encoded in a URL,
/// or base64-encoded.
fn shows(needles: &Needles, text: &str, urls: &[(&str, String)], compact: &str) -> Option<String> {
    if let Some(needle) = needles.plain.iter().find(|n| text.contains(n.as_str())) {
        let in_url = urls.iter().find(|(url, _)| url.contains(needle.as_str()));
        return Some(match in_url {
            Some((url, _)) => format!("{needle:?}, in the URL {url}"),
            None => format!("{needle:?}"),
        });
    }
    for (url, decoded) in urls {
        if let Some(needle) = needles.plain.iter().find(|n| decoded.contains(n.as_str())) {
            return Some(format!("{needle:?} percent-encoded, in the URL {url}"));
        }
    }
    let encoded = needles
        .base64
        .iter()
        .find(|b| text.contains(b.as_str()) || compact.contains(b.as_str()))?;
    Some(format!("base64-encoded ({encoded})"))
}

/// Every place where a secret is that must not be there.
fn leaks(secrets: &[Secret], places: &[Place]) -> Vec<String> {
    let all: Vec<Needles> = secrets.iter().map(Needles::new).collect();
    // Each run of WINDOW characters of a key-like piece (one line, not a whole connection
    // string, URL or PEM, whose host names and armor are no secret), with the secret it belongs
    // to; a run that two secrets share (test data alike) says nothing, and is left out.
    let mut windows: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for (i, needles) in all.iter().enumerate() {
        for needle in &needles.plain {
            let key_like = ["://", "HostName=", "-----", "\n"]
                .iter()
                .all(|not| !needle.contains(not));
            if !key_like {
                continue;
            }
            for start in (0..needle.len()).filter(|&b| needle.is_char_boundary(b)) {
                if let Some(window) = needle.get(start..start + WINDOW) {
                    let owner = windows.entry(window).or_insert(Some(i));
                    if *owner != Some(i) {
                        *owner = None;
                    }
                }
            }
        }
    }
    // Inline and derived secrets belong in a Secret's data; a group key nowhere.
    let allowed =
        |place: &Place, secret: &Secret| place.secret_data && secret.kind != Kind::GroupKey;
    let mut found = Vec::new();
    for place in places {
        let urls: Vec<(&str, String)> = urls(&place.text)
            .into_iter()
            .map(|u| (u, percent_decode(u)))
            .collect();
        let compact: String = place.text.split_whitespace().collect();
        let mut shown = BTreeSet::new();
        for (i, needles) in all.iter().enumerate() {
            if allowed(place, needles.secret) {
                continue;
            }
            if let Some(how) = shows(needles, &place.text, &urls, &compact) {
                shown.insert(i);
                found.push(format!(
                    "the secret {} ({:?}) shows in {}: {how}",
                    needles.secret.field, needles.secret.kind, place.what
                ));
            }
        }
        let text = &place.text;
        for start in (0..text.len()).filter(|&b| text.is_char_boundary(b)) {
            let Some(window) = text.get(start..start + WINDOW) else {
                continue;
            };
            let Some(&Some(i)) = windows.get(window) else {
                continue;
            };
            if !allowed(place, all[i].secret) && shown.insert(i) {
                found.push(format!(
                    "a part of the secret {} ({:?}) shows in {}: {window:?}",
                    all[i].secret.field, all[i].secret.kind, place.what
                ));
            }
        }
    }
    found
}

/// Secrets the input gives that reach no Secret: the checker would look for the wrong text.
fn missing_from_secrets(secrets: &[Secret], places: &[Place]) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| s.kind != Kind::GroupKey && !needles(&s.value).is_empty())
        .filter(|s| {
            !places
                .iter()
                .filter(|p| p.secret_data)
                .any(|p| needles(&s.value).iter().any(|n| p.text.contains(n)))
        })
        .map(|s| format!("the secret {} is in no Secret's data", s.field))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The cases and how they are run

struct Case {
    name: String,
    input: String,
    /// The input must be refused.
    refused: bool,
    /// (path a message names, field of the secret it must show masked).
    masked: Vec<(String, String)>,
}

fn case(name: &str, input: &str, refused: bool, masked: &[(&str, &str)]) -> Case {
    Case {
        name: name.to_owned(),
        input: input.to_owned(),
        refused,
        masked: masked
            .iter()
            .map(|(p, f)| ((*p).to_owned(), (*f).to_owned()))
            .collect(),
    }
}

/// The fixture cases of `tests/cases/`, with the secrets their messages must mask.
fn fixture_cases() -> Vec<Case> {
    let masks: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::from([
        (
            "bad-connection-string",
            vec![(
                "spec.iotEdge.provisioning.manual.connectionString",
                "spec.iotEdge.provisioning.manual.connectionString.value",
            )],
        ),
        (
            "bad-many",
            vec![
                (
                    "spec.network.proxy.httpsProxy",
                    "spec.network.proxy.httpsProxy",
                ),
                (
                    "spec.iotEdge.provisioning.dps.symmetricKey.enrollmentGroupKey.value",
                    "spec.iotEdge.provisioning.dps.symmetricKey.enrollmentGroupKey.value",
                ),
            ],
        ),
    ]);
    let dir = repo().join("tests/cases");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read tests/cases")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| dir.join(n).join("input.yaml").is_file())
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            let input = std::fs::read_to_string(dir.join(n).join("input.yaml")).expect("read");
            let masked = masks.get(n.as_str()).cloned().unwrap_or_default();
            case(
                &format!("tests/cases/{n}"),
                &input,
                n.starts_with("bad-"),
                &masked,
            )
        })
        .collect()
}

/// Every device and fleet document under `examples/`.
fn example_cases() -> Vec<Case> {
    let mut files = Vec::new();
    let mut dirs = vec![repo().join("examples")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read examples/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter_map(|path| {
            let input = std::fs::read_to_string(path).expect("read example");
            let docs: Vec<Value> = serde_saphyr::from_multiple(&input).unwrap_or_default();
            let ours = docs.iter().any(|d| {
                d["apiVersion"] == "edgevirt.dev/v1alpha1"
                    && (d["kind"] == "EdgeDevice" || d["kind"] == "EdgeDeviceFleet")
            });
            let name = path
                .strip_prefix(repo())
                .unwrap_or(path)
                .display()
                .to_string();
            ours.then(|| case(&name, &input, false, &[]))
        })
        .collect()
}

const CS_KEY: &str = "U2VjcmV0cy10ZXN0LWh1Yi1rZXktMDAwMQ==";

fn device(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {{name: {name}, namespace: plant-s}}\nspec:\n{spec}"
    )
}

/// A manual provisioning block with an inline connection string, indented for `iotEdge:`.
fn manual_cs() -> String {
    format!(
        "    provisioning:\n      manual:\n        connectionString:\n          value: \"HostName=hub-s.azure-devices.net;DeviceId=s;SharedAccessKey={CS_KEY}\"\n"
    )
}

fn pem(label: &str, body: &[&str]) -> String {
    let mut text = format!("-----BEGIN {label}-----\n");
    for line in body {
        let _ = writeln!(text, "{line}");
    }
    let _ = writeln!(text, "-----END {label}-----");
    text
}

/// A PEM as a YAML block scalar at `indent` spaces.
fn block(pem: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut text = "|\n".to_owned();
    for line in pem.lines() {
        let _ = writeln!(text, "{pad}{line}");
    }
    text
}

/// Cases written here: every secret field of the model given inline, fleets whose rows carry
/// secrets, and bad secrets that must be refused with a masked message.
fn own_cases() -> Vec<Case> {
    let key_pem = pem(
        "PRIVATE KEY",
        &[
            "TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lC",
            "QVFDN2RldmljZS1pZGVudGl0eS1rZXktZm9yLXNlY3JldHMtdGVzdC0wMDAxMDI=",
        ],
    );
    let cert_pem = pem(
        "CERTIFICATE",
        &["TUlJQmRldmljZS1pZGVudGl0eS1jZXJ0aWZpY2F0ZS1zZWNyZXRzLXRlc3Q="],
    );
    let ca_pem = pem(
        "CERTIFICATE",
        &["VHJ1c3QtYnVuZGxlLWNlcnQtc2VjcmV0cy10ZXN0LTAwMDE="],
    );
    let ca_key = pem(
        "EC PRIVATE KEY",
        &["RWRnZS1DQS1wcml2YXRlLWtleS1zZWNyZXRzLXRlc3Q="],
    );
    let boot_cert = pem(
        "CERTIFICATE",
        &["RVNULWJvb3RzdHJhcC1jZXJ0LXNlY3JldHMtdGVzdA=="],
    );
    let boot_key = pem(
        "PRIVATE KEY",
        &["RVNULWJvb3RzdHJhcC1rZXktc2VjcmV0cy10ZXN0LTAx"],
    );
    let mut cases = Vec::new();

    // Manual X.509, an EST edge CA with inline credentials, a trust bundle, registry and proxy
    // credentials, a password hash; with a created NAD and both Services.
    cases.push(case(
        "every secret: manual X.509, EST, registry, proxy",
        &device(
            "s-x509",
            &format!(
                "  os:\n    passwordHash: \"$6$rounds=4096$S3cretSalt$Pa55wordHashOfTheSecretsTest0123456789abcdefghij\"\n\
                 \x20 network:\n    interfaces: [{{name: lan, bridge: {{bridge: br-plant}}}}]\n\
                 \x20   proxy:\n      httpProxy: \"http://proxy-user:Pr0xyPa55-http@proxy.plant-s.example:3128\"\n\
                 \x20     httpsProxy: \"http://proxy-user:Pr0xyPa55%2Fhttps@proxy.plant-s.example:3128\"\n\
                 \x20 services:\n    ssh: {{type: ClusterIP}}\n    gateway: {{type: LoadBalancer}}\n\
                 \x20 iotEdge:\n    trustBundle:\n      value: {}\
                 \x20   edgeCa:\n      est:\n        url: \"https://est-user:EstUrlPa55word@est.plant-s.example/.well-known/est\"\n\
                 \x20       username: est-user\n        password: {{value: \"EstPa55word-secrets-test\"}}\n\
                 \x20       bootstrapIdentityCert:\n          value: {}\
                 \x20       bootstrapIdentityPk:\n          value: {}\
                 \x20   agent:\n      registry:\n        serverAddress: plants.azurecr.io\n        username: pull\n        password: {{value: \"RegistryPa55word-secrets-test\"}}\n\
                 \x20   provisioning:\n      manual:\n        iothubHostname: hub-s.azure-devices.net\n        deviceId: s-x509\n\
                 \x20       x509:\n          identityCert:\n            value: {}\
                 \x20         identityPk:\n            value: {}",
                block(&ca_pem, 8),
                block(&boot_cert, 12),
                block(&boot_key, 12),
                block(&cert_pem, 14),
                block(&key_pem, 14),
            ),
        ),
        false,
        &[
            ("spec.network.proxy.httpProxy", "spec.network.proxy.httpProxy"),
            ("spec.network.proxy.httpsProxy", "spec.network.proxy.httpsProxy"),
        ],
    ));
    // A provided edge CA and a manual symmetric key.
    cases.push(case(
        "every secret: provided CA, manual symmetric key",
        &device(
            "s-sas",
            &format!(
                "  iotEdge:\n    edgeCa:\n      provided:\n        cert:\n          value: {}\
                 \x20       pk:\n          value: {}\
                 \x20   provisioning:\n      manual:\n        iothubHostname: hub-s.azure-devices.net\n        deviceId: s-sas\n\
                 \x20       symmetricKey: {{value: \"U2VjcmV0cy10ZXN0LW1hbnVhbC1rZXktMDAwMg==\"}}\n",
                block(&ca_pem, 12),
                block(&ca_key, 12),
            ),
        ),
        false,
        &[],
    ));
    // DPS X.509 and DPS individual enrollment, in one stream; a DPS endpoint with credentials.
    cases.push(case(
        "every secret: DPS X.509 and individual key, in a stream",
        &format!(
            "{}---\n{}",
            device(
                "s-dps-x509",
                &format!(
                    "  iotEdge:\n    provisioning:\n      dps:\n        idScope: 0ne00000S0S\n\
                     \x20       globalEndpoint: \"https://dps-user:DpsEndpointPa55@global.azure-devices-provisioning.net\"\n\
                     \x20       x509:\n          identityCert:\n            value: {}\
                     \x20         identityPk:\n            value: {}",
                    block(&cert_pem, 14),
                    block(&key_pem, 14),
                ),
            ),
            device(
                "s-dps-key",
                "  iotEdge:\n    provisioning:\n      dps:\n        idScope: 0ne00000S0S\n\
                 \x20       symmetricKey:\n          deviceKey: {value: \"U2VjcmV0cy10ZXN0LWRwcy1kZXZpY2Uta2V5LTAz\"}\n",
            ),
        ),
        false,
        &[],
    ));
    // A fleet whose CSV rows carry each device's key and registry password, beside a group
    // enrollment fleet whose registration IDs come from the index.
    let fleet_csv = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDeviceFleet\n\
        metadata: {name: plant-s, namespace: plant-s}\nspec:\n  inventoryCsv: |\n\
        \x20   name,key,regpass\n\
        \x20   s-edge-01,U2VjcmV0cy10ZXN0LXJvdy1rZXktcy1lZGdlLTAx,RowRegistryPa55-s-edge-01\n\
        \x20   # a comment line\n\
        \x20   s-edge-02,U2VjcmV0cy10ZXN0LXJvdy1rZXktcy1lZGdlLTAy,RowRegistryPa55-s-edge-02\n\
        \x20 template:\n    metadata: {name: '{{ name }}'}\n    spec:\n      iotEdge:\n\
        \x20       agent:\n          registry: {serverAddress: plants.azurecr.io, username: pull, password: {value: '{{ regpass }}'}}\n\
        \x20       provisioning:\n          manual:\n            iothubHostname: hub-s.azure-devices.net\n\
        \x20           deviceId: '{{ name }}'\n            symmetricKey: {value: '{{ key }}'}\n";
    let fleet_group = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDeviceFleet\n\
        metadata: {name: lab-s, namespace: plant-s}\nspec:\n  count: 3\n  template:\n\
        \x20   metadata: {name: 'lab-s-{{ index }}'}\n    spec:\n      iotEdge:\n        provisioning:\n\
        \x20         dps:\n            idScope: 0ne00000S0S\n            symmetricKey:\n\
        \x20             enrollmentGroupKey: {value: \"U2VjcmV0cy10ZXN0LWdyb3VwLWtleS1sYWItcy0wMDA0\"}\n";
    cases.push(case(
        "fleets: row secrets from CSV, a group key over a count",
        &format!("{fleet_csv}---\n{fleet_group}"),
        false,
        &[],
    ));

    // Bad secrets: refused, each named and masked.
    let bad = |name: &str, spec: String, path: &str, field: &str| {
        case(name, &device("s-bad", &spec), true, &[(path, field)])
    };
    let manual = "spec.iotEdge.provisioning.manual";
    let dps = "spec.iotEdge.provisioning.dps";
    cases.push(bad(
        "bad: a connection string without DeviceId",
        format!(
            "  iotEdge:\n    provisioning:\n      manual:\n        connectionString:\n          value: \"HostName=hub-s.azure-devices.net;SharedAccessKey={CS_KEY}\"\n"
        ),
        &format!("{manual}.connectionString"),
        &format!("{manual}.connectionString.value"),
    ));
    cases.push(bad(
        "bad: a connection string whose key is not base64",
        "  iotEdge:\n    provisioning:\n      manual:\n        connectionString:\n          value: \"HostName=hub-s.azure-devices.net;DeviceId=s;SharedAccessKey=Not*Base64*Hub*Key*0005\"\n".to_owned(),
        &format!("{manual}.connectionString"),
        &format!("{manual}.connectionString.value"),
    ));
    cases.push(bad(
        "bad: a manual symmetric key that is not base64",
        "  iotEdge:\n    provisioning:\n      manual:\n        iothubHostname: hub-s.azure-devices.net\n        deviceId: s\n        symmetricKey: {value: \"Not*Base64*Manual*Key*0006\"}\n".to_owned(),
        &format!("{manual}.symmetricKey.value"),
        &format!("{manual}.symmetricKey.value"),
    ));
    cases.push(bad(
        "bad: a DPS device key that is not base64",
        "  iotEdge:\n    provisioning:\n      dps:\n        idScope: 0ne00000S0S\n        symmetricKey: {deviceKey: {value: \"Not*Base64*Device*Key*0007\"}}\n".to_owned(),
        &format!("{dps}.symmetricKey.deviceKey.value"),
        &format!("{dps}.symmetricKey.deviceKey.value"),
    ));
    cases.push(bad(
        "bad: a DPS group key that is not base64",
        "  iotEdge:\n    provisioning:\n      dps:\n        idScope: 0ne00000S0S\n        symmetricKey: {enrollmentGroupKey: {value: \"Not*Base64*Group*Key*0008\"}}\n".to_owned(),
        &format!("{dps}.symmetricKey.enrollmentGroupKey.value"),
        &format!("{dps}.symmetricKey.enrollmentGroupKey.value"),
    ));
    cases.push(bad(
        "bad: a proxy URL with credentials that is no URL",
        format!(
            "  network:\n    proxy: {{httpsProxy: \"http://proxy-user:BadProxyPa55@proxy.plant-s.example:3128 x\"}}\n  iotEdge:\n{}",
            manual_cs()
        ),
        "spec.network.proxy.httpsProxy",
        "spec.network.proxy.httpsProxy",
    ));
    cases.push(bad(
        "bad: an identity key that is not PEM",
        "  iotEdge:\n    provisioning:\n      manual:\n        iothubHostname: hub-s.azure-devices.net\n        deviceId: s\n        x509:\n          identityCert: {secretKeyRef: {name: s-id, key: tls.crt}}\n          identityPk: {value: \"Tm90LWEtUEVNLWJ1dC1hLXByaXZhdGUta2V5LTAwMDk=\"}\n".to_owned(),
        &format!("{manual}.x509.identityPk.value"),
        &format!("{manual}.x509.identityPk.value"),
    ));
    cases.push(bad(
        "bad: a password instead of a password hash",
        format!(
            "  os: {{passwordHash: \"PlainPa55word-0010\"}}\n  iotEdge:\n{}",
            manual_cs()
        ),
        "spec.os.passwordHash",
        "spec.os.passwordHash",
    ));
    cases.push(bad(
        "bad: an EST URL with credentials that is no URL",
        format!(
            "  iotEdge:\n    edgeCa: {{est: {{url: \"https://est-user:BadEstPa55@est.plant-s.example/est x\"}}}}\n{}",
            manual_cs()
        ),
        "spec.iotEdge.edgeCa.est.url",
        "spec.iotEdge.edgeCa.est.url",
    ));
    cases.push(bad(
        "bad: a DPS endpoint with credentials that is not https",
        "  iotEdge:\n    provisioning:\n      dps:\n        idScope: 0ne00000S0S\n        globalEndpoint: \"http://dps-user:BadDpsPa55@dps.plant-s.example\"\n        tpm: {}\n".to_owned(),
        &format!("{dps}.globalEndpoint"),
        &format!("{dps}.globalEndpoint"),
    ));
    // A fleet row whose key is bad: named by its CSV line, masked; the other row's key is not
    // shown either.
    cases.push(case(
        "bad: a fleet row's key that is not base64",
        &fleet_csv.replace(
            "U2VjcmV0cy10ZXN0LXJvdy1rZXktcy1lZGdlLTAy",
            "Not*Base64*Row*Key*0011",
        ),
        true,
        &[(
            "spec.inventoryCsv line 4: spec.iotEdge.provisioning.manual.symmetricKey.value",
            "spec.inventoryCsv line 4: spec.iotEdge.provisioning.manual.symmetricKey.value",
        )],
    ));
    // A fleet template's group key that is not base64.
    cases.push(case(
        "bad: a fleet's group key that is not base64",
        &fleet_group.replace(
            "U2VjcmV0cy10ZXN0LWdyb3VwLWtleS1sYWItcy0wMDA0",
            "Not*Base64*Fleet*Group*0012",
        ),
        true,
        &[(
            "spec.template.spec.iotEdge.provisioning.dps.symmetricKey.enrollmentGroupKey.value",
            "spec.template.spec.iotEdge.provisioning.dps.symmetricKey.enrollmentGroupKey.value",
        )],
    ));
    // A good device with secrets beside a bad one: nothing is printed, and no message shows
    // the good one's secrets.
    cases.push(case(
        "bad: a stream whose second device is bad",
        &format!(
            "{}---\n{}",
            device("s-good", &format!("  iotEdge:\n{}", manual_cs())),
            device(
                "s-bad",
                &format!("  vm: {{memory: 3Gb}}\n  iotEdge:\n{}", manual_cs())
            ),
        ),
        true,
        &[],
    ));
    cases
}

/// Inputs that leaked a secret once, each with where it was fixed.
fn former_leak_cases() -> Vec<Case> {
    vec![
        // serde's "invalid type" message quotes the whole string; core/src/parse.rs masks it.
        case(
            "former leak: a connection string given without value:",
            &device(
                "s-leak",
                &format!(
                    "  iotEdge:\n    provisioning:\n      manual:\n        connectionString: \"HostName=hub-s.azure-devices.net;DeviceId=s;SharedAccessKey={CS_KEY}\"\n"
                ),
            ),
            true,
            &[],
        ),
        // The same message quotes a secret that YAML read as a number.
        case(
            "former leak: a registry password YAML reads as a number",
            &device(
                "s-leak",
                &format!(
                    "  iotEdge:\n    agent:\n      registry: {{serverAddress: r.example.io, username: u, password: {{value: 20240601987654321}}}}\n{}",
                    manual_cs()
                ),
            ),
            true,
            &[],
        ),
        // A YAML syntax error quoted the lines around it, secrets included (core/src/yaml.rs).
        case(
            "former leak: a YAML error next to a secret",
            &device(
                "s-leak",
                "  iotEdge:\n    provisioning:\n      manual:\n        iothubHostname: hub-s.azure-devices.net\n        deviceId: s\n        symmetricKey: {value: \"U2VjcmV0cy10ZXN0LXlhbWwtZXJyb3Ita2V5\"}\n        x509: [unclosed\n",
            ),
            true,
            &[],
        ),
        // A disk URL with credentials landed in the VirtualMachine's DataVolume template; it is
        // refused, masked (core/src/validate/mod.rs).
        case(
            "former leak: a disk image URL with credentials",
            &device(
                "s-leak",
                &format!(
                    "  disk: {{source: {{http: {{url: \"https://img-user:ImagePa55word@images.plant-s.example/u.img\"}}}}}}\n  iotEdge:\n{}",
                    manual_cs()
                ),
            ),
            true,
            &[("spec.disk.source.http.url", "spec.disk.source.http.url")],
        ),
        // ... and the message about a bad one showed it.
        case(
            "former leak: a bad disk image URL with credentials",
            &device(
                "s-leak",
                &format!(
                    "  disk: {{source: {{http: {{url: \"https://img-user:ImagePa55word@images.plant-s.example/u img\"}}}}}}\n  iotEdge:\n{}",
                    manual_cs()
                ),
            ),
            true,
            &[("spec.disk.source.http.url", "spec.disk.source.http.url")],
        ),
    ]
}

/// One run of the binary (or the library) on a case.
struct Run {
    what: String,
    ok: bool,
    stdout: String,
    stderr: String,
    how: Stdout,
    /// Expands each document where it stands (post-render, KRM items), so a clash between
    /// documents is not a problem there.
    per_document: bool,
    /// Prints warnings (post-render prints only errors).
    warns: bool,
}

fn run_binary(what: &str, args: &[&str], stdin: &str, how: Stdout) -> Run {
    let (ok, stdout, stderr) = run_status(Command::new(edgevirt()).args(args), stdin);
    Run {
        what: what.to_owned(),
        ok,
        stdout,
        stderr,
        how,
        per_document: what == "post-render" || what == "krm (items)",
        warns: what != "post-render",
    }
}

/// Documents of other charts around the case, as Helm would render them: they pass through.
const NEIGHBOURS: (&str, &str) = (
    "# Source: plant/templates/config.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: plant-config}\ndata: {site: plant-s}\n",
    "# Source: plant/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: plant-api}\nspec:\n  ports: [{port: 80}]\n",
);

/// Every way the binary is run on a case.
fn runs(case: &Case, dir: &Path) -> Vec<Run> {
    let mut runs = vec![
        run_binary("render", &["render", "-"], &case.input, Stdout::Stream),
        run_binary(
            "render --format json",
            &["render", "-", "--format", "json"],
            &case.input,
            Stdout::Json,
        ),
        run_binary("validate", &["validate", "-"], &case.input, Stdout::Nothing),
    ];
    let config = dir.join("config.yaml");
    std::fs::write(&config, &case.input).expect("write the plugin config");
    let config = config.to_str().expect("a UTF-8 path");
    runs.push(run_binary(
        "kustomize plugin (EdgeDevice CONFIG)",
        &["EdgeDevice", config],
        "",
        Stdout::Stream,
    ));
    let mut input = case.input.clone();
    if !input.ends_with('\n') {
        input.push('\n');
    }
    let stream = format!("---\n{}---\n{input}---\n{}", NEIGHBOURS.0, NEIGHBOURS.1);
    runs.push(run_binary(
        "post-render",
        &["post-render"],
        &stream,
        Stdout::Stream,
    ));
    if let Ok(docs) = serde_saphyr::from_multiple::<Value>(&case.input) {
        let neighbour: Value = serde_saphyr::from_str(NEIGHBOURS.0).expect("a ConfigMap");
        let mut items = vec![neighbour];
        items.extend(docs.iter().cloned());
        let list = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
            "items": items});
        runs.push(run_binary(
            "krm (items)",
            &["krm"],
            &list.to_string(),
            Stdout::ResourceList,
        ));
        if let [one] = docs.as_slice() {
            let list = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
                "items": [], "functionConfig": one});
            runs.push(run_binary(
                "krm (functionConfig)",
                &["krm"],
                &list.to_string(),
                Stdout::ResourceList,
            ));
        }
    }
    runs
}

/// The diagnostics a library run gave, as text and as fields.
fn diagnostic_places(what: &str, diags: &[edgevirt_core::Diagnostic]) -> Vec<Place> {
    diags
        .iter()
        .map(|d| Place {
            what: format!("{what}: diagnostic at {}", d.path),
            text: format!(
                "{d}\n{}\n{}\n{}\n{}",
                d.path,
                d.value.as_deref().unwrap_or_default(),
                d.message,
                d.hint.as_deref().unwrap_or_default()
            ),
            secret_data: false,
        })
        .collect()
}

/// What is wrong with one case: every leak, every secret not masked, every wrong outcome.
fn check_case(case: &Case, dir: &Path) -> (usize, Vec<String>) {
    let secrets = known_secrets(&case.input);
    let masks: Vec<(&String, &Secret)> = case
        .masked
        .iter()
        .map(|(path, field)| {
            let secret = secrets.iter().find(|s| &s.field == field);
            let secret = secret.unwrap_or_else(|| {
                panic!(
                    "{}: the test knows no secret at {field}; it knows {:?}",
                    case.name,
                    secrets.iter().map(|s| &s.field).collect::<Vec<_>>()
                )
            });
            (path, secret)
        })
        .collect();
    let mut problems = Vec::new();
    let runs = runs(case, dir);
    for run in &runs {
        let what = &run.what;
        // A clash between documents (no secret in it) is only found by the runs that see the
        // whole input; a bad secret must be refused by every run.
        let refused = if run.per_document && case.masked.is_empty() {
            case.refused && !run.ok
        } else {
            case.refused
        };
        if run.ok == refused {
            problems.push(format!(
                "{what}: exit {}, expected {}\n{}",
                if run.ok { "0" } else { "non-zero" },
                if refused { "non-zero" } else { "0" },
                run.stderr
            ));
        }
        let how = if refused && run.how != Stdout::ResourceList {
            Stdout::Nothing
        } else {
            run.how
        };
        if how == Stdout::Nothing && !run.stdout.is_empty() {
            problems.push(format!("{what}: printed on stdout:\n{}", run.stdout));
        }
        let mut places = match stdout_places(&run.stdout, how, what) {
            Ok(places) => places,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        if !refused && how != Stdout::Nothing {
            problems.extend(
                missing_from_secrets(&secrets, &places)
                    .into_iter()
                    .map(|p| format!("{what}: {p}")),
            );
        }
        places.push(Place {
            what: format!("{what}: stderr"),
            text: run.stderr.clone(),
            secret_data: false,
        });
        problems.extend(
            leaks(&secrets, &places)
                .into_iter()
                .map(|p| format!("{what}: {p}")),
        );
        if refused || run.warns {
            problems.extend(mask_problems(run, &masks));
        }
    }
    problems.extend(check_library(case, &secrets, &masks));
    (runs.len() + 1, problems)
}

/// Whether each masked secret is named and shown masked: on stderr, or in `results[]`.
fn mask_problems(run: &Run, masks: &[(&String, &Secret)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, secret) in masks {
        let masked = secret.masked();
        let shown = if run.how == Stdout::ResourceList {
            let list: Value = serde_saphyr::from_str(&run.stdout).unwrap_or_default();
            list["results"].as_array().into_iter().flatten().any(|r| {
                let at = r
                    .pointer("/field/path")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let message = r["message"].as_str().unwrap_or("");
                (at.contains(path.as_str()) || message.contains(path.as_str()))
                    && message.contains(&masked)
            })
        } else {
            run.stderr
                .lines()
                .any(|l| l.contains(path.as_str()) && l.contains(&masked))
        };
        if !shown {
            problems.push(format!(
                "{}: no message names {path} with the secret masked as {masked}:\n{}{}",
                run.what,
                run.stderr,
                if run.how == Stdout::ResourceList {
                    &run.stdout
                } else {
                    ""
                }
            ));
        }
    }
    problems
}

/// The core library, as the wizard calls it: manifests, warnings and errors.
fn check_library(case: &Case, secrets: &[Secret], masks: &[(&String, &Secret)]) -> Vec<String> {
    let what = "library render_documents";
    let mut places = Vec::new();
    let mut problems = Vec::new();
    let diagnostics = match edgevirt_core::render_documents(&case.input) {
        Ok(rendered) => {
            if case.refused {
                problems.push(format!("{what}: rendered, but the case must be refused"));
            }
            for doc in rendered.manifests.documents() {
                let raw = serde_json::to_string(doc).unwrap_or_default();
                document_places(doc, Some(&raw), what, &mut places);
            }
            problems.extend(
                missing_from_secrets(secrets, &places)
                    .into_iter()
                    .map(|p| format!("{what}: {p}")),
            );
            rendered.warnings
        }
        Err(error) => {
            if !case.refused {
                problems.push(format!("{what}: refused: {error}"));
            }
            places.push(Place {
                what: format!("{what}: the error"),
                text: error.to_string(),
                secret_data: false,
            });
            error.diagnostics().to_vec()
        }
    };
    places.extend(diagnostic_places(what, &diagnostics));
    problems.extend(
        leaks(secrets, &places)
            .into_iter()
            .map(|p| format!("{what}: {p}")),
    );
    for (path, secret) in masks {
        let masked = secret.masked();
        let shown = diagnostics.iter().any(|d| {
            d.path.contains(path.as_str())
                && d.value.as_ref().is_some_and(|v| format!("{v:?}") == masked)
        });
        if !shown {
            problems.push(format!(
                "{what}: no diagnostic at {path} with the value {masked}: {diagnostics:?}"
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn secrets_stay_in_secrets_on_every_path() {
    let dir = scratch("secrets");
    let fixtures = fixture_cases();
    let examples = example_cases();
    let own: Vec<Case> = own_cases().into_iter().chain(former_leak_cases()).collect();
    assert!(
        fixtures.len() >= 30,
        "found {} fixture cases",
        fixtures.len()
    );
    assert!(examples.len() >= 10, "found {} examples", examples.len());
    let mut report = Vec::new();
    let mut runs = 0;
    let mut secrets = 0;
    for case in fixtures.iter().chain(&examples).chain(&own) {
        secrets += known_secrets(&case.input).len();
        let (n, problems) = check_case(case, &dir);
        runs += n;
        report.extend(problems.into_iter().map(|p| format!("{}: {p}", case.name)));
    }
    let cases = fixtures.len() + examples.len() + own.len();
    assert!(
        report.is_empty(),
        "{} problem(s) in {cases} cases ({runs} runs):\n{}",
        report.len(),
        report.join("\n")
    );
    // Enough secrets were looked for that a pass means something.
    assert!(secrets >= 80, "only {secrets} secrets in {cases} cases");
    eprintln!("{cases} cases, {runs} runs, {secrets} secrets: none outside Secret data");
}

/// The secret fields of the model, from `edgevirt schema`: each is given inline by a case.
#[test]
fn every_secret_field_of_the_model_is_covered() {
    let (ok, schema, stderr) = run_status(Command::new(edgevirt()).arg("schema"), "");
    assert!(ok, "edgevirt schema: {stderr}");
    let schema: Value = serde_json::from_str(&schema).expect("the schema is JSON");
    let mut fields = BTreeSet::new();
    secret_fields(
        &schema,
        &schema["properties"]["spec"],
        "spec",
        &mut fields,
        0,
    );
    assert!(fields.len() >= 14, "{fields:?}");
    let mut given = BTreeSet::new();
    for case in own_cases().iter().chain(&fixture_cases()) {
        for secret in known_secrets(&case.input) {
            let field = secret.field.rsplit(": ").next().unwrap_or(&secret.field);
            let field = field.replace("spec.template.spec", "spec");
            given.insert(field.trim_end_matches(".value").to_owned());
        }
    }
    let missing: Vec<&String> = fields.iter().filter(|f| !given.contains(*f)).collect();
    for field in &fields {
        let name = field.rsplit('.').next().unwrap_or(field);
        assert!(SECRET_FIELDS.contains(&name), "SECRET_FIELDS lacks {name}");
    }
    assert!(
        missing.is_empty(),
        "no case gives these secret fields inline: {missing:?}"
    );
}

/// Collects the paths below `path` whose schema is the `SecretSource` definition.
fn secret_fields(root: &Value, node: &Value, path: &str, out: &mut BTreeSet<String>, depth: u32) {
    assert!(depth < 40, "the schema nests too deep at {path}");
    if let Some(reference) = node["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or("");
        if name == "SecretSource" {
            out.insert(path.to_owned());
            return;
        }
        let target = root
            .pointer(reference.trim_start_matches('#'))
            .expect("a $ref that resolves");
        secret_fields(root, target, path, out, depth + 1);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for alternative in node[key].as_array().into_iter().flatten() {
            secret_fields(root, alternative, path, out, depth + 1);
        }
    }
    for (name, property) in node["properties"].as_object().into_iter().flatten() {
        if path == "spec" && name == "extensions" {
            continue;
        }
        secret_fields(root, property, &format!("{path}.{name}"), out, depth + 1);
    }
    if node["items"].is_object() {
        secret_fields(root, &node["items"], &format!("{path}[0]"), out, depth + 1);
    }
}

#[test]
fn the_derived_key_follows_rfc_4231() {
    // RFC 4231, test case 2.
    let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    // A key longer than the block is hashed first (test case 6).
    let mac = hmac_sha256(
        &[0xaa; 131],
        b"Test Using Larger Than Block-Size Key - Hash Key First",
    );
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

/// The checker itself finds secrets where they must not be: planted into a VM annotation, a
/// ConfigMap (base64), a URL (percent-encoded), a Secret's labels, stderr and a comment; a group
/// key even in a Secret's data; a message that shows a secret unmasked.
#[test]
fn the_checker_finds_planted_secrets() {
    let input = device(
        "s-plant",
        "  iotEdge:\n    provisioning:\n      dps:\n        idScope: 0ne00000S0S\n        symmetricKey:\n          registrationId: s-plant\n          enrollmentGroupKey: {value: \"U2VjcmV0cy10ZXN0LXBsYW50ZWQtZ3JvdXAta2V5\"}\n",
    );
    let secrets = known_secrets(&input);
    let group = secrets
        .iter()
        .find(|s| s.kind == Kind::GroupKey)
        .expect("the group key");
    let derived = secrets
        .iter()
        .find(|s| s.kind == Kind::Derived)
        .expect("the derived key");
    let rendered = run_binary("render", &["render", "-"], &input, Stdout::Stream);
    assert!(rendered.ok, "{}", rendered.stderr);
    let clean = stdout_places(&rendered.stdout, Stdout::Stream, "render").expect("a stream");
    assert_eq!(
        leaks(&secrets, &clean),
        Vec::<String>::new(),
        "a clean render"
    );
    assert_eq!(missing_from_secrets(&secrets, &clean), Vec::<String>::new());

    let found = |stdout: &str, stderr: &str| {
        let mut places = stdout_places(stdout, Stdout::Stream, "planted").expect("a stream");
        places.push(Place {
            what: "stderr".into(),
            text: stderr.into(),
            secret_data: false,
        });
        leaks(&secrets, &places)
    };
    let vm = "kind: VirtualMachine\nmetadata:\n";
    assert!(rendered.stdout.contains(vm));
    let planted = [
        // The derived key in an annotation of the VM.
        rendered.stdout.replace(
            vm,
            &format!(
                "{vm}  annotations: {{edgevirt.dev/key: \"{}\"}}\n",
                derived.value
            ),
        ),
        // Base64 of a longer text holding it, in a ConfigMap.
        format!(
            "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: leak}}\nbinaryData: {{k: {}}}\n",
            rendered.stdout,
            STANDARD.encode(format!("key={};", derived.value))
        ),
        // Percent-encoded in a URL of a Service annotation.
        format!(
            "{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: leak\n  annotations: {{x: \"https://h.example/?k={}\"}}\n",
            rendered.stdout,
            derived
                .value
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        ),
        // In the labels of the Secret itself.
        rendered.stdout.replacen(
            "labels:\n",
            &format!("labels:\n    leak: \"{}\"\n", derived.value),
            1,
        ),
        // Cut short, as a message might show it.
        rendered.stdout.replace(
            vm,
            &format!(
                "{vm}  annotations: {{note: \"key {}...\"}}\n",
                &derived.value[..20]
            ),
        ),
        // In a comment.
        format!("# {}\n{}", derived.value, rendered.stdout),
        // The group key in a Secret's data.
        rendered.stdout.replacen(
            "stringData:\n",
            &format!("stringData:\n  group: \"{}\"\n", group.value),
            1,
        ),
    ];
    for (i, stdout) in planted.iter().enumerate() {
        assert!(*stdout != rendered.stdout, "plant {i} changed nothing");
        assert!(
            !found(stdout, "").is_empty(),
            "plant {i} went unnoticed:\n{stdout}"
        );
    }
    assert!(!found(&rendered.stdout, &format!("warning: x {}", derived.value)).is_empty());
    // A multi-line secret is found by one of its lines.
    let multi_line = Secret {
        field: "pem".into(),
        value: pem(
            "PRIVATE KEY",
            &[
                "Rmlyc3QtbGluZS1vZi10aGUta2V5",
                "U2Vjb25kLWxpbmUtb2YtdGhlLWtleQ==",
            ],
        ),
        kind: Kind::Inline,
    };
    let place = |text: &str| Place {
        what: "text".into(),
        text: text.into(),
        secret_data: false,
    };
    let multi = std::slice::from_ref(&multi_line);
    assert_eq!(
        leaks(multi, &[place("x: U2Vjb25kLWxpbmUtb2YtdGhlLWtleQ== y")]).len(),
        1
    );
    assert_eq!(
        leaks(multi, &[place("-----BEGIN PRIVATE KEY-----")]).len(),
        0
    );
    // A secret that reaches no Secret is reported.
    let absent = Secret {
        field: "absent".into(),
        value: "Tm90LWluLWFueS1zZWNyZXQ=".into(),
        kind: Kind::Inline,
    };
    assert_eq!(missing_from_secrets(&[absent], &clean).len(), 1);
    // An unmasked message fails the mask check; a masked one passes.
    let run = |stderr: String| Run {
        what: "planted".into(),
        ok: false,
        stdout: String::new(),
        stderr,
        how: Stdout::Nothing,
        per_document: false,
        warns: true,
    };
    let path = "spec.iotEdge.provisioning.dps.symmetricKey.enrollmentGroupKey.value".to_owned();
    let masks = [(&path, group)];
    let shown = run(format!(
        "error: {path}: \"{}\" is not a base64 key",
        group.value
    ));
    assert_eq!(mask_problems(&shown, &masks).len(), 1);
    let masked = run(format!(
        "error: {path}: {} is not a base64 key",
        group.masked()
    ));
    assert_eq!(mask_problems(&masked, &masks), Vec::<String>::new());
}
