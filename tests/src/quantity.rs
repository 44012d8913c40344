//! Kubernetes resource quantities (`128Mi`, `1G`, `1e9`, `12`) as numbers of base units.
//!
//! Parsing is `kube_quantity`'s. A bare number is a count of base units, so `memory.guest: 12`
//! means twelve bytes: that is the trap the memory rule exists to catch. `kube_quantity` 0.9
//! rejects the exa suffix `E` without a number after it (`1E`), which Kubernetes reads as 10^18;
//! nobody writes exabytes of guest memory, so the checker reports it as unparseable.

use kube_quantity::ParsedQuantity;
use serde_json::Value;

/// The quantity in `value` as base units (bytes, for memory).
///
/// # Errors
///
/// A message naming the value when it is neither a number nor a quantity string.
pub(crate) fn base_units(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(number) => number
            .as_f64()
            .ok_or_else(|| format!("{number} is not a quantity")),
        Value::String(text) => ParsedQuantity::try_from(text.as_str())
            .ok()
            .and_then(|quantity| quantity.to_bytes_f64())
            .ok_or_else(|| format!("{text:?} is not a quantity (expected e.g. 4Gi or 512Mi)")),
        other => Err(format!("{other} is not a quantity")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn binary_decimal_and_bare_quantities() {
        let cases = [
            (json!("128Mi"), 134_217_728.0),
            (json!("1M"), 1e6),
            (json!("1.5Gi"), 1_610_612_736.0),
            (json!("1e3"), 1000.0),
            (json!(12), 12.0),
            (json!("12"), 12.0),
            (json!("1m"), 0.001),
        ];
        for (value, bytes) in cases {
            assert_eq!(base_units(&value), Ok(bytes), "{value}");
        }
    }

    #[test]
    fn malformed_quantities_are_reported_with_their_value() {
        for bad in [json!("3Gb"), json!("1 Gi"), json!(""), json!(true)] {
            let message = base_units(&bad).expect_err("not a quantity");
            assert!(message.contains("not a quantity"), "{message}");
        }
    }
}
