//! Turning a [`DeviceSpec`] into manifests, in the order `kubectl apply` needs them: Secrets,
//! NetworkAttachmentDefinitions, the VirtualMachine, Services.

mod aziot_config;
pub(crate) mod cloud_config;
mod kube;
mod network_data;
mod secrets;
mod vm;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::spec::{DeviceSpec, ServiceRole};
use kube::*;

/// The label every rendered object carries, and that Services select the VM's pod by.
pub(crate) const DEVICE_LABEL: &str = "edgevirt.dev/device";

/// A free-form value the user gave (tolerations, affinity, create options) with the keys of every
/// object sorted, so the output does not depend on the order the input wrote them in. Helm's
/// `toYaml` sorts keys, and a device installed through the chart must render as it does through
/// the CLI.
pub(crate) fn sorted_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// The manifests of one device, in apply order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifests {
    documents: Vec<Value>,
}

impl Manifests {
    /// The documents as JSON values.
    pub fn documents(&self) -> &[Value] {
        &self.documents
    }

    /// A multi-document YAML stream, each document opened by `---`.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        self.append_yaml(&mut out);
        out
    }

    /// Appends [`Manifests::to_yaml`] to `out`.
    pub(crate) fn append_yaml(&self, out: &mut String) {
        for d in &self.documents {
            out.push_str("---\n");
            crate::yaml::append(out, d);
        }
    }

    pub(crate) fn documents_mut(&mut self) -> &mut [Value] {
        &mut self.documents
    }

    /// Appends the documents of `other`, for streams of several devices.
    pub fn extend(&mut self, other: Manifests) {
        self.documents.extend(other.documents);
    }
}

/// Renders the manifests of a validated device.
pub fn render(spec: &DeviceSpec) -> Manifests {
    let mut plan = secrets::SecretPlan::default();
    let config_toml = aziot_config::render(spec, &mut plan);
    let cloud_config = cloud_config::build(spec, config_toml, &plan);
    let network_data = network_data::build(spec);
    let user_data_secret = format!("{}-cloud-init", spec.name);

    let mut docs = Vec::new();
    let mut data = BTreeMap::from([("userdata".to_owned(), cloud_config.to_user_data())]);
    if let Some(nd) = &network_data {
        data.insert("networkdata".to_owned(), crate::yaml::to_string(nd));
    }
    docs.push(to_value(&Secret {
        api_version: "v1",
        kind: "Secret",
        metadata: meta(spec, user_data_secret.clone(), BTreeMap::new()),
        type_: "Opaque",
        string_data: data,
    }));
    for iface in &spec.network.interfaces {
        let Some((name, bridge, vlan)) = &iface.create else {
            continue;
        };
        let mut config = json!({"cniVersion": "0.3.1", "name": name, "type": "bridge", "bridge": bridge,
            "ipam": {}});
        if let Some(v) = vlan {
            config["vlan"] = json!(v);
        }
        docs.push(to_value(&NetworkAttachmentDefinition {
            api_version: "k8s.cni.cncf.io/v1",
            kind: "NetworkAttachmentDefinition",
            metadata: meta(spec, name.clone(), BTreeMap::new()),
            spec: NadSpec {
                config: config.to_string(),
            },
        }));
    }
    let vm_meta = meta(spec, spec.name.clone(), BTreeMap::new());
    let vm = vm::build(
        spec,
        vm_meta,
        &user_data_secret,
        network_data.is_some(),
        &plan,
    );
    docs.push(to_value(&vm));
    docs.extend(spec.services.iter().map(|s| to_value(&service(spec, s))));
    Manifests { documents: docs }
}

fn meta(spec: &DeviceSpec, name: String, extra: BTreeMap<String, String>) -> ObjectMeta {
    let mut labels = BTreeMap::from([
        (
            "app.kubernetes.io/managed-by".to_owned(),
            "edgevirt".to_owned(),
        ),
        (DEVICE_LABEL.to_owned(), spec.name.clone()),
    ]);
    labels.extend(spec.labels.clone());
    let mut annotations = spec.annotations.clone();
    annotations.extend(extra);
    ObjectMeta {
        name,
        namespace: spec.namespace.clone(),
        labels,
        annotations,
    }
}

fn service(spec: &DeviceSpec, plan: &crate::spec::ServicePlan) -> Service {
    let (suffix, ports) = match plan.role {
        ServiceRole::Ssh => ("ssh", vec![port("ssh", 22)]),
        ServiceRole::Gateway => (
            "gateway",
            vec![port("https", 443), port("amqps", 5671), port("mqtts", 8883)],
        ),
    };
    let load_balancer = plan.service_type == "LoadBalancer";
    Service {
        api_version: "v1",
        kind: "Service",
        metadata: meta(
            spec,
            format!("{}-{suffix}", spec.name),
            plan.annotations.clone(),
        ),
        spec: ServiceSpec {
            type_: plan.service_type.clone(),
            selector: BTreeMap::from([(DEVICE_LABEL.to_owned(), spec.name.clone())]),
            ports,
            load_balancer_source_ranges: if load_balancer {
                plan.source_ranges.clone()
            } else {
                vec![]
            },
        },
    }
}

fn port(name: &'static str, number: u16) -> ServicePort {
    ServicePort {
        name,
        protocol: "TCP",
        port: number,
        target_port: number,
    }
}

fn to_value<T: Serialize>(object: &T) -> Value {
    serde_json::to_value(object).unwrap_or_else(|e| unreachable!("manifests are plain data: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLES: [&str; 3] = [
        include_str!("../../../examples/full.yaml"),
        include_str!("../../../examples/minimal.yaml"),
        include_str!("../../../examples/dps-x509.yaml"),
    ];

    /// What the YAML says is what the core meant: every emitted document reads back (as YAML
    /// 1.2) into the value it was made from. The YAML 1.1 reading is checked by the tests in
    /// `tests/tools/`.
    #[test]
    fn yaml_reads_back_as_the_values_it_was_made_from() {
        for input in EXAMPLES {
            let device = crate::parse_device(input).expect("example parses");
            let spec = crate::validate(&device).expect("example is valid").spec;
            let mut plan = secrets::SecretPlan::default();
            let config = aziot_config::render(&spec, &mut plan);
            let cloud_config = cloud_config::build(&spec, config, &plan);
            let text = cloud_config.to_user_data();
            let read: Value = serde_saphyr::from_str(&text).expect("user-data parses");
            assert_eq!(read, to_value(&cloud_config));
            let manifests = render(&spec);
            let stream = manifests.to_yaml();
            let docs: Vec<Value> = serde_saphyr::from_multiple(&stream).expect("stream parses");
            assert_eq!(docs, manifests.documents());
        }
    }

    #[test]
    fn free_form_values_render_the_same_whatever_their_key_order() {
        let device = |toleration: &str| {
            format!(
                "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {{name: d}}\n\
                 spec:\n  vm:\n    tolerations: [{toleration}]\n    \
                 affinity: {{podAffinity: {{z: 1, a: 2}}}}\n  iotEdge:\n    provisioning:\n      \
                 manual: {{connectionString: {{value: 'HostName=h;DeviceId=d;SharedAccessKey=a2V5'}}}}\n"
            )
        };
        let render = |text: &str| {
            crate::render_device(text)
                .expect("renders")
                .manifests
                .to_yaml()
        };
        let a = render(&device("{key: k, operator: Exists, effect: NoSchedule}"));
        let b = render(&device("{effect: NoSchedule, operator: Exists, key: k}"));
        assert_eq!(a, b);
        assert!(a.contains("- effect: NoSchedule\n"), "{a}");
        assert!(a.contains("a: 2\n"), "{a}");
    }
}
