//! The JSON Schema of `EdgeDevice`, generated from the model types.
//!
//! The parser refuses keys it does not know, so the schema does too: every object with declared
//! properties gets `additionalProperties: false`, and editors flag a misspelt field as the CLI
//! would.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;

use crate::EdgeDevice;

/// The JSON Schema (draft 2020-12) of an `EdgeDevice` document.
pub fn json_schema() -> serde_json::Value {
    let closed_objects = RecursiveTransform(|schema: &mut Schema| {
        if schema.get("properties").is_some() && schema.get("additionalProperties").is_none() {
            schema.insert("additionalProperties".to_owned(), false.into());
        }
    });
    let generator = SchemaSettings::draft2020_12()
        .with_transform(closed_objects)
        .into_generator();
    generator.into_root_schema_for::<EdgeDevice>().to_value()
}
