//! Checking an [`EdgeDevice`] and turning it into a [`DeviceSpec`].
//!
//! Every check runs; problems are collected with their field path, the value and a hint, and
//! the spec is only handed out when there is no error. Defaults are filled in here, in one place,
//! so the renderers never choose a value themselves.

pub(crate) mod checks;
mod edge;
mod network;

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostics;
use crate::model::{self, EdgeDevice};
use crate::spec::*;
use crate::{Diagnostic, Error, Severity};

use checks::{expected_one_of, is_dns_label, quantity_bytes};

/// The longest device name: leaves room for the suffixes of derived object names.
const MAX_NAME: usize = 52;

/// A device that passed validation, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The checked device, ready to render.
    pub spec: DeviceSpec,
    /// Problems that do not stop rendering.
    pub warnings: Vec<Diagnostic>,
}

/// Checks every field of `device` and resolves its defaults.
///
/// # Errors
/// [`Error::Invalid`] with every error and warning found, when there is at least one error.
pub fn validate(device: &EdgeDevice) -> Result<Validated, Error> {
    validate_with(device, None, &crate::Limits::DEFAULT)
}

/// [`validate`] within `limits`; for a device of a fleet, its extension templates also see
/// `row`, the variables of the row it was made from.
pub(crate) fn validate_with(
    device: &EdgeDevice,
    row: Option<&minijinja::Value>,
    limits: &crate::Limits,
) -> Result<Validated, Error> {
    let mut d = Diagnostics::default();
    let spec = check_device(device, row, limits, &mut d);
    let (errors, warnings): (Vec<_>, Vec<_>) = d
        .items
        .into_iter()
        .partition(|x| x.severity == Severity::Error);
    match spec {
        Some(spec) if errors.is_empty() => Ok(Validated { spec, warnings }),
        _ => Err(Error::Invalid {
            diagnostics: errors.into_iter().chain(warnings).collect(),
        }),
    }
}

/// Reports an `apiVersion` other than edgevirt's, and a `kind` other than `expected`.
pub(crate) fn check_type(api_version: &str, kind: &str, expected: &str, d: &mut Diagnostics) {
    if api_version != model::API_VERSION {
        d.error(
            "apiVersion",
            Some(api_version),
            "is not supported",
            &format!("expected {}", model::API_VERSION),
        );
    }
    if kind != expected {
        d.error(
            "kind",
            Some(kind),
            "is not supported",
            &format!("expected {expected}"),
        );
    }
}

fn check_device(
    device: &EdgeDevice,
    row: Option<&minijinja::Value>,
    limits: &crate::Limits,
    d: &mut Diagnostics,
) -> Option<DeviceSpec> {
    check_type(&device.api_version, &device.kind, model::KIND, d);
    let name = check_name(&device.metadata, d);
    // Hostname and registration ID default to the name; a bad name is reported once, here.
    let defaults_name = if d.has_errors() {
        "device".to_owned()
    } else {
        name.clone()
    };
    let spec = &device.spec;
    let vm = check_vm(&spec.vm, spec.iot_edge.provisioning.dps.as_ref(), d);
    let os = check_os(&spec.os, d);
    let (root_disk, data_disks) = check_disk(&spec.disk, &name, os.release, d);
    let network = network::check(
        &spec.network,
        &device.metadata,
        spec.vm.mac_address.as_ref(),
        d,
    );
    let edge = edge::check(&spec.iot_edge, &defaults_name, &spec.network, d);
    let services = check_services(&spec.services, d);
    let ctx = crate::template::Context {
        name: &name,
        namespace: device.metadata.namespace.as_deref().unwrap_or(""),
        hostname: edge.as_ref().map_or(name.as_str(), |e| e.hostname.as_str()),
        row,
        limits,
    };
    let (extra_files, extra_commands) = check_extensions(&spec.extensions, &ctx, d);
    warn_about_risks(spec, &root_disk, d);
    Some(DeviceSpec {
        namespace: device.metadata.namespace.clone(),
        labels: device.metadata.labels.clone(),
        annotations: device.metadata.annotations.clone(),
        vm: vm?,
        root_disk: root_disk?,
        data_disks,
        os,
        network,
        edge: edge?,
        services,
        extra_files,
        extra_commands,
        name,
    })
}

fn check_name(meta: &model::Metadata, d: &mut Diagnostics) -> String {
    let name = &meta.name;
    if name.is_empty() {
        d.error(
            "metadata.name",
            None,
            "is required",
            "a DNS-1123 label such as plant-a-edge-01",
        );
    } else if !is_dns_label(name, MAX_NAME) || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        d.error(
            "metadata.name",
            Some(name),
            "is not a valid device name",
            "lowercase letters, digits and '-', starting with a letter, at most 52 characters",
        );
    }
    if let Some(ns) = &meta.namespace
        && !is_dns_label(ns, 63)
    {
        d.error(
            "metadata.namespace",
            Some(ns),
            "is not a valid namespace",
            "a DNS-1123 label such as iot-edge",
        );
    }
    check_labels("metadata.labels", &meta.labels, d);
    name.clone()
}

/// Checks label keys and values as the API server does.
pub(crate) fn check_labels(
    path: &str,
    labels: &std::collections::BTreeMap<String, String>,
    d: &mut Diagnostics,
) {
    for (key, value) in labels {
        let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
        let name_ok = !name.is_empty()
            && name.len() <= 63
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            && name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && name.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !name_ok || (!prefix.is_empty() && !checks::is_dns_subdomain(prefix)) {
            d.error(
                &format!("{path}.{key}"),
                None,
                "is not a valid label key",
                "an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'",
            );
        }
        let value_ok = value.is_empty()
            || (value.len() <= 63
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                && value.starts_with(|c: char| c.is_ascii_alphanumeric())
                && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
        if !value_ok {
            d.error(
                &format!("{path}.{key}"),
                Some(value),
                "is not a valid label value",
                "at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric",
            );
        }
    }
}

const RUN_STRATEGIES: [&str; 5] = ["Always", "RerunOnFailure", "Manual", "Halted", "Once"];
const EVICTION_STRATEGIES: [&str; 4] = ["LiveMigrate", "LiveMigrateIfPossible", "External", "None"];

fn check_vm(vm: &model::Vm, dps: Option<&model::Dps>, d: &mut Diagnostics) -> Option<VmSpec> {
    let sizing = check_sizing(vm, d);
    let run_strategy = vm
        .run_strategy
        .clone()
        .unwrap_or_else(|| "Always".to_owned());
    if !RUN_STRATEGIES.contains(&run_strategy.as_str()) {
        d.error(
            "spec.vm.runStrategy",
            Some(&run_strategy),
            "is not a KubeVirt run strategy",
            &expected_one_of(&RUN_STRATEGIES),
        );
    }
    if let Some(e) = &vm.eviction_strategy
        && !EVICTION_STRATEGIES.contains(&e.as_str())
    {
        d.error(
            "spec.vm.evictionStrategy",
            Some(e),
            "is not a KubeVirt eviction strategy",
            &expected_one_of(&EVICTION_STRATEGIES),
        );
    }
    let efi = check_firmware(vm.firmware.as_ref(), d);
    for (i, t) in vm.tolerations.iter().enumerate() {
        if !t.is_object() {
            d.error(
                &format!("spec.vm.tolerations[{i}]"),
                None,
                "is not a toleration object",
                "e.g. {key: edge, operator: Exists, effect: NoSchedule}",
            );
        }
    }
    if vm.affinity.as_ref().is_some_and(|a| !a.is_object()) {
        d.error(
            "spec.vm.affinity",
            None,
            "is not an affinity object",
            "e.g. {nodeAffinity: {...}}, as in a Pod spec",
        );
    }
    check_labels("spec.vm.labels", &vm.labels, d);
    let tpm = vm.tpm.unwrap_or(false) || dps.is_some_and(|p| p.tpm.is_some());
    if vm.tpm == Some(false) && dps.is_some_and(|p| p.tpm.is_some()) {
        d.error(
            "spec.vm.tpm",
            Some("false"),
            "cannot be off with DPS TPM attestation",
            "remove spec.vm.tpm or choose another attestation",
        );
    }
    let preference = vm.preference.as_ref().map(|p| {
        (
            p.name.clone(),
            p.kind
                .clone()
                .unwrap_or_else(|| "VirtualMachineClusterPreference".into()),
        )
    });
    Some(VmSpec {
        sizing: sizing?,
        preference,
        machine_type: vm.machine_type.clone(),
        efi,
        run_strategy,
        node_selector: vm.node_selector.clone(),
        tolerations: vm.tolerations.clone(),
        affinity: vm.affinity.clone(),
        eviction_strategy: vm.eviction_strategy.clone(),
        template_labels: vm.labels.clone(),
        template_annotations: vm.annotations.clone(),
        tpm,
    })
}

fn check_sizing(vm: &model::Vm, d: &mut Diagnostics) -> Option<Sizing> {
    if let Some(it) = &vm.instancetype {
        if vm.cpu.is_some() || vm.memory.is_some() {
            d.error(
                "spec.vm.instancetype",
                Some(&it.name),
                "cannot be combined with cpu or memory",
                "KubeVirt rejects a VM that sets both; keep one",
            );
        }
        if !checks::is_dns_subdomain(&it.name) {
            d.error(
                "spec.vm.instancetype.name",
                Some(&it.name),
                "is not a valid name",
                "",
            );
        }
        let kind = it
            .kind
            .clone()
            .unwrap_or_else(|| "VirtualMachineClusterInstancetype".into());
        return Some(Sizing::Instancetype {
            name: it.name.clone(),
            kind,
        });
    }
    let cpu = vm.cpu.clone().unwrap_or_default();
    let mut topology = [
        ("cores", cpu.cores, 2),
        ("sockets", cpu.sockets, 1),
        ("threads", cpu.threads, 1),
    ]
    .map(|(field, given, default)| {
        let n = given.unwrap_or(default);
        if n == 0 || n > 512 {
            d.error(
                &format!("spec.vm.cpu.{field}"),
                Some(&n.to_string()),
                "is out of range",
                "between 1 and 512",
            );
        }
        n
    });
    let memory = vm.memory.clone().unwrap_or_else(|| "4Gi".to_owned());
    match quantity_bytes(&memory) {
        None => d.error(
            "spec.vm.memory",
            Some(&memory),
            "is not a quantity",
            "expected e.g. 4Gi",
        ),
        Some(b) if b < 1_000_000 => d.error(
            "spec.vm.memory",
            Some(&memory),
            "is below KubeVirt's minimum of 1M",
            "a bare number means bytes; expected e.g. 4Gi",
        ),
        Some(b) if b < 1 << 30 => d.warn(
            "spec.vm.memory",
            Some(&memory),
            "is too little for IoT Edge and its modules",
            "give at least 1Gi, better 2Gi or more",
        ),
        Some(_) => {}
    }
    let [cores, sockets, threads] = std::mem::take(&mut topology);
    Some(Sizing::Explicit {
        cores,
        sockets,
        threads,
        memory,
    })
}

fn check_firmware(fw: Option<&model::Firmware>, d: &mut Diagnostics) -> Option<bool> {
    let fw = fw?;
    let secure = fw.secure_boot.unwrap_or(false);
    match fw.bootloader.as_deref().unwrap_or("bios") {
        "efi" => Some(secure),
        "bios" => {
            if secure {
                d.error(
                    "spec.vm.firmware.secureBoot",
                    Some("true"),
                    "needs EFI",
                    "set spec.vm.firmware.bootloader: efi",
                );
            }
            None
        }
        other => {
            d.error(
                "spec.vm.firmware.bootloader",
                Some(other),
                "is not a bootloader",
                "expected bios or efi",
            );
            None
        }
    }
}

const ACCESS_MODES: [&str; 3] = ["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"];
const VOLUME_MODES: [&str; 2] = ["Filesystem", "Block"];

fn check_storage(
    path: &str,
    size: &str,
    class: Option<&String>,
    access: Option<&String>,
    mode: Option<&String>,
    d: &mut Diagnostics,
) -> Storage {
    match quantity_bytes(size) {
        Some(b) if b >= 1 << 20 => {}
        _ => d.error(
            &format!("{path}.size"),
            Some(size),
            "is not a disk size",
            "expected e.g. 32Gi",
        ),
    }
    if let Some(c) = class
        && !checks::is_dns_subdomain(c)
    {
        d.error(
            &format!("{path}.storageClassName"),
            Some(c),
            "is not a valid name",
            "",
        );
    }
    if let Some(a) = access
        && !ACCESS_MODES.contains(&a.as_str())
    {
        d.error(
            &format!("{path}.accessMode"),
            Some(a),
            "is not an access mode",
            &expected_one_of(&ACCESS_MODES),
        );
    }
    if let Some(m) = mode
        && !VOLUME_MODES.contains(&m.as_str())
    {
        d.error(
            &format!("{path}.volumeMode"),
            Some(m),
            "is not a volume mode",
            &expected_one_of(&VOLUME_MODES),
        );
    }
    Storage {
        size: size.to_owned(),
        storage_class_name: class.cloned(),
        access_mode: access.cloned(),
        volume_mode: mode.cloned(),
    }
}

fn check_disk(
    disk: &model::Disk,
    name: &str,
    release: &str,
    d: &mut Diagnostics,
) -> (Option<RootDisk>, Vec<DataDiskSpec>) {
    let size = disk.size.clone().unwrap_or_else(|| "32Gi".to_owned());
    let storage = check_storage(
        "spec.disk",
        &size,
        disk.storage_class_name.as_ref(),
        disk.access_mode.as_ref(),
        disk.volume_mode.as_ref(),
        d,
    );
    if quantity_bytes(&size).is_some_and(|b| b < 10 << 30) {
        d.warn(
            "spec.disk.size",
            Some(&size),
            "leaves little room for module images",
            "IoT Edge devices usually need 16Gi or more",
        );
    }
    let src = disk.source.clone().unwrap_or_default();
    let given: Vec<&str> = [
        src.registry.as_ref().map(|_| "registry"),
        src.http.as_ref().map(|_| "http"),
        src.pvc.as_ref().map(|_| "pvc"),
        src.container_disk.as_ref().map(|_| "containerDisk"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if given.len() > 1 {
        d.error(
            "spec.disk.source",
            Some(&given.join(", ")),
            "sets more than one source",
            "keep exactly one of registry, http, pvc or containerDisk",
        );
    }
    let root = if let Some(r) = &src.registry {
        if checks::has_credentials(&r.url) {
            refuse_credentials("spec.disk.source.registry.url", &r.url, d);
        } else if !r.url.starts_with("docker://") && !r.url.starts_with("oci-archive://") {
            d.error(
                "spec.disk.source.registry.url",
                Some(&r.url),
                "is not a registry URL",
                "expected e.g. docker://quay.io/containerdisks/ubuntu:24.04",
            );
        }
        Some(RootDisk::DataVolume {
            source: CdiSource::Registry(r.url.clone()),
            storage,
        })
    } else if let Some(h) = &src.http {
        if checks::has_credentials(&h.url) {
            refuse_credentials("spec.disk.source.http.url", &h.url, d);
        } else if !checks::is_http_url(&h.url) {
            d.error(
                "spec.disk.source.http.url",
                Some(&h.url),
                "is not an http(s) URL",
                "expected e.g. https://cloud-images.ubuntu.com/.../noble-server-cloudimg-amd64.img",
            );
        }
        Some(RootDisk::DataVolume {
            source: CdiSource::Http(h.url.clone()),
            storage,
        })
    } else if let Some(p) = &src.pvc {
        if !checks::is_dns_subdomain(&p.claim_name) {
            d.error(
                "spec.disk.source.pvc.claimName",
                Some(&p.claim_name),
                "is not a valid name",
                "",
            );
        }
        Some(RootDisk::Pvc(p.claim_name.clone()))
    } else if let Some(c) = &src.container_disk {
        if c.image.is_empty() || c.image.contains(char::is_whitespace) {
            d.error(
                "spec.disk.source.containerDisk.image",
                Some(&c.image),
                "is not an image",
                "expected e.g. quay.io/containerdisks/ubuntu:24.04",
            );
        }
        Some(RootDisk::ContainerDisk(c.image.clone()))
    } else {
        let url = crate::versions::ubuntu_image(release);
        Some(RootDisk::DataVolume {
            source: CdiSource::Registry(url),
            storage,
        })
    };
    let mut seen = BTreeSet::new();
    let data = disk.data_disks.iter().enumerate().map(|(i, dd)| {
        let path = format!("spec.disk.dataDisks[{i}]");
        if !is_dns_label(&dd.name, 63 - name.len().min(62) - 1) || dd.name == "root" {
            d.error(
                &format!("{path}.name"),
                Some(&dd.name),
                "is not a usable disk name",
                "a short DNS-1123 label other than root",
            );
        } else if !seen.insert(dd.name.clone()) {
            d.error(
                &format!("{path}.name"),
                Some(&dd.name),
                "is used twice",
                "disk names are unique",
            );
        }
        let storage = check_storage(
            &path,
            &dd.size,
            dd.storage_class_name
                .as_ref()
                .or(disk.storage_class_name.as_ref()),
            dd.access_mode.as_ref().or(disk.access_mode.as_ref()),
            dd.volume_mode.as_ref().or(disk.volume_mode.as_ref()),
            d,
        );
        DataDiskSpec {
            name: dd.name.clone(),
            storage,
        }
    });
    let data = data.collect();
    (root, data)
}

const RELEASES: [(&str, &str); 2] = [("24.04", "noble"), ("22.04", "jammy")];

fn check_os(os: &model::Os, d: &mut Diagnostics) -> OsSpec {
    let release = os.release.as_deref().unwrap_or("24.04");
    let (release, codename) = RELEASES
        .iter()
        .copied()
        .find(|(r, _)| *r == release)
        .unwrap_or_else(|| {
            d.error(
                "spec.os.release",
                Some(release),
                "is not a supported Ubuntu release",
                "expected \"24.04\" or \"22.04\" (quoted)",
            );
            RELEASES[0]
        });
    let user = os.user.clone().unwrap_or_else(|| "edge".to_owned());
    let user_ok = !user.is_empty()
        && user.len() <= 32
        && user.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && user
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b));
    if !user_ok || user == "root" {
        d.error(
            "spec.os.user",
            Some(&user),
            "is not a usable login name",
            "lowercase letters, digits, '-' and '_', not root",
        );
    }
    for (i, key) in os.ssh_authorized_keys.iter().enumerate() {
        let kind = key.split_whitespace().next().unwrap_or("");
        let known =
            kind.starts_with("ssh-") || kind.starts_with("ecdsa-") || kind.starts_with("sk-");
        if !known || key.contains(['\n', '\r']) {
            d.error(
                &format!("spec.os.sshAuthorizedKeys[{i}]"),
                Some(key),
                "is not an SSH public key",
                "one line such as \"ssh-ed25519 AAAA... user@host\"",
            );
        }
    }
    if let Some(hash) = &os.password_hash
        && (!hash.starts_with('$') || !checks::is_single_line(hash))
    {
        d.error(
            "spec.os.passwordHash",
            Some(&crate::diagnostic::mask(hash)),
            "is not a crypt(3) hash",
            "make one with `mkpasswd -m sha-512`; never give the password itself",
        );
    }
    for (i, server) in os.ntp_servers.iter().enumerate() {
        if !checks::is_hostname(server) && !checks::is_ip(server) {
            d.error(
                &format!("spec.os.ntpServers[{i}]"),
                Some(server),
                "is not a host name or address",
                "",
            );
        }
    }
    if let Some(tz) = &os.timezone
        && (tz.is_empty()
            || !tz
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b)))
    {
        d.error(
            "spec.os.timezone",
            Some(tz),
            "is not a time zone name",
            "e.g. Europe/Berlin or UTC",
        );
    }
    for (i, p) in os.packages.iter().enumerate() {
        let ok = !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.=:~".contains(&b));
        if !ok {
            d.error(
                &format!("spec.os.packages[{i}]"),
                Some(p),
                "is not a Debian package name",
                "e.g. htop or htop=3.3.0-4build1",
            );
        }
    }
    OsSpec {
        release,
        codename,
        user,
        ssh_authorized_keys: os.ssh_authorized_keys.clone(),
        password_hash: os.password_hash.clone(),
        ntp_servers: os.ntp_servers.clone(),
        timezone: os.timezone.clone(),
        packages: os.packages.clone(),
    }
}

const SERVICE_TYPES: [&str; 3] = ["ClusterIP", "NodePort", "LoadBalancer"];

fn check_services(services: &model::Services, d: &mut Diagnostics) -> Vec<ServicePlan> {
    let wanted = [
        (ServiceRole::Ssh, "ssh", &services.ssh),
        (ServiceRole::Gateway, "gateway", &services.gateway),
    ];
    let mut plans = Vec::new();
    for (role, field, spec) in wanted {
        let Some(spec) = spec else { continue };
        if spec.enabled == Some(false) {
            continue;
        }
        let path = format!("spec.services.{field}");
        let service_type = spec
            .r#type
            .clone()
            .unwrap_or_else(|| "ClusterIP".to_owned());
        if !SERVICE_TYPES.contains(&service_type.as_str()) {
            d.error(
                &format!("{path}.type"),
                Some(&service_type),
                "is not a Service type",
                &expected_one_of(&SERVICE_TYPES),
            );
        }
        for (i, range) in spec.source_ranges.iter().enumerate() {
            if !checks::is_cidr(range) {
                d.error(
                    &format!("{path}.sourceRanges[{i}]"),
                    Some(range),
                    "is not a CIDR",
                    "e.g. 10.20.0.0/16",
                );
            }
        }
        if !spec.source_ranges.is_empty() && service_type != "LoadBalancer" {
            d.warn(
                &format!("{path}.sourceRanges"),
                None,
                "only restrict a LoadBalancer",
                "with ClusterIP or NodePort, use a NetworkPolicy instead",
            );
        }
        let exposed = service_type != "ClusterIP";
        if role == ServiceRole::Ssh && exposed && spec.source_ranges.is_empty() {
            d.warn(
                &format!("{path}.type"),
                Some(&service_type),
                "exposes SSH outside the cluster to any address",
                "set sourceRanges, or keep ClusterIP and use `virtctl ssh`",
            );
        }
        plans.push(ServicePlan {
            role,
            service_type,
            source_ranges: spec.source_ranges.clone(),
            annotations: spec.annotations.clone(),
        });
    }
    plans
}

/// A disk URL with credentials in it: they would be rendered into the `VirtualMachine`'s
/// DataVolume, which is no Secret, so the URL is refused and shown masked.
fn refuse_credentials(path: &str, url: &str, d: &mut Diagnostics) {
    d.error(
        path,
        Some(&crate::diagnostic::mask(url)),
        "carries credentials, which would be written into the VirtualMachine",
        "give a URL without user or password: an image server that needs none, or import the \
         image into a PVC and use spec.disk.source.pvc",
    );
}

fn check_extensions(
    ext: &model::Extensions,
    ctx: &crate::template::Context<'_>,
    d: &mut Diagnostics,
) -> (Vec<ExtraFileSpec>, Vec<model::Command>) {
    let mut render = |path: String, source: &str| match crate::template::render(source, ctx) {
        Ok(text) => text,
        Err(message) => {
            d.error(
                &path,
                None,
                &message,
                "templates see name, namespace and hostname",
            );
            String::new()
        }
    };
    let files = ext.write_files.iter().enumerate().map(|(i, f)| {
        let content = render(
            format!("spec.extensions.writeFiles[{i}].content"),
            &f.content,
        );
        ExtraFileSpec {
            path: f.path.clone(),
            content,
            permissions: f.permissions.clone().unwrap_or_else(|| "0644".to_owned()),
            owner: f.owner.clone().unwrap_or_else(|| "root:root".to_owned()),
        }
    });
    let files: Vec<_> = files.collect();
    let commands = ext.runcmd.iter().enumerate().map(|(i, c)| match c {
        model::Command::Shell(s) => {
            model::Command::Shell(render(format!("spec.extensions.runcmd[{i}]"), s))
        }
        model::Command::Args(args) => model::Command::Args(
            args.iter()
                .enumerate()
                .map(|(j, a)| render(format!("spec.extensions.runcmd[{i}][{j}]"), a))
                .collect(),
        ),
    });
    let commands = commands.collect();
    for (i, f) in ext.write_files.iter().enumerate() {
        let path = format!("spec.extensions.writeFiles[{i}]");
        if !f.path.starts_with('/') || !checks::is_single_line(&f.path) {
            d.error(
                &format!("{path}.path"),
                Some(&f.path),
                "is not an absolute path",
                "e.g. /etc/motd",
            );
        } else if crate::render::cloud_config::MANAGED_PATHS.contains(&f.path.as_str()) {
            d.error(
                &format!("{path}.path"),
                Some(&f.path),
                "is written by edgevirt itself",
                "set the matching spec field instead",
            );
        }
        if let Some(p) = &f.permissions
            && !(p.len() == 4
                && p.starts_with('0')
                && p.bytes().all(|b| (b'0'..=b'7').contains(&b)))
        {
            d.error(
                &format!("{path}.permissions"),
                Some(p),
                "is not an octal mode",
                "four digits as a string, e.g. \"0644\"",
            );
        }
    }
    (files, commands)
}

fn warn_about_risks(spec: &model::EdgeDeviceSpec, root: &Option<RootDisk>, d: &mut Diagnostics) {
    if matches!(root, Some(RootDisk::ContainerDisk(_))) {
        d.warn(
            "spec.disk.source.containerDisk",
            None,
            "is wiped at every VM restart, and the device identity and module state with it",
            "use the default registry import into a DataVolume for a real device",
        );
    }
    if spec.vm.tpm == Some(true)
        || spec
            .iot_edge
            .provisioning
            .dps
            .as_ref()
            .is_some_and(|p| p.tpm.is_some())
    {
        d.warn(
            "spec.vm.tpm",
            None,
            "needs the VMPersistentState feature gate in the KubeVirt CR",
            "without it KubeVirt rejects the VM; the TPM state lives in a PVC",
        );
    }
}

/// A stable, locally administered unicast MAC for one interface of one device.
pub(crate) fn derived_mac(namespace: &str, name: &str, interface: &str) -> String {
    let digest = Sha256::digest(format!("{namespace}/{name}/{interface}").as_bytes());
    let mut bytes = [0u8; 6];
    bytes[0] = 0x02;
    bytes[1..].copy_from_slice(&digest[..5]);
    bytes.map(|b| format!("{b:02x}")).join(":")
}
