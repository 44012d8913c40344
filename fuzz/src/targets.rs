//! What each fuzz target does with one input, and what must hold besides "no panic".
//!
//! The same functions run under libFuzzer (`fuzz/fuzz_targets/*.rs`, nightly) and on stable in
//! `tests/tests/fuzz_corpus.rs`, which replays every corpus file, so a crash once found stays
//! fixed. They use only edgevirt-core's public API, the way the CLI, the plugins and the wizard
//! call it.

use edgevirt_core::{Error, Limits};
use serde_json::json;

/// Limits small enough that one input costs at most milliseconds: a fleet of 10,000 devices or
/// an alias bomb that expands to 500,000 nodes is a valid input, but would make every run of the
/// fuzzer that finds it slow. The limit checks themselves are exercised all the same.
pub const LIMITS: Limits = Limits {
    max_documents: 64,
    max_devices: 8,
    max_yaml_nodes: 20_000,
    ..Limits::DEFAULT
};

/// The template target's limits: less fuel and output than the default (50,000 steps, 256 KiB),
/// because the fuzzer soon finds loops, and an input that burns all its fuel in each of the four
/// renders of a run would otherwise cost milliseconds. Running out is exercised all the same.
pub const TEMPLATE_LIMITS: Limits = Limits {
    template_fuel: 2_000,
    max_template_output: 16 * 1024,
    ..LIMITS
};

/// The input as text: the CLI refuses bytes that are not UTF-8 before the core sees them.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Every error can be shown.
fn shown(error: &Error) {
    assert!(!error.to_string().is_empty(), "an error without a message");
}

/// Text edgevirt wrote is YAML that reads back.
fn assert_yaml(text: &str, what: &str) {
    if let Err(e) = serde_saphyr::from_multiple::<serde_json::Value>(text) {
        panic!("{what} does not read back as YAML: {e}\n{text}");
    }
}

/// The Helm post-renderer's stream splitter and expansion. A stream without an `EdgeDevice`
/// (or `EdgeDeviceFleet`, which contains the word) is never parsed, so it must come back byte
/// for byte, unless it has more documents than allowed.
pub fn post_render(data: &[u8]) {
    let Some(input) = text(data) else { return };
    match edgevirt_core::post_render_parts_with(input, &LIMITS) {
        Ok(parts) => {
            let out = parts.concat();
            if !input.contains("EdgeDevice") {
                assert_eq!(out, input, "a stream without devices changed");
            }
        }
        Err(error @ Error::Limit { .. }) => shown(&error),
        Err(error) => {
            assert!(
                input.contains("EdgeDevice"),
                "a stream without devices was refused: {error}"
            );
            shown(&error);
        }
    }
}

/// `EdgeDevice` and `EdgeDeviceFleet` documents, as `edgevirt render` reads them, and the
/// wizard's lenient import. Every device that passes validation renders to YAML that reads back.
pub fn documents(data: &[u8]) {
    let Some(input) = text(data) else { return };
    if let Err(error) = edgevirt_core::parse_device_lenient(input) {
        shown(&error);
    }
    match edgevirt_core::validate_documents_with(input, &LIMITS) {
        Ok(devices) => {
            for spec in devices.specs() {
                assert_yaml(&edgevirt_core::render(spec).to_yaml(), "a rendered device");
            }
        }
        Err(error) => shown(&error),
    }
}

/// The KRM function: any input gives a ResourceList, and the run fails only with an error in
/// its results.
pub fn krm(data: &[u8]) {
    let Some(input) = text(data) else { return };
    let output = edgevirt_core::krm_with(input, &LIMITS);
    let list: serde_json::Value = match serde_saphyr::from_str(&output.resource_list) {
        Ok(list) => list,
        Err(e) => panic!("the output is not YAML: {e}\n{}", output.resource_list),
    };
    assert_eq!(list["kind"], "ResourceList", "{}", output.resource_list);
    let error_results = list["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["severity"] == "error")
        .count();
    assert_eq!(output.failed, error_results > 0, "{}", output.resource_list);
}

/// The IoT Edge `config.toml` importer. What it imports is an `EdgeDevice` that reads back as
/// itself.
pub fn import_toml(data: &[u8]) {
    let Some(input) = text(data) else { return };
    for name in [None, Some("fuzz-device")] {
        match edgevirt_core::import_config_toml(input, name) {
            Ok(device) => {
                let yaml = edgevirt_core::device_to_yaml(&device);
                match edgevirt_core::parse_device(&yaml) {
                    Ok(again) => assert_eq!(again, device, "the import does not read back\n{yaml}"),
                    Err(e) => panic!("the import does not read back: {e}\n{yaml}"),
                }
            }
            Err(error) => shown(&error),
        }
    }
}

/// A user template, as a fleet template (an annotation of each device) and as an extension
/// template (a file's content), in a fleet of two: it renders or is refused with a message,
/// within the fuel and output limits. Rendering the devices is left to `documents`, which keeps
/// this target fast.
pub fn template(data: &[u8]) {
    let Some(source) = text(data) else { return };
    let fleet = json!({
        "apiVersion": "edgevirt.dev/v1alpha1",
        "kind": "EdgeDeviceFleet",
        "metadata": {"name": "fuzz"},
        "spec": {
            "inventoryCsv": "name,site\nfuzz-a,plant-1\nfuzz-b,plant-2\n",
            "template": {
                "metadata": {"name": "{{ name }}", "annotations": {"edgevirt.dev/fuzz": source}},
                "spec": {
                    "extensions": {"writeFiles": [{"path": "/etc/fuzz", "content": source}]},
                    "iotEdge": {"provisioning": {"manual": {"connectionString": {
                        "secretKeyRef": {"name": "hub", "key": "connection-string"}
                    }}}},
                },
            },
        },
    });
    if let Err(error) = edgevirt_core::validate_documents_with(&fleet.to_string(), &TEMPLATE_LIMITS)
    {
        shown(&error);
    }
}
