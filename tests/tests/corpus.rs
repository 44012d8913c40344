//! Real manifest streams nobody here wrote (`tests/corpus/`: charts rendered by Helm, KubeVirt's
//! own examples, YAML edge cases) go through `edgevirt post-render` byte for byte. With an
//! `EdgeDevice` inserted between two of their documents, everything around it still comes out
//! byte-identical, and in its place come the documents `edgevirt render` gives for it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{edgevirt, render_each, repo, run};

fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![repo().join("tests/corpus")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read a corpus folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 50, "the corpus is missing: {files:?}");
    files
}

fn post_render(stream: &str) -> String {
    run(Command::new(edgevirt()).arg("post-render"), stream)
}

fn name(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_stream_passes_through_byte_identical() {
    for path in corpus() {
        let stream = std::fs::read_to_string(&path).expect("read a stream");
        let out = post_render(&stream);
        assert!(out == stream, "{} changed in post-render", name(&path));
    }
}

/// Where a document starts in `stream`: the byte offsets of its `---` lines after the first
/// line. A line starting `---` is a document marker wherever it is: block scalar content is
/// always indented.
fn document_starts(stream: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in stream.split_inclusive('\n') {
        let marker = line.strip_prefix("---");
        if offset > 0
            && marker
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\n', '\r', '\t']))
        {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

#[test]
fn an_inserted_edge_device_leaves_the_rest_byte_identical() {
    let device = std::fs::read_to_string(repo().join("tests/cases/minimal/input.yaml"))
        .expect("read the minimal case");
    let expected = edgevirt_tests::parse_stream(&render_each([device.as_str()])).expect("YAML");
    for path in corpus() {
        let stream = std::fs::read_to_string(&path).expect("read a stream");
        // Between the two middle documents, or after the only one.
        let starts = document_starts(&stream);
        let at = starts
            .get(starts.len() / 2)
            .copied()
            .unwrap_or(stream.len());
        let (before, after) = stream.split_at(at);
        let newline = if before.is_empty() || before.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let input = format!("{before}{newline}---\n{device}{after}");

        let out = post_render(&input);
        let what = name(&path);
        assert!(
            out.starts_with(before),
            "{what}: the documents before the device changed"
        );
        assert!(
            out.ends_with(after),
            "{what}: the documents after the device changed"
        );
        let middle = &out[before.len()..out.len() - after.len()];
        let documents = edgevirt_tests::parse_stream(middle).expect("YAML");
        assert!(
            documents == expected,
            "{what}: the device rendered differently:\n{middle}"
        );
    }
}
