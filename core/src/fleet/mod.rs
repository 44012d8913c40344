//! Fleets: one `EdgeDeviceFleet` document becomes many devices.
//!
//! A fleet is a device template and its rows: `count` rows without columns, or an inventory
//! with a row per device (a YAML list of maps, or CSV text with a header row). For each row the
//! template's strings are rendered as sandboxed minijinja templates over the row's variables
//! (`index` from 1, `index0` from 0, `count`, `fleet`, `row` and each column by name), the result
//! is read and validated as an `EdgeDevice`, and the devices are checked against each other:
//! names, hostnames, MAC addresses, static IP addresses and DPS registration IDs must differ.
//!
//! Every problem of every row is reported at once, each under the row's place in the document
//! (`spec.inventoryCsv line 7: spec.vm.memory: ...`). A problem that every device has is the
//! template's, and is reported once, under `spec.template`.

mod expand;
mod inventory;
mod unique;

use std::collections::{BTreeMap, HashMap};

use crate::devices::{Batch, Devices};
use crate::diagnostic::Diagnostics;
use crate::model::{self, EdgeDeviceFleet};
use crate::validate::checks::is_dns_label;
use crate::{DeviceSpec, Diagnostic, Error, Severity, Validated};

pub(crate) use unique::Seen;

use inventory::Row;

/// Reads one `EdgeDeviceFleet` document from YAML or JSON text.
///
/// Only the fleet's own shape is checked here; its template is read as a device once per row,
/// by [`validate_fleet`].
///
/// # Errors
/// [`Error::Syntax`] when the text is not one YAML document, [`Error::Invalid`] when a field has
/// the wrong type or a key is unknown.
pub fn parse_fleet(text: &str) -> Result<EdgeDeviceFleet, Error> {
    let value = crate::yaml::from_str(text, &crate::Limits::DEFAULT)?;
    crate::parse::from_value_strict(value, "")
}

/// Expands `fleet` into its devices and checks each of them, and all of them together.
///
/// # Errors
/// [`Error::Invalid`] with every problem of the fleet and of every device, each under the place
/// of its row.
pub fn validate_fleet(fleet: &EdgeDeviceFleet) -> Result<Devices, Error> {
    let mut batch = Batch::default();
    add(&mut batch, fleet, None, false);
    batch.finish()
}

/// One row of a checked fleet: where it is in the document, and its device when the row's
/// templates rendered and the device passed validation on its own (it may still clash with
/// another row).
#[derive(Debug, Clone)]
pub struct FleetRow {
    /// As messages name the row: `spec.inventoryCsv line 7`, `spec.inventory[2]`, `index 3`.
    pub place: String,
    /// The row's device.
    pub spec: Option<DeviceSpec>,
}

/// [`validate_fleet`], and also each row with its device, for showing a fleet row by row even
/// when some rows are bad. Every problem of a row has a path that starts with the row's place
/// and `: `.
pub fn check_fleet_rows(fleet: &EdgeDeviceFleet) -> (Vec<FleetRow>, Result<Devices, Error>) {
    let mut batch = Batch::default();
    let rows = add(&mut batch, fleet, None, true);
    (rows, batch.finish())
}

/// Whether a parsed document is an edgevirt `EdgeDeviceFleet`.
pub(crate) fn is_fleet(value: &serde_json::Value) -> bool {
    value["kind"] == model::FLEET_KIND
        && value["apiVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("edgevirt.dev/"))
}

/// Adds the devices of `fleet` to `batch`; `document` is its position in a stream of several.
/// Returns the rows, with their devices when `keep_specs`.
pub(crate) fn add(
    batch: &mut Batch,
    fleet: &EdgeDeviceFleet,
    document: Option<usize>,
    keep_specs: bool,
) -> Vec<FleetRow> {
    let mut d = Diagnostics::default();
    check_fleet(fleet, &mut d);
    // The fleet's name, namespace and labels go into every device: when one is bad, each
    // device would only repeat the problem.
    let fleet_ok = !d.has_errors();
    let limits = *batch.limits();
    let rows = inventory::rows(&fleet.spec, limits.max_devices, &mut d);
    let base = expand::base_document(fleet);
    let sandbox = crate::template::Sandbox::new(&limits);
    let expander = expand::Expander::new(&base, &sandbox, &mut d);
    batch.report(d.items, document);
    // The rows that could be read are expanded even after a bad one, so that every problem
    // shows at once; a bad template leaves nothing to expand.
    let Some(expander) = expander.filter(|_| fleet_ok) else {
        return Vec::new();
    };
    let count = rows.len();
    let mut expanded = Vec::with_capacity(count);
    let mut checked = Vec::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    for (i, row) in rows.iter().enumerate() {
        let mut row_spec = None;
        let vars = row_variables(&fleet.metadata.name, i, count, row);
        let mut expand_d = Diagnostics::default();
        let mut check_d = Diagnostics::default();
        let doc = expander.device(&vars, &mut expand_d);
        let rendered = doc.is_some();
        if let Some(doc) = doc {
            let place = place(document, &row.place);
            let outcome = crate::parse::device_from_value(doc).and_then(|device| {
                batch.check_unique(&place, &device, &mut check_d);
                crate::validate::validate_with(&device, Some(&vars), &limits)
            });
            match outcome {
                Ok(Validated { spec, warnings }) => {
                    check_d.items.extend(warnings);
                    row_spec = keep_specs.then(|| spec.clone());
                    batch.add_spec(spec);
                }
                Err(error) => check_d.items.extend(error.diagnostics().iter().cloned()),
            }
        }
        out.push(FleetRow {
            place: row.place.clone(),
            spec: row_spec,
        });
        expanded.push(expand_d.items);
        checked.push(rendered.then_some(check_d.items));
    }
    batch.report(collapse(expanded, checked, &rows), document);
    out
}

/// Where a row is, for messages about another device: `spec.inventory[2]`, or
/// `spec.inventory[2] of document 1` in a stream.
fn place(document: Option<usize>, row: &str) -> String {
    match document {
        Some(i) => format!("{row} of document {i}"),
        None => row.to_owned(),
    }
}

fn check_fleet(fleet: &EdgeDeviceFleet, d: &mut Diagnostics) {
    crate::validate::check_type(&fleet.api_version, &fleet.kind, model::FLEET_KIND, d);
    let name = &fleet.metadata.name;
    if !is_dns_label(name, 63) {
        d.error(
            "metadata.name",
            Some(name),
            "is not a valid fleet name",
            "a DNS-1123 label such as plant-a; templates see it as fleet",
        );
    }
    if let Some(ns) = &fleet.metadata.namespace
        && !is_dns_label(ns, 63)
    {
        d.error(
            "metadata.namespace",
            Some(ns),
            "is not a valid namespace",
            "a DNS-1123 label such as iot-edge",
        );
    }
    crate::validate::check_labels("metadata.labels", &fleet.metadata.labels, d);
}

/// The variables of one row's templates.
fn row_variables(fleet: &str, index0: usize, count: usize, row: &Row) -> minijinja::Value {
    let columns: BTreeMap<String, minijinja::Value> = row
        .columns
        .iter()
        .map(|(k, v)| (k.clone(), minijinja::Value::from(v.as_str())))
        .collect();
    let mut vars = columns.clone();
    vars.insert("row".to_owned(), minijinja::Value::from(columns));
    vars.insert("index".to_owned(), minijinja::Value::from(index0 + 1));
    vars.insert("index0".to_owned(), minijinja::Value::from(index0));
    vars.insert("count".to_owned(), minijinja::Value::from(count));
    vars.insert("fleet".to_owned(), minijinja::Value::from(fleet));
    minijinja::Value::from(vars)
}

type Key<'a> = (bool, &'a str, Option<&'a str>, &'a str, Option<&'a str>);

fn key(d: &Diagnostic) -> Key<'_> {
    (
        d.severity == Severity::Error,
        d.path.as_str(),
        d.value.as_deref(),
        d.message.as_str(),
        d.hint.as_deref(),
    )
}

/// The problems of every row under the row's place, except those every device has: these are
/// the template's, reported once under `spec.template`, before the others.
///
/// A row's templates are rendered first (`expanded`); only a row whose templates rendered is
/// read and checked as a device (`checked`). A problem is the template's when it comes up at its
/// stage for every row that reached that stage, and there are at least two of them.
fn collapse(
    expanded: Vec<Vec<Diagnostic>>,
    checked: Vec<Option<Vec<Diagnostic>>>,
    rows: &[Row],
) -> Vec<Diagnostic> {
    let expanded_flags = everywhere(expanded.iter());
    let checked_flags = everywhere(checked.iter().flatten());
    let mut checked_flags = checked_flags.into_iter();
    let mut template = Vec::new();
    let mut by_row = Vec::new();
    let per_row = expanded.into_iter().zip(expanded_flags).zip(checked);
    for (((expand_d, expand_f), check_d), row) in per_row.zip(rows) {
        let check = check_d.map(|d| (d, checked_flags.next().unwrap_or_default()));
        let (check_d, check_f) = check.unwrap_or_default();
        let row_d = expand_d.into_iter().chain(check_d);
        let row_f = expand_f.into_iter().chain(check_f);
        for (mut d, every) in row_d.zip(row_f) {
            if !every {
                d.path = format!("{}: {}", row.place, d.path);
                by_row.push(d);
            } else if !template.contains(&d) {
                template.push(d);
            }
        }
    }
    for d in &mut template {
        d.path = match d.path.as_str() {
            "(document)" => "spec.template".to_owned(),
            path => format!("spec.template.{path}"),
        };
    }
    template.into_iter().chain(by_row).collect()
}

/// For each diagnostic of each row, whether every row has it (and there are two rows or more).
fn everywhere<'a>(rows: impl Iterator<Item = &'a Vec<Diagnostic>> + Clone) -> Vec<Vec<bool>> {
    let mut counts: HashMap<Key<'a>, usize> = HashMap::new();
    let mut all = 0;
    for diags in rows.clone() {
        all += 1;
        for d in diags {
            *counts.entry(key(d)).or_default() += 1;
        }
    }
    rows.map(|diags| {
        diags
            .iter()
            .map(|d| all >= 2 && counts.get(&key(d)) == Some(&all))
            .collect()
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(spec: &str) -> String {
        format!(
            "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDeviceFleet\n\
             metadata: {{name: f, namespace: ns, labels: {{tier: fleet, site: a}}}}\n{spec}"
        )
    }

    const PROVISIONING: &str = "iotEdge: {provisioning: {manual: {connectionString: \
        {secretKeyRef: {name: hub, key: cs}}}}}";

    fn problems(text: &str) -> Vec<String> {
        match crate::validate_documents(text) {
            Ok(_) => Vec::new(),
            Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn devices_take_the_fleet_metadata_under_their_own() {
        let text = fleet(&format!(
            "spec:\n  inventory: [{{n: a}}, {{n: b, ns: other}}]\n  template:\n    \
             metadata: {{name: 'd-{{{{ n }}}}', namespace: '{{{{ row.ns | default(\"ns\") }}}}', \
             labels: {{site: '{{{{ n }}}}'}}}}\n    spec: {{{PROVISIONING}}}\n"
        ));
        let devices = crate::validate_documents(&text).expect("valid");
        let vm = |i: usize| devices.specs()[i].clone();
        assert_eq!(vm(0).namespace.as_deref(), Some("ns"));
        assert_eq!(vm(1).namespace.as_deref(), Some("other"));
        let labels = &vm(1).labels;
        assert_eq!(labels["site"], "b", "the template's label wins");
        assert_eq!(labels["tier"], "fleet");
        assert_eq!(labels[expand::FLEET_LABEL], "f");
    }

    #[test]
    fn a_lone_device_keeps_its_problems_under_its_row() {
        let text = fleet(&format!(
            "spec:\n  count: 1\n  template:\n    metadata: {{name: d}}\n    \
             spec: {{vm: {{memory: 3Gb}}, {PROVISIONING}}}\n"
        ));
        assert_eq!(
            problems(&text),
            ["index 1: spec.vm.memory: \"3Gb\" is not a quantity (expected e.g. 4Gi)"]
        );
    }

    #[test]
    fn numbers_and_booleans_are_read_from_their_templates() {
        let text = fleet(&format!(
            "spec:\n  inventory: [{{c: '4', tpm: 'yes'}}]\n  template:\n    metadata: {{name: d}}\n    \
             spec: {{vm: {{cpu: {{cores: '{{{{ c }}}}'}}, tpm: '{{{{ tpm == \"yes\" }}}}'}}, \
             {PROVISIONING}}}\n"
        ));
        let devices = crate::validate_documents(&text).expect("valid");
        let spec = &devices.specs()[0];
        assert!(spec.vm.tpm);
        assert!(matches!(
            spec.vm.sizing,
            crate::spec::Sizing::Explicit { cores: 4, .. }
        ));
    }

    #[test]
    fn templates_cannot_reach_outside_the_row() {
        for (template, message) in [
            ("{% include 'x' %}", "is not a valid template"),
            ("{{ env }}", "\"env\" is undefined"),
            (
                "{{ 'x' * 300000 }}",
                "more than the 262144 a template may render",
            ),
        ] {
            let text = fleet(&format!(
                "spec:\n  count: 2\n  template:\n    metadata: {{name: 'd-{{{{ index }}}}'}}\n    \
                 spec: {{os: {{timezone: \"{template}\"}}, {PROVISIONING}}}\n"
            ));
            let found = problems(&text);
            assert!(
                found.len() == 1
                    && found[0].starts_with("spec.template.spec.os.timezone: ")
                    && found[0].contains(message),
                "{template}: {found:?}"
            );
        }
    }
}
