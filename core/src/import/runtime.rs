//! The module runtime: `[agent]`, `[moby_runtime]`, the API sockets (`[connect]`, `[listen]`),
//! `[watchdog]`, request limits and image garbage collection.

use serde_json::{Map, Value as Json};
use toml::Value;

use super::reader::{Reader, Section, wrong_type};
use super::sources::inline;
use crate::model::{Agent, Docker, ImageGarbageCollection, MaxRequests, RegistryAuth};

const AGENT: &str = "spec.iotEdge.agent";

/// The API sockets edgevirt always writes, by table and key.
const SOCKETS: [(&str, &str, &str); 4] = [
    (
        "connect",
        "workload_uri",
        "unix:///var/run/iotedge/workload.sock",
    ),
    (
        "connect",
        "management_uri",
        "unix:///var/run/iotedge/mgmt.sock",
    ),
    ("listen", "workload_uri", "fd://aziot-edged.workload.socket"),
    ("listen", "management_uri", "fd://aziot-edged.mgmt.socket"),
];

/// Reads `[agent]`. Host storage is always off: edgevirt's default adds a storage bind to
/// edgeAgent that the original configuration did not have.
pub(super) fn agent(root: &mut Section, r: &mut Reader) -> Agent {
    let mut agent = Agent {
        host_storage: Some(false),
        ..Agent::default()
    };
    let Some(mut t) = root.table("agent", r) else {
        return agent;
    };
    t.fixed(
        "name",
        "edgeAgent",
        "is another name for edgeAgent, which edgevirt does not carry",
        r,
    );
    t.fixed(
        "type",
        "docker",
        "is a module runtime other than Docker, which edgevirt does not carry",
        r,
    );
    t.fixed(
        "imagePullPolicy",
        "on-create",
        "is a pull policy for edgeAgent that edgevirt does not carry",
        r,
    );
    if let Some(mut config) = t.table("config", r) {
        agent.image = config.string("image", &format!("{AGENT}.image"), r);
        agent.create_options = create_options(&mut config, r);
        agent.registry = registry(&mut config, r);
        config.finish(r);
    }
    if let Some(env) = t.table("env", r) {
        for (path, key, value) in env.into_entries() {
            match value {
                Value::String(s) => {
                    r.origin(&format!("{AGENT}.env.{key}"), path);
                    agent.env.insert(key, s);
                }
                other => wrong_type(&path, &other, "a string", r),
            }
        }
    }
    t.finish(r);
    agent
}

/// Reads `[agent.config.createOptions]` as the JSON object Docker takes.
fn create_options(config: &mut Section, r: &mut Reader) -> Option<Map<String, Json>> {
    let value = config.take("createOptions")?;
    let path = config.path_of("createOptions");
    match to_json(&value) {
        // An empty table renders as edgevirt's default, `{}`, so it need not be carried.
        Some(Json::Object(options)) if options.is_empty() => None,
        Some(Json::Object(options)) => {
            r.origin(&format!("{AGENT}.createOptions"), path);
            Some(options)
        }
        _ => {
            wrong_type(&path, &value, "a table of Docker create options", r);
            None
        }
    }
}

/// A TOML value as JSON; `None` for a date or time, which JSON has no form for.
fn to_json(value: &Value) -> Option<Json> {
    Some(match value {
        Value::String(s) => Json::from(s.as_str()),
        Value::Integer(n) => Json::from(*n),
        Value::Float(x) => serde_json::Number::from_f64(*x).map(Json::Number)?,
        Value::Boolean(b) => Json::from(*b),
        Value::Datetime(_) => return None,
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        Value::Table(table) => Json::Object(
            table
                .iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// Reads `[agent.config.auth]`: all three fields, or none.
fn registry(config: &mut Section, r: &mut Reader) -> Option<RegistryAuth> {
    const REGISTRY: &str = "spec.iotEdge.agent.registry";
    let mut auth = config.table("auth", r)?;
    let fields = ["serveraddress", "username", "password"];
    if fields.iter().any(|k| auth.has(k)) {
        for key in fields {
            auth.require(
                key,
                "edgevirt carries serveraddress, username and password together",
                r,
            );
        }
    }
    let server = auth.string("serveraddress", &format!("{REGISTRY}.serverAddress"), r);
    let username = auth.string("username", &format!("{REGISTRY}.username"), r);
    let password = auth.string("password", &format!("{REGISTRY}.password"), r);
    auth.finish(r);
    Some(RegistryAuth {
        server_address: server?,
        username: username?,
        password: inline(password?),
    })
}

/// Accepts `[connect]`, `[listen]` and `[watchdog]` only as edgevirt writes them.
pub(super) fn fixed_sockets(root: &mut Section, r: &mut Reader) {
    for table in ["connect", "listen"] {
        let Some(mut t) = root.table(table, r) else {
            continue;
        };
        for (_, key, value) in SOCKETS.iter().filter(|(name, _, _)| *name == table) {
            t.fixed(
                key,
                value,
                "is an API socket other than the one edgevirt sets up",
                r,
            );
        }
        t.finish(r);
    }
    if let Some(mut t) = root.table("watchdog", r) {
        t.fixed(
            "max_retries",
            "infinite",
            "is a limit on edgeAgent restarts, which edgevirt does not carry",
            r,
        );
        t.finish(r);
    }
}

/// Reads `[moby_runtime]`; `None` when there is nothing to carry.
pub(super) fn moby_runtime(root: &mut Section, r: &mut Reader) -> Option<Docker> {
    let mut t = root.table("moby_runtime", r)?;
    t.fixed(
        "uri",
        "unix:///var/run/docker.sock",
        "is a Docker socket other than the one edgevirt installs",
        r,
    );
    t.refuse(
        "content_trust",
        "is Docker content trust, which edgevirt does not carry",
        "remove it",
        r,
    );
    let network = if t.is_table("network") {
        t.refuse(
            "network",
            "is a network with its own settings (IPv6, IPAM), which edgevirt does not carry",
            "give network as a name, e.g. network = \"azure-iot-edge\"; Docker then chooses \
             the addresses",
            r,
        );
        None
    } else {
        t.string("network", "spec.iotEdge.docker.network", r)
    };
    t.finish(r);
    network.map(|network| Docker {
        network: Some(network),
        ..Docker::default()
    })
}

/// Reads `[iotedge_max_requests]` and `[aziot_max_requests]`.
pub(super) fn max_requests(root: &mut Section, r: &mut Reader) -> Option<MaxRequests> {
    const LIMITS: &str = "spec.iotEdge.maxRequests";
    let mut limits = MaxRequests::default();
    if let Some(mut t) = root.table("iotedge_max_requests", r) {
        limits.management = t.uint("management", &format!("{LIMITS}.management"), r);
        limits.workload = t.uint("workload", &format!("{LIMITS}.workload"), r);
        t.finish(r);
    }
    if let Some(mut t) = root.table("aziot_max_requests", r) {
        limits.keyd = t.uint("keyd", &format!("{LIMITS}.keyd"), r);
        limits.certd = t.uint("certd", &format!("{LIMITS}.certd"), r);
        limits.identityd = t.uint("identityd", &format!("{LIMITS}.identityd"), r);
        limits.tpmd = t.uint("tpmd", &format!("{LIMITS}.tpmd"), r);
        t.finish(r);
    }
    (limits != MaxRequests::default()).then_some(limits)
}

/// Reads `[image_garbage_collection]`.
pub(super) fn image_gc(root: &mut Section, r: &mut Reader) -> Option<ImageGarbageCollection> {
    const GC: &str = "spec.iotEdge.imageGarbageCollection";
    let mut t = root.table("image_garbage_collection", r)?;
    let gc = ImageGarbageCollection {
        enabled: t.boolean("enabled", &format!("{GC}.enabled"), r),
        cleanup_recurrence: t.string("cleanup_recurrence", &format!("{GC}.cleanupRecurrence"), r),
        image_age_cleanup_threshold: t.string(
            "image_age_cleanup_threshold",
            &format!("{GC}.imageAgeCleanupThreshold"),
            r,
        ),
        cleanup_time: t.string("cleanup_time", &format!("{GC}.cleanupTime"), r),
    };
    t.finish(r);
    Some(gc)
}
