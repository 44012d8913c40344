//! The `EdgeDevice` input document, exactly as a user writes it.
//!
//! These types are deliberately loose: every field is optional where a default exists, strings stay
//! strings, and nothing here is checked. [`crate::validate`] turns an [`EdgeDevice`] into the
//! validated [`crate::spec::DeviceSpec`] the renderers accept. The field documentation is also the
//! help text of the generated JSON Schema, the chart's `values.schema.json` and the wizard.

mod device;
mod fleet;
mod iot_edge;
mod network;

pub use device::*;
pub use fleet::*;
pub use iot_edge::*;
pub use network::*;

/// The `apiVersion` every edgevirt document carries.
pub const API_VERSION: &str = "edgevirt.dev/v1alpha1";

/// The `kind` of a single device document.
pub const KIND: &str = "EdgeDevice";
