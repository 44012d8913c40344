//! One case of each kind of `config.toml`, shortened from the IoT Edge samples.

use super::*;
use crate::model::SecretSource;

const KEY: &str = "YXppb3QtaWRlbnRpdHktc2VydmljZXxhemlvdC1pZGU=";

fn import(text: &str) -> EdgeDevice {
    match import_config_toml(text, Some("edge-01")) {
        Ok(device) => device,
        Err(e) => panic!("{e}"),
    }
}

fn refused(text: &str) -> Vec<Diagnostic> {
    match import_config_toml(text, Some("edge-01")) {
        Ok(device) => panic!("imported: {device:?}"),
        Err(e) => e.diagnostics().to_vec(),
    }
}

fn paths(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.path.as_str()).collect()
}

fn file(uri: &str) -> SecretSource {
    SecretSource {
        file: Some(uri.to_owned()),
        ..SecretSource::default()
    }
}

fn sas(rest: &str) -> String {
    format!(
        "hostname = \"my-device\"\n{rest}\n[provisioning]\nsource = \"manual\"\n\
         iothub_hostname = \"example.azure-devices.net\"\ndevice_id = \"my-device\"\n\
         [provisioning.authentication]\nmethod = \"sas\"\ndevice_id_pk = {{ value = \"{KEY}\" }}\n"
    )
}

#[test]
fn connection_string_without_hostname_keeps_the_hostname_unset() {
    let device = import(&format!(
        "local_gateway_hostname = \"gw\"\n[provisioning]\nsource = \"manual\"\n\
         connection_string = \"HostName=hub.example;DeviceId=d;SharedAccessKey={KEY}\""
    ));
    let edge = &device.spec.iot_edge;
    assert_eq!(device.metadata.name, "edge-01");
    assert_eq!(device.api_version, "edgevirt.dev/v1alpha1");
    assert_eq!(edge.hostname, None);
    assert_eq!(edge.local_gateway_hostname.as_deref(), Some("gw"));
    let manual = edge.provisioning.manual.clone().unwrap_or_default();
    let cs = manual
        .connection_string
        .and_then(|c| c.value)
        .unwrap_or_default();
    assert!(cs.starts_with("HostName=hub.example;"));
    assert_eq!(
        edge.agent.as_ref().and_then(|a| a.host_storage),
        Some(false)
    );
}

#[test]
fn manual_sas_takes_hub_device_and_key() {
    let device = import(&sas(
        "auto_reprovisioning_mode = \"OnErrorOnly\"\nparent_hostname = \"up\"",
    ));
    let edge = &device.spec.iot_edge;
    assert_eq!(device.metadata.name, "edge-01");
    assert_eq!(edge.hostname.as_deref(), Some("my-device"));
    assert_eq!(edge.parent_hostname.as_deref(), Some("up"));
    assert_eq!(
        edge.auto_reprovisioning_mode.as_deref(),
        Some("OnErrorOnly")
    );
    let manual = edge.provisioning.manual.clone().unwrap_or_default();
    assert_eq!(
        manual.iothub_hostname.as_deref(),
        Some("example.azure-devices.net")
    );
    assert_eq!(manual.device_id.as_deref(), Some("my-device"));
    assert_eq!(
        manual.symmetric_key.and_then(|k| k.value).as_deref(),
        Some(KEY)
    );
}

#[test]
fn the_hostname_names_the_device_when_no_name_is_given() {
    let device = import_config_toml(&sas(""), None).map(|d| d.metadata.name);
    assert_eq!(device, Ok("my-device".to_owned()));
    let bad = import_config_toml(
        &sas("").replace("hostname = \"my-device\"", "hostname = \"My_Device\""),
        None,
    );
    let diagnostics = bad
        .map_err(|e| e.diagnostics().to_vec())
        .err()
        .unwrap_or_default();
    assert_eq!(paths(&diagnostics), ["hostname"]);
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("--name")
    );
}

#[test]
fn manual_x509_files_stay_files() {
    let device = import(
        "[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.example\"\n\
         device_id = \"d\"\n[provisioning.authentication]\nmethod = \"x509\"\n\
         identity_cert = \"file:///var/secrets/device-id.pem\"\n\
         identity_pk = \"file:///var/secrets/device-id.key.pem\"\n",
    );
    let x509 = device
        .spec
        .iot_edge
        .provisioning
        .manual
        .and_then(|m| m.x509)
        .unwrap_or_default();
    assert_eq!(
        x509.identity_cert,
        file("file:///var/secrets/device-id.pem")
    );
    assert_eq!(
        x509.identity_pk,
        file("file:///var/secrets/device-id.key.pem")
    );
}

const DPS: &str = "[provisioning]\nsource = \"dps\"\n\
    global_endpoint = \"https://global.azure-devices-provisioning.net/\"\n\
    id_scope = \"0ab1234C5D6\"\n[provisioning.attestation]\n";

#[test]
fn dps_symmetric_key_keeps_the_endpoint_exactly() {
    let device = import(&format!(
        "{DPS}method = \"symmetric_key\"\nregistration_id = \"my-device\"\n\
         symmetric_key = {{ value = \"{KEY}\" }}\n"
    ));
    let dps = device.spec.iot_edge.provisioning.dps.unwrap_or_default();
    assert_eq!(dps.id_scope, "0ab1234C5D6");
    assert_eq!(
        dps.global_endpoint.as_deref(),
        Some("https://global.azure-devices-provisioning.net/")
    );
    let key = dps.symmetric_key.unwrap_or_default();
    assert_eq!(key.registration_id.as_deref(), Some("my-device"));
    assert_eq!(key.device_key.and_then(|k| k.value).as_deref(), Some(KEY));
    assert_eq!(key.enrollment_group_key, None);
}

#[test]
fn dps_x509_and_tpm() {
    let device = import(&format!(
        "{DPS}method = \"x509\"\nidentity_cert = \"file:///c.pem\"\n\
         identity_pk = \"file:///k.pem\"\n"
    ));
    let x509 = device
        .spec
        .iot_edge
        .provisioning
        .dps
        .and_then(|d| d.x509)
        .unwrap_or_default();
    assert_eq!(
        (x509.registration_id, x509.identity_cert),
        (None, file("file:///c.pem"))
    );
    let device = import(&format!(
        "{DPS}method = \"tpm\"\nregistration_id = \"my-device\"\n"
    ));
    let tpm = device
        .spec
        .iot_edge
        .provisioning
        .dps
        .and_then(|d| d.tpm)
        .unwrap_or_default();
    assert_eq!(tpm.registration_id.as_deref(), Some("my-device"));
}

#[test]
fn edge_ca_of_each_kind() {
    let ca = |text: &str| import(&sas(text)).spec.iot_edge.edge_ca.unwrap_or_default();
    let quickstart = ca("[edge_ca]\nauto_generated_edge_ca_expiry_days = 30");
    let days = quickstart
        .quickstart
        .and_then(|q| q.auto_generated_expiry_days);
    assert_eq!(days, Some(30));
    let custom = ca(
        "[edge_ca]\nmethod = \"self_signed\"\ncommon_name = \"CA\"\nexpiry_days = 365\n\
        [edge_ca.auto_renew]\nrotate_key = true\nthreshold = \"80%\"\nretry = \"2%\"",
    );
    let custom = custom.quickstart.unwrap_or_default();
    assert_eq!(
        (custom.common_name.as_deref(), custom.expiry_days),
        (Some("CA"), Some(365))
    );
    assert_eq!(
        custom.auto_renew.map(|a| (a.rotate_key, a.threshold)),
        Some((Some(true), "80%".into()))
    );
    let provided = ca("[edge_ca]\ncert = \"file:///ca.pem\"\npk = \"file:///ca.key.pem\"");
    assert_eq!(
        provided.provided.map(|p| p.pk),
        Some(file("file:///ca.key.pem"))
    );
    let est = ca(
        "[edge_ca]\nmethod = \"est\"\nurl = \"https://est.example/.well-known/est\"\n\
        username = \"user\"\npassword = \"pw\"\nbootstrap_identity_cert = \"file:///b.pem\"\n\
        bootstrap_identity_pk = \"file:///b.key.pem\"\nsubject = { CN = \"test CA\", L = \"AQ\" }",
    );
    let est = est.est.unwrap_or_default();
    assert_eq!(est.url, "https://est.example/.well-known/est");
    assert_eq!(est.password.and_then(|p| p.value).as_deref(), Some("pw"));
    assert_eq!(est.bootstrap_identity_pk, Some(file("file:///b.key.pem")));
    assert_eq!(est.subject.get("CN").map(String::as_str), Some("test CA"));
}

#[test]
fn agent_runtime_and_limits() {
    let device = import(&sas(
        "[agent]\nname = \"edgeAgent\"\ntype = \"docker\"\nimagePullPolicy = \"on-create\"\n\
         [agent.config]\nimage = \"mcr.microsoft.com/azureiotedge-agent:1.0\"\n\
         [agent.config.createOptions]\nEnv = [\"a=b\"]\nHostConfig = { Binds = [\"/x:/y\"] }\n\
         [agent.config.auth]\nserveraddress = \"r.example\"\nusername = \"u\"\npassword = \"p\"\n\
         [agent.env]\nUpstreamProtocol = \"MqttWs\"\n[iotedge_max_requests]\nmanagement = 20\n\
         [aziot_max_requests]\ntpmd = 50\n[moby_runtime]\nuri = \"unix:///var/run/docker.sock\"\n\
         network = \"edge-net\"\n\
         [connect]\nworkload_uri = \"unix:///var/run/iotedge/workload.sock\"\n\
         [watchdog]\nmax_retries = \"infinite\"\n[aziot_keys]\n[tpm]\n[cert_issuance]\n",
    ));
    let edge = device.spec.iot_edge;
    let agent = edge.agent.unwrap_or_default();
    assert_eq!(
        agent.image.as_deref(),
        Some("mcr.microsoft.com/azureiotedge-agent:1.0")
    );
    let options = serde_json::Value::Object(agent.create_options.unwrap_or_default());
    assert_eq!(
        options,
        serde_json::json!({"Env": ["a=b"], "HostConfig": {"Binds": ["/x:/y"]}})
    );
    assert_eq!(
        agent.registry.map(|a| a.server_address).as_deref(),
        Some("r.example")
    );
    assert_eq!(
        agent.env.get("UpstreamProtocol").map(String::as_str),
        Some("MqttWs")
    );
    assert_eq!(agent.host_storage, Some(false));
    let limits = edge.max_requests.unwrap_or_default();
    assert_eq!(
        (limits.management, limits.tpmd, limits.keyd),
        (Some(20), Some(50), None)
    );
    assert_eq!(
        edge.docker.and_then(|d| d.network).as_deref(),
        Some("edge-net")
    );
}

#[test]
fn pkcs11_is_refused_at_every_key_with_the_pin_masked() {
    let diagnostics = refused(
        "[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.example\"\n\
         device_id = \"d\"\n[provisioning.authentication]\nmethod = \"x509\"\n\
         identity_cert = \"file:///var/secrets/device-id.pem\"\n\
         identity_pk = \"pkcs11:slot-id=0;object=device-id?pin-value=1234\"\n\
         [aziot_keys]\npkcs11_lib_path = \"/usr/lib/libmypkcs11.so\"\n\
         pkcs11_base_slot = \"pkcs11:slot-id=0?pin-value=1234\"\n",
    );
    assert_eq!(
        paths(&diagnostics),
        [
            "provisioning.authentication.identity_pk",
            "aziot_keys.pkcs11_lib_path",
            "aziot_keys.pkcs11_base_slot"
        ]
    );
    assert!(
        diagnostics
            .iter()
            .all(|d| d.message.contains("PKCS#11") && d.hint.is_some())
    );
    assert!(
        diagnostics
            .iter()
            .all(|d| !d.value.as_deref().unwrap_or("").contains("1234"))
    );
}

#[test]
fn issued_certificates_and_local_ca_are_refused() {
    let diagnostics = refused(&format!(
        "{DPS}method = \"x509\"\nidentity_cert = {{ method = \"est\", common_name = \"d\" }}\n\
         [cert_issuance.est]\ntrusted_certs = [\"file:///ca.pem\"]\n\
         [edge_ca]\nmethod = \"local_ca\"\ncommon_name = \"ca\"\n"
    ));
    assert_eq!(
        paths(&diagnostics),
        [
            "provisioning.attestation.identity_cert",
            "edge_ca.method",
            "cert_issuance.est"
        ]
    );
    assert_eq!(diagnostics[0].value.as_deref(), Some("est"));
}

#[test]
fn custom_sockets_watchdog_and_network_settings_are_refused() {
    let diagnostics = refused(&sas("[connect]\nworkload_uri = \"unix:///my/own.sock\"\n\
         management_uri = \"unix:///var/run/iotedge/mgmt.sock\"\n[watchdog]\nmax_retries = 3\n\
         [moby_runtime]\n[moby_runtime.network]\nname = \"azure-iot-edge\"\nipv6 = true\n"));
    assert_eq!(
        paths(&diagnostics),
        [
            "moby_runtime.network",
            "connect.workload_uri",
            "watchdog.max_retries"
        ]
    );
    assert_eq!(diagnostics[2].value.as_deref(), Some("3"));
}

#[test]
fn unknown_keys_are_refused_where_they_are() {
    let diagnostics = refused(&sas(
        "hostnme = \"x\"\n[agent.config]\nimage = \"i\"\nimg = \"j\"",
    ));
    assert_eq!(paths(&diagnostics), ["agent.config.img", "hostnme"]);
    assert!(diagnostics.iter().all(|d| d.message == reader::UNKNOWN));
}

#[test]
fn values_validation_rejects_are_shown_at_their_key() {
    let diagnostics = refused(&sas("").replace(KEY, "not base64!"));
    assert_eq!(
        paths(&diagnostics),
        ["provisioning.authentication.device_id_pk.value"]
    );
    assert!(
        diagnostics[0]
            .value
            .as_deref()
            .unwrap_or("")
            .starts_with("<secret")
    );
}

#[test]
fn text_that_is_not_toml_is_a_syntax_error() {
    let result = import_config_toml("hostname = ", None);
    assert!(matches!(result, Err(Error::Syntax { .. })));
}
