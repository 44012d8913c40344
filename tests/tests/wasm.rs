//! The `wasm32-wasip1` build of `edgevirt` gives the same bytes as the native core on every
//! fixture case (`tests/cases/*/input.yaml` through `render -`): run in process by an embedded
//! WASI host (wasmi and wasmi_wasi), and by the wasmtime CLI. A bad device exits 1 with nothing
//! on stdout and the same messages on stderr as the native binary.
//!
//! scripts/test.sh builds the module once and names it in EDGEVIRT_WASM.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{edgevirt, edgevirt_wasm, host, repo, run_status};
use wasmi::{Engine, Linker, Module, Store};
use wasmi_wasi::WasiCtx;
use wasmi_wasi::wasi_common::pipe::{ReadPipe, WritePipe};

/// What a run printed and how it ended.
#[derive(Debug, PartialEq)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = std::fs::read_dir(repo().join("tests/cases"))
        .expect("read tests/cases")
        .map(|entry| entry.expect("entry").path())
        .filter_map(|dir| {
            let input = std::fs::read_to_string(dir.join("input.yaml")).ok()?;
            let name = dir.file_name()?.to_string_lossy().into_owned();
            Some((name, input))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the fixture cases are missing");
    cases
}

/// The module, compiled once for every case.
struct WasiModule {
    engine: Engine,
    module: Module,
}

impl WasiModule {
    fn load(path: &PathBuf) -> Self {
        let bytes = std::fs::read(path).expect("read edgevirt.wasm");
        let engine = Engine::default();
        let module = Module::new(&engine, &bytes[..]).expect("a valid WASI module");
        WasiModule { engine, module }
    }

    /// Runs `_start` with `args` after the program name and `stdin`, as a WASI command.
    fn run(&self, args: &[&str], stdin: &str) -> Outcome {
        let stdout = WritePipe::new_in_memory();
        let stderr = WritePipe::new_in_memory();
        let argv: Vec<String> = std::iter::once("edgevirt")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect();
        let ctx = wasmi_wasi::WasiCtxBuilder::new()
            .args(&argv)
            .expect("set args")
            .stdin(Box::new(ReadPipe::from(stdin.as_bytes().to_vec())))
            .stdout(Box::new(stdout.clone()))
            .stderr(Box::new(stderr.clone()))
            .build();
        let mut store = Store::new(&self.engine, ctx);
        let mut linker = Linker::<WasiCtx>::new(&self.engine);
        wasmi_wasi::add_to_linker(&mut linker, |ctx| ctx).expect("link WASI");
        let instance = linker
            .instantiate_and_start(&mut store, &self.module)
            .expect("instantiate");
        let start = instance
            .get_typed_func::<(), ()>(&store, "_start")
            .expect("a WASI command exports _start");
        // Rust's main returns through proc_exit only for a non-zero code.
        let code = match start.call(&mut store, ()) {
            Ok(()) => 0,
            Err(error) => error
                .i32_exit_status()
                .unwrap_or_else(|| panic!("the module trapped: {error}")),
        };
        drop(store);
        let text = |pipe: WritePipe<std::io::Cursor<Vec<u8>>>| {
            let bytes = pipe
                .try_into_inner()
                .expect("the store is gone")
                .into_inner();
            String::from_utf8(bytes).expect("UTF-8 output")
        };
        Outcome {
            code,
            stdout: text(stdout),
            stderr: text(stderr),
        }
    }
}

/// What the native build gives: stdout from the core itself, exit code and stderr from the
/// native binary (the messages are the CLI's).
fn native(input: &str) -> Outcome {
    let stdout = match edgevirt_core::render_documents(input) {
        Ok(rendered) => rendered.manifests.to_yaml(),
        Err(_) => String::new(),
    };
    let (ok, binary_stdout, stderr) =
        run_status(Command::new(edgevirt()).args(["render", "-"]), input);
    assert!(
        binary_stdout == stdout,
        "the native binary differs from the core"
    );
    Outcome {
        code: if ok { 0 } else { 1 },
        stdout,
        stderr,
    }
}

#[test]
fn embedded_wasi_host_matches_native_on_every_case() {
    let module = WasiModule::load(&edgevirt_wasm());
    for (name, input) in cases() {
        let wasm = module.run(&["render", "-"], &input);
        assert_eq!(wasm, native(&input), "case {name}");
    }
}

#[test]
fn wasmtime_cli_matches_native_on_every_case() {
    let (wasmtime, wasm) = (host("WASMTIME"), edgevirt_wasm());
    for (name, input) in cases() {
        let mut command = Command::new(&wasmtime);
        command
            .arg("run")
            .arg("--")
            .arg(&wasm)
            .args(["render", "-"]);
        let (ok, stdout, stderr) = run_status(&mut command, &input);
        let outcome = Outcome {
            code: if ok { 0 } else { 1 },
            stdout,
            stderr,
        };
        assert_eq!(outcome, native(&input), "case {name}");
    }
}
