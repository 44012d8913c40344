//! Inputs of many devices: a text of `EdgeDevice` and `EdgeDeviceFleet` documents, checked
//! together, and the [`Devices`] that come out of it.
//!
//! This is what `edgevirt render` and `edgevirt validate` take. A text of one `EdgeDevice` gives
//! what [`crate::render_device`] gives, with the same messages; a text of several documents
//! names the document of each problem (`document 1: ...`, from 0) and also checks that devices
//! of different documents do not clash.

use crate::diagnostic::Diagnostics;
use crate::fleet::Seen;
use crate::model::EdgeDevice;
use crate::spec::DeviceSpec;
use crate::{Diagnostic, Error, Limits, Manifests, Rendered, Severity, Validated};

/// Checked devices, ready to render, and the warnings found on the way.
#[derive(Debug, Clone, Default)]
pub struct Devices {
    specs: Vec<DeviceSpec>,
    warnings: Vec<Diagnostic>,
}

impl Devices {
    /// The devices, in the order of the input (a fleet's in the order of its rows).
    pub fn specs(&self) -> &[DeviceSpec] {
        &self.specs
    }

    /// Problems that did not stop rendering.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The manifests of every device, in order.
    pub fn manifests(&self) -> Manifests {
        let mut all = Manifests::default();
        for spec in &self.specs {
            all.extend(crate::render(spec));
        }
        all
    }

    /// The YAML stream of each device in turn: written one after the other, they give
    /// [`Devices::to_yaml`] without holding every device's manifests at once.
    pub fn yaml_streams(&self) -> impl Iterator<Item = String> + '_ {
        self.specs.iter().map(|spec| crate::render(spec).to_yaml())
    }

    /// The manifests of every device as one YAML stream.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        for spec in &self.specs {
            crate::render(spec).append_yaml(&mut out);
        }
        out
    }
}

/// Devices being gathered from the documents of an input, and the problems found.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    devices: Devices,
    errors: Vec<Diagnostic>,
    seen: Seen,
    limits: Limits,
}

impl Batch {
    pub(crate) fn new(limits: &Limits) -> Self {
        Batch {
            limits: *limits,
            ..Batch::default()
        }
    }

    /// The limits the devices are checked within.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Checks a device against the devices before it (see [`Seen`]).
    pub(crate) fn check_unique(&mut self, place: &str, device: &EdgeDevice, d: &mut Diagnostics) {
        self.seen.check(place, device, d);
    }

    /// Adds a checked device.
    pub(crate) fn add_spec(&mut self, spec: DeviceSpec) {
        self.devices.specs.push(spec);
    }

    /// Records problems; in a stream, each path says which document it is in.
    pub(crate) fn report(&mut self, diagnostics: Vec<Diagnostic>, document: Option<usize>) {
        for mut d in diagnostics {
            if let Some(i) = document {
                d.path = format!("document {i}: {}", d.path);
            }
            match d.severity {
                Severity::Error => self.errors.push(d),
                Severity::Warning => self.devices.warnings.push(d),
            }
        }
    }

    /// Adds the device of a parsed `EdgeDevice` document.
    pub(crate) fn add_device(&mut self, value: serde_json::Value, document: Option<usize>) {
        let mut d = Diagnostics::default();
        let outcome = crate::parse::device_from_value(value).and_then(|device| {
            let place =
                document.map_or_else(|| "the input".to_owned(), |i| format!("document {i}"));
            self.check_unique(&place, &device, &mut d);
            crate::validate::validate_with(&device, None, &self.limits)
        });
        match outcome {
            Ok(Validated { spec, warnings }) => {
                d.items.extend(warnings);
                self.add_spec(spec);
            }
            Err(error) => d.items.extend(error.diagnostics().iter().cloned()),
        }
        self.report(d.items, document);
    }

    /// Adds the devices of a parsed `EdgeDeviceFleet` document.
    pub(crate) fn add_fleet(&mut self, value: serde_json::Value, document: Option<usize>) {
        match crate::parse::from_value_strict(value, "") {
            Ok(fleet) => {
                crate::fleet::add(self, &fleet, document, false);
            }
            Err(error) => self.report(error.diagnostics().to_vec(), document),
        }
    }

    /// The devices, or every error and warning when there is an error.
    pub(crate) fn finish(self) -> Result<Devices, Error> {
        if self.errors.is_empty() {
            return Ok(self.devices);
        }
        let mut diagnostics = self.errors;
        diagnostics.extend(self.devices.warnings);
        Err(Error::Invalid { diagnostics })
    }
}

/// Reads, expands and checks every `EdgeDevice` and `EdgeDeviceFleet` document of `text`.
///
/// # Errors
/// [`Error::Syntax`] when the text is not YAML, [`Error::Invalid`] with every problem of every
/// document, [`Error::Limit`] when the text goes past one of the default [`Limits`].
pub fn validate_documents(text: &str) -> Result<Devices, Error> {
    validate_documents_with(text, &Limits::DEFAULT)
}

/// [`validate_documents`] within `limits`.
///
/// # Errors
/// As [`validate_documents`].
pub fn validate_documents_with(text: &str, limits: &Limits) -> Result<Devices, Error> {
    let mut documents = crate::yaml::from_str_multiple(text, limits)?;
    let mut batch = Batch::new(limits);
    if documents.len() <= 1 {
        let value = documents.pop().unwrap_or_default();
        add_document(&mut batch, value, None);
    } else {
        for (i, value) in documents.into_iter().enumerate() {
            add_document(&mut batch, value, Some(i));
        }
    }
    batch.finish()
}

fn add_document(batch: &mut Batch, value: serde_json::Value, document: Option<usize>) {
    if value["kind"] == crate::model::FLEET_KIND {
        batch.add_fleet(value, document);
    } else {
        batch.add_device(value, document);
    }
}

/// Parses, expands, validates and renders every device of `text`: an `EdgeDevice`, an
/// `EdgeDeviceFleet`, or a stream of several.
///
/// # Errors
/// As [`validate_documents`].
pub fn render_documents(text: &str) -> Result<Rendered, Error> {
    let devices = validate_documents(text)?;
    Ok(Rendered {
        manifests: devices.manifests(),
        warnings: devices.warnings,
    })
}
