//! Fleet mode: the form's document becomes the device template of an `EdgeDeviceFleet`, whose
//! devices come from a count or from CSV inventory text.
//!
//! After every change the fleet document is built ([`fleet_document`]), written as the YAML
//! that is offered for download, read back and checked by the core ([`evaluate`]): that
//! validates every row but renders nothing. The preview renders only the chosen device
//! ([`device_documents`]); the download renders every device, a slice at a time
//! ([`render_slice`]), so the page stays responsive with a thousand devices. Nothing here
//! touches the DOM, so it is tested natively.

use edgevirt_core::{DeviceSpec, Diagnostic, Severity};
use serde_json::{Map, Value, json};

use crate::state::{self, Document};

/// Where the fleet's devices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// `spec.count` numbered devices.
    Count,
    /// `spec.inventoryCsv`: a header row, then a row per device.
    Csv,
}

/// The fleet's own fields (the template is the form's document).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FleetForm {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) source: Source,
    /// As typed: text that is not a number is passed on, and reported by the core.
    pub(crate) count: String,
    pub(crate) csv: String,
}

impl Default for FleetForm {
    fn default() -> Self {
        FleetForm {
            name: "fleet".to_owned(),
            namespace: String::new(),
            source: Source::Csv,
            count: "3".to_owned(),
            csv: "name\nedge-01\nedge-02\nedge-03\n".to_owned(),
        }
    }
}

/// The variables a template sees, for the help text.
pub(crate) const VARIABLES_HELP: &str = "The steps below edit the template of every device. \
    Any text field may use minijinja templates over the row's variables: {{ index }} (the row's \
    number from 1), {{ index0 }} (from 0), {{ count }} (the number of devices), {{ fleet }} (the \
    fleet's name), {{ row['a-column'] }} and each CSV column by its name, e.g. {{ name }}. \
    Devices must differ in name, hostname, MAC address, IP address and DPS registration ID.";

/// The `EdgeDeviceFleet` document: the fleet's fields around the form's `metadata` and `spec`.
pub(crate) fn fleet_document(form: &FleetForm, doc: &Value) -> Value {
    let mut template = Map::new();
    for key in ["metadata", "spec"] {
        if let Some(value) = doc.get(key) {
            template.insert(key.to_owned(), value.clone());
        }
    }
    let mut metadata = json!({ "name": form.name.trim() });
    if !form.namespace.trim().is_empty() {
        metadata["namespace"] = json!(form.namespace.trim());
    }
    let mut spec = Map::new();
    match form.source {
        Source::Count => {
            let count = form.count.trim();
            let value = count
                .parse::<u64>()
                .map_or_else(|_| json!(count), |n| json!(n));
            spec.insert("count".to_owned(), value);
        }
        Source::Csv => {
            spec.insert("inventoryCsv".to_owned(), json!(form.csv));
        }
    }
    spec.insert("template".to_owned(), Value::Object(template));
    json!({
        "apiVersion": "edgevirt.dev/v1alpha1",
        "kind": "EdgeDeviceFleet",
        "metadata": metadata,
        "spec": spec,
    })
}

/// One row of the fleet, as the table shows it.
#[derive(Debug, Clone)]
pub(crate) struct RowView {
    /// As the core names the row: `spec.inventoryCsv line 7`, `index 3`.
    pub(crate) place: String,
    /// The device, when its templates rendered and it validated on its own.
    pub(crate) spec: Option<DeviceSpec>,
    /// The row's problems (errors first), their paths without the row's place.
    pub(crate) problems: Vec<Diagnostic>,
}

impl RowView {
    /// The short label of the row: `line 7`, `3`.
    pub(crate) fn label(&self) -> &str {
        self.place
            .strip_prefix("spec.inventoryCsv ")
            .or_else(|| self.place.strip_prefix("index "))
            .unwrap_or(&self.place)
    }

    pub(crate) fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// What the core made of the fleet.
#[derive(Debug, Clone, Default)]
pub(crate) struct FleetOutcome {
    /// The `EdgeDeviceFleet` as YAML, as downloaded; `None` when its shape is wrong.
    pub(crate) fleet_yaml: Option<String>,
    pub(crate) rows: Vec<RowView>,
    /// Errors that are not one row's: the fleet's, the template's (`spec.template.…`).
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
    /// Whether every device is ready to render (no error anywhere).
    pub(crate) ok: bool,
}

impl PartialEq for FleetOutcome {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl FleetOutcome {
    /// Every error, the rows' included.
    pub(crate) fn error_count(&self) -> usize {
        self.errors.len() + self.rows.iter().map(RowView::errors).sum::<usize>()
    }

    /// The devices, when every one is ready to render.
    pub(crate) fn specs(&self) -> Option<Vec<&DeviceSpec>> {
        if !self.ok {
            return None;
        }
        self.rows.iter().map(|r| r.spec.as_ref()).collect()
    }

    /// The template's errors at the form's own paths (`spec.template.spec.vm.memory` is the
    /// form's `spec.vm.memory`), for the controls and the step badges.
    pub(crate) fn field_errors(&self) -> Vec<Diagnostic> {
        self.errors
            .iter()
            .filter_map(|d| {
                let path = d.path.strip_prefix("spec.template.")?;
                Some(Diagnostic {
                    path: path.to_owned(),
                    ..d.clone()
                })
            })
            .collect()
    }
}

fn error(message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: "(document)".to_owned(),
        value: None,
        message,
        hint: None,
    }
}

/// Builds the fleet document and checks it as `edgevirt validate` checks the downloaded file:
/// the text that is offered for download is what gets checked.
pub(crate) fn evaluate(form: &FleetForm, doc: &Value) -> FleetOutcome {
    let mut outcome = FleetOutcome::default();
    let value = fleet_document(form, doc);
    let fleet = match edgevirt_core::parse_fleet(&value.to_string()) {
        Ok(fleet) => fleet,
        Err(e) => {
            outcome.take(e.diagnostics(), &e);
            return outcome;
        }
    };
    let text = edgevirt_core::fleet_to_yaml(&fleet);
    let fleet = match edgevirt_core::parse_fleet(&text) {
        Ok(fleet) => fleet,
        Err(e) => {
            outcome.take(e.diagnostics(), &e);
            return outcome;
        }
    };
    outcome.fleet_yaml = Some(text);
    let (rows, result) = edgevirt_core::check_fleet_rows(&fleet);
    outcome.rows = rows
        .into_iter()
        .map(|row| RowView {
            place: row.place,
            spec: row.spec,
            problems: Vec::new(),
        })
        .collect();
    match result {
        Ok(devices) => {
            outcome.ok = true;
            outcome.assign(devices.warnings().to_vec());
        }
        Err(e) => {
            if e.diagnostics().is_empty() {
                outcome.errors.push(error(e.to_string()));
            }
            outcome.assign(e.diagnostics().to_vec());
        }
    }
    outcome
}

impl FleetOutcome {
    fn take(&mut self, diagnostics: &[Diagnostic], e: &edgevirt_core::Error) {
        if diagnostics.is_empty() {
            self.errors.push(error(e.to_string()));
        }
        self.assign(diagnostics.to_vec());
    }

    /// Puts each diagnostic under its row (its path starts with the row's place and `: `), or
    /// with the fleet's.
    fn assign(&mut self, diagnostics: Vec<Diagnostic>) {
        let places: std::collections::HashMap<&str, usize> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.place.as_str(), i))
            .collect();
        let mut by_row: Vec<(usize, Diagnostic)> = Vec::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for d in diagnostics {
            let row = d
                .path
                .split_once(": ")
                .and_then(|(place, rest)| Some((*places.get(place)?, rest.to_owned())));
            match row {
                Some((i, rest)) => by_row.push((i, Diagnostic { path: rest, ..d })),
                None if d.severity == Severity::Error => errors.push(d),
                None => warnings.push(d),
            }
        }
        for (i, d) in by_row {
            self.rows[i].problems.push(d);
        }
        for row in &mut self.rows {
            row.problems.sort_by_key(|d| d.severity != Severity::Error);
        }
        self.errors.extend(errors);
        self.warnings.extend(warnings);
    }
}

/// The manifests of one device, a document per preview tab.
pub(crate) fn device_documents(spec: &DeviceSpec) -> Vec<Document> {
    let manifests = edgevirt_core::render(spec);
    state::split_stream(&manifests.to_yaml(), manifests.documents())
}

/// Appends the manifests of `specs` to `out`: called slice by slice over every device, it
/// gives what `edgevirt render` gives for the fleet document.
pub(crate) fn render_slice(specs: &[&DeviceSpec], out: &mut String) {
    for spec in specs {
        out.push_str(&edgevirt_core::render(spec).to_yaml());
    }
}

/// The name of the download of every device's manifests.
pub(crate) fn manifests_filename(form: &FleetForm) -> String {
    format!("edgevirt-fleet-{}.yaml", file_part(&form.name))
}

/// The name of the download of the fleet document.
pub(crate) fn fleet_filename(form: &FleetForm) -> String {
    format!("{}.edgedevicefleet.yaml", file_part(&form.name))
}

fn file_part(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "fleet".to_owned()
    } else {
        name.replace(['/', '\\'], "-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A device template that validates once its name is a row's.
    fn template() -> Value {
        let mut doc = state::new_device();
        state::set(&mut doc, "metadata.name", json!("{{ name }}"));
        state::set(
            &mut doc,
            "spec.iotEdge.provisioning.manual.connectionString",
            json!({"secretKeyRef": {"name": "hub", "key": "{{ name }}"}}),
        );
        doc
    }

    fn csv_form(csv: &str) -> FleetForm {
        FleetForm {
            name: "plant-a".to_owned(),
            namespace: "iot-edge".to_owned(),
            source: Source::Csv,
            count: String::new(),
            csv: csv.to_owned(),
        }
    }

    #[test]
    fn the_fleet_document_wraps_the_form_as_its_template() {
        let doc = template();
        let fleet = fleet_document(&csv_form("name\na\n"), &doc);
        assert_eq!(fleet["apiVersion"], "edgevirt.dev/v1alpha1");
        assert_eq!(fleet["kind"], "EdgeDeviceFleet");
        assert_eq!(
            fleet["metadata"],
            json!({"name": "plant-a", "namespace": "iot-edge"})
        );
        assert_eq!(fleet["spec"]["inventoryCsv"], "name\na\n");
        assert_eq!(fleet["spec"]["template"]["metadata"], doc["metadata"]);
        assert_eq!(fleet["spec"]["template"]["spec"], doc["spec"]);
        assert!(fleet["spec"].get("count").is_none());

        let mut form = csv_form("");
        form.source = Source::Count;
        form.count = " 12 ".to_owned();
        form.namespace = " ".to_owned();
        let fleet = fleet_document(&form, &doc);
        assert_eq!(fleet["spec"]["count"], 12);
        assert!(fleet["spec"].get("inventoryCsv").is_none());
        assert!(fleet["metadata"].get("namespace").is_none());
        form.count = "many".to_owned();
        let outcome = evaluate(&form, &doc);
        assert!(outcome.fleet_yaml.is_none());
        assert!(
            outcome.errors.iter().any(|d| d.path == "spec.count"),
            "{:?}",
            outcome.errors
        );
    }

    #[test]
    fn a_valid_fleet_has_a_row_per_device_and_renders_as_the_cli_does() {
        let outcome = evaluate(
            &csv_form("name\n# a comment\nedge-01\n\nedge-02\n"),
            &template(),
        );
        assert!(outcome.ok, "{:?} {:?}", outcome.errors, outcome.rows);
        let places: Vec<&str> = outcome.rows.iter().map(|r| r.place.as_str()).collect();
        assert_eq!(
            places,
            ["spec.inventoryCsv line 3", "spec.inventoryCsv line 5"]
        );
        assert_eq!(outcome.rows[0].label(), "line 3");
        let spec = outcome.rows[1].spec.as_ref().expect("a device");
        assert_eq!(spec.name(), "edge-02");
        assert_eq!(spec.namespace(), Some("iot-edge"));
        let specs = outcome.specs().expect("all ready");
        let mut all = String::new();
        render_slice(&specs[..1], &mut all);
        render_slice(&specs[1..], &mut all);
        let text = outcome.fleet_yaml.as_deref().expect("the fleet");
        let cli = edgevirt_core::render_documents(text).expect("renders");
        assert_eq!(all, cli.manifests.to_yaml());
        let preview = device_documents(spec);
        assert!(
            preview
                .iter()
                .any(|d| d.kind == "VirtualMachine" && d.name == "edge-02")
        );
        assert_eq!(
            manifests_filename(&csv_form("")),
            "edgevirt-fleet-plant-a.yaml"
        );
    }

    #[test]
    fn problems_go_to_their_rows_and_the_rest_above() {
        let csv = "name,memory\nedge-01,4Gi\nedge-02,3Gb\nedge-01,4Gi\n";
        let mut doc = template();
        state::set(&mut doc, "spec.vm.memory", json!("{{ memory }}"));
        let outcome = evaluate(&csv_form(csv), &doc);
        assert!(!outcome.ok);
        assert!(outcome.specs().is_none());
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let rows = &outcome.rows;
        assert_eq!(rows.len(), 3);
        assert!(rows[0].problems.is_empty());
        assert_eq!(rows[1].problems[0].path, "spec.vm.memory");
        assert!(rows[1].spec.is_none(), "a bad row has no device");
        assert_eq!(rows[2].place, "spec.inventoryCsv line 4");
        let duplicate = &rows[2].problems[0];
        assert_eq!(duplicate.path, "metadata.name");
        assert!(
            duplicate.message.contains("spec.inventoryCsv line 2"),
            "{duplicate:?}"
        );
        assert_eq!(outcome.error_count(), 2);

        // A problem of every row is the template's: above the table, and at its field.
        state::set(&mut doc, "spec.vm.memory", json!("lots"));
        let outcome = evaluate(&csv_form("name\na\nb\n"), &doc);
        assert!(outcome.rows.iter().all(|r| r.problems.is_empty()));
        assert_eq!(outcome.errors[0].path, "spec.template.spec.vm.memory");
        assert_eq!(outcome.field_errors()[0].path, "spec.vm.memory");

        // A bad header is the fleet's, not a row's.
        let outcome = evaluate(&csv_form("name,index\na,1\n"), &template());
        assert!(
            outcome.errors[0]
                .path
                .starts_with("spec.inventoryCsv line 1"),
            "{:?}",
            outcome.errors
        );
    }

    #[test]
    fn a_count_fleet_numbers_its_rows() {
        let mut doc = template();
        state::set(&mut doc, "metadata.name", json!("edge-{{ index }}"));
        state::set(
            &mut doc,
            "spec.iotEdge.provisioning.manual.connectionString.secretKeyRef.key",
            json!("cs-{{ index }}"),
        );
        let mut form = csv_form("");
        form.source = Source::Count;
        form.count = "12".to_owned();
        let outcome = evaluate(&form, &doc);
        assert!(outcome.ok, "{:?}", outcome.errors);
        assert_eq!(outcome.rows[11].place, "index 12");
        assert_eq!(outcome.rows[11].label(), "12");
        assert_eq!(
            outcome.rows[11].spec.as_ref().map(DeviceSpec::name),
            Some("edge-12")
        );
    }
}
