//! `edgevirt`: the command line of edgevirt.
//!
//! A thin shell over `edgevirt-core`: it reads the input, calls one core function and writes the
//! result. Manifests go to stdout and nothing else does; every diagnostic goes to stderr. When
//! the input is bad, stdout stays empty and the exit code is 1.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use edgevirt_core::{Devices, Diagnostic, Error, Limits, Severity};

const EXAMPLES: &str = "\
Examples:
  edgevirt render device.yaml > device-manifests.yaml
  edgevirt render device.yaml | kubectl apply -f -
  edgevirt render fleet.yaml | kubectl apply -f -
  cat device.yaml | edgevirt render - -o out.yaml
  edgevirt validate fleet.yaml
  edgevirt schema > edgedevice.schema.json
  edgevirt schema --kind fleet > edgedevicefleet.schema.json
  edgevirt import /etc/aziot/config.toml --name plant-a-edge-01 > device.yaml
  helm template edge charts/edgevirt | edgevirt post-render
  kpt fn eval --exec edgevirt -- krm
  edgevirt --max-devices 20000 render big-fleet.yaml > manifests.yaml
  EDGEVIRT_MAX_DOCUMENTS=5000 helm template ... --post-renderer edgevirt

Limits: every input is held to the limits above; past one, edgevirt stops with a message that
names the flag (or environment variable) that raises it.";

/// Render Azure IoT Edge devices as KubeVirt virtual machines.
#[derive(Debug, Parser)]
#[command(name = "edgevirt", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
    #[command(flatten)]
    limits: LimitArgs,
}

/// A flag (and an environment variable) for each of the core's limits, defaulting to its own.
#[derive(Debug, Args)]
#[command(next_help_heading = "Limits")]
struct LimitArgs {
    /// Largest input, in bytes
    #[arg(long, global = true, env = "EDGEVIRT_MAX_INPUT_BYTES", value_name = "BYTES",
          default_value_t = Limits::DEFAULT.max_input_bytes)]
    max_input_bytes: usize,
    /// Most YAML documents in one input or stream, or items in a ResourceList
    #[arg(long, global = true, env = "EDGEVIRT_MAX_DOCUMENTS", value_name = "N",
          default_value_t = Limits::DEFAULT.max_documents)]
    max_documents: usize,
    /// Most devices one EdgeDeviceFleet may expand to
    #[arg(long, global = true, env = "EDGEVIRT_MAX_DEVICES", value_name = "N",
          default_value_t = Limits::DEFAULT.max_devices)]
    max_devices: usize,
    /// Deepest nesting of YAML lists and maps
    #[arg(long, global = true, env = "EDGEVIRT_MAX_YAML_DEPTH", value_name = "N",
          default_value_t = Limits::DEFAULT.max_yaml_depth)]
    max_yaml_depth: usize,
    /// Most YAML nodes in one input, each node an alias repeats counted again
    #[arg(long, global = true, env = "EDGEVIRT_MAX_YAML_NODES", value_name = "N",
          default_value_t = Limits::DEFAULT.max_yaml_nodes)]
    max_yaml_nodes: usize,
    /// Steps one render of a user template may take (minijinja fuel)
    #[arg(long, global = true, env = "EDGEVIRT_TEMPLATE_FUEL", value_name = "N",
          default_value_t = Limits::DEFAULT.template_fuel)]
    template_fuel: u64,
    /// Largest output of one render of a user template, in bytes
    #[arg(long, global = true, env = "EDGEVIRT_MAX_TEMPLATE_OUTPUT", value_name = "BYTES",
          default_value_t = Limits::DEFAULT.max_template_output)]
    max_template_output: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_input_bytes,
            max_documents: self.max_documents,
            max_devices: self.max_devices,
            max_yaml_depth: self.max_yaml_depth,
            max_yaml_nodes: self.max_yaml_nodes,
            template_fuel: self.template_fuel,
            max_template_output: self.max_template_output,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Render an EdgeDevice, an EdgeDeviceFleet or a stream of them into Secrets,
    /// NetworkAttachmentDefinitions, VirtualMachines and Services.
    Render {
        /// The EdgeDevice or EdgeDeviceFleet documents (YAML or JSON); `-` or nothing reads
        /// stdin.
        file: Option<PathBuf>,
        /// Write the manifests to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format: a YAML stream, or a JSON list.
        #[arg(short, long, value_enum, default_value_t = Format::Yaml)]
        format: Format,
    },
    /// Check EdgeDevice and EdgeDeviceFleet documents and print every problem; prints nothing
    /// on stdout.
    Validate {
        /// The documents; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Print the JSON Schema of the EdgeDevice (or EdgeDeviceFleet) document.
    Schema {
        /// Which document.
        #[arg(long, value_enum, default_value_t = Kind::Device)]
        kind: Kind,
    },
    /// Helm post-renderer: expand every EdgeDevice of the manifest stream on stdin, in place;
    /// copy every other document byte for byte.
    PostRender {
        /// Arguments Helm may pass; ignored.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// KRM function (kpt, kustomize --enable-exec): a ResourceList on stdin, one on stdout.
    Krm,
    /// Kustomize legacy exec plugin: render the EdgeDevice (or EdgeDeviceFleet) in CONFIG
    /// (kustomize calls the plugin as `EdgeDevice CONFIG` or `EdgeDeviceFleet CONFIG`).
    #[command(name = "EdgeDevice", alias = "EdgeDeviceFleet")]
    EdgeDevice {
        /// The plugin configuration: an EdgeDevice or EdgeDeviceFleet document.
        config: PathBuf,
    },
    /// Turn an IoT Edge config.toml into an EdgeDevice document.
    Import {
        /// The config.toml; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// Name of the device; default the config's hostname.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Yaml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum Kind {
    /// EdgeDevice
    Device,
    /// EdgeDeviceFleet
    Fleet,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command, &cli.limits.limits()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cmd: Cmd, limits: &Limits) -> Result<(), String> {
    match cmd {
        Cmd::Render {
            file,
            output,
            format,
        } => {
            let text = read(file.as_ref(), limits)?;
            let devices = edgevirt_core::validate_documents_with(&text, limits).map_err(report)?;
            print_warnings(devices.warnings());
            match format {
                // Device by device, so a fleet's manifests are never all in memory at once.
                Format::Yaml => write_manifests(output.as_ref(), &devices),
                Format::Json => write(output.as_ref(), &to_json(devices.manifests().documents())),
            }
        }
        Cmd::Validate { file } => {
            let text = read(file.as_ref(), limits)?;
            let devices = edgevirt_core::validate_documents_with(&text, limits).map_err(report)?;
            print_warnings(devices.warnings());
            match devices.specs() {
                [one] => eprintln!("{}: valid", one.name()),
                all => eprintln!("{} devices: valid", all.len()),
            }
            Ok(())
        }
        Cmd::Schema { kind } => {
            let schema = match kind {
                Kind::Device => edgevirt_core::json_schema(),
                Kind::Fleet => edgevirt_core::fleet_json_schema(),
            };
            write(None, &to_json(&schema))
        }
        Cmd::PostRender { args: _ } => {
            let input = read(None, limits)?;
            let parts = edgevirt_core::post_render_parts_with(&input, limits).map_err(report)?;
            // Written piece by piece: the documents that pass through go out straight from the
            // input, which saves copying (and, on a large stream, faulting in) a second buffer.
            let mut stdout = std::io::stdout().lock();
            parts
                .iter()
                .try_for_each(|part| stdout.write_all(part.as_bytes()))
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("error: cannot write stdout: {e}"))
        }
        Cmd::Krm => {
            let output = edgevirt_core::krm_with(&read(None, limits)?, limits);
            write(None, &output.resource_list)?;
            // The KRM contract: the list with its results on stdout, and a non-zero exit.
            if output.failed {
                return Err("error: the function reported errors in results[]".to_owned());
            }
            Ok(())
        }
        Cmd::EdgeDevice { config } => {
            let text = read(Some(&config), limits)?;
            let devices = edgevirt_core::validate_documents_with(&text, limits).map_err(report)?;
            print_warnings(devices.warnings());
            write_manifests(None, &devices)
        }
        Cmd::Import { file, name } => {
            let text = read(file.as_ref(), limits)?;
            limits.check_input(&text).map_err(report)?;
            let device =
                edgevirt_core::import_config_toml(&text, name.as_deref()).map_err(report)?;
            write(None, &edgevirt_core::device_to_yaml(&device))
        }
    }
}

/// The input text: `file`, or stdin for none or `-`. Reading stops one byte past the input
/// limit, so an endless or huge input is refused (by the core, which names the limit) without
/// being held in memory.
fn read(file: Option<&PathBuf>, limits: &Limits) -> Result<String, String> {
    let (name, text) = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::File::open(path).and_then(|f| read_bounded(f, limits));
            (name, text)
        }
        None => ("stdin".to_owned(), read_stdin(limits)),
    };
    text.map_err(|e| format!("error: cannot read {name}: {e}"))
}

/// Reads at most one byte more than `limits` allows. A file's size sets the buffer's, so a
/// large stream is read without growing (and copying) the buffer on the way.
fn read_bounded(file: std::fs::File, limits: &Limits) -> std::io::Result<String> {
    let cap = limits.max_input_bytes.saturating_add(1);
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(cap).min(cap));
    file.take(cap as u64).read_to_end(&mut bytes)?;
    into_text(bytes, limits)
}

/// All of stdin, up to one byte past the limit.
fn read_stdin(limits: &Limits) -> std::io::Result<String> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() {
            return read_bounded(std::fs::File::from(fd), limits);
        }
    }
    let mut bytes = Vec::new();
    let cap = limits.max_input_bytes.saturating_add(1) as u64;
    std::io::stdin().lock().take(cap).read_to_end(&mut bytes)?;
    into_text(bytes, limits)
}

/// The bytes as text. Past the limit the last character may be cut in two: the text is then
/// only kept for the core to refuse by its size.
fn into_text(bytes: Vec<u8>, limits: &Limits) -> std::io::Result<String> {
    if bytes.len() > limits.max_input_bytes {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "the input is not UTF-8"))
}

fn write(file: Option<&PathBuf>, text: &str) -> Result<(), String> {
    match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("error: cannot write {}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("error: cannot write stdout: {e}")),
    }
}

/// Writes the manifests of `devices`, device after device, to `file` (or stdout), so that a
/// fleet's manifests are never all in memory at once.
fn write_manifests(file: Option<&PathBuf>, devices: &Devices) -> Result<(), String> {
    let (mut sink, name): (Box<dyn Write>, String) = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
            (
                Box::new(std::io::BufWriter::new(file)),
                path.display().to_string(),
            )
        }
        None => (Box::new(std::io::stdout().lock()), "stdout".to_owned()),
    };
    render_in_order(devices, |part| sink.write_all(part.as_bytes()))
        .and_then(|()| sink.flush())
        .map_err(|e| format!("error: cannot write {name}: {e}"))
}

/// Devices rendered per thread, between two writes.
const DEVICES_PER_THREAD: usize = 64;

/// Renders every device and hands the YAML to `emit` in the order of the devices. Natively the
/// devices of a window are rendered on every core at once (a large fleet renders about as many
/// times faster); a WASI module has one thread and renders them one by one.
fn render_in_order(
    devices: &Devices,
    mut emit: impl FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let render = |specs: &[edgevirt_core::DeviceSpec]| -> String {
        specs
            .iter()
            .map(|spec| edgevirt_core::render(spec).to_yaml())
            .collect()
    };
    let threads = if cfg!(target_family = "wasm") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    if threads == 1 || devices.specs().len() <= DEVICES_PER_THREAD {
        return devices
            .specs()
            .iter()
            .try_for_each(|spec| emit(&render(std::slice::from_ref(spec))));
    }
    for window in devices.specs().chunks(DEVICES_PER_THREAD * threads) {
        let parts: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = window
                .chunks(DEVICES_PER_THREAD)
                .map(|chunk| scope.spawn(move || render(chunk)))
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        parts.iter().try_for_each(|part| emit(part))?;
    }
    Ok(())
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Formats an error for stderr: every error first, then the warnings found beside them; for a
/// document of a stream, each line says which document.
fn report(err: Error) -> String {
    match err {
        Error::Invalid { diagnostics } => {
            let lines: Vec<String> = diagnostics
                .iter()
                .map(|d| match d.severity {
                    Severity::Error => format!("error: {d}"),
                    Severity::Warning => format!("warning: {d}"),
                })
                .collect();
            lines.join("\n")
        }
        Error::Document {
            index,
            origin,
            error,
        } => {
            let place = match origin {
                Some(origin) => format!("document {index} ({origin})"),
                None => format!("document {index}"),
            };
            let inner = report(*error);
            let lines: Vec<String> = inner
                .lines()
                .map(|l| match l.split_once(": ") {
                    Some((level @ ("error" | "warning"), rest)) => {
                        format!("{level}: {place}: {rest}")
                    }
                    _ => l.to_owned(),
                })
                .collect();
            lines.join("\n")
        }
        other => format!("error: {other}"),
    }
}
