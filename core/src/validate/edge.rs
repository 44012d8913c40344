//! Checks of the IoT Edge group: provisioning, secrets, certificates, agent and Docker.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::checks::{KEY_BASE64, decode_key, is_hostname, is_http_url, is_single_line, shown_url};
use crate::diagnostic::{Diagnostics, mask};
use crate::model::{self, IotEdge, SecretSource};
use crate::spec::{EdgeCaSpec, EdgeSpec, PemFile, ProvisioningSpec, RegistrySpec, SecretText};
use crate::versions::{DPS_GLOBAL_ENDPOINT, EDGE_RELEASES};
use base64::Engine as _;

const REPROVISIONING_MODES: [&str; 3] = ["Dynamic", "AlwaysOnStartup", "OnErrorOnly"];

pub(super) fn check(
    edge: &IotEdge,
    name: &str,
    net: &model::Network,
    d: &mut Diagnostics,
) -> Option<EdgeSpec> {
    let line = edge.version.as_deref().unwrap_or("1.6");
    let release = EDGE_RELEASES.iter().find(|r| r.line == line).copied();
    match release {
        None => d.error(
            "spec.iotEdge.version",
            Some(line),
            "is not a supported IoT Edge line",
            "expected \"1.6\" (LTS, the default) or \"1.5\"",
        ),
        Some(r) if r.line == "1.5" => d.warn(
            "spec.iotEdge.version",
            Some(line),
            &format!("is out of Microsoft's service since {}", r.serviced_until),
            "move to \"1.6\", serviced until 2028-11-14",
        ),
        Some(_) => {}
    }
    let hostname = edge.hostname.clone().unwrap_or_else(|| name.to_owned());
    if !is_hostname(&hostname) || hostname.split('.').next().is_some_and(|l| l.len() > 63) {
        d.error(
            "spec.iotEdge.hostname",
            Some(&hostname),
            "is not a valid hostname",
            "letters, digits, '-' and '.', each label at most 63 characters",
        );
    }
    for (field, value) in [
        ("parentHostname", &edge.parent_hostname),
        ("localGatewayHostname", &edge.local_gateway_hostname),
    ] {
        if let Some(h) = value
            && !is_hostname(h)
        {
            d.error(
                &format!("spec.iotEdge.{field}"),
                Some(h),
                "is not a valid hostname",
                "",
            );
        }
    }
    let provisioning = check_provisioning(&edge.provisioning, name, d);
    let edge_ca = check_edge_ca(edge.edge_ca.as_ref(), d);
    let trust_bundle = edge
        .trust_bundle
        .as_ref()
        .and_then(|t| pem("spec.iotEdge.trustBundle", t, d));
    let agent = edge.agent.clone().unwrap_or_default();
    let release = release.unwrap_or(EDGE_RELEASES[0]);
    let agent_image = agent
        .image
        .clone()
        .unwrap_or_else(|| release.agent_image.to_owned());
    if agent_image.is_empty() || agent_image.contains(char::is_whitespace) {
        d.error(
            "spec.iotEdge.agent.image",
            Some(&agent_image),
            "is not an image reference",
            "",
        );
    }
    let registry = agent.registry.as_ref().and_then(|r| {
        let password = text("spec.iotEdge.agent.registry.password", &r.password, d)?;
        Some(RegistrySpec {
            server: r.server_address.clone(),
            username: r.username.clone(),
            password,
        })
    });
    for (key, value) in &agent.env {
        if !is_single_line(value) {
            d.error(
                &format!("spec.iotEdge.agent.env.{key}"),
                None,
                "has a control character",
                "",
            );
        }
    }
    let mut agent_env = agent.env.clone();
    if let Some(proxy) = net.proxy.as_ref().and_then(|p| p.https_proxy.as_ref()) {
        agent_env
            .entry("https_proxy".to_owned())
            .or_insert_with(|| proxy.clone());
    }
    let docker = edge.docker.clone().unwrap_or_default();
    let docker_log_driver = docker
        .log_driver
        .clone()
        .unwrap_or_else(|| "local".to_owned());
    if !["local", "json-file", "journald", "syslog", "none"].contains(&docker_log_driver.as_str()) {
        d.error(
            "spec.iotEdge.docker.logDriver",
            Some(&docker_log_driver),
            "is not a log driver",
            "expected local, json-file, journald, syslog or none",
        );
    }
    let docker_log_max_size = docker
        .log_max_size
        .clone()
        .unwrap_or_else(|| "10m".to_owned());
    let size_ok = docker_log_max_size
        .strip_suffix(['k', 'm', 'g'])
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !size_ok {
        d.error(
            "spec.iotEdge.docker.logMaxSize",
            Some(&docker_log_max_size),
            "is not a log size",
            "a number with k, m or g, e.g. 10m",
        );
    }
    let moby_network = docker
        .network
        .clone()
        .unwrap_or_else(|| "azure-iot-edge".to_owned());
    if moby_network.is_empty()
        || !moby_network
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        d.error(
            "spec.iotEdge.docker.network",
            Some(&moby_network),
            "is not a Docker network name",
            "",
        );
    }
    if let Some(gc) = &edge.image_garbage_collection
        && let Some(t) = &gc.cleanup_time
    {
        let ok = t.len() == 5
            && t.as_bytes()[2] == b':'
            && t[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && t[3..].parse::<u8>().is_ok_and(|m| m < 60);
        if !ok {
            d.error(
                "spec.iotEdge.imageGarbageCollection.cleanupTime",
                Some(t),
                "is not a time of day",
                "HH:MM, e.g. \"03:30\"",
            );
        }
    }
    let auto_reprovisioning_mode = edge
        .auto_reprovisioning_mode
        .clone()
        .unwrap_or_else(|| "Dynamic".into());
    if !REPROVISIONING_MODES.contains(&auto_reprovisioning_mode.as_str()) {
        d.error(
            "spec.iotEdge.autoReprovisioningMode",
            Some(&auto_reprovisioning_mode),
            "is not a reprovisioning mode",
            "expected Dynamic, AlwaysOnStartup or OnErrorOnly",
        );
    }
    Some(EdgeSpec {
        release,
        hostname,
        parent_hostname: edge.parent_hostname.clone(),
        provisioning: provisioning?,
        edge_ca: edge_ca?,
        trust_bundle,
        agent_image,
        registry,
        agent_env,
        create_options: create_options(agent.create_options.as_ref(), d),
        host_storage: agent.host_storage.unwrap_or(true),
        docker_log_driver,
        docker_log_max_size,
        docker_log_max_files: docker.log_max_files.unwrap_or(3),
        moby_network,
        image_gc: edge.image_garbage_collection.clone(),
        auto_reprovisioning_mode,
        prefer_module_identity_cache: edge.prefer_module_identity_cache,
        local_gateway_hostname: edge.local_gateway_hostname.clone(),
        max_requests: edge.max_requests.clone(),
    })
}

/// The agent's Docker create options, which go into config.toml as a table: TOML has no null
/// and its integers are signed 64-bit, so neither may appear anywhere in them.
fn create_options(
    options: Option<&serde_json::Map<String, serde_json::Value>>,
    d: &mut Diagnostics,
) -> serde_json::Map<String, serde_json::Value> {
    fn walk(path: &str, value: &serde_json::Value, d: &mut Diagnostics) {
        use serde_json::Value;
        match value {
            Value::Null => d.error(
                path,
                None,
                "is null, which config.toml cannot hold (TOML has no null)",
                "leave the key out, or give it a value",
            ),
            Value::Number(n) if n.is_u64() && n.as_i64().is_none() => d.error(
                path,
                Some(&n.to_string()),
                "is larger than a TOML integer (at most 9223372036854775807)",
                "give a smaller number, or the number as a string",
            ),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), item, d);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    walk(&format!("{path}.{key}"), item, d);
                }
            }
            _ => {}
        }
    }
    let options = options.cloned().unwrap_or_default();
    for (key, value) in &options {
        walk(&format!("spec.iotEdge.agent.createOptions.{key}"), value, d);
    }
    options
}

fn check_provisioning(
    p: &model::Provisioning,
    name: &str,
    d: &mut Diagnostics,
) -> Option<ProvisioningSpec> {
    const PATH: &str = "spec.iotEdge.provisioning";
    match (&p.manual, &p.dps) {
        (Some(m), None) => check_manual(m, d),
        (None, Some(dps)) => check_dps(dps, name, d),
        (Some(_), Some(_)) => {
            d.error(PATH, None, "sets both manual and dps", "keep exactly one");
            None
        }
        (None, None) => {
            d.error(
                PATH,
                None,
                "is required",
                "give manual.connectionString, manual with a key or certificate, or dps",
            );
            None
        }
    }
}

fn check_manual(m: &model::Manual, d: &mut Diagnostics) -> Option<ProvisioningSpec> {
    const PATH: &str = "spec.iotEdge.provisioning.manual";
    let methods = [
        m.connection_string.is_some(),
        m.symmetric_key.is_some(),
        m.x509.is_some(),
    ];
    if methods.iter().filter(|x| **x).count() != 1 {
        d.error(
            PATH,
            None,
            "needs exactly one of connectionString, symmetricKey or x509",
            "",
        );
        return None;
    }
    if let Some(cs) = &m.connection_string {
        if m.iothub_hostname.is_some() || m.device_id.is_some() {
            d.error(
                PATH,
                None,
                "sets iothubHostname or deviceId beside a connection string",
                "the connection string carries both; remove them",
            );
        }
        let path = format!("{PATH}.connectionString");
        let secret = text(&path, cs, d)?;
        if let SecretText::Inline(value) = &secret {
            check_connection_string(&path, value, d);
        }
        return Some(ProvisioningSpec::ConnectionString(secret));
    }
    let hub = required_host(
        &format!("{PATH}.iothubHostname"),
        m.iothub_hostname.as_ref(),
        d,
    );
    let device_id = m.device_id.clone().unwrap_or_default();
    if device_id.is_empty() || device_id.len() > 128 || !is_single_line(&device_id) {
        d.error(
            &format!("{PATH}.deviceId"),
            Some(&device_id),
            "is not a device ID",
            "the device's ID in IoT Hub, at most 128 characters",
        );
    }
    if let Some(key) = &m.symmetric_key {
        let key = symmetric_key(&format!("{PATH}.symmetricKey"), key, d)?;
        return Some(ProvisioningSpec::ManualSas {
            hub: hub?,
            device_id,
            key,
        });
    }
    let x = m.x509.as_ref()?;
    let cert = pem(&format!("{PATH}.x509.identityCert"), &x.identity_cert, d);
    let pk = pem(&format!("{PATH}.x509.identityPk"), &x.identity_pk, d);
    Some(ProvisioningSpec::ManualX509 {
        hub: hub?,
        device_id,
        cert: cert?,
        pk: pk?,
    })
}

fn check_dps(dps: &model::Dps, name: &str, d: &mut Diagnostics) -> Option<ProvisioningSpec> {
    const PATH: &str = "spec.iotEdge.provisioning.dps";
    let scope = dps.id_scope.clone();
    if scope.is_empty() || scope.len() > 64 || !scope.bytes().all(|b| b.is_ascii_alphanumeric()) {
        d.error(
            &format!("{PATH}.idScope"),
            Some(&scope),
            "is not a DPS ID scope",
            "the Overview page of the DPS instance shows it, e.g. 0ne00000000",
        );
    }
    let endpoint = dps
        .global_endpoint
        .clone()
        .unwrap_or_else(|| DPS_GLOBAL_ENDPOINT.to_owned());
    if !is_http_url(&endpoint) || !endpoint.starts_with("https://") {
        d.error(
            &format!("{PATH}.globalEndpoint"),
            Some(&shown_url(&endpoint)),
            "is not an https URL",
            DPS_GLOBAL_ENDPOINT,
        );
    }
    let methods = [
        dps.symmetric_key.is_some(),
        dps.x509.is_some(),
        dps.tpm.is_some(),
    ];
    if methods.iter().filter(|x| **x).count() != 1 {
        d.error(
            PATH,
            None,
            "needs exactly one attestation: symmetricKey, x509 or tpm",
            "",
        );
        return None;
    }
    if let Some(sk) = &dps.symmetric_key {
        let path = format!("{PATH}.symmetricKey");
        let registration_id = registration_id(&path, sk.registration_id.as_ref(), name, d);
        let key = match (&sk.device_key, &sk.enrollment_group_key) {
            (Some(k), None) => symmetric_key(&format!("{path}.deviceKey"), k, d)?,
            (None, Some(g)) => group_key(
                &format!("{path}.enrollmentGroupKey"),
                g,
                &registration_id,
                d,
            )?,
            _ => {
                d.error(
                    &path,
                    None,
                    "needs exactly one of deviceKey or enrollmentGroupKey",
                    "deviceKey for an individual enrollment, enrollmentGroupKey for a group",
                );
                return None;
            }
        };
        return Some(ProvisioningSpec::DpsSymmetricKey {
            scope,
            endpoint,
            registration_id,
            key,
        });
    }
    if let Some(x) = &dps.x509 {
        let path = format!("{PATH}.x509");
        let registration_id = x
            .registration_id
            .as_ref()
            .map(|r| self::registration_id(&path, Some(r), name, d));
        let cert = pem(&format!("{path}.identityCert"), &x.identity_cert, d);
        let pk = pem(&format!("{path}.identityPk"), &x.identity_pk, d);
        return Some(ProvisioningSpec::DpsX509 {
            scope,
            endpoint,
            registration_id,
            cert: cert?,
            pk: pk?,
        });
    }
    let tpm = dps.tpm.as_ref()?;
    let registration_id = registration_id(
        &format!("{PATH}.tpm"),
        tpm.registration_id.as_ref(),
        name,
        d,
    );
    Some(ProvisioningSpec::DpsTpm {
        scope,
        endpoint,
        registration_id,
    })
}

fn registration_id(path: &str, given: Option<&String>, name: &str, d: &mut Diagnostics) -> String {
    let id = given.cloned().unwrap_or_else(|| name.to_owned());
    let ok = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._:".contains(&b));
    if !ok {
        d.error(
            &format!("{path}.registrationId"),
            Some(&id),
            "is not a DPS registration ID",
            "lowercase letters, digits, '-', '.', '_' and ':', at most 128 characters",
        );
    }
    id
}

fn required_host(path: &str, host: Option<&String>, d: &mut Diagnostics) -> Option<String> {
    match host {
        Some(h) if is_hostname(h) => Some(h.clone()),
        Some(h) => {
            d.error(
                path,
                Some(h),
                "is not a host name",
                "e.g. plant-a.azure-devices.net",
            );
            None
        }
        None => {
            d.error(
                path,
                None,
                "is required without a connection string",
                "e.g. plant-a.azure-devices.net",
            );
            None
        }
    }
}

fn check_connection_string(path: &str, value: &str, d: &mut Diagnostics) {
    let parts: Vec<(&str, &str)> = value.split(';').filter_map(|p| p.split_once('=')).collect();
    let get = |k: &str| {
        parts
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| *v)
    };
    let complete =
        get("HostName").is_some_and(is_hostname) && get("DeviceId").is_some_and(|v| !v.is_empty());
    let key_ok = get("SharedAccessKey").is_some_and(|k| decode_key(k).is_some())
        || get("x509").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !complete || !key_ok || !is_single_line(value) {
        d.error(
            path,
            Some(&mask(value)),
            "is not a device connection string",
            "copy it from the device in IoT Hub: HostName=...;DeviceId=...;SharedAccessKey=...",
        );
    }
}

/// A string secret: inline or from a Secret, never a file on the device.
fn text(path: &str, s: &SecretSource, d: &mut Diagnostics) -> Option<SecretText> {
    match source(path, s, d)? {
        Source::Value(v) => Some(SecretText::Inline(v)),
        Source::Ref(r) => Some(SecretText::Mounted(r)),
        Source::File(f) => {
            d.error(
                &format!("{path}.file"),
                Some(&f),
                "is not supported for this secret",
                "give value or secretKeyRef",
            );
            None
        }
    }
}

fn symmetric_key(path: &str, s: &SecretSource, d: &mut Diagnostics) -> Option<SecretText> {
    let key = text(path, s, d)?;
    if let SecretText::Inline(v) = &key
        && decode_key(v).is_none()
    {
        d.error(
            &format!("{path}.value"),
            Some(&mask(v)),
            "is not a base64 key",
            "copy the primary key from IoT Hub or DPS as it is shown",
        );
    }
    Some(key)
}

/// A group key becomes the device key: derived here when inline, in the VM when mounted.
fn group_key(
    path: &str,
    s: &SecretSource,
    registration_id: &str,
    d: &mut Diagnostics,
) -> Option<SecretText> {
    match text(path, s, d)? {
        SecretText::Inline(v) => {
            let Some(group) = decode_key(&v) else {
                d.error(
                    &format!("{path}.value"),
                    Some(&mask(&v)),
                    "is not a base64 key",
                    "copy the enrollment group's primary key from DPS as it is shown",
                );
                return None;
            };
            Some(SecretText::Inline(derive_device_key(
                &group,
                registration_id,
            )))
        }
        SecretText::Mounted(r) => {
            d.warn(
                &format!("{path}.secretKeyRef"),
                Some(&r.name),
                "hands the enrollment group key to the VM, and with it every device of the group",
                "give the key as value so only the derived device key is rendered",
            );
            Some(SecretText::DeriveFrom {
                group_key: r,
                registration_id: registration_id.to_owned(),
            })
        }
        SecretText::DeriveFrom { .. } => None,
    }
}

/// The device key DPS expects for `registration_id` in a group: HMAC-SHA256 keyed with the
/// decoded group key, base64.
pub(crate) fn derive_device_key(group_key: &[u8], registration_id: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(group_key) else {
        unreachable!("HMAC accepts keys of any length")
    };
    mac.update(registration_id.as_bytes());
    KEY_BASE64.encode(mac.finalize().into_bytes())
}

fn pem(path: &str, s: &SecretSource, d: &mut Diagnostics) -> Option<PemFile> {
    match source(path, s, d)? {
        Source::Value(v) => {
            if !v.trim_start().starts_with("-----BEGIN ") {
                d.error(
                    &format!("{path}.value"),
                    Some(&mask(&v)),
                    "is not PEM",
                    "paste the file including its -----BEGIN ...----- line",
                );
            }
            Some(PemFile::Inline(v))
        }
        Source::Ref(r) => Some(PemFile::Mounted(r)),
        Source::File(f) => {
            if !f.starts_with("file:///") || !is_single_line(&f) {
                d.error(
                    &format!("{path}.file"),
                    Some(&f),
                    "is not a file URI",
                    "e.g. file:///var/secrets/device-id.pem",
                );
            } else {
                d.warn(
                    &format!("{path}.file"),
                    Some(&f),
                    "must already be on the device",
                    "edgevirt does not put it there; use value or secretKeyRef, or an extension",
                );
            }
            Some(PemFile::OnDevice(f))
        }
    }
}

enum Source {
    Value(String),
    Ref(model::SecretKeyRef),
    File(String),
}

fn source(path: &str, s: &SecretSource, d: &mut Diagnostics) -> Option<Source> {
    match (&s.value, &s.secret_key_ref, &s.file) {
        (Some(v), None, None) if !v.is_empty() => Some(Source::Value(v.clone())),
        (None, Some(r), None) => {
            let ok = super::checks::is_dns_subdomain(&r.name)
                && !r.key.is_empty()
                && r.key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            if !ok {
                d.error(
                    &format!("{path}.secretKeyRef"),
                    Some(&format!("{}/{}", r.name, r.key)),
                    "is not a Secret name and key",
                    "e.g. {name: dps-group, key: primary}",
                );
            }
            Some(Source::Ref(r.clone()))
        }
        (None, None, Some(f)) => Some(Source::File(f.clone())),
        (Some(_), None, None) => {
            d.error(
                &format!("{path}.value"),
                None,
                "is empty",
                "give the secret or a secretKeyRef",
            );
            None
        }
        _ => {
            d.error(
                path,
                None,
                "needs exactly one of value, secretKeyRef or file",
                "",
            );
            None
        }
    }
}

fn check_edge_ca(ca: Option<&model::EdgeCa>, d: &mut Diagnostics) -> Option<EdgeCaSpec> {
    const PATH: &str = "spec.iotEdge.edgeCa";
    let default = model::EdgeCa {
        quickstart: Some(Default::default()),
        ..Default::default()
    };
    let ca = ca.unwrap_or(&default);
    match (&ca.quickstart, &ca.provided, &ca.est) {
        (Some(q), None, None) => {
            let custom =
                q.common_name.is_some() || q.expiry_days.is_some() || q.auto_renew.is_some();
            if custom && q.auto_generated_expiry_days.is_some() {
                d.error(
                    &format!("{PATH}.quickstart.autoGeneratedExpiryDays"),
                    None,
                    "cannot be combined with commonName, expiryDays or autoRenew",
                    "use expiryDays for a customized quickstart CA",
                );
            }
            check_auto_renew(
                &format!("{PATH}.quickstart.autoRenew"),
                q.auto_renew.as_ref(),
                d,
            );
            Some(EdgeCaSpec::Quickstart {
                auto_generated_expiry_days: q.auto_generated_expiry_days,
                common_name: q.common_name.clone(),
                expiry_days: q.expiry_days,
                auto_renew: q.auto_renew.clone(),
            })
        }
        (None, Some(p), None) => {
            let cert = pem(&format!("{PATH}.provided.cert"), &p.cert, d);
            let pk = pem(&format!("{PATH}.provided.pk"), &p.pk, d);
            Some(EdgeCaSpec::Provided {
                cert: cert?,
                pk: pk?,
            })
        }
        (None, None, Some(e)) => {
            let path = format!("{PATH}.est");
            if !is_http_url(&e.url) {
                d.error(
                    &format!("{path}.url"),
                    Some(&shown_url(&e.url)),
                    "is not a URL",
                    "e.g. https://est.example/.well-known/est",
                );
            }
            check_auto_renew(&format!("{path}.autoRenew"), e.auto_renew.as_ref(), d);
            let password = e
                .password
                .as_ref()
                .and_then(|p| text(&format!("{path}.password"), p, d));
            let bootstrap_cert = e
                .bootstrap_identity_cert
                .as_ref()
                .and_then(|c| pem(&format!("{path}.bootstrapIdentityCert"), c, d));
            let bootstrap_pk = e
                .bootstrap_identity_pk
                .as_ref()
                .and_then(|c| pem(&format!("{path}.bootstrapIdentityPk"), c, d));
            Some(EdgeCaSpec::Est {
                url: e.url.clone(),
                username: e.username.clone(),
                password,
                bootstrap_cert,
                bootstrap_pk,
                subject: e.subject.clone(),
                auto_renew: e.auto_renew.clone(),
            })
        }
        _ => {
            d.error(
                PATH,
                None,
                "needs exactly one of quickstart, provided or est",
                "",
            );
            None
        }
    }
}

/// Renewal thresholds as IoT Edge reads them: a percentage (1-99%) or a duration in min or day.
fn check_auto_renew(path: &str, renew: Option<&model::AutoRenew>, d: &mut Diagnostics) {
    let Some(renew) = renew else { return };
    for (field, value) in [("threshold", &renew.threshold), ("retry", &renew.retry)] {
        let ok = if let Some(pct) = value.strip_suffix('%') {
            pct.parse::<u8>().is_ok_and(|p| (1..100).contains(&p)) && !pct.starts_with('0')
        } else {
            let number = value
                .strip_suffix("min")
                .or_else(|| value.strip_suffix("day"));
            number.is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0) && !n.starts_with('0'))
        };
        if !ok {
            d.error(
                &format!("{path}.{field}"),
                Some(value),
                "is not a renewal period",
                "a percentage of the lifetime such as 80%, or a duration such as 30day or 90min",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_key_matches_the_dps_formula() {
        // Computed independently: python3 -c "import hmac,hashlib,base64;
        // print(base64.b64encode(hmac.new(b'group-key', b'device-01', hashlib.sha256).digest()))"
        assert_eq!(
            derive_device_key(b"group-key", "device-01"),
            "DKnRpF6W+18CNkf92WmQsXEYF2PIYUU3eX8xcymi4UE="
        );
    }
}
