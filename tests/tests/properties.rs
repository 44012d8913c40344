//! Property tests: whatever a user can type into a free-text field reaches the Secret, the
//! cloud-config and `config.toml` unchanged, and cannot add a key or a document.
//!
//! Each case renders a device with generated text in one field, reads the output back and
//! compares the field and the shape of every document around it.

use edgevirt_core::render_device;
use proptest::prelude::*;
use serde_json::Value;

const DEVICE: &str = r#"{
  "apiVersion": "edgevirt.dev/v1alpha1", "kind": "EdgeDevice",
  "metadata": {"name": "dev", "labels": {}},
  "spec": {"iotEdge": {"provisioning": {"manual": {"connectionString": {"value":
    "HostName=hub.azure-devices.net;DeviceId=dev;SharedAccessKey=a2V5"}}}}}
}"#;

fn base() -> Value {
    serde_json::from_str(DEVICE).expect("base device")
}

/// Renders `device`, reads the stream back and returns (documents, cloud-config, config.toml).
fn render(device: &Value) -> (Vec<Value>, Value, toml::Table) {
    let rendered = render_device(&device.to_string()).expect("a valid device renders");
    let yaml = rendered.manifests.to_yaml();
    let docs: Vec<Value> = serde_saphyr::from_multiple(&yaml).expect("stream reads back");
    assert_eq!(
        docs,
        rendered.manifests.documents(),
        "the stream reads back as rendered"
    );
    let user_data = docs[0]["stringData"]["userdata"]
        .as_str()
        .expect("userdata")
        .to_owned();
    let cloud_config: Value = serde_saphyr::from_str(&user_data).expect("cloud-config reads");
    let config = cloud_config["write_files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == "/etc/aziot/config.toml"))
        .and_then(|f| f["content"].as_str())
        .expect("config.toml is written")
        .parse::<toml::Table>()
        .expect("config.toml parses");
    (docs, cloud_config, config)
}

/// The keys of a cloud-config and of the documents, which no value may change.
fn shape(docs: &[Value], cloud_config: &Value) -> (Vec<String>, Vec<String>) {
    let kinds = docs
        .iter()
        .map(|d| d["kind"].as_str().unwrap_or("?").to_owned())
        .collect();
    let keys = cloud_config
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    (kinds, keys)
}

/// Printable text with the characters YAML and TOML care about, no control characters.
fn free_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[ -~éü€😀]{1,40}")
        .expect("regex")
        .prop_map(|s| s.replace(['{', '}'], "_"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn connection_string_reaches_config_toml_unchanged(device_id in "[!-:<-~]{1,30}") {
        let cs = format!("HostName=hub.azure-devices.net;DeviceId={device_id};SharedAccessKey=a2V5");
        let mut device = base();
        device["spec"]["iotEdge"]["provisioning"]["manual"]["connectionString"]["value"] =
            Value::from(cs.clone());
        let (docs, cc, config) = render(&device);
        prop_assert_eq!(config["provisioning"]["connection_string"].as_str(), Some(cs.as_str()));
        prop_assert_eq!(shape(&docs, &cc), shape(&render(&base()).0, &render(&base()).1));
        for d in &docs[1..] {
            prop_assert!(!d.to_string().contains(&cs), "only the Secret holds it");
        }
    }

    #[test]
    fn proxy_url_reaches_every_consumer_unchanged(path in "[!-~]{0,30}") {
        let url = format!("http://proxy.example:3128/{path}").replace(' ', "");
        let mut device = base();
        device["spec"]["network"] = serde_json::json!({"proxy": {"httpsProxy": url}});
        let (_, cc, config) = render(&device);
        prop_assert_eq!(cc["apt"]["https_proxy"].as_str(), Some(url.as_str()));
        prop_assert_eq!(config["agent"]["env"]["https_proxy"].as_str(), Some(url.as_str()));
        let daemon = cc["write_files"][0]["content"].as_str().expect("daemon.json");
        let daemon: Value = serde_json::from_str(daemon).expect("daemon.json is JSON");
        prop_assert_eq!(daemon["proxies"]["https-proxy"].as_str(), Some(url.as_str()));
    }

    #[test]
    fn ssh_key_comment_reaches_the_user_unchanged(comment in free_text()) {
        let key = format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA {comment}");
        let mut device = base();
        device["spec"]["os"] = serde_json::json!({"sshAuthorizedKeys": [key]});
        let (docs, cc, _) = render(&device);
        prop_assert_eq!(cc["users"][0]["ssh_authorized_keys"][0].as_str(), Some(key.as_str()));
        prop_assert_eq!(shape(&docs, &cc), shape(&render(&base()).0, &render(&base()).1));
    }

    #[test]
    fn extension_script_is_written_unchanged(script in "[ -z|~\n\té€]{0,200}") {
        // `{` is left out: braces would make the text a template, which is tested elsewhere.
        let mut device = base();
        device["spec"]["extensions"] = serde_json::json!({
            "writeFiles": [{"path": "/opt/x.sh", "content": script, "permissions": "0755"}],
            "runcmd": [script],
        });
        let (docs, cc, _) = render(&device);
        let files = cc["write_files"].as_array().expect("write_files");
        let written = files.iter().find(|f| f["path"] == "/opt/x.sh").expect("extension file");
        prop_assert_eq!(written["content"].as_str(), Some(script.as_str()));
        prop_assert_eq!(written["permissions"].as_str(), Some("0755"));
        let runcmd = cc["runcmd"].as_array().expect("runcmd");
        prop_assert_eq!(runcmd.last().and_then(Value::as_str), Some(script.as_str()));
        prop_assert_eq!(docs.len(), 2, "no document is added");
    }

    #[test]
    fn label_values_stay_strings(value in prop_oneof![
        Just("yes".to_owned()), Just("on".to_owned()), Just("0600".to_owned()),
        Just("1e3".to_owned()), Just("null".to_owned()), Just("true".to_owned()),
        "[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?",
    ]) {
        let mut device = base();
        device["metadata"]["labels"]["site"] = Value::from(value.clone());
        let (docs, _, _) = render(&device);
        for d in &docs {
            prop_assert_eq!(d["metadata"]["labels"]["site"].as_str(), Some(value.as_str()));
        }
    }
}
