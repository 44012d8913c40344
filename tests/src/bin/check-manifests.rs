//! `check-manifests [--kubevirt 1.9.0|1.6.2] FILE...`: runs the checker on manifest streams
//! (`-` reads stdin) and lists every problem on stderr; exit code 1 when any was found.
//!
//! For a quick look at renderer output:
//! `edgevirt render device.yaml | cargo run -p edgevirt-tests --bin check-manifests -- -`

use std::io::Read as _;
use std::process::ExitCode;

use edgevirt_tests::{KubeVirtVersion, check_manifests};

fn main() -> ExitCode {
    let mut kubevirt = KubeVirtVersion::V1_9_0;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--kubevirt" => match args.next().as_deref() {
                Some("1.9.0") => kubevirt = KubeVirtVersion::V1_9_0,
                Some("1.6.2") => kubevirt = KubeVirtVersion::V1_6_2,
                other => return usage(&format!("--kubevirt {other:?} (expected 1.9.0 or 1.6.2)")),
            },
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        return usage("no FILE given");
    }

    let mut found = false;
    for file in &files {
        let text = match read(file) {
            Ok(text) => text,
            Err(e) => return usage(&format!("cannot read {file}: {e}")),
        };
        let problems = check_manifests(&text, kubevirt);
        for problem in &problems {
            eprintln!("{file}: {problem}");
        }
        eprintln!("{file}: {} problem(s)", problems.len());
        found |= !problems.is_empty();
    }
    if found {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn read(file: &str) -> std::io::Result<String> {
    if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("check-manifests: {problem}");
    eprintln!("usage: check-manifests [--kubevirt 1.9.0|1.6.2] FILE... (- for stdin)");
    ExitCode::from(2)
}
