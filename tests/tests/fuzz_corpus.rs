//! Replays the fuzz corpora on stable Rust: every input the fuzzers kept (fuzz/corpus/<target>)
//! and every input that once crashed a target (fuzz/crashes/<target>) goes through the same
//! target body as under libFuzzer, so `cargo test` needs no nightly toolchain and a crash, once
//! found and fixed, stays fixed.

#[path = "../../fuzz/src/targets.rs"]
mod targets;

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// A fuzz target's body: one input, and a panic when something does not hold.
type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 5] = [
    ("post_render", targets::post_render),
    ("documents", targets::documents),
    ("krm", targets::krm),
    ("import_toml", targets::import_toml),
    ("template", targets::template),
];

/// Runs `target` on every file of `dir`; the names of the inputs it panicked on.
fn replay(dir: &Path, target: Target) -> (usize, Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, Vec::new());
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("read a corpus file");
        if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    (files.len(), failed)
}

#[test]
fn the_fuzz_corpora_replay_without_a_crash() {
    // The fuzzers run optimized on an 8 MiB main thread; unoptimized frames of minijinja's and
    // the YAML parser's recursion are several times larger than that, which a test thread's
    // default 2 MiB does not hold for the deepest templates of the corpus.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(replay_all)
        .expect("start the replay thread")
        .join()
        .expect("the replay thread");
}

fn replay_all() {
    let fuzz = support::repo().join("fuzz");
    let mut failures = Vec::new();
    for (name, target) in TARGETS {
        let corpus = fuzz.join("corpus").join(name);
        let (count, failed) = replay(&corpus, target);
        assert!(
            count > 0,
            "{} has no inputs: the corpora are kept in the repository (see fuzz/README.md)",
            corpus.display()
        );
        failures.extend(failed);
        let (_, failed) = replay(&fuzz.join("crashes").join(name), target);
        failures.extend(failed);
        eprintln!("{name}: {count} inputs replayed");
    }
    assert!(
        failures.is_empty(),
        "{} input(s) crash a target (the panics are printed above):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
