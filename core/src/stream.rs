//! Expanding `EdgeDevice` and `EdgeDeviceFleet` documents inside a multi-document manifest
//! stream.
//!
//! This is what the Helm post-renderer does: every other document passes through byte for byte
//! (comments, `# Source:` lines, separators, trailing whitespace, a missing final newline), and
//! each `EdgeDevice` or `EdgeDeviceFleet` is replaced, in place, by the manifests it stands for
//! (a fleet's devices are checked against each other, not against other documents).
//!
//! The stream is split on document markers: a line that starts with `---` followed by a space, a
//! tab or the end of the line. YAML ends a block scalar at such a line too, so a `---` inside a
//! block scalar is always indented and never splits a document. A document is parsed only when
//! its text mentions `EdgeDevice`; the rest are copied without being read.

use std::borrow::Cow;

use crate::{Error, Limit, Limits, Manifests, Validated};

/// The annotation Helm 4 sets on each document it hands a post-renderer.
pub const HELM_FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// One document of a stream: its text, marker line included, and where it starts.
struct Chunk<'a> {
    text: &'a str,
    index: usize,
}

/// Splits `input` into documents, keeping every byte: joining the chunks gives `input` back.
fn split(input: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    // Markers start a line, so only a newline followed by `---` can begin one: a vectorized
    // search for those four bytes is much faster than walking the stream line by line.
    for found in memchr::memmem::find_iter(input.as_bytes(), b"\n---") {
        let line = found + 1;
        if is_marker(&input[line..]) {
            chunks.push(Chunk {
                text: &input[start..line],
                index: chunks.len(),
            });
            start = line;
        }
    }
    chunks.push(Chunk {
        text: &input[start..],
        index: chunks.len(),
    });
    chunks
}

/// Whether `text` starts with a `---` document marker line.
fn is_marker(text: &str) -> bool {
    text.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// Replaces every `EdgeDevice` and `EdgeDeviceFleet` document of `input` by its manifests;
/// copies the others.
///
/// # Errors
/// The first bad device stops the run: [`Error::Document`] names its position in the stream and
/// the Helm template it came from, and wraps what is wrong with it. [`Error::Limit`] when the
/// stream goes past one of the default [`Limits`].
pub fn post_render(input: &str) -> Result<String, Error> {
    Ok(post_render_parts(input)?.concat())
}

/// [`post_render`] as the pieces of its output, in order: slices of `input` for the runs of
/// documents that pass through, and the manifests of each `EdgeDevice`. Writing the pieces one
/// after the other gives the same bytes as [`post_render`] without copying the stream; every
/// device is rendered before this returns, so a bad one fails the run before anything is written.
///
/// # Errors
/// As [`post_render`].
pub fn post_render_parts(input: &str) -> Result<Vec<Cow<'_, str>>, Error> {
    post_render_parts_with(input, &Limits::DEFAULT)
}

/// [`post_render_parts`] within `limits`.
///
/// # Errors
/// As [`post_render`].
pub fn post_render_parts_with<'a>(
    input: &'a str,
    limits: &Limits,
) -> Result<Vec<Cow<'a, str>>, Error> {
    limits.check_input(input)?;
    let chunks = split(input);
    if chunks.len() > limits.max_documents {
        return Err(Limit::Documents.error(&format!(
            "the stream has {} documents, more than {}",
            chunks.len(),
            limits.max_documents
        )));
    }
    let finder = memchr::memmem::Finder::new(crate::model::KIND);
    let mut parts = Vec::new();
    // Start of the run of pass-through documents not yet added to `parts`.
    let mut copied_from = 0;
    let mut offset = 0;
    for chunk in chunks {
        let start = offset;
        offset += chunk.text.len();
        if finder.find(chunk.text.as_bytes()).is_none() {
            continue;
        }
        if let Some(rendered) = expand(&chunk, limits)? {
            if copied_from < start {
                parts.push(Cow::Borrowed(&input[copied_from..start]));
            }
            parts.push(Cow::Owned(rendered));
            copied_from = offset;
        }
    }
    if copied_from < input.len() || parts.is_empty() {
        parts.push(Cow::Borrowed(&input[copied_from..]));
    }
    Ok(parts)
}

/// The text that replaces `chunk`, or `None` when it is not an `EdgeDevice` or
/// `EdgeDeviceFleet` after all.
fn expand(chunk: &Chunk<'_>, limits: &Limits) -> Result<Option<String>, Error> {
    let value =
        crate::yaml::from_str(chunk.text, limits).map_err(|e| in_document(chunk, None, e))?;
    if crate::fleet::is_fleet(&value) {
        let origin = helm_origin(chunk.text, &value);
        let mut batch = crate::devices::Batch::new(limits);
        batch.add_fleet(value, None);
        let devices = batch.finish().map_err(|e| in_document(chunk, origin, e))?;
        let yaml = devices.to_yaml();
        let body = yaml.strip_prefix("---\n").unwrap_or(&yaml);
        return Ok(Some(format!("{}{body}", head(chunk.text))));
    }
    if !is_edge_device(&value) {
        return Ok(None);
    }
    let origin = helm_origin(chunk.text, &value);
    let device = crate::parse::device_from_value(value)
        .map_err(|e| in_document(chunk, origin.clone(), e))?;
    let Validated { spec, .. } = crate::validate::validate_with(&device, None, limits)
        .map_err(|e| in_document(chunk, origin.clone(), e))?;
    let mut manifests = crate::render(&spec);
    if let Some(file) = device.metadata.annotations.get(HELM_FILENAME_ANNOTATION) {
        manifests.annotate(HELM_FILENAME_ANNOTATION, file);
    }
    let yaml = manifests.to_yaml();
    let body = yaml.strip_prefix("---\n").unwrap_or(&yaml);
    Ok(Some(format!("{}{body}", head(chunk.text))))
}

/// Whether a parsed document is an edgevirt `EdgeDevice`.
pub(crate) fn is_edge_device(value: &serde_json::Value) -> bool {
    value["kind"] == crate::model::KIND
        && value["apiVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("edgevirt.dev/"))
}

/// The marker line and the comment lines at the top of a document (Helm's `# Source:`), kept
/// above the manifests that replace it. Without a marker of its own, the first manifest gets one.
fn head(text: &str) -> String {
    let mut lines = text.split_inclusive('\n').peekable();
    let marker = lines.next_if(|l| is_marker(l)).unwrap_or("---\n");
    let comments = lines.take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty());
    std::iter::once(marker).chain(comments).collect()
}

/// The Helm template a document came from: the post-renderer annotation, else `# Source:`.
fn helm_origin(text: &str, value: &serde_json::Value) -> Option<String> {
    let annotation = value["metadata"]["annotations"][HELM_FILENAME_ANNOTATION].as_str();
    let source = || {
        text.lines()
            .find_map(|l| l.trim_start().strip_prefix("# Source: ").map(str::to_owned))
    };
    annotation.map(str::to_owned).or_else(source)
}

fn in_document(chunk: &Chunk<'_>, origin: Option<String>, error: Error) -> Error {
    Error::Document {
        index: chunk.index,
        origin,
        error: Box::new(error),
    }
}

impl Manifests {
    /// Sets an annotation on every document.
    pub(crate) fn annotate(&mut self, key: &str, value: &str) {
        for doc in self.documents_mut() {
            let Some(meta) = doc.get_mut("metadata").and_then(|m| m.as_object_mut()) else {
                continue;
            };
            let annotations = meta
                .entry("annotations")
                .or_insert_with(|| serde_json::json!({}));
            if let Some(map) = annotations.as_object_mut() {
                map.insert(key.to_owned(), value.into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {name: d}\n\
        spec: {iotEdge: {provisioning: {manual: {connectionString: {value: \
        \"HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=a2V5\"}}}}}\n";

    fn joined(input: &str) -> String {
        split(input).iter().map(|c| c.text).collect()
    }

    #[test]
    fn splitting_keeps_every_byte() {
        for input in [
            "",
            "a: 1",
            "---\na: 1\n",
            "# head\n---\na: 1\n--- # two\nb: |\n  ---\n  x\n---\n\n",
            "a: 1\n---\r\nb: 2\r\n---   \nc: 3",
            "----\n--- !tag\nx\n",
        ] {
            assert_eq!(joined(input), input);
        }
        assert_eq!(split("a: 1\n---\nb: 2\n").len(), 2);
        assert_eq!(split("----\nx: 1\n").len(), 1, "---- is not a marker");
        assert_eq!(
            split("k: |\n  ---\n  v\n").len(),
            1,
            "indented --- is content"
        );
    }

    #[test]
    fn devices_are_replaced_in_place_under_their_marker_and_comments() {
        let input = format!("a: 1\n--- # dev\n# Source: c/t.yaml\n{DEVICE}---\nb: 2");
        let out = post_render(&input).expect("renders");
        assert!(
            out.starts_with("a: 1\n--- # dev\n# Source: c/t.yaml\napiVersion: v1\nkind: Secret\n")
        );
        assert!(out.contains("\n---\napiVersion: kubevirt.io/v1\nkind: VirtualMachine\n"));
        assert!(out.ends_with("\n---\nb: 2"));
        assert_eq!(
            post_render(DEVICE).map(|o| o.starts_with("---\napiVersion: v1\n")),
            Ok(true)
        );
    }

    #[test]
    fn parts_borrow_the_runs_around_each_device() {
        let input = format!("a: 1\n---\nb: 2\n---\n{DEVICE}---\nc: 3\n");
        let parts = post_render_parts(&input).expect("renders");
        let kinds: Vec<bool> = parts
            .iter()
            .map(|p| matches!(p, Cow::Borrowed(_)))
            .collect();
        assert_eq!(kinds, [true, false, true]);
        assert_eq!(parts[0], "a: 1\n---\nb: 2\n");
        assert_eq!(parts[2], "---\nc: 3\n");
        assert_eq!(parts.concat(), post_render(&input).expect("renders"));
        let plain = "x: 1\n---\ny: 2";
        assert_eq!(post_render_parts(plain), Ok(vec![Cow::Borrowed(plain)]));
        assert_eq!(post_render_parts(""), Ok(vec![Cow::Borrowed("")]));
    }

    #[test]
    fn fleets_are_replaced_in_place_by_their_devices() {
        let fleet = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDeviceFleet\n\
            metadata: {name: f}\nspec:\n  count: 2\n  template:\n    \
            metadata: {name: 'd-{{ index }}'}\n    spec: {iotEdge: {provisioning: {manual: \
            {connectionString: {secretKeyRef: {name: hub, key: cs}}}}}}\n";
        let input = format!("a: 1\n---\n# Source: c/fleet.yaml\n{fleet}---\nb: 2\n");
        let out = post_render(&input).expect("renders");
        let devices = crate::validate_documents(fleet).expect("valid");
        let body = devices.to_yaml();
        let expected = format!(
            "a: 1\n---\n# Source: c/fleet.yaml\n{}---\nb: 2\n",
            body.strip_prefix("---\n").expect("a stream")
        );
        assert_eq!(out, expected);
        assert_eq!(out.matches("kind: VirtualMachine").count(), 2);

        let bad = input.replace("count: 2", "count: 0");
        let Err(Error::Document { index, origin, .. }) = post_render(&bad) else {
            panic!("a bad fleet fails the stream");
        };
        assert_eq!((index, origin.as_deref()), (1, Some("c/fleet.yaml")));
    }

    #[test]
    fn other_documents_pass_through_untouched() {
        let input = "# Source: a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n\
                     data: {x: \"EdgeDevice\"}\n---\nkind: Secret   \n";
        assert_eq!(post_render(input).as_deref(), Ok(input));
    }
}
