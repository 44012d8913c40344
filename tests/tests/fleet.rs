//! Fleets at scale: a 1,000-row CSV inventory generated here renders to manifests that pass the
//! independent checker, every device keeps its own name, address and MAC, the device keys derived
//! from the DPS group key match Python's `hmac` module, and the post-renderer and the KRM function
//! expand the fleet to the bytes `edgevirt render` gives.

use std::collections::BTreeSet;
use std::process::Command;

use edgevirt_tests::{KubeVirtVersion, check_manifests};
use serde_json::{Value, json};

const ROWS: usize = 1000;
const GROUP_KEY: &str = "ZmxlZXQtdGVzdC1ncm91cC1rZXktMTAwMC1yb3dzLW9mLWVkZ2V2aXJ0LWRldmljZXM=";

/// A fleet of `rows` devices: a CSV inventory with a name, site, static IP, MAC and DPS
/// registration ID per row, and a template with DPS group enrollment.
fn csv_fleet(rows: usize) -> String {
    let mut csv = String::from("    name,site,ip,mac,registration\n");
    for i in 1..=rows {
        let site = format!("site-{}", i % 5);
        csv.push_str(&format!(
            "    edge-{i:04},{site},10.50.{}.{},02:00:00:32:{:02x}:{:02x},{site}.edge-{i:04}\n",
            i / 250,
            i % 250 + 2,
            i / 256,
            i % 256,
        ));
    }
    format!(
        "apiVersion: edgevirt.dev/v1alpha1
kind: EdgeDeviceFleet
metadata: {{name: big, namespace: iot-edge}}
spec:
  template:
    metadata:
      name: '{{{{ name }}}}'
      labels: {{site: '{{{{ site }}}}'}}
    spec:
      network:
        interfaces:
          - name: lan
            networkName: iot-edge/plant-lan
            macAddress: '{{{{ mac }}}}'
            addresses: ['{{{{ ip }}}}/16']
      iotEdge:
        provisioning:
          dps:
            idScope: 0ne00000E0E
            symmetricKey:
              registrationId: '{{{{ registration }}}}'
              enrollmentGroupKey: {{value: \"{GROUP_KEY}\"}}
  inventoryCsv: |
{csv}"
    )
}

/// The fleet, and the YAML stream of each of its devices, rendered once for every test.
fn rendered() -> &'static (String, Vec<String>) {
    static RENDERED: std::sync::OnceLock<(String, Vec<String>)> = std::sync::OnceLock::new();
    RENDERED.get_or_init(|| {
        let fleet = csv_fleet(ROWS);
        let devices = edgevirt_core::validate_documents(&fleet).expect("the fleet is valid");
        assert!(devices.warnings().is_empty(), "{:?}", devices.warnings());
        let streams: Vec<String> = devices.yaml_streams().collect();
        assert_eq!(streams.concat(), devices.to_yaml());
        (fleet, streams)
    })
}

/// Every document of every device. (A reader refuses a stream of more than 1,024 documents, as
/// a guard against document separator storms, so each device's stream is read on its own.)
fn documents(streams: &[String]) -> Vec<Value> {
    streams
        .iter()
        .flat_map(|s| serde_saphyr::from_multiple::<Value>(s).expect("the output parses"))
        .collect()
}

#[test]
fn a_thousand_rows_render_to_manifests_the_checker_accepts() {
    let (_, streams) = rendered();
    // 100 devices at a time: the checker reads a stream as one, and each device's Secrets are
    // in its own part.
    for part in streams.chunks(100) {
        let problems = check_manifests(&part.concat(), KubeVirtVersion::V1_9_0);
        let shown = &problems[..problems.len().min(5)];
        assert!(
            problems.is_empty(),
            "{} problems: {shown:#?}",
            problems.len()
        );
    }

    let docs = documents(streams);
    let vms: Vec<&Value> = docs
        .iter()
        .filter(|d| d["kind"] == "VirtualMachine")
        .collect();
    assert_eq!(vms.len(), ROWS);
    let names: BTreeSet<&str> = vms
        .iter()
        .filter_map(|vm| vm["metadata"]["name"].as_str())
        .collect();
    assert_eq!(names.len(), ROWS, "every device has its own name");
    let vm = |name: &str| {
        *vms.iter()
            .find(|vm| vm["metadata"]["name"] == name)
            .expect("the device is rendered")
    };
    let row_500 = vm("edge-0500");
    assert_eq!(row_500["metadata"]["labels"]["site"], "site-0");
    assert_eq!(row_500["metadata"]["labels"]["edgevirt.dev/fleet"], "big");
    let iface = &row_500["spec"]["template"]["spec"]["domain"]["devices"]["interfaces"][1];
    assert_eq!(iface["macAddress"], "02:00:00:32:01:f4");
}

/// `(registration_id, derived key)` of every device, read from the config.toml in its Secret.
fn derived_keys(docs: &[Value]) -> Vec<(String, String)> {
    let secrets = docs.iter().filter(|d| d["kind"] == "Secret");
    secrets
        .map(|secret| {
            let user_data = secret["stringData"]["userdata"]
                .as_str()
                .expect("user-data");
            let field = |key: &str| {
                let line = user_data
                    .lines()
                    .map(str::trim)
                    .find(|l| l.starts_with(&format!("{key} = ")))
                    .unwrap_or_else(|| panic!("no {key} in the config.toml"));
                line.split('"').nth(1).expect("a quoted value").to_owned()
            };
            (field("registration_id"), field("value"))
        })
        .collect()
}

#[test]
fn device_keys_match_an_independent_hmac() {
    let (_, streams) = rendered();
    let keys = derived_keys(&documents(streams));
    assert_eq!(keys.len(), ROWS);
    assert!(
        streams.iter().all(|s| !s.contains(GROUP_KEY)),
        "the group key never lands in the output"
    );
    let sample: Vec<&(String, String)> = keys.iter().step_by(97).chain(keys.last()).collect();

    // Python's hmac module, given the group key and the registration IDs, prints one key a line.
    let script = "import base64, hashlib, hmac, sys\n\
        key = base64.b64decode(sys.argv[1])\n\
        for rid in sys.argv[2:]:\n    \
            print(base64.b64encode(hmac.new(key, rid.encode(), hashlib.sha256).digest()).decode())\n";
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(GROUP_KEY)
        .args(sample.iter().map(|(rid, _)| rid))
        .output()
        .expect("python3 runs (run scripts/install-test-deps.sh)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let python: Vec<String> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect();
    let ours: Vec<String> = sample.iter().map(|(_, key)| key.clone()).collect();
    assert_eq!(ours.len(), 12);
    assert_eq!(ours, python);
    let distinct: BTreeSet<&String> = keys.iter().map(|(_, k)| k).collect();
    assert_eq!(distinct.len(), ROWS, "every device has its own key");
}

#[test]
fn post_render_and_krm_expand_the_fleet_as_render_does() {
    let (fleet, streams) = rendered();
    let yaml = &streams.concat();
    let post = edgevirt_core::post_render(fleet).expect("post-render expands the fleet");
    assert!(post == *yaml, "post-render differs from render");

    let item: Value = serde_saphyr::from_str(fleet).expect("the fleet parses");
    let list = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
        "items": [item]});
    let out = edgevirt_core::krm(&list.to_string());
    assert!(!out.failed);
    let listed: Value = serde_saphyr::from_str(&out.resource_list).expect("a ResourceList");
    let items = listed["items"].as_array().expect("items");
    let stream: String = items
        .iter()
        .map(|i| format!("---\n{}", serde_saphyr::to_string(i).expect("YAML")))
        .collect();
    assert!(
        stream == *yaml,
        "the KRM function's items differ from render"
    );
}

#[test]
fn a_fleet_past_the_limit_is_refused_with_a_hint() {
    let fleet = |spec: Value| {
        json!({"apiVersion": "edgevirt.dev/v1alpha1", "kind": "EdgeDeviceFleet",
            "metadata": {"name": "big"}, "spec": spec})
        .to_string()
    };
    let template = json!({"metadata": {"name": "d-{{ index }}"}});
    let err =
        edgevirt_core::render_documents(&fleet(json!({"count": 10001, "template": template})))
            .expect_err("too many devices");
    assert_eq!(
        err.to_string(),
        "1 problem(s) in the input:\n  spec.count: \"10001\" is more devices than a fleet may \
         have (at most 10000: split the fleet into several EdgeDeviceFleet documents, or raise \
         the limit with --max-devices)"
    );
    let both = json!({"count": 2, "inventory": [{"a": "b"}], "template": template});
    let err = edgevirt_core::render_documents(&fleet(both)).expect_err("count and inventory");
    assert!(
        err.to_string()
            .contains("spec: needs exactly one of count, inventory or inventoryCsv"),
        "{err}"
    );
}
