//! The `VirtualMachine`: disks paired with volumes, cloud-init through a Secret, static MACs.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::kube::*;
use super::secrets::SecretPlan;
use crate::spec::{CdiSource, DeviceSpec, RootDisk, Sizing, Storage};

/// Builds the VirtualMachine of `spec`; `user_data_secret` holds its cloud-init.
pub(crate) fn build(
    spec: &DeviceSpec,
    meta: ObjectMeta,
    user_data_secret: &str,
    has_network_data: bool,
    plan: &SecretPlan,
) -> VirtualMachine {
    let mut disks = Vec::new();
    let mut volumes = Vec::new();
    let mut templates = Vec::new();

    // The root disk boots first; every disk is virtio and pairs with a volume of the same name.
    disks.push(json!({"name": "root", "bootOrder": 1, "disk": {"bus": "virtio"}}));
    match &spec.root_disk {
        RootDisk::DataVolume { source, storage } => {
            let dv = format!("{}-root", spec.name);
            let source = match source {
                CdiSource::Registry(url) => json!({"registry": {"url": url}}),
                CdiSource::Http(url) => json!({"http": {"url": url}}),
            };
            templates.push(data_volume(&dv, source, storage));
            volumes.push(json!({"name": "root", "dataVolume": {"name": dv}}));
        }
        RootDisk::Pvc(claim) => {
            volumes.push(json!({"name": "root", "persistentVolumeClaim": {"claimName": claim}}));
        }
        RootDisk::ContainerDisk(image) => {
            volumes.push(json!({"name": "root", "containerDisk": {"image": image}}));
        }
    }
    disks.push(json!({"name": "cloudinit", "disk": {"bus": "virtio"}}));
    let mut cloud_init = json!({"secretRef": {"name": user_data_secret}});
    if has_network_data {
        cloud_init["networkDataSecretRef"] = json!({"name": user_data_secret});
    }
    volumes.push(json!({"name": "cloudinit", "cloudInitNoCloud": cloud_init}));
    for disk in &spec.data_disks {
        let dv = format!("{}-{}", spec.name, disk.name);
        templates.push(data_volume(&dv, json!({"blank": {}}), &disk.storage));
        disks.push(json!({"name": disk.name, "disk": {"bus": "virtio"}}));
        volumes.push(json!({"name": disk.name, "dataVolume": {"name": dv}}));
    }
    for (i, v) in plan.secret_volumes.iter().enumerate() {
        let name = format!("secret-{i}");
        disks.push(json!({"name": name, "serial": v.serial, "disk": {"bus": "virtio"}}));
        volumes.push(json!({"name": name, "secret": {"secretName": v.secret}}));
    }

    let (interfaces, networks) = interfaces(spec);
    let vm = &spec.vm;
    let (cpu, memory, instancetype) = match &vm.sizing {
        Sizing::Explicit {
            cores,
            sockets,
            threads,
            memory,
        } => (
            Some(json!({"cores": cores, "sockets": sockets, "threads": threads})),
            Some(json!({"guest": memory})),
            None,
        ),
        Sizing::Instancetype { name, kind } => (
            None,
            None,
            Some(Matcher {
                name: name.clone(),
                kind: kind.clone(),
            }),
        ),
    };
    let firmware = vm
        .efi
        .map(|secure| json!({"bootloader": {"efi": {"secureBoot": secure}}}));
    let features = (vm.efi == Some(true)).then(|| json!({"smm": {"enabled": true}}));
    let mut template_labels = BTreeMap::from([(super::DEVICE_LABEL.to_owned(), spec.name.clone())]);
    template_labels.extend(spec.labels.clone());
    template_labels.extend(vm.template_labels.clone());
    let hostname = spec
        .edge
        .hostname
        .split('.')
        .next()
        .unwrap_or(&spec.edge.hostname)
        .to_owned();

    VirtualMachine {
        api_version: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: meta,
        spec: VmSpec {
            run_strategy: vm.run_strategy.clone(),
            instancetype,
            preference: vm.preference.as_ref().map(|(n, k)| Matcher {
                name: n.clone(),
                kind: k.clone(),
            }),
            data_volume_templates: templates,
            template: VmiTemplate {
                metadata: TemplateMeta {
                    labels: template_labels,
                    annotations: vm.template_annotations.clone(),
                },
                spec: VmiSpec {
                    domain: Domain {
                        cpu,
                        memory,
                        machine: vm.machine_type.as_ref().map(|t| json!({"type": t})),
                        firmware,
                        features,
                        devices: Devices {
                            disks,
                            interfaces,
                            rng: json!({}),
                            tpm: vm.tpm.then(|| json!({"persistent": true})),
                        },
                    },
                    hostname,
                    node_selector: vm.node_selector.clone(),
                    tolerations: vm.tolerations.iter().map(super::sorted_keys).collect(),
                    affinity: vm.affinity.as_ref().map(super::sorted_keys),
                    eviction_strategy: vm.eviction_strategy.clone(),
                    termination_grace_period_seconds: 180,
                    networks,
                    volumes,
                },
            },
        },
    }
}

fn data_volume(name: &str, source: Value, s: &Storage) -> DataVolumeTemplate {
    DataVolumeTemplate {
        metadata: ObjectMeta {
            name: name.to_owned(),
            ..Default::default()
        },
        spec: DataVolumeSpec {
            source,
            storage: StorageSpec {
                access_modes: s.access_mode.iter().cloned().collect(),
                volume_mode: s.volume_mode.clone(),
                storage_class_name: s.storage_class_name.clone(),
                resources: json!({"requests": {"storage": s.size}}),
            },
        },
    }
}

fn interfaces(spec: &DeviceSpec) -> (Vec<Value>, Vec<Value>) {
    let mut interfaces = Vec::new();
    let mut networks = Vec::new();
    if let Some(mac) = &spec.network.pod_mac {
        interfaces.push(json!({"name": "default", "masquerade": {}, "macAddress": mac}));
        networks.push(json!({"name": "default", "pod": {}}));
    }
    for i in &spec.network.interfaces {
        interfaces.push(json!({"name": i.name, "bridge": {}, "macAddress": i.mac}));
        networks.push(json!({"name": i.name, "multus": {"networkName": i.network_name}}));
    }
    (interfaces, networks)
}
