//! `/etc/aziot/config.toml`: the IoT Edge configuration, built as data and serialized by the
//! `toml` crate, never pasted together as text.

use serde_json::{Map, Value, json};

use super::secrets::{PemKind, SecretPlan};
use crate::spec::{DeviceSpec, EdgeCaSpec, EdgeSpec, ProvisioningSpec};

/// Where edgeAgent keeps its state on the VM disk, when host storage is on.
pub(crate) const AGENT_STORAGE: &str = "/var/lib/edgevirt/storage/edgeAgent";

/// Renders `config.toml`, recording in `plan` every secret it refers to.
pub(crate) fn render(spec: &DeviceSpec, plan: &mut SecretPlan) -> String {
    let value = config(&spec.edge, plan);
    let table: toml::Table = match serde_json::from_value(value) {
        Ok(table) => table,
        Err(e) => unreachable!("config.toml is built as a JSON object: {e}"),
    };
    toml::to_string(&table).unwrap_or_else(|e| unreachable!("a TOML table serializes: {e}"))
}

/// The configuration as a JSON object; `toml` orders plain values before tables.
pub(crate) fn config(edge: &EdgeSpec, plan: &mut SecretPlan) -> Value {
    let mut c = Map::new();
    c.insert("hostname".into(), json!(edge.hostname));
    insert_some(&mut c, "parent_hostname", edge.parent_hostname.as_ref());
    insert_some(
        &mut c,
        "local_gateway_hostname",
        edge.local_gateway_hostname.as_ref(),
    );
    if let Some(bundle) = &edge.trust_bundle {
        c.insert(
            "trust_bundle_cert".into(),
            json!(plan.pem(bundle, "trust-bundle.pem", PemKind::Cert)),
        );
    }
    c.insert(
        "auto_reprovisioning_mode".into(),
        json!(edge.auto_reprovisioning_mode),
    );
    insert_some(
        &mut c,
        "prefer_module_identity_cache",
        edge.prefer_module_identity_cache.as_ref(),
    );
    c.insert(
        "provisioning".into(),
        provisioning(&edge.provisioning, plan),
    );
    if let Some(m) = &edge.max_requests {
        let edged = object([("management", m.management), ("workload", m.workload)]);
        let aziot = object([
            ("keyd", m.keyd),
            ("certd", m.certd),
            ("identityd", m.identityd),
            ("tpmd", m.tpmd),
        ]);
        if !edged.is_empty() {
            c.insert("iotedge_max_requests".into(), Value::Object(edged));
        }
        if !aziot.is_empty() {
            c.insert("aziot_max_requests".into(), Value::Object(aziot));
        }
    }
    c.insert("agent".into(), agent(edge, plan));
    c.insert(
        "connect".into(),
        json!({
            "workload_uri": "unix:///var/run/iotedge/workload.sock",
            "management_uri": "unix:///var/run/iotedge/mgmt.sock",
        }),
    );
    c.insert(
        "listen".into(),
        json!({
            "workload_uri": "fd://aziot-edged.workload.socket",
            "management_uri": "fd://aziot-edged.mgmt.socket",
        }),
    );
    c.insert("watchdog".into(), json!({"max_retries": "infinite"}));
    c.insert("edge_ca".into(), edge_ca(&edge.edge_ca, plan));
    c.insert(
        "moby_runtime".into(),
        json!({
            "uri": "unix:///var/run/docker.sock",
            "network": edge.moby_network,
        }),
    );
    if let Some(gc) = &edge.image_gc {
        let mut g = Map::new();
        g.insert("enabled".into(), json!(gc.enabled.unwrap_or(true)));
        insert_some(&mut g, "cleanup_recurrence", gc.cleanup_recurrence.as_ref());
        insert_some(
            &mut g,
            "image_age_cleanup_threshold",
            gc.image_age_cleanup_threshold.as_ref(),
        );
        insert_some(&mut g, "cleanup_time", gc.cleanup_time.as_ref());
        c.insert("image_garbage_collection".into(), Value::Object(g));
    }
    Value::Object(c)
}

fn insert_some<T: serde::Serialize>(map: &mut Map<String, Value>, key: &str, value: Option<&T>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), json!(v));
    }
}

fn object<const N: usize>(items: [(&str, Option<u32>); N]) -> Map<String, Value> {
    items
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), json!(v?))))
        .collect()
}

fn provisioning(p: &ProvisioningSpec, plan: &mut SecretPlan) -> Value {
    match p {
        ProvisioningSpec::ConnectionString(cs) => json!({
            "source": "manual",
            "connection_string": plan.connection_string(cs),
        }),
        ProvisioningSpec::ManualSas {
            hub,
            device_id,
            key,
        } => json!({
            "source": "manual",
            "iothub_hostname": hub,
            "device_id": device_id,
            "authentication": {"method": "sas", "device_id_pk": {"value": plan.text(key)}},
        }),
        ProvisioningSpec::ManualX509 {
            hub,
            device_id,
            cert,
            pk,
        } => json!({
            "source": "manual",
            "iothub_hostname": hub,
            "device_id": device_id,
            "authentication": {
                "method": "x509",
                "identity_cert": plan.pem(cert, "device-id.cert.pem", PemKind::Cert),
                "identity_pk": plan.pem(pk, "device-id.key.pem", PemKind::Key),
            },
        }),
        ProvisioningSpec::DpsSymmetricKey {
            scope,
            endpoint,
            registration_id,
            key,
        } => json!({
            "source": "dps",
            "global_endpoint": endpoint,
            "id_scope": scope,
            "attestation": {
                "method": "symmetric_key",
                "registration_id": registration_id,
                "symmetric_key": {"value": plan.text(key)},
            },
        }),
        ProvisioningSpec::DpsX509 {
            scope,
            endpoint,
            registration_id,
            cert,
            pk,
        } => {
            let mut attestation = Map::new();
            attestation.insert("method".into(), json!("x509"));
            insert_some(
                &mut attestation,
                "registration_id",
                registration_id.as_ref(),
            );
            attestation.insert(
                "identity_cert".into(),
                json!(plan.pem(cert, "device-id.cert.pem", PemKind::Cert)),
            );
            attestation.insert(
                "identity_pk".into(),
                json!(plan.pem(pk, "device-id.key.pem", PemKind::Key)),
            );
            json!({
                "source": "dps",
                "global_endpoint": endpoint,
                "id_scope": scope,
                "attestation": attestation,
            })
        }
        ProvisioningSpec::DpsTpm {
            scope,
            endpoint,
            registration_id,
        } => json!({
            "source": "dps",
            "global_endpoint": endpoint,
            "id_scope": scope,
            "attestation": {"method": "tpm", "registration_id": registration_id},
        }),
    }
}

fn agent(edge: &EdgeSpec, plan: &mut SecretPlan) -> Value {
    let mut create_options = edge.create_options.clone();
    let mut env = Map::new();
    if edge.host_storage {
        add_storage_bind(&mut create_options);
        env.insert("storageFolder".into(), json!("/iotedge/storage"));
    }
    env.extend(edge.agent_env.iter().map(|(k, v)| (k.clone(), json!(v))));
    let mut config = Map::new();
    config.insert("image".into(), json!(edge.agent_image));
    config.insert(
        "createOptions".into(),
        super::sorted_keys(&Value::Object(create_options)),
    );
    let auth = match &edge.registry {
        Some(r) => json!({
            "serveraddress": r.server,
            "username": r.username,
            "password": plan.text(&r.password),
        }),
        None => json!({}),
    };
    config.insert("auth".into(), auth);
    json!({
        "name": "edgeAgent",
        "type": "docker",
        "imagePullPolicy": "on-create",
        "config": config,
        "env": env,
    })
}

/// Adds the edgeAgent storage bind to `HostConfig.Binds`, keeping what the user gave.
fn add_storage_bind(options: &mut Map<String, Value>) {
    let bind = json!(format!("{AGENT_STORAGE}:/iotedge/storage"));
    let host = options.entry("HostConfig").or_insert_with(|| json!({}));
    if let Some(host) = host.as_object_mut() {
        let binds = host.entry("Binds").or_insert_with(|| json!([]));
        if let Some(list) = binds.as_array_mut()
            && !list.contains(&bind)
        {
            list.push(bind);
        }
    }
}

fn edge_ca(ca: &EdgeCaSpec, plan: &mut SecretPlan) -> Value {
    match ca {
        EdgeCaSpec::Quickstart {
            auto_generated_expiry_days,
            common_name,
            expiry_days,
            auto_renew,
        } => {
            let mut m = Map::new();
            if common_name.is_none() && expiry_days.is_none() && auto_renew.is_none() {
                m.insert(
                    "auto_generated_edge_ca_expiry_days".into(),
                    json!(auto_generated_expiry_days.unwrap_or(90)),
                );
                return Value::Object(m);
            }
            // A customized quickstart CA is what IoT Edge calls a self-signed edge CA.
            m.insert("method".into(), json!("self_signed"));
            insert_some(&mut m, "common_name", common_name.as_ref());
            insert_some(&mut m, "expiry_days", expiry_days.as_ref());
            if let Some(r) = auto_renew {
                m.insert("auto_renew".into(), auto_renew_value(r));
            }
            Value::Object(m)
        }
        EdgeCaSpec::Provided { cert, pk } => json!({
            "cert": plan.pem(cert, "edge-ca.cert.pem", PemKind::Cert),
            "pk": plan.pem(pk, "edge-ca.key.pem", PemKind::Key),
        }),
        EdgeCaSpec::Est {
            url,
            username,
            password,
            bootstrap_cert,
            bootstrap_pk,
            subject,
            auto_renew,
        } => {
            let mut m = Map::new();
            m.insert("method".into(), json!("est"));
            m.insert("url".into(), json!(url));
            insert_some(&mut m, "username", username.as_ref());
            if let Some(p) = password {
                m.insert("password".into(), json!(plan.text(p)));
            }
            if let Some(c) = bootstrap_cert {
                m.insert(
                    "bootstrap_identity_cert".into(),
                    json!(plan.pem(c, "est-bootstrap.cert.pem", PemKind::Cert)),
                );
            }
            if let Some(k) = bootstrap_pk {
                m.insert(
                    "bootstrap_identity_pk".into(),
                    json!(plan.pem(k, "est-bootstrap.key.pem", PemKind::Key)),
                );
            }
            if !subject.is_empty() {
                m.insert("subject".into(), json!(subject));
            }
            if let Some(r) = auto_renew {
                m.insert("auto_renew".into(), auto_renew_value(r));
            }
            Value::Object(m)
        }
    }
}

fn auto_renew_value(r: &crate::model::AutoRenew) -> Value {
    let mut m = Map::new();
    m.insert("rotate_key".into(), json!(r.rotate_key.unwrap_or(true)));
    m.insert("threshold".into(), json!(r.threshold));
    m.insert("retry".into(), json!(r.retry));
    Value::Object(m)
}
