//! edgevirt-core renders an Azure IoT Edge device as the Kubernetes manifests that run it as a
//! KubeVirt virtual machine.
//!
//! One input, the `EdgeDevice` document ([`EdgeDevice`]), becomes a cloud-init Secret, any
//! NetworkAttachmentDefinitions, a `VirtualMachine` whose cloud-init installs and provisions IoT
//! Edge, and Services. The crate does no I/O and keeps no state: the same bytes in give the same
//! bytes out on every target (native, WASI, browser).
//!
//! The steps are separate so each shell can stop where it needs to:
//!
//! 1. [`parse_device`] reads YAML or JSON into the loose input model,
//! 2. [`validate()`] checks every field at once and resolves defaults into a [`DeviceSpec`],
//! 3. [`render()`] turns the spec into [`Manifests`].
//!
//! [`render_device`] does all three.
//!
//! Many devices come from an `EdgeDeviceFleet` ([`EdgeDeviceFleet`]): a device template whose
//! strings are sandboxed minijinja templates, expanded over a `count` or an inventory (a YAML list
//! or CSV text) with a row per device. [`parse_fleet`] and [`validate_fleet`] read and check one;
//! [`validate_documents`] and [`render_documents`] take any text of `EdgeDevice` and
//! `EdgeDeviceFleet` documents, as `edgevirt render` does, and check the devices against each
//! other (names, hostnames, MACs, static IPs and DPS registration IDs differ). A fleet's
//! [`Devices`] render one by one ([`Devices::yaml_streams`]), so its manifests need not all be in
//! memory at once.
//!
//! ```
//! let fleet = r#"
//! apiVersion: edgevirt.dev/v1alpha1
//! kind: EdgeDeviceFleet
//! metadata: {name: lab, namespace: iot-lab}
//! spec:
//!   inventoryCsv: |
//!     name,ip
//!     lab-edge-01,10.0.0.11
//!     lab-edge-02,10.0.0.12
//!   template:
//!     metadata: {name: '{{ name }}'}
//!     spec:
//!       network:
//!         interfaces: [{name: lan, networkName: lab-net, addresses: ['{{ ip }}/24']}]
//!       iotEdge:
//!         provisioning:
//!           manual:
//!             connectionString:
//!               secretKeyRef: {name: '{{ name }}-hub', key: connection-string}
//! "#;
//! let devices = edgevirt_core::validate_documents(fleet).expect("a valid fleet");
//! assert_eq!(devices.specs().len(), 2);
//! assert!(devices.to_yaml().contains("name: lab-edge-02\n"));
//!
//! let clash = fleet.replace("10.0.0.12", "10.0.0.11");
//! let error = edgevirt_core::validate_documents(&clash).expect_err("the same address twice");
//! assert!(error.to_string().contains(
//!     "spec.inventoryCsv line 3: spec.network.interfaces[0].addresses[0]: \"10.0.0.11/24\" \
//!      is used by spec.inventoryCsv line 2 too"
//! ));
//! ```
//!
//! ```
//! let input = r#"
//! apiVersion: edgevirt.dev/v1alpha1
//! kind: EdgeDevice
//! metadata: {name: plant-a-edge-01}
//! spec:
//!   iotEdge:
//!     provisioning:
//!       manual:
//!         connectionString:
//!           value: "HostName=hub.azure-devices.net;DeviceId=plant-a-edge-01;SharedAccessKey=c2VjcmV0"
//! "#;
//! let rendered = edgevirt_core::render_device(input).expect("a valid device");
//! let yaml = rendered.manifests.to_yaml();
//! assert!(yaml.contains("kind: VirtualMachine"));
//! assert!(rendered.warnings.is_empty());
//! ```

mod devices;
mod diagnostic;
mod error;
mod fleet;
mod import;
mod krm;
mod limits;
pub mod model;
mod parse;
mod render;
mod schema;
mod spec;
mod stream;
mod template;
mod validate;
pub mod versions;
mod yaml;

pub use devices::{Devices, render_documents, validate_documents, validate_documents_with};
pub use diagnostic::{Diagnostic, Severity};
pub use error::Error;
pub use fleet::{FleetRow, check_fleet_rows, parse_fleet, validate_fleet};
pub use import::import_config_toml;
pub use krm::{KrmOutput, krm, krm_with};
pub use limits::{Limit, Limits};
pub use model::{EdgeDevice, EdgeDeviceFleet};
pub use parse::{parse_device, parse_device_lenient};
pub use render::{Manifests, render};
pub use schema::{fleet_json_schema, json_schema};
pub use spec::DeviceSpec;
pub use stream::{
    HELM_FILENAME_ANNOTATION, post_render, post_render_parts, post_render_parts_with,
};
pub use validate::{Validated, validate};

/// The version of edgevirt.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serializes an `EdgeDevice` as a YAML document, e.g. after [`import_config_toml`].
pub fn device_to_yaml(device: &EdgeDevice) -> String {
    yaml::to_string(device)
}

/// Serializes an `EdgeDeviceFleet` as a YAML document.
pub fn fleet_to_yaml(fleet: &EdgeDeviceFleet) -> String {
    yaml::to_string(fleet)
}

/// The `values.yaml` for `charts/edgevirt` that installs this one device: its `metadata` and
/// `spec` under `device:`. The chart copies them into an `EdgeDevice` document unchanged, so
/// `helm template --post-renderer edgevirt` gives what `edgevirt render` gives for the device.
pub fn chart_values_yaml(device: &EdgeDevice) -> String {
    #[derive(serde::Serialize)]
    struct Values<'a> {
        device: ChartDevice<'a>,
    }
    #[derive(serde::Serialize)]
    struct ChartDevice<'a> {
        metadata: &'a model::Metadata,
        spec: &'a model::EdgeDeviceSpec,
    }
    yaml::to_string(&Values {
        device: ChartDevice {
            metadata: &device.metadata,
            spec: &device.spec,
        },
    })
}

/// A rendered device and the warnings found while checking it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The manifests, in apply order.
    pub manifests: Manifests,
    /// Problems that did not stop rendering.
    pub warnings: Vec<Diagnostic>,
}

/// Parses, validates and renders one `EdgeDevice` document.
///
/// # Errors
/// [`Error::Syntax`] for text that is not YAML, [`Error::Invalid`] with every problem found.
pub fn render_device(text: &str) -> Result<Rendered, Error> {
    let device = parse_device(text)?;
    let Validated { spec, warnings } = validate(&device)?;
    Ok(Rendered {
        manifests: render(&spec),
        warnings,
    })
}
