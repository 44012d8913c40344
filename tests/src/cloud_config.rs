//! Deep check of the `#cloud-config` user-data carried by Secrets.
//!
//! The cloud-config is read as cloud-init reads it (YAML 1.1 scalars, see `stream`) and validated
//! against cloud-init 26.2's JSON schema, because Debian's cloud-init 22.4 accepts unknown keys.
//! Then `write_files` gets rules the schema leaves out: permissions are quoted octal strings
//! (unquoted `0600` is the number 384 to cloud-init), paths are absolute, and an unencoded
//! `/etc/aziot/config.toml` is checked as an IoT Edge config. User-data that is a script or a
//! MIME archive is not looked into.

use serde_json::Value;

use crate::aziot_config;
use crate::cloud_init::USER_DATA_KEYS;
use crate::problem::{Origin, Problem, Stage};
use crate::schema::Schema;
use crate::secrets::payload;
use crate::stream::yaml11_options;

/// Where IoT Edge reads its super config from.
const AZIOT_CONFIG_PATH: &str = "/etc/aziot/config.toml";

/// Checks a lone cloud-config text; problems are labelled `cloud-config`.
///
/// # Example
///
/// ```
/// let text = "#cloud-config\nwrite_files:\n- path: etc/motd\n  permissions: 0644\n";
/// let problems = edgevirt_tests::check_cloud_config(text);
/// assert!(problems.iter().any(|p| p.path == ".write_files[0].path"));
/// assert!(problems.iter().any(|p| p.message.contains("quote")));
/// ```
pub fn check_cloud_config(text: &str) -> Vec<Problem> {
    let origin = Origin::file("cloud-config");
    if !text.starts_with("#cloud-config") {
        let message = "does not start with #cloud-config".to_owned();
        return vec![origin.problem(Stage::Deep, "", message)];
    }
    check_text(text, &origin, "")
}

/// Checks the user-data of a Secret, when it is a cloud-config.
pub(crate) fn check_secret(secret: &Value, origin: &Origin) -> Vec<Problem> {
    let Some(found) = payload(secret, &USER_DATA_KEYS) else {
        return Vec::new();
    };
    match found.text {
        Ok(text) if text.starts_with("#cloud-config") => {
            check_text(&text, origin, &format!("{} -> ", found.path))
        }
        // Not text, or not a cloud-config: the admission check of the VM that uses it says so.
        _ => Vec::new(),
    }
}

/// Checks a cloud-config found at `path` (a chain ending in ` -> `, or empty).
fn check_text(text: &str, origin: &Origin, path: &str) -> Vec<Problem> {
    let config: Value = match serde_saphyr::from_str_with_options(text, yaml11_options()) {
        Ok(config) => config,
        Err(e) => {
            let message = format!("invalid YAML: {e}");
            return vec![origin.problem(Stage::Deep, path.trim_end_matches(" -> "), message)];
        }
    };
    let mut problems = Schema::CloudConfig.check(&config, origin, Stage::Deep, path);
    let files = config.get("write_files").and_then(Value::as_array);
    for (index, file) in files.into_iter().flatten().enumerate() {
        let file_path = format!("{path}.write_files[{index}]");
        problems.extend(check_write_file(file, origin, &file_path));
    }
    problems
}

fn check_write_file(file: &Value, origin: &Origin, path: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let target = file.get("path").and_then(Value::as_str);
    if let Some(target) = target.filter(|t| !t.starts_with('/')) {
        let message = format!("{target:?} is not an absolute path");
        problems.push(origin.problem(Stage::Deep, &format!("{path}.path"), message));
    }
    if let Some(Err(message)) = file.get("permissions").map(check_permissions) {
        problems.push(origin.problem(Stage::Deep, &format!("{path}.permissions"), message));
    }
    let encoding = file.get("encoding").and_then(Value::as_str);
    let plain = encoding.is_none_or(|e| e == "text/plain");
    if target == Some(AZIOT_CONFIG_PATH) && plain {
        let content = file.get("content").and_then(Value::as_str).unwrap_or("");
        let content_path = format!("{path}.content -> ");
        problems.extend(aziot_config::check_text(content, origin, &content_path));
    }
    problems
}

/// Permissions must be a quoted octal string, such as `"0600"` or `"0o600"`.
fn check_permissions(permissions: &Value) -> Result<(), String> {
    let Some(text) = permissions.as_str() else {
        return Err(format!(
            "{permissions} is not a string: quote the mode (YAML 1.1 reads an unquoted 0600 as \
             the number 384)"
        ));
    };
    let digits = text
        .strip_prefix("0o")
        .or_else(|| text.strip_prefix("0O"))
        .unwrap_or(text);
    let octal =
        (3..=4).contains(&digits.len()) && digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
    if octal {
        Ok(())
    } else {
        Err(format!(
            "{text:?} is not an octal mode (expected e.g. \"0600\")"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions() {
        for good in ["0600", "0o644", "644", "0755"] {
            assert_eq!(check_permissions(&Value::from(good)), Ok(()), "{good}");
        }
        for bad in [
            Value::from(384),
            Value::from("rw-r--r--"),
            Value::from("0800"),
        ] {
            assert!(check_permissions(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_cloud_config_key_is_caught_by_the_26_2_schema() {
        let problems = check_cloud_config("#cloud-config\npackage_upgrade: true\nrun_cmd: [ls]\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("run_cmd"), "{}", problems[0]);
    }

    #[test]
    fn embedded_config_toml_is_checked() {
        let text = "#cloud-config\nwrite_files:\n- path: /etc/aziot/config.toml\n  \
                    permissions: '0600'\n  content: |\n    hostname = \"edge\"\n    \
                    provisoning = 1\n";
        let problems = check_cloud_config(text);
        assert!(
            problems
                .iter()
                .any(|p| p.path == ".write_files[0].content" && p.message.contains("provisoning")),
            "{problems:?}"
        );
    }

    /// The fixtures of `tools/cloud_init_schema.sh`: what the real cloud-init 22.4 accepts or
    /// rejects there, this check must accept or reject too.
    #[test]
    fn agrees_with_cloud_init_on_the_tool_fixtures() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/fixtures");
        for (folder, valid) in [
            ("cloud-config-valid", true),
            ("cloud-config-invalid", false),
        ] {
            let dir = std::path::Path::new(fixtures).join(folder);
            for entry in std::fs::read_dir(&dir).expect("fixture folder") {
                let path = entry.expect("directory entry").path();
                let text = std::fs::read_to_string(&path).expect("fixture text");
                let problems = check_cloud_config(&text);
                assert_eq!(
                    problems.is_empty(),
                    valid,
                    "{}: {problems:#?}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn a_script_is_not_a_cloud_config() {
        let problems = check_cloud_config("#!/bin/sh\necho hi\n");
        assert_eq!(problems.len(), 1);
    }
}
