//! The JSON Schema of `EdgeDevice`, generated from the model types.

use crate::EdgeDevice;

/// The JSON Schema (draft 2020-12) of an `EdgeDevice` document.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(EdgeDevice);
    schema.to_value()
}
