//! Tests of the whole checker: real KubeVirt examples must pass, and each hand-made bad
//! document must yield the one problem it was made for.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::*;

const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// A small stream in the shape edgevirt renders: a cloud-init Secret and a VM using it.
const GOOD_STREAM: &str = r#"
apiVersion: v1
kind: Secret
metadata:
  name: edge-01-cloud-init
  namespace: iot-edge
type: Opaque
stringData:
  userdata: |
    #cloud-config
    hostname: edge-01
    write_files:
    - path: /etc/aziot/config.toml
      permissions: '0600'
      content: |
        hostname = "edge-01"
        [provisioning]
        source = "manual"
        connection_string = "HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=a2V5"
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: edge-01
  namespace: iot-edge
spec:
  runStrategy: Always
  dataVolumeTemplates:
  - metadata:
      name: edge-01-root
    spec:
      storage:
        resources:
          requests:
            storage: 32Gi
      source:
        registry:
          url: docker://quay.io/containerdisks/ubuntu:24.04
  template:
    spec:
      domain:
        memory:
          guest: 4Gi
        devices:
          disks:
          - name: root
            disk: {bus: virtio}
          - name: cloudinit
            disk: {bus: virtio}
          interfaces:
          - name: default
            masquerade: {}
            macAddress: "02:00:00:1a:2b:3c"
      networks:
      - name: default
        pod: {}
      volumes:
      - name: root
        dataVolume:
          name: edge-01-root
      - name: cloudinit
        cloudInitNoCloud:
          secretRef:
            name: edge-01-cloud-init
"#;

fn good_documents() -> Vec<Value> {
    parse_stream(GOOD_STREAM).expect("the good stream parses")
}

/// Applies `change` to the good stream and checks the result.
fn check_changed(change: impl FnOnce(&mut Vec<Value>)) -> Vec<Problem> {
    let mut docs = good_documents();
    change(&mut docs);
    check_documents(&docs, KubeVirtVersion::V1_9_0)
}

fn at<'a>(docs: &'a mut [Value], document: usize, pointer: &str) -> &'a mut Value {
    docs[document]
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("document {document} has {pointer}"))
}

/// Asserts that exactly one problem was found, of `stage`, at `path`, mentioning `words`.
fn assert_one(problems: &[Problem], stage: Stage, path: &str, words: &str) {
    let listing: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "expected one problem, got {listing:#?}");
    let problem = &problems[0];
    assert_eq!(
        (problem.stage, problem.path.as_str()),
        (stage, path),
        "{problem}"
    );
    assert!(problem.message.contains(words), "{problem}");
}

#[test]
fn good_stream_passes_on_both_kubevirt_versions() {
    for version in [KubeVirtVersion::V1_9_0, KubeVirtVersion::V1_6_2] {
        let problems = check_manifests(GOOD_STREAM, version);
        assert!(problems.is_empty(), "{version:?}: {problems:#?}");
    }
}

#[test]
fn run_strategy_and_running_both_set() {
    let problems = check_changed(|docs| {
        at(docs, 1, "/spec")["running"] = json!(true);
    });
    assert_one(&problems, Stage::Admission, ".spec", "mutually exclusive");
}

#[test]
fn neither_run_strategy_nor_running() {
    let problems = check_changed(|docs| {
        at(docs, 1, "/spec")
            .as_object_mut()
            .expect("spec")
            .remove("runStrategy");
    });
    assert_one(
        &problems,
        Stage::Admission,
        ".spec",
        "neither runStrategy nor running",
    );
}

#[test]
fn unknown_run_strategy() {
    let problems = check_changed(|docs| *at(docs, 1, "/spec/runStrategy") = json!("Sometimes"));
    assert_one(
        &problems,
        Stage::Admission,
        ".spec.runStrategy",
        "Sometimes",
    );
}

#[test]
fn memory_guest_of_twelve_bytes() {
    let problems = check_changed(|docs| {
        *at(docs, 1, "/spec/template/spec/domain/memory/guest") = json!("12");
    });
    let path = ".spec.template.spec.domain.memory.guest";
    assert_one(
        &problems,
        Stage::Admission,
        path,
        "below KubeVirt's minimum of 1M",
    );
}

#[test]
fn memory_given_nowhere() {
    let problems = check_changed(|docs| {
        at(docs, 1, "/spec/template/spec/domain")
            .as_object_mut()
            .expect("domain")
            .remove("memory");
    });
    assert_one(
        &problems,
        Stage::Admission,
        ".spec.template.spec.domain",
        "no memory given",
    );
}

#[test]
fn inline_user_data_of_3000_bytes() {
    let problems = check_changed(|docs| {
        let cloud_init = at(docs, 1, "/spec/template/spec/volumes/1/cloudInitNoCloud");
        *cloud_init = json!({"userData": format!("#cloud-config\n#{}\n", "x".repeat(2984))});
    });
    let path = ".spec.template.spec.volumes[1].cloudInitNoCloud.userData";
    assert_one(&problems, Stage::Admission, path, "3000 bytes");
}

#[test]
fn two_user_data_sources() {
    let problems = check_changed(|docs| {
        let cloud_init = at(docs, 1, "/spec/template/spec/volumes/1/cloudInitNoCloud");
        cloud_init["userData"] = json!("#cloud-config\n");
    });
    let path = ".spec.template.spec.volumes[1].cloudInitNoCloud";
    assert_one(
        &problems,
        Stage::Admission,
        path,
        "more than one user-data source",
    );
}

#[test]
fn volume_without_disk() {
    let problems = check_changed(|docs| {
        let volumes = at(docs, 1, "/spec/template/spec/volumes");
        volumes.as_array_mut().expect("volumes").push(json!({
            "name": "scratch",
            "emptyDisk": {"capacity": "1Gi"}
        }));
    });
    let path = ".spec.template.spec.volumes[2].name";
    assert_one(&problems, Stage::Admission, path, "\"scratch\" has no disk");
}

#[test]
fn disk_without_volume() {
    let problems = check_changed(|docs| {
        *at(docs, 1, "/spec/template/spec/domain/devices/disks/1/name") = json!("seed");
    });
    // The renamed disk has no volume, and the cloud-init volume has lost its disk.
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            ".spec.template.spec.volumes[1].name",
            ".spec.template.spec.domain.devices.disks[1].name"
        ],
        "{problems:#?}"
    );
}

#[test]
fn data_volume_not_among_templates() {
    let problems = check_changed(|docs| {
        *at(docs, 1, "/spec/template/spec/volumes/0/dataVolume/name") = json!("other");
    });
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            ".spec.template.spec.volumes[0].dataVolume.name",
            ".spec.dataVolumeTemplates[0].metadata.name"
        ],
        "{problems:#?}"
    );
}

#[test]
fn secret_ref_to_missing_secret() {
    let problems = check_changed(|docs| {
        docs.remove(0);
    });
    let path = ".spec.template.spec.volumes[1].cloudInitNoCloud.secretRef.name";
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].document, Some(0));
    assert_one(&problems, Stage::Admission, path, "not in this stream");
}

#[test]
fn secret_ref_to_a_secret_in_another_namespace() {
    let problems = check_changed(|docs| *at(docs, 0, "/metadata/namespace") = json!("other"));
    let path = ".spec.template.spec.volumes[1].cloudInitNoCloud.secretRef.name";
    assert_one(&problems, Stage::Admission, path, "namespace iot-edge");
}

#[test]
fn secret_without_userdata_key() {
    let problems = check_changed(|docs| {
        let data = at(docs, 0, "/stringData")
            .as_object_mut()
            .expect("stringData");
        let text = data.remove("userdata").expect("userdata");
        data.insert("user-data".to_owned(), text);
    });
    let path = ".spec.template.spec.volumes[1].cloudInitNoCloud.secretRef.name";
    assert_one(&problems, Stage::Admission, path, "none of the keys");
}

#[test]
fn secret_user_data_that_is_not_a_cloud_config() {
    let problems = check_changed(|docs| {
        *at(docs, 0, "/stringData/userdata") = json!("#!/bin/sh\necho hi\n");
    });
    let path = ".spec.template.spec.volumes[1].cloudInitNoCloud.secretRef.name";
    assert_one(
        &problems,
        Stage::Admission,
        path,
        "does not start with #cloud-config",
    );
}

#[test]
fn base64_secret_data_is_read() {
    let problems = check_changed(|docs| {
        let text = at(docs, 0, "/stringData/userdata").take();
        let encoded = base64_encode(text.as_str().expect("text").as_bytes());
        let secret = docs[0].as_object_mut().expect("secret");
        secret.remove("stringData");
        secret.insert("data".to_owned(), json!({"userdata": encoded}));
    });
    assert!(problems.is_empty(), "{problems:#?}");
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn unknown_field_in_vm_spec() {
    let problems = check_changed(|docs| at(docs, 1, "/spec")["useEmulation"] = json!(true));
    assert_one(&problems, Stage::Schema, ".spec", "useEmulation");
}

#[test]
fn unknown_field_in_crd_metadata() {
    let problems = check_changed(|docs| at(docs, 1, "/metadata")["lables"] = json!({}));
    assert_one(&problems, Stage::Schema, ".metadata", "lables");
}

#[test]
fn bad_name() {
    let problems = check_changed(|docs| *at(docs, 1, "/metadata/name") = json!("Edge_01"));
    assert_one(
        &problems,
        Stage::Admission,
        ".metadata.name",
        "DNS-1123 subdomain",
    );
}

#[test]
fn service_name_must_start_with_a_letter() {
    let service = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "1-ssh"},
        "spec": {"ports": [{"port": 22}], "selector": {"app": "x"}}
    });
    let problems = check_documents(&[service], KubeVirtVersion::V1_9_0);
    assert_one(&problems, Stage::Admission, ".metadata.name", "DNS-1035");
}

#[test]
fn unknown_kind_is_a_problem() {
    let problems = check_manifests(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
        KubeVirtVersion::V1_9_0,
    );
    assert_one(&problems, Stage::Schema, "", "no schema");
}

#[test]
fn interface_without_network_and_multicast_mac() {
    let problems = check_changed(|docs| {
        *at(docs, 1, "/spec/template/spec/networks/0/name") = json!("pod");
        *at(
            docs,
            1,
            "/spec/template/spec/domain/devices/interfaces/0/macAddress",
        ) = json!("03:00:00:1a:2b:3c");
    });
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        messages[0].contains("\"default\" has no network"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("\"pod\" has no interface"),
        "{messages:?}"
    );
    assert!(messages[2].contains("multicast"), "{messages:?}");
}

#[test]
fn unquoted_file_mode_in_the_cloud_config() {
    let problems = check_changed(|docs| {
        let text = at(docs, 0, "/stringData/userdata");
        let changed = text.as_str().expect("text").replace("'0600'", "0600");
        *text = json!(changed);
    });
    let path = ".stringData.userdata -> .write_files[0].permissions";
    let deep: Vec<&Problem> = problems.iter().filter(|p| p.path == path).collect();
    // The cloud-init schema reports the type, the deep check explains the quoting.
    assert_eq!(deep.len(), 2, "{problems:#?}");
    assert!(
        deep.iter().any(|p| p.message.contains("384")),
        "{problems:#?}"
    );
    assert!(deep.iter().all(|p| p.stage == Stage::Deep));
}

#[test]
fn typo_inside_the_embedded_config_toml() {
    let problems = check_changed(|docs| {
        let text = at(docs, 0, "/stringData/userdata");
        let changed = text.as_str().expect("text").replace("source =", "sorce =");
        *text = json!(changed);
    });
    assert!(!problems.is_empty());
    for problem in &problems {
        assert_eq!(problem.stage, Stage::Deep, "{problem}");
        let inner = ".stringData.userdata -> .write_files[0].content -> .provisioning";
        assert!(problem.path.starts_with(inner), "{problem}");
    }
}

#[test]
fn network_attachment_definition_config() {
    let nad = |config: &str| {
        json!({
            "apiVersion": "k8s.cni.cncf.io/v1",
            "kind": "NetworkAttachmentDefinition",
            "metadata": {"name": "plant-lan", "namespace": "iot-edge"},
            "spec": {"config": config}
        })
    };
    let good = r#"{"cniVersion": "0.3.1", "type": "bridge", "bridge": "br1"}"#;
    assert!(check_documents(&[nad(good)], KubeVirtVersion::V1_9_0).is_empty());
    let problems = check_documents(&[nad(r#"{"type": "bridge"}"#)], KubeVirtVersion::V1_9_0);
    assert_one(&problems, Stage::Admission, ".spec.config", "cniVersion");
    let problems = check_documents(&[nad("{bridge")], KubeVirtVersion::V1_9_0);
    assert_one(&problems, Stage::Admission, ".spec.config", "not JSON");
}

#[test]
fn yaml_syntax_error_is_one_parse_problem() {
    let problems = check_manifests("a: [1\nb: 2\n", KubeVirtVersion::V1_9_0);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].stage, Stage::Parse);
}

/// KubeVirt's own example VirtualMachines are accepted by KubeVirt, so the checker must accept
/// them too, against both schemas.
#[test]
fn kubevirt_example_virtual_machines_pass() {
    let dir = format!("{CRATE_DIR}/corpus/kubevirt-examples");
    let mut names = Vec::new();
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("examples folder") {
        let path = entry.expect("directory entry").path();
        let text = std::fs::read_to_string(&path).expect("example text");
        let docs = parse_stream(&text).unwrap_or_else(|p| panic!("{}: {p}", path.display()));
        let is_vm = |doc: &Value| doc["kind"] == "VirtualMachine";
        if !docs.iter().any(is_vm) {
            continue;
        }
        names.push(
            path.file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned(),
        );
        for version in [KubeVirtVersion::V1_9_0, KubeVirtVersion::V1_6_2] {
            for problem in check_documents(&docs, version) {
                failures.push(format!("{} {version:?}: {problem}", path.display()));
            }
        }
    }
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The copied data must stay byte-identical to what `SOURCES.md` records.
#[test]
fn data_checksums_match_sources() {
    let mut checked = 0;
    for sources in ["schemas/SOURCES.md", "aziot-samples/SOURCES.md"] {
        let text = std::fs::read_to_string(format!("{CRATE_DIR}/{sources}")).expect("SOURCES.md");
        let block = text
            .split("```sha256\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_else(|| panic!("{sources} has a sha256 block"));
        for line in block.lines() {
            let (sum, file) = line.split_once("  ").expect("`sum  path` line");
            let bytes = std::fs::read(format!("{CRATE_DIR}/{file}")).expect("listed file");
            let actual: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(actual, sum, "{file}");
            checked += 1;
        }
    }
    assert_eq!(checked, 60);
}
