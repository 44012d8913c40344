//! Reading a `config.toml` table key by key.
//!
//! A [`Section`] is a table that is emptied as it is read: each key edgevirt carries is taken
//! out, each key it refuses is taken out with a diagnostic, and [`Section::finish`] refuses
//! whatever is left, so no key of the input can pass unnoticed. The [`Reader`] collects the
//! diagnostics and remembers which TOML key each model field came from, so problems found later
//! by validation can be shown at the key the user wrote.

use toml::{Table, Value};

use crate::diagnostic::{Diagnostics, mask};

/// What a key that edgevirt does not know is told.
pub(super) const UNKNOWN: &str = "is not an IoT Edge setting edgevirt knows";
const UNKNOWN_HINT: &str =
    "check the spelling (IoT Edge ignores unknown keys, so it never took effect) and remove it";

/// Keys whose values are secrets, shown only as their length.
const SECRET_KEYS: [&str; 4] = ["value", "password", "connection_string", "symmetric_key"];

/// The diagnostics of one import, and where each model field came from.
#[derive(Debug, Default)]
pub(super) struct Reader {
    pub(super) diagnostics: Diagnostics,
    /// `(model path, TOML path)` of every value carried into the model.
    origins: Vec<(String, String)>,
}

impl Reader {
    /// Refuses the key at `path`.
    pub(super) fn refuse(&mut self, path: &str, value: Option<&str>, message: &str, hint: &str) {
        self.diagnostics.error(path, value, message, hint);
    }

    /// Records that the model field at `model` holds the value of the TOML key at `path`.
    pub(super) fn origin(&mut self, model: &str, path: String) {
        self.origins.push((model.to_owned(), path));
    }

    /// The TOML key a model path came from: the longest recorded model path that `model` is,
    /// or lies under.
    pub(super) fn toml_path(&self, model: &str) -> Option<&str> {
        let under =
            |m: &str| model == m || model.strip_prefix(m).is_some_and(|r| r.starts_with('.'));
        let found = self
            .origins
            .iter()
            .filter(|(m, _)| under(m))
            .max_by_key(|(m, _)| m.len());
        found.map(|(_, path)| path.as_str())
    }
}

/// A TOML table being read, with its dotted path in the file.
#[derive(Debug)]
pub(super) struct Section {
    path: String,
    table: Table,
}

impl Section {
    /// The whole file.
    pub(super) fn root(table: Table) -> Self {
        Self {
            path: String::new(),
            table,
        }
    }

    /// The dotted path of this table, e.g. `provisioning.attestation`.
    pub(super) fn path(&self) -> &str {
        &self.path
    }

    /// The dotted path of `key` in this table, e.g. `provisioning.attestation.method`.
    pub(super) fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Whether `key` is still in the table.
    pub(super) fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Whether `key` holds a table.
    pub(super) fn is_table(&self, key: &str) -> bool {
        self.table.get(key).is_some_and(Value::is_table)
    }

    /// Records an error when `key` is missing.
    pub(super) fn require(&self, key: &str, hint: &str, r: &mut Reader) {
        if !self.has(key) {
            r.refuse(&self.path_of(key), None, "is required", hint);
        }
    }

    /// Takes `key` out of the table.
    pub(super) fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    /// Takes a string that selects what the table means, such as `method` or `source`.
    pub(super) fn word(&mut self, key: &str, r: &mut Reader) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s),
            other => {
                wrong_type(&self.path_of(key), &other, "a string", r);
                None
            }
        }
    }

    /// Takes a string carried into the model field at `model`.
    pub(super) fn string(&mut self, key: &str, model: &str, r: &mut Reader) -> Option<String> {
        let s = self.word(key, r)?;
        r.origin(model, self.path_of(key));
        Some(s)
    }

    /// Takes a whole number carried into the model field at `model`.
    pub(super) fn uint(&mut self, key: &str, model: &str, r: &mut Reader) -> Option<u32> {
        let value = self.take(key)?;
        let path = self.path_of(key);
        match value.as_integer().map(u32::try_from) {
            Some(Ok(n)) => {
                r.origin(model, path);
                Some(n)
            }
            _ => {
                wrong_type(&path, &value, "a whole number from 0 to 4294967295", r);
                None
            }
        }
    }

    /// Takes a boolean carried into the model field at `model`.
    pub(super) fn boolean(&mut self, key: &str, model: &str, r: &mut Reader) -> Option<bool> {
        let value = self.take(key)?;
        let path = self.path_of(key);
        if let Some(b) = value.as_bool() {
            r.origin(model, path);
            return Some(b);
        }
        wrong_type(&path, &value, "true or false", r);
        None
    }

    /// Takes a table, to be read in turn.
    pub(super) fn table(&mut self, key: &str, r: &mut Reader) -> Option<Section> {
        let path = self.path_of(key);
        match self.take(key)? {
            Value::Table(table) => Some(Section { path, table }),
            other => {
                wrong_type(&path, &other, "a table", r);
                None
            }
        }
    }

    /// Accepts `key` only when it holds `fixed`, the value edgevirt always writes.
    pub(super) fn fixed(&mut self, key: &str, fixed: &str, message: &str, r: &mut Reader) {
        let Some(value) = self.take(key) else { return };
        if value.as_str() != Some(fixed) {
            let path = self.path_of(key);
            let hint = format!("remove it; edgevirt always writes {fixed:?}");
            r.refuse(&path, shown(&path, &value).as_deref(), message, &hint);
        }
    }

    /// Refuses `key` when it is there.
    pub(super) fn refuse(&mut self, key: &str, message: &str, hint: &str, r: &mut Reader) {
        if let Some(value) = self.take(key) {
            let path = self.path_of(key);
            r.refuse(&path, shown(&path, &value).as_deref(), message, hint);
        }
    }

    /// Every key left, with its path and value, in file order.
    pub(super) fn into_entries(self) -> impl Iterator<Item = (String, String, Value)> {
        let Section { path, table } = self;
        table
            .into_iter()
            .map(move |(key, value)| (join(&path, &key), key, value))
    }

    /// Refuses every key left with the same message: for tables edgevirt does not carry.
    pub(super) fn refuse_rest(self, message: &str, hint: &str, r: &mut Reader) {
        for (path, _, value) in self.into_entries() {
            r.refuse(&path, shown(&path, &value).as_deref(), message, hint);
        }
    }

    /// Refuses every key left as unknown.
    pub(super) fn finish(self, r: &mut Reader) {
        self.refuse_rest(UNKNOWN, UNKNOWN_HINT, r);
    }
}

/// The dotted path of `key` under `parent`; keys that are not bare TOML keys are quoted.
fn join(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let key = if bare {
        key.to_owned()
    } else {
        format!("{key:?}")
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// Records that the value at `path` has the wrong type.
pub(super) fn wrong_type(path: &str, value: &Value, expected: &str, r: &mut Reader) {
    let message = format!("is not {expected}");
    r.refuse(path, shown(path, value).as_deref(), &message, "");
}

/// The value at `path` as a diagnostic shows it: secrets masked, tables left out.
pub(super) fn shown(path: &str, value: &Value) -> Option<String> {
    let key = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::String(s) if SECRET_KEYS.contains(&key) => Some(mask(s)),
        Value::String(s) => Some(mask_pin(s)),
        Value::Table(_) => None,
        other => Some(other.to_string()),
    }
}

/// A PKCS#11 URI with its PIN masked, or any other string as it is.
fn mask_pin(s: &str) -> String {
    const PIN: &str = "pin-value=";
    let Some(start) = s.find(PIN).map(|i| i + PIN.len()) else {
        return s.to_owned();
    };
    let end = s[start..].find(['&', ';']).map_or(s.len(), |i| start + i);
    format!("{}{}{}", &s[..start], mask(&s[start..end]), &s[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_and_secrets_are_masked() {
        let uri = Value::String("pkcs11:slot-id=0;object=id?pin-value=1234".into());
        let shown_uri = shown("provisioning.attestation.identity_pk", &uri);
        assert_eq!(
            shown_uri.as_deref(),
            Some("pkcs11:slot-id=0;object=id?pin-value=<secret, 4 characters>")
        );
        let password = Value::String("estpwd".into());
        assert_eq!(
            shown("edge_ca.password", &password).as_deref(),
            Some("<secret, 6 characters>")
        );
    }

    #[test]
    fn keys_that_are_not_bare_are_quoted() {
        assert_eq!(
            join("agent.env", "RuntimeLogLevel"),
            "agent.env.RuntimeLogLevel"
        );
        assert_eq!(join("agent.env", "a.b"), "agent.env.\"a.b\"");
        assert_eq!(join("", "hostname"), "hostname");
    }

    #[test]
    fn origins_resolve_to_the_closest_key() {
        let mut r = Reader::default();
        r.origin("spec.iotEdge.edgeCa", "edge_ca".into());
        r.origin("spec.iotEdge.edgeCa.est.url", "edge_ca.url".into());
        assert_eq!(
            r.toml_path("spec.iotEdge.edgeCa.est.url"),
            Some("edge_ca.url")
        );
        assert_eq!(r.toml_path("spec.iotEdge.edgeCa.est"), Some("edge_ca"));
        assert_eq!(r.toml_path("spec.iotEdge.edgeCaX"), None);
    }
}
