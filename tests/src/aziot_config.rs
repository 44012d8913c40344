//! Deep check of the IoT Edge super config (`/etc/aziot/config.toml`): TOML syntax, then the
//! hand-derived strict schema in `schemas/aziot-edge-config.schema.json`.
//!
//! The real `aziotctl` parser ignores unknown keys, so a misspelt key passes on the device and
//! silently does nothing; the strict schema is what catches it here. Hostname rules that
//! `iotedge check` applies are not repeated.

use serde_json::{Map, Value};

use crate::problem::{Origin, Problem, Stage};
use crate::schema::Schema;

/// Checks a lone `config.toml` text; problems are labelled `config.toml`.
///
/// # Example
///
/// ```
/// let problems = edgevirt_tests::check_aziot_config("hostname = 'edge'\n[provisioning]\n");
/// assert!(!problems.is_empty(), "provisioning without a source is incomplete");
/// ```
pub fn check_aziot_config(toml_text: &str) -> Vec<Problem> {
    check_text(toml_text, &Origin::file("config.toml"), "")
}

/// Checks a `config.toml` text found at `path` (a chain ending in ` -> `, or empty).
pub(crate) fn check_text(toml_text: &str, origin: &Origin, path: &str) -> Vec<Problem> {
    let table = match toml::from_str::<toml::Table>(toml_text) {
        Ok(table) => table,
        Err(e) => {
            let message = format!("invalid TOML: {}", e.message());
            return vec![origin.problem(Stage::Deep, path.trim_end_matches(" -> "), message)];
        }
    };
    let config = table_to_json(table);
    Schema::AziotConfig.check(&config, origin, Stage::Deep, path)
}

/// TOML to JSON; TOML datetimes become their text, as the schema expects strings for them.
fn to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::from(number),
        toml::Value::Float(number) => Value::from(number),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(to_json).collect()),
        toml::Value::Table(table) => table_to_json(table),
    }
}

fn table_to_json(table: toml::Table) -> Value {
    let map: Map<String, Value> = table.into_iter().map(|(k, v)| (k, to_json(v))).collect();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/aziot-samples");

    fn samples() -> Vec<(std::path::PathBuf, String)> {
        let mut samples = Vec::new();
        for project in ["iotedge", "iot-identity-service"] {
            let dir = std::path::Path::new(SAMPLES).join(project);
            for entry in std::fs::read_dir(&dir).expect("samples folder") {
                let path = entry.expect("directory entry").path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path).expect("sample text");
                    samples.push((path, text));
                }
            }
        }
        samples
    }

    /// The upstream samples were written for the real parser; the strict schema must accept
    /// every one of them, or it would reject configs IoT Edge itself takes. The two templates
    /// have every setting commented out, so they lack the required `[provisioning]`.
    #[test]
    fn every_upstream_sample_passes_the_schema() {
        let samples = samples();
        assert_eq!(samples.len(), 46, "44 samples and 2 templates");
        let mut failures = Vec::new();
        for (path, text) in &samples {
            let problems = check_aziot_config(text);
            let template = path.file_name().is_some_and(|name| name == "template.toml");
            let expected = template
                && problems.len() == 1
                && problems[0].path.is_empty()
                && problems[0].message == "\"provisioning\" is a required property";
            if !problems.is_empty() && !expected {
                failures.push(format!("{}: {problems:#?}", path.display()));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn misspelt_key_and_short_cloud_timeout_are_caught() {
        let text = "hostname = \"edge\"\ncloud_timeout_sec = 10\nhostnme = \"x\"\n\
                    [provisioning]\nsource = \"manual\"\n\
                    connection_string = \"HostName=h;DeviceId=d;SharedAccessKey=k\"\n";
        let problems = check_aziot_config(text);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|p| p.contains("hostnme")), "{text:?}");
        assert!(
            text.iter().any(|p| p.contains("cloud_timeout_sec")),
            "{text:?}"
        );
    }

    #[test]
    fn toml_syntax_error_is_one_problem() {
        let problems = check_aziot_config("hostname = \n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].stage, Stage::Deep);
        assert!(problems[0].message.starts_with("invalid TOML"));
    }
}
