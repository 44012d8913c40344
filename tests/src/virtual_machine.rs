//! KubeVirt admission rules for a `VirtualMachine` that its CRD schema does not express: run
//! strategy, guest memory, and the pairing of disks, volumes and DataVolume templates.
//!
//! Cloud-init volumes and network interfaces have modules of their own. The rules follow what
//! KubeVirt's validating webhook rejects; where the checker is stricter (a `dataVolume` volume
//! must name a template of the same VirtualMachine) the message says why.

use std::collections::HashSet;

use serde_json::Value;

use crate::problem::{Origin, Problem, Stage};
use crate::quantity::base_units;

/// Path of the VirtualMachineInstance template spec inside a VirtualMachine.
pub(crate) const TEMPLATE_SPEC: &str = ".spec.template.spec";

const RUN_STRATEGIES: [&str; 5] = ["Always", "Halted", "Manual", "RerunOnFailure", "Once"];

/// KubeVirt refuses guest memory below 1M (decimal megabyte).
const MINIMUM_MEMORY_BYTES: f64 = 1e6;

/// Runs every rule of this module on a VirtualMachine document.
pub(crate) fn check(vm: &Value, origin: &Origin) -> Vec<Problem> {
    let mut problems = check_run_strategy(vm, origin);
    problems.extend(check_memory(vm, origin));
    problems.extend(check_disks_and_volumes(vm, origin));
    problems.extend(check_data_volume_templates(vm, origin));
    problems
}

/// The array at `pointer`, or nothing when it is absent or not an array (the schema says so).
pub(crate) fn list<'a>(doc: &'a Value, pointer: &str) -> &'a [Value] {
    doc.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The `name` of a list item, if it has a string one.
pub(crate) fn name_of(item: &Value) -> Option<&str> {
    item.get("name").and_then(Value::as_str)
}

fn check_run_strategy(vm: &Value, origin: &Origin) -> Vec<Problem> {
    let spec = vm.get("spec");
    let run_strategy = spec.and_then(|s| s.get("runStrategy"));
    let running = spec.and_then(|s| s.get("running"));
    let mut problems = Vec::new();
    match (run_strategy, running) {
        (Some(_), Some(_)) => problems.push(origin.problem(
            Stage::Admission,
            ".spec",
            "runStrategy and running are both set (they are mutually exclusive; running is \
             deprecated, keep runStrategy)",
        )),
        (None, None) => problems.push(origin.problem(
            Stage::Admission,
            ".spec",
            "neither runStrategy nor running is set (set runStrategy, e.g. Always)",
        )),
        _ => {}
    }
    if let Some(value) = run_strategy {
        let known = value.as_str().is_some_and(|s| RUN_STRATEGIES.contains(&s));
        if !known {
            let message =
                format!("{value} is not a run strategy (expected one of {RUN_STRATEGIES:?})");
            problems.push(origin.problem(Stage::Admission, ".spec.runStrategy", message));
        }
    }
    problems
}

fn check_memory(vm: &Value, origin: &Origin) -> Vec<Problem> {
    let domain = format!("{TEMPLATE_SPEC}.domain");
    let sources = [
        (
            "/spec/template/spec/domain/memory/guest",
            format!("{domain}.memory.guest"),
        ),
        (
            "/spec/template/spec/domain/resources/requests/memory",
            format!("{domain}.resources.requests.memory"),
        ),
    ];
    let mut problems = Vec::new();
    let mut given = vm.pointer("/spec/instancetype").is_some();
    for (pointer, path) in sources {
        let Some(value) = vm.pointer(pointer) else {
            continue;
        };
        given = true;
        match base_units(value) {
            Ok(bytes) if bytes < MINIMUM_MEMORY_BYTES => {
                let message = format!(
                    "{value} is {bytes} bytes, below KubeVirt's minimum of 1M (a bare number \
                     counts bytes: write e.g. 4Gi)"
                );
                problems.push(origin.problem(Stage::Admission, &path, message));
            }
            Ok(_) => {}
            Err(message) => problems.push(origin.problem(Stage::Admission, &path, message)),
        }
    }
    if !given {
        let message = "no memory given (set memory.guest, resources.requests.memory, or \
                       spec.instancetype)";
        problems.push(origin.problem(Stage::Admission, &domain, message));
    }
    problems
}

fn check_disks_and_volumes(vm: &Value, origin: &Origin) -> Vec<Problem> {
    let disks = list(vm, "/spec/template/spec/domain/devices/disks");
    let filesystems = list(vm, "/spec/template/spec/domain/devices/filesystems");
    let volumes = list(vm, "/spec/template/spec/volumes");
    let disks_path = format!("{TEMPLATE_SPEC}.domain.devices.disks");
    let volumes_path = format!("{TEMPLATE_SPEC}.volumes");

    let mut problems = duplicate_names(disks, &disks_path, origin);
    problems.extend(duplicate_names(volumes, &volumes_path, origin));

    // A volume is used by a disk or, for virtiofs, by a filesystem of the same name.
    let used: HashSet<&str> = disks
        .iter()
        .chain(filesystems)
        .filter_map(name_of)
        .collect();
    let volume_names: HashSet<&str> = volumes.iter().filter_map(name_of).collect();
    for (index, volume) in volumes.iter().enumerate() {
        if let Some(name) = name_of(volume).filter(|name| !used.contains(name)) {
            let message = format!("volume {name:?} has no disk of the same name");
            let path = format!("{volumes_path}[{index}].name");
            problems.push(origin.problem(Stage::Admission, &path, message));
        }
    }
    for (index, disk) in disks.iter().enumerate() {
        if let Some(name) = name_of(disk).filter(|name| !volume_names.contains(name)) {
            let message = format!("disk {name:?} has no volume of the same name");
            let path = format!("{disks_path}[{index}].name");
            problems.push(origin.problem(Stage::Admission, &path, message));
        }
    }
    problems
}

/// Reports every name that occurs more than once in a list of named items.
pub(crate) fn duplicate_names(items: &[Value], path: &str, origin: &Origin) -> Vec<Problem> {
    let mut seen = HashSet::new();
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let name = name_of(item)?;
            (!seen.insert(name)).then(|| {
                let message = format!("name {name:?} is used more than once");
                origin.problem(Stage::Admission, &format!("{path}[{index}].name"), message)
            })
        })
        .collect()
}

fn check_data_volume_templates(vm: &Value, origin: &Origin) -> Vec<Problem> {
    let templates = list(vm, "/spec/dataVolumeTemplates");
    let volumes = list(vm, "/spec/template/spec/volumes");
    let template_names: HashSet<&str> = templates
        .iter()
        .filter_map(|t| t.pointer("/metadata/name").and_then(Value::as_str))
        .collect();
    let referenced: HashSet<&str> = volumes
        .iter()
        .filter_map(|v| v.pointer("/dataVolume/name").and_then(Value::as_str))
        .collect();

    let mut problems = Vec::new();
    for (index, volume) in volumes.iter().enumerate() {
        let Some(name) = volume.pointer("/dataVolume/name").and_then(Value::as_str) else {
            continue;
        };
        if !template_names.contains(name) {
            // KubeVirt would accept a DataVolume created separately, but edgevirt renders its
            // disks as templates so that they live and die with the VirtualMachine.
            let message = format!(
                "dataVolume {name:?} is not among spec.dataVolumeTemplates (a rendered VM must \
                 carry its own DataVolumes)"
            );
            let path = format!("{TEMPLATE_SPEC}.volumes[{index}].dataVolume.name");
            problems.push(origin.problem(Stage::Admission, &path, message));
        }
    }
    for (index, template) in templates.iter().enumerate() {
        let path = format!(".spec.dataVolumeTemplates[{index}].metadata.name");
        match template.pointer("/metadata/name").and_then(Value::as_str) {
            None => problems.push(origin.problem(Stage::Admission, &path, "missing")),
            Some(name) if !referenced.contains(name) => {
                let message = format!("DataVolume template {name:?} is used by no volume");
                problems.push(origin.problem(Stage::Admission, &path, message));
            }
            Some(_) => {}
        }
    }
    problems
}
