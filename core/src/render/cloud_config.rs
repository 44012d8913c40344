//! The cloud-init user-data: a typed `#cloud-config` document.
//!
//! It adds Microsoft's apt repository with its signing key, installs Moby before IoT Edge (one
//! apt transaction for both fails), pins the IoT Edge packages, writes `daemon.json`,
//! `config.toml` (mode 0600) and the boot script, and runs `iotedge config apply` through it.
//! Commands are argument lists, so no value passes through a shell.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::secrets::SecretPlan;
use crate::model::Command;
use crate::spec::{DeviceSpec, ProxySpec};
use crate::versions;

/// Files edgevirt writes itself; extensions may not replace them.
pub(crate) const MANAGED_PATHS: [&str; 4] = [CONFIG_TOML, DAEMON_JSON, APPLY_JSON, APPLY_SCRIPT];
const CONFIG_TOML: &str = "/etc/aziot/config.toml";
const DAEMON_JSON: &str = "/etc/docker/daemon.json";
const APPLY_JSON: &str = "/etc/edgevirt/apply.json";
const APPLY_SCRIPT: &str = "/usr/local/sbin/edgevirt-apply";
const PER_BOOT: &str = "/var/lib/cloud/scripts/per-boot/edgevirt-apply";
const APPLY_SOURCE: &str = include_str!("../../assets/edgevirt-apply.py");
const PROXY_DROP_IN: &str = include_str!("../../assets/proxy-drop-in.conf.j2");

/// The whole cloud-config; serialized with a `#cloud-config` header line.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CloudConfig {
    hostname: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fqdn: Option<String>,
    prefer_fqdn_over_hostname: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<String>,
    users: Vec<User>,
    ssh_pwauth: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    ntp: Option<Value>,
    apt: Apt,
    package_update: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    packages: Vec<String>,
    write_files: Vec<WriteFile>,
    runcmd: Vec<Command>,
}

#[derive(Debug, Clone, Serialize)]
struct User {
    name: String,
    groups: Vec<&'static str>,
    shell: &'static str,
    sudo: &'static str,
    lock_passwd: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    hashed_passwd: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ssh_authorized_keys: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Apt {
    #[serde(skip_serializing_if = "Option::is_none")]
    http_proxy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    https_proxy: Option<String>,
    sources: BTreeMap<&'static str, AptSource>,
}

#[derive(Debug, Clone, Serialize)]
struct AptSource {
    source: String,
    key: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct WriteFile {
    path: String,
    content: String,
    owner: String,
    permissions: String,
}

impl WriteFile {
    fn new(path: &str, content: String, permissions: &str) -> Self {
        WriteFile {
            path: path.to_owned(),
            content,
            owner: "root:root".to_owned(),
            permissions: permissions.to_owned(),
        }
    }
}

/// Builds the cloud-config of `spec` around its rendered `config.toml`.
pub(crate) fn build(spec: &DeviceSpec, config_toml: String, plan: &SecretPlan) -> CloudConfig {
    let edge = &spec.edge;
    let os = &spec.os;
    let short_host = edge
        .hostname
        .split('.')
        .next()
        .unwrap_or(&edge.hostname)
        .to_owned();
    let proxy = spec.network.proxy.as_ref();
    let ms_repo = format!(
        "deb [arch=amd64,arm64,armhf] https://packages.microsoft.com/ubuntu/{}/prod {} main",
        os.release, os.codename
    );
    CloudConfig {
        fqdn: (short_host != edge.hostname).then(|| edge.hostname.clone()),
        hostname: short_host,
        prefer_fqdn_over_hostname: false,
        timezone: os.timezone.clone(),
        users: vec![User {
            name: os.user.clone(),
            groups: vec!["sudo", "adm"],
            shell: "/bin/bash",
            sudo: "ALL=(ALL) NOPASSWD:ALL",
            lock_passwd: os.password_hash.is_none(),
            hashed_passwd: os.password_hash.clone(),
            ssh_authorized_keys: os.ssh_authorized_keys.clone(),
        }],
        ssh_pwauth: false,
        ntp: (!os.ntp_servers.is_empty())
            .then(|| json!({"enabled": true, "servers": os.ntp_servers})),
        apt: Apt {
            http_proxy: proxy.and_then(|p| p.http.clone()),
            https_proxy: proxy.and_then(|p| p.https.clone()),
            sources: BTreeMap::from([(
                "microsoft-prod",
                AptSource {
                    source: ms_repo,
                    key: versions::MICROSOFT_KEY,
                },
            )]),
        },
        package_update: true,
        packages: os.packages.clone(),
        write_files: write_files(spec, config_toml, plan),
        runcmd: commands(spec),
    }
}

impl CloudConfig {
    /// The user-data text.
    pub(crate) fn to_user_data(&self) -> String {
        // About the size of a device's user-data, so the buffer seldom grows.
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("#cloud-config\n");
        crate::yaml::append(&mut out, self);
        out
    }
}

fn write_files(spec: &DeviceSpec, config_toml: String, plan: &SecretPlan) -> Vec<WriteFile> {
    let mut files = vec![
        WriteFile::new(DAEMON_JSON, daemon_json(spec), "0644"),
        WriteFile::new(CONFIG_TOML, config_toml, "0600"),
    ];
    files.extend(
        plan.files
            .iter()
            .filter_map(|f| Some(WriteFile::new(&f.path, f.inline.clone()?, "0600"))),
    );
    if let Some(proxy) = &spec.network.proxy {
        for unit in ["aziot-identityd", "aziot-edged"] {
            let path = format!("/etc/systemd/system/{unit}.service.d/edgevirt-proxy.conf");
            files.push(WriteFile::new(&path, proxy_drop_in(unit, proxy), "0644"));
        }
    }
    let mut managed: Vec<&str> = MANAGED_PATHS.to_vec();
    managed.extend(
        files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| !MANAGED_PATHS.contains(p)),
    );
    let apply = json!({
        "managedFiles": managed,
        "secretVolumes": plan.secret_volumes,
        "substitutions": plan.substitutions,
        "files": plan.files,
    });
    let apply = serde_json::to_string_pretty(&apply).unwrap_or_default() + "\n";
    files.push(WriteFile::new(APPLY_JSON, apply, "0644"));
    files.push(WriteFile::new(
        APPLY_SCRIPT,
        APPLY_SOURCE.to_owned(),
        "0755",
    ));
    files.push(WriteFile::new(
        PER_BOOT,
        format!("#!/bin/sh\nexec {APPLY_SCRIPT}\n"),
        "0755",
    ));
    files.extend(spec.extra_files.iter().map(|f| WriteFile {
        path: f.path.clone(),
        content: f.content.clone(),
        owner: f.owner.clone(),
        permissions: f.permissions.clone(),
    }));
    files
}

fn daemon_json(spec: &DeviceSpec) -> String {
    let edge = &spec.edge;
    let mut daemon = json!({
        "log-driver": edge.docker_log_driver,
        "log-opts": {
            "max-size": edge.docker_log_max_size,
            "max-file": edge.docker_log_max_files.to_string(),
        },
    });
    if edge.docker_log_driver == "journald"
        || edge.docker_log_driver == "syslog"
        || edge.docker_log_driver == "none"
    {
        daemon["log-opts"] = json!({});
    }
    if !spec.network.nameservers.is_empty() {
        daemon["dns"] = json!(spec.network.nameservers);
    }
    if let Some(mtu) = spec.network.mtu {
        daemon["mtu"] = json!(mtu);
    }
    if let Some(p) = &spec.network.proxy {
        let mut proxies = serde_json::Map::new();
        if let Some(h) = &p.http {
            proxies.insert("http-proxy".into(), json!(h));
        }
        if let Some(h) = &p.https {
            proxies.insert("https-proxy".into(), json!(h));
        }
        if !p.no_proxy.is_empty() {
            proxies.insert("no-proxy".into(), json!(p.no_proxy.join(",")));
        }
        daemon["proxies"] = Value::Object(proxies);
    }
    serde_json::to_string_pretty(&daemon).unwrap_or_default() + "\n"
}

/// A systemd drop-in that hands the proxy to an IoT Edge daemon.
fn proxy_drop_in(unit: &str, proxy: &ProxySpec) -> String {
    let mut env = Vec::new();
    for (name, value) in [("http_proxy", &proxy.http), ("https_proxy", &proxy.https)] {
        if let Some(v) = value {
            env.push(format!("{name}={v}"));
        }
    }
    if !proxy.no_proxy.is_empty() {
        env.push(format!("no_proxy={}", proxy.no_proxy.join(",")));
    }
    let mut jinja = minijinja::Environment::new();
    jinja.add_filter("systemd_quote", systemd_quote);
    let rendered = jinja.render_str(PROXY_DROP_IN, minijinja::context! { unit, env });
    rendered.unwrap_or_else(|e| unreachable!("the embedded drop-in template renders: {e}"))
}

/// Quotes a value for a systemd `Environment=` line: inside double quotes, `\` and `"` are
/// escaped and `%` is doubled, since systemd expands `%` specifiers there.
fn systemd_quote(value: String) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%");
    format!("\"{escaped}\"")
}

fn args(items: &[&str]) -> Command {
    Command::Args(items.iter().map(|s| (*s).to_owned()).collect())
}

fn commands(spec: &DeviceSpec) -> Vec<Command> {
    let r = &spec.edge.release;
    let apt = [
        "env",
        "DEBIAN_FRONTEND=noninteractive",
        "apt-get",
        "install",
        "-y",
        "--no-install-recommends",
    ];
    let moby: Vec<&str> = apt.iter().copied().chain(versions::MOBY_PACKAGES).collect();
    let identity = format!("aziot-identity-service={}", r.aziot_identity_service);
    let edge = format!("aziot-edge={}", r.aziot_edge);
    let iotedge: Vec<&str> = apt
        .iter()
        .copied()
        .chain([identity.as_str(), edge.as_str()])
        .collect();
    let mut cmds = vec![
        args(&moby),
        args(&["systemctl", "enable", "--now", "docker"]),
        args(&iotedge),
        args(&["apt-mark", "hold", "aziot-edge", "aziot-identity-service"]),
    ];
    if spec.edge.host_storage {
        let storage = super::aziot_config::AGENT_STORAGE;
        cmds.push(args(&[
            "install", "-d", "-o", "1000", "-g", "1000", "-m", "0700", storage,
        ]));
    }
    cmds.push(args(&[APPLY_SCRIPT, "--first-boot"]));
    cmds.extend(spec.extra_commands.iter().cloned());
    cmds
}
