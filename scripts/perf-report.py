#!/usr/bin/env python3
"""Runs every edgevirt benchmark in one go and writes docs/performance.md.

    scripts/perf-report.py [--quick] [--no-build] [--out docs/performance.md]

Builds what the benchmarks need (the release binary, the wasm32-wasip1 module, the Helm 4
plugin, the criterion benches and the wizard's static site), then runs, one after the other:

  render per device   cargo bench -p edgevirt-core (criterion; read from new/estimates.json)
  fleet of 10,000     scripts/bench_fleet.py --json (native and under wasmtime: time, memory)
  post-render MB/s    scripts/bench_post_render.py --json (beside cat and kubectl kustomize)
  Helm 4 overhead     scripts/bench_helm4.py --json
  wizard size         the wasm and the JavaScript the page loads, raw and gzip -9
  wizard speed        web/tests/e2e/measure.test.mjs (interactive form, keystroke to preview)
                      and the 1,000-row measurement of web/tests/e2e/fleet.test.mjs

and writes one table per area, a summary against the targets of the issues, and a header that
says where and when it ran. Targets are reported, not enforced: the command exits 0 when every
benchmark ran, and 1 (after writing what it has, marked incomplete) when one could not run;
2 when a tool is missing, before anything runs; a build that fails stops it before any
benchmark. Progress goes to stderr.

--quick: fewer runs and shorter criterion measurements, to try the command out (a few minutes);
the report says so at its top. --no-build: use what the last build left (for working on this
script). A full run takes 10 to 15 minutes on two cores: some 8 of benchmarks, and builds of 1
to 6 minutes depending on what changed since the last build in CARGO_TARGET_DIR.

Environment: CARGO_TARGET_DIR (build directory; also where the wizard's dist/ and the e2e
artifacts of this run go, under perf-report/), EDGEVIRT_HOSTS (default /opt/edgevirt-hosts:
helm, kubectl, wasmtime from scripts/install-hosts.sh), EDGEVIRT_WEB_TOOLS (default
/opt/edgevirt-web-tools, from scripts/install-web-tools.sh), CHROMIUM (default /usr/bin/chromium).
Python's standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
HOSTS_BIN = Path(os.environ.get("EDGEVIRT_HOSTS", "/opt/edgevirt-hosts")) / "bin"
WEB_TOOLS = Path(os.environ.get("EDGEVIRT_WEB_TOOLS", "/opt/edgevirt-web-tools"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NATIVE = TARGET / "release" / "edgevirt"
WASM = TARGET / "wasm32-wasip1" / "release" / "edgevirt.wasm"
# Private to this command: the shared checkout's dist/ and tests/out/ belong to the tests.
WORK = TARGET / "perf-report"
DIST = WORK / "dist"
E2E_OUT = WORK / "e2e"

STARTED = time.monotonic()


def say(message):
    elapsed = int(time.monotonic() - STARTED)
    print(f"perf-report [{elapsed // 60:2d}:{elapsed % 60:02d}] {message}", file=sys.stderr,
          flush=True)


class StepFailed(Exception):
    pass


def environment():
    """The environment every step runs in: the pinned hosts and web tools first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{HOSTS_BIN}:{WEB_TOOLS / 'bin'}:{env.get('PATH', '')}"
    env["CARGO_TARGET_DIR"] = str(TARGET)
    return env


ENV = environment()


def shown(argv):
    """A command as a person would type it in the checkout, for messages."""
    words = ["python3" if a == sys.executable else
             os.path.relpath(a, ROOT) if a.startswith(f"{ROOT}/") else a for a in argv]
    return " ".join(words)


def run(argv, capture=False, env=None, cwd=ROOT):
    """Runs argv; its stdout is returned when `capture`, else shown as progress on stderr. Its
    stderr is shown as it comes, and its last line kept: the scripts say there why they stop."""
    argv = [str(a) for a in argv]
    last = ""
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(argv, cwd=cwd, env=env or ENV, text=True,
                                 stdout=out if capture else sys.stderr, stderr=subprocess.PIPE)
        for line in child.stderr:
            sys.stderr.write(line)
            last = line.strip() or last
        child.wait()
        out.seek(0)
        stdout = out.read()
    if child.returncode != 0:
        why = f": {last}" if last else ""
        raise StepFailed(f"`{shown(argv)}` exited with {child.returncode}{why}")
    return stdout


def first_line(argv):
    """The first line of what a version command prints, or why there is none."""
    try:
        done = subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, text=True,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unavailable ({error})"
    # Debian's chromium wrapper prints a shell warning on stderr first; stdout has the version.
    lines = [line.strip() for line in (done.stdout or done.stderr).splitlines() if line.strip()]
    return lines[0] if lines else "unavailable"


# --- before anything runs ----------------------------------------------------------------------


def preflight():
    """Everything the benchmarks need, checked before minutes are spent; each problem says how
    to fix it."""
    problems = []
    hosts = "run scripts/install-hosts.sh (installs helm, kubectl and wasmtime into " \
            f"{HOSTS_BIN})"
    for tool in ("helm", "kubectl", "wasmtime"):
        if not shutil.which(tool, path=ENV["PATH"]):
            problems.append(f"{tool} not found in {HOSTS_BIN} or on PATH: {hosts}")
    if shutil.which("helm", path=ENV["PATH"]):
        version = first_line(["helm", "version", "--short"])
        if not version.startswith("v4."):
            problems.append(f"helm is not Helm 4 ({version}): {hosts}")
    for tool, fix in (("cargo", "install Rust with rustup (rust-toolchain.toml pins it)"),
                      ("node", "install Node.js 20.11 or later (apt-get install nodejs)"),
                      ("gzip", "apt-get install gzip"),
                      ("git", "apt-get install git")):
        if not shutil.which(tool, path=ENV["PATH"]):
            problems.append(f"{tool} not found: {fix}")
    if not os.access("/usr/bin/time", os.X_OK):
        problems.append("/usr/bin/time not found (bench_fleet.py reads peak memory from it): "
                        "apt-get install time")
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"no {CHROMIUM}: run scripts/install-web-tools.sh (Debian chromium)")
    web = subprocess.run([ROOT / "scripts/install-web-tools.sh", "check"], cwd=ROOT, env=ENV,
                         capture_output=True, text=True)
    if web.returncode != 0:
        missing = "; ".join(line.removeprefix("install-web-tools: ")
                            for line in web.stderr.splitlines() if "missing" in line)
        problems.append(f"the wizard's tools are missing ({missing}): run "
                        "scripts/install-web-tools.sh")
    if shutil.which("rustup", path=ENV["PATH"]):
        installed = run(["rustup", "target", "list", "--installed"], capture=True).split()
        for target in ("wasm32-wasip1", "wasm32-unknown-unknown"):
            if target not in installed:
                problems.append(f"the Rust target {target} is missing: rustup target add "
                                f"{target} (or scripts/install-test-deps.sh)")
    return problems


def machine():
    """Where the figures come from, for the report's header."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except OSError:
        memory = "unknown memory"
    commit = first_line(["git", "rev-parse", "--short=12", "HEAD"])
    subject = first_line(["git", "log", "-1", "--format=%s"])
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                             cwd=ROOT, capture_output=True, text=True).stdout.splitlines()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "kernel": f"{platform.system()} {platform.release()}",
        "commit": commit,
        "subject": subject,
        "changed": len(changed),
        "nice": os.nice(0),
        "versions": {
            "rustc": first_line(["rustc", "--version"]),
            "helm": first_line(["helm", "version", "--short"]),
            "kubectl": " / ".join(run(["kubectl", "version", "--client"], capture=True)
                                  .strip().splitlines()),
            "wasmtime": first_line(["wasmtime", "--version"]),
            "chromium": first_line([CHROMIUM, "--version"]),
            "node": first_line(["node", "--version"]),
            "trunk": first_line(["trunk", "--version"]),
            "python": platform.python_version(),
        },
    }


# --- the steps -----------------------------------------------------------------------------------


def build_native(_):
    run(["cargo", "build", "--release", "-p", "edgevirt"])


def build_wasi(_):
    run(["cargo", "build", "--release", "-p", "edgevirt", "--target", "wasm32-wasip1"])


def build_helm4(_):
    run([ROOT / "plugins/helm4/build.sh"])


def build_benches(_):
    run(["cargo", "bench", "-p", "edgevirt-core", "--no-run"])


def build_wizard(_):
    # scripts/test-web.sh checks the web tools and runs trunk as the tests build the page.
    env = dict(ENV, EDGEVIRT_DIST=str(DIST))
    run([ROOT / "scripts/test-web.sh", "build"], env=env)


def criterion(args):
    """cargo bench of core/benches; the figures come from criterion's estimates.json files
    written by this run (older ones of benches not run now are ignored)."""
    started = time.time()
    argv = ["cargo", "bench", "-p", "edgevirt-core", "--bench", "render", "--bench", "fleet",
            "--"]
    if args.quick:
        argv += ["--warm-up-time", "1", "--measurement-time", "2"]
    run(argv)
    found = {}
    for meta in (TARGET / "criterion").glob("**/new/benchmark.json"):
        if meta.stat().st_mtime < started - 1:
            continue
        estimates = json.loads((meta.parent / "estimates.json").read_text())
        sample = json.loads((meta.parent / "sample.json").read_text())
        # Criterion's headline figure: the slope of a linear sampling, else the mean.
        typical = estimates.get("slope") or estimates["mean"]
        found[json.loads(meta.read_text())["full_id"]] = {
            "ns": typical["point_estimate"],
            "low_ns": typical["confidence_interval"]["lower_bound"],
            "high_ns": typical["confidence_interval"]["upper_bound"],
            "median_ns": estimates["median"]["point_estimate"],
            "samples": len(sample["iters"]),
            "iterations": int(sum(sample["iters"])),
        }
    wanted = ["render_device/minimal", "render_device/full", "fleet/validate/10000",
              "fleet/render/10000"]
    missing = [name for name in wanted if name not in found]
    if missing:
        raise StepFailed(f"criterion wrote no estimates for {', '.join(missing)} under "
                         f"{TARGET / 'criterion'}")
    return found


def script_json(argv):
    text = run(argv, capture=True)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise StepFailed(f"`{shown([str(a) for a in argv])}` printed no JSON ({error})")


def fleet(args):
    return script_json([sys.executable, ROOT / "scripts/bench_fleet.py", "--json", "--no-build",
                        "--count", "10000", "--runs", "1" if args.quick else "5"])


def post_render(args):
    return script_json([sys.executable, ROOT / "scripts/bench_post_render.py", "--json",
                        "--no-build", "--runs", "3" if args.quick else "11"])


def helm4(args):
    return script_json([sys.executable, ROOT / "scripts/bench_helm4.py", "--json", "--no-build",
                        "--runs", "3" if args.quick else "15"])


def gzip_size(path):
    # gzip -9 from stdin, so that no file name is stored in the header.
    with open(path, "rb") as data:
        done = subprocess.run(["gzip", "-9", "-c"], stdin=data, capture_output=True, check=True)
    return len(done.stdout)


def wizard_size(_):
    """The wasm as built, and what the page loads: index.html imports boot.js, which imports the
    wasm-bindgen glue and the JavaScript module that carries the wasm (web/embed-wasm.mjs);
    nothing else is fetched (the page's CSP forbids it)."""
    files = {
        "wasm": "edgevirt-web_bg.wasm",
        "wasm_module": "edgevirt-web-wasm.js",
        "glue": "edgevirt-web.js",
        "boot": "boot.js",
        "html": "index.html",
        "css": "style.css",
    }
    sizes = {}
    for key, name in files.items():
        path = DIST / name
        if not path.exists():
            raise StepFailed(f"no {path}: the wizard's build did not write it")
        sizes[key] = {"file": name, "bytes": path.stat().st_size, "gzip": gzip_size(path)}
    page = [k for k in files if k != "wasm"]
    sizes["page"] = {
        "file": "what the page loads (" + ", ".join(files[k] for k in page) + ")",
        "bytes": sum(sizes[k]["bytes"] for k in page),
        "gzip": sum(sizes[k]["gzip"] for k in page),
    }
    return sizes


def e2e(argv, env_extra):
    env = dict(ENV, EDGEVIRT_DIST=str(DIST), EDGEVIRT_BIN=str(NATIVE),
               EDGEVIRT_E2E_OUT=str(E2E_OUT), EDGEVIRT_WEB_TOOLS=str(WEB_TOOLS),
               CHROMIUM=CHROMIUM, **env_extra)
    run(["node", "--test", "--test-concurrency=1", *argv], env=env)


def artifact(name):
    path = E2E_OUT / f"{name}.json"
    if not path.exists():
        raise StepFailed(f"the test wrote no {path}")
    return json.loads(path.read_text())


def wizard_speed(args):
    counts = {"EDGEVIRT_MEASURE_LOADS": "2", "EDGEVIRT_MEASURE_EDITS": "20"} if args.quick else {}
    e2e(["web/tests/e2e/measure.test.mjs"], counts)
    interactive, keystroke = artifact("interactive"), artifact("keystroke")
    runs = interactive["runs"]
    return {
        "loads": len(runs),
        "interactive_ms": statistics.median(r["interactive"] for r in runs),
        "interactive_runs": [r["interactive"] for r in runs],
        "first_frame_ms": statistics.median(r["firstFrame"] for r in runs),
        "wasm_module_loaded_ms": statistics.median(r["wasmModuleLoaded"] for r in runs),
        "edits": keystroke["edits"],
        "keystroke_median_ms": keystroke["median"],
        "keystroke_p95_ms": keystroke["p95"],
        "keystroke_max_ms": max(keystroke["latencies"]),
    }


def wizard_fleet(_):
    # Only the measurement of fleet.test.mjs; its other tests check behaviour, not speed.
    e2e(["--test-name-pattern=^measurement", "web/tests/e2e/fleet.test.mjs"], {})
    return artifact("fleet-1000")


BUILDS = [
    ("build", "native", "release binary (cargo build --release -p edgevirt)", build_native),
    ("build", "wasi", "wasm32-wasip1 module", build_wasi),
    ("build", "helm4", "Helm 4 plugin.wasm (plugins/helm4/build.sh)", build_helm4),
    ("build", "benches", "criterion benches (cargo bench --no-run)", build_benches),
    ("build", "wizard", "the wizard's dist/ (scripts/test-web.sh build)", build_wizard),
]
BENCHMARKS = [
    ("bench", "criterion", "render per device and fleet in-process (cargo bench)", criterion),
    ("bench", "fleet", "fleet of 10,000 (scripts/bench_fleet.py)", fleet),
    ("bench", "post_render", "post-render MB/s (scripts/bench_post_render.py)", post_render),
    ("bench", "helm4", "Helm 4 overhead (scripts/bench_helm4.py)", helm4),
    ("bench", "wizard_size", "wizard size (dist/, gzip -9)", wizard_size),
    ("bench", "wizard_speed", "wizard interactivity (measure.test.mjs)", wizard_speed),
    ("bench", "wizard_fleet", "wizard with 1,000 rows (fleet.test.mjs measurement)", wizard_fleet),
]


# --- the report ----------------------------------------------------------------------------------


def duration(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e3:.0f} µs"


def kb(n):
    return f"{n / 1000:,.0f} KB"


def met(ok):
    return "yes" if ok else "**no**"


def missing(name, failures):
    return f"_not measured: {failures[name]}_\n" if name in failures else "_not measured_\n"


def report(args, info, load_after, results, failures, timings, total):
    r, out = results, []
    add = out.append
    today = datetime.datetime.now(datetime.timezone.utc)
    add("# Performance\n")
    if args.quick:
        add("> **Quick run** (`scripts/perf-report.py --quick`): fewer runs and shorter "
            "measurements than the full run, to check that the command works. The figures are "
            "indicative only; the report of record comes from `scripts/perf-report.py`.\n")
    if failures:
        add("> **Incomplete**: " + "; ".join(f"{k}: {v}" for k, v in failures.items()) + "\n")
    add(f"Written by `scripts/perf-report.py{' --quick' if args.quick else ''}"
        f"{' --no-build' if args.no_build else ''}` on {today:%Y-%m-%d %H:%M} UTC "
        f"in {total / 60:.1f} min. Every benchmark ran on this machine in one run, one after "
        "the other; the targets are those of issues 2-5, reported, not enforced.\n")
    v = info["versions"]
    tree = (f", with uncommitted changes in {info['changed']} tracked files (built as they were)"
            if info["changed"] else "")
    rows = [
        ("mode", "quick" if args.quick else "full"),
        ("commit", f"`{info['commit']}` {info['subject']}{tree}"),
        ("machine", f"{info['cpu']}, {info['cores']} cores, {info['memory']}, {info['kernel']}"),
        ("load average (1, 5, 15 min)",
         f"before {' / '.join(f'{x:.2f}' for x in info['load_before'])}, "
         f"after {' / '.join(f'{x:.2f}' for x in load_after)}"),
        ("niceness of the run", str(info["nice"])),
        ("rustc", v["rustc"]),
        ("helm", v["helm"]),
        ("kubectl", v["kubectl"]),
        ("wasmtime", v["wasmtime"]),
        ("chromium", v["chromium"]),
        ("node, trunk, python", f"{v['node']}, {v['trunk']}, Python {v['python']}"),
    ]
    add("| | |\n|---|---|")
    add("\n".join(f"| {k} | {val} |" for k, val in rows) + "\n")

    add("## Summary\n")
    add("| measure | figure | target | met? |\n|---|---|---|---|")
    summary = []
    if "criterion" in r:
        for name, label in (("minimal", "minimal device"), ("full", "full example")):
            ns = r["criterion"][f"render_device/{name}"]["ns"]
            summary.append((f"render one device, {label} (criterion)", duration(ns),
                            "< 100 µs per device", met(ns < 100e3)))
    if "fleet" in r:
        by = {x["key"]: x for x in r["fleet"]["results"]}
        count = f"{r['fleet']['count']:,}"
        summary.append((f"fleet of {count}, native: wall time", f"{by['native']['wall_s']:.2f} s",
                        "< 1 s", met(by["native"]["wall_s"] < 1)))
        summary.append((f"fleet of {count}, native: peak memory",
                        f"{by['native']['max_rss_mb']:.0f} MB", "< 300 MB",
                        met(by["native"]["max_rss_mb"] < 300)))
    if "post_render" in r:
        pr = r["post_render"]["results"]

        def both(key, fmt):
            return " / ".join(fmt(x[key]) for x in pr)

        summary.append(("post-render time over cat's (largest / joined stream)",
                        both("native_over_cat", lambda x: f"{x:.1f}x"), "within 3x",
                        met(all(x["native_over_cat"] <= 3 for x in pr))))
        summary.append(("post-render speed-up on kubectl kustomize (largest / joined)",
                        both("kustomize_over_native", lambda x: f"{x:.0f}x"), "≥ 30x",
                        met(all(x["kustomize_over_native"] >= 30 for x in pr))))
        summary.append(("post-render wasm time over native, `wasmtime run` (largest / joined)",
                        both("wasm_over_native", lambda x: f"{x:.1f}x"), "within 2x",
                        met(all(x["wasm_over_native"] <= 2 for x in pr))))
        summary.append(("the same, precompiled module (largest / joined)",
                        both("wasm_precompiled_over_native", lambda x: f"{x:.1f}x"), "within 2x",
                        met(all(x["wasm_precompiled_over_native"] <= 2 for x in pr))))
    if "helm4" in r:
        overhead = r["helm4"]["overhead_ms"]
        summary.append(("Helm 4 `helm template`: added by `--post-renderer edgevirt`",
                        f"{overhead:+.0f} ms", "≤ 300 ms", met(overhead <= 300)))
    if "wizard_size" in r:
        gz = r["wizard_size"]["wasm"]["gzip"]
        summary.append(("wizard wasm, gzip -9", kb(gz), "≤ 350 KB gzip", met(gz <= 350_000)))
    if "wizard_speed" in r:
        ws = r["wizard_speed"]
        summary.append(("wizard: navigation to an interactive form (median)",
                        f"{ws['interactive_ms']:.0f} ms", "< 500 ms",
                        met(ws["interactive_ms"] < 500)))
        summary.append(("wizard: keystroke to updated preview, p95",
                        f"{ws['keystroke_p95_ms']:.1f} ms", "≤ 16 ms (one frame)",
                        met(ws["keystroke_p95_ms"] <= 16)))
    if "wizard_fleet" in r:
        wf = r["wizard_fleet"]
        summary.append(("wizard, 1,000-row fleet: longest frame while rendering the download",
                        f"{wf['download']['longestGap']:.0f} ms", "no frame over 100 ms",
                        met(wf["download"]["longestGap"] <= 100)))
        summary.append(("wizard, 1,000-row fleet: longest frame while typing a row",
                        f"{wf['edit']['longestGap']:.0f} ms", "no frame over 100 ms",
                        met(wf["edit"]["longestGap"] <= 100)))
    add("\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in summary) + "\n")

    add("## Render per device and fleet, in process (criterion)\n")
    if "criterion" in r:
        add("`cargo bench -p edgevirt-core` (core/benches): from the YAML text to the YAML "
            "stream, one thread. Criterion's estimate with its 95% confidence interval, and the "
            "median of the samples.\n")
        add("| benchmark | time | 95% interval | median | samples |\n|---|---|---|---|---|")
        labels = {
            "render_device/minimal": "one device, examples/minimal.yaml",
            "render_device/full": "one device, examples/full.yaml (every field)",
            "fleet/validate/10000": "fleet of 10,000 from CSV: expand and check",
            "fleet/render/10000": "fleet of 10,000 from CSV: expand, check and render",
        }
        for key, label in labels.items():
            c = r["criterion"][key]
            add(f"| {label} | {duration(c['ns'])} | {duration(c['low_ns'])} – "
                f"{duration(c['high_ns'])} | {duration(c['median_ns'])} | {c['samples']} |")
        add("")
    else:
        add(missing("criterion", failures))

    add("## Fleet of 10,000 devices: `edgevirt render`\n")
    if "fleet" in r:
        f = r["fleet"]
        by = {x["key"]: x for x in f["results"]}
        add(f"`scripts/bench_fleet.py`: an `EdgeDeviceFleet` of {f['count']:,} CSV rows "
            f"({f['input_bytes'] / 1e6:.2f} MB) rendered to /dev/null "
            f"({f['output_bytes'] / 1e6:.0f} MB of manifests); median of {f['runs']} "
            "run(s), largest peak memory. Natively `render` uses every core, so the CPU time "
            "can exceed the wall time; the wasm runs on one thread.\n")
        add("| command | wall | CPU (user + system) | peak memory | wall time over native |\n"
            "|---|---|---|---|---|")
        for x in f["results"]:
            add(f"| `{x['command']}` | {x['wall_s']:.2f} s | {x['cpu_s']:.2f} s | "
                f"{x['max_rss_mb']:.0f} MB | {x['wall_s'] / by['native']['wall_s']:.1f}x |")
        add("")
    else:
        add(missing("fleet", failures))

    add("## `post-render` throughput\n")
    if "post_render" in r:
        p = r["post_render"]
        add("`scripts/bench_post_render.py`: the largest stream of tests/corpus/streams and all "
            "of them joined, from stdin to /dev/null, beside `cat` and `kubectl kustomize` "
            "applying a trivial patch to the same documents. MB/s of input, median of "
            f"{p['runs']} runs, process start-up included.\n")
        add("| input | MB | cat | edgevirt | wasm (`wasmtime run`) | wasm precompiled "
            "| kubectl kustomize |\n|---|---|---|---|---|---|---|")
        for x in p["results"]:
            s = x["mb_per_s"]
            add(f"| {x['input']} | {x['bytes'] / 1e6:.2f} | {s['cat']:.0f} MB/s "
                f"| {s['native']:.0f} MB/s | {s['wasm']:.0f} MB/s "
                f"| {s['wasm_precompiled']:.0f} MB/s | {s['kustomize']:.1f} MB/s |")
        add("\n| input | edgevirt time over cat's | kustomize time over edgevirt's "
            "| wasm over native | precompiled wasm over native |\n|---|---|---|---|---|")
        for x in p["results"]:
            add(f"| {x['input']} | {x['native_over_cat']:.1f}x | "
                f"{x['kustomize_over_native']:.0f}x | {x['wasm_over_native']:.1f}x | "
                f"{x['wasm_precompiled_over_native']:.1f}x |")
        add("")
    else:
        add(missing("post_render", failures))

    add("## Helm 4\n")
    if "helm4" in r:
        h = r["helm4"]
        add(f"`scripts/bench_helm4.py`: `helm template` of charts/edgevirt with the "
            f"{h['devices']} example devices, with and without `--post-renderer edgevirt` "
            f"(the plugins of plugins/helm4), alternated, median of {h['runs']} runs each; "
            f"{h['helm']}.\n")
        add("| helm template | time |\n|---|---|")
        add(f"| without a post-renderer | {h['plain_ms']:.0f} ms |")
        add(f"| with `--post-renderer edgevirt` | {h['post_ms']:.0f} ms |")
        add(f"| added by the post-renderer | {h['overhead_ms']:+.0f} ms |")
        add(f"| first run with it (Helm compiles plugin.wasm into its cache) | "
            f"{h['first_ms']:.0f} ms |\n")
    else:
        add(missing("helm4", failures))

    add("## Browser wizard: size\n")
    if "wizard_size" in r:
        add("What `trunk build --release` wrote (KB = 1,000 bytes). The page may not fetch, so "
            "the wasm reaches it base64-encoded inside a JavaScript module "
            "(web/embed-wasm.mjs); the .wasm file itself is not loaded.\n")
        add("| file | raw | gzip -9 |\n|---|---|---|")
        for key in ("wasm", "wasm_module", "glue", "boot", "html", "css", "page"):
            x = r["wizard_size"][key]
            name = x["file"] if key == "page" else f"`{x['file']}`"
            add(f"| {name} | {kb(x['bytes'])} | {kb(x['gzip'])} |")
        add("")
    else:
        add(missing("wizard_size", failures))

    add("## Browser wizard: interactivity\n")
    if "wizard_speed" in r:
        ws = r["wizard_speed"]
        add("web/tests/e2e/measure.test.mjs in headless Chromium, the page served from "
            "127.0.0.1: cold loads in a fresh browser context each, and edits of the device's "
            "name (a digit typed, then deleted) until the preview shows them.\n")
        add("| measure | figure |\n|---|---|")
        add(f"| navigation to an interactive form, median of {ws['loads']} cold loads | "
            f"{ws['interactive_ms']:.0f} ms ({', '.join(f'{x:.0f}' for x in ws['interactive_runs'])}) |")
        add(f"| first frame with the form (the page's `edgevirt-interactive` mark), median | "
            f"{ws['first_frame_ms']:.0f} ms |")
        add(f"| the wasm's JavaScript module loaded, median | "
            f"{ws['wasm_module_loaded_ms']:.0f} ms |")
        add(f"| keystroke to updated preview over {ws['edits']} edits: median / p95 / max | "
            f"{ws['keystroke_median_ms']:.1f} / {ws['keystroke_p95_ms']:.1f} / "
            f"{ws['keystroke_max_ms']:.1f} ms |\n")
    else:
        add(missing("wizard_speed", failures))
    if "wizard_fleet" in r:
        wf = r["wizard_fleet"]
        add(f"Fleet mode with {wf['rows']:,} CSV rows (the measurement of "
            "web/tests/e2e/fleet.test.mjs): the longest frame is the longest gap between "
            "animation frames.\n")
        add("| measure | figure |\n|---|---|")
        add(f"| checking every row after the text is pasted | {wf['validationMs']:.0f} ms |")
        add(f"| typing a row (`{wf['edit']['typed']}`): checking after the last keystroke / "
            f"until the table shows it / longest frame | {wf['edit']['validationMs']:.0f} ms / "
            f"{wf['edit']['toTableMs']:.0f} ms / {wf['edit']['longestGap']:.0f} ms |")
        add(f"| download of every device ({wf['download']['bytes'] / 1e6:.1f} MB): time / "
            f"longest frame / longest task | {wf['download']['ms']:.0f} ms / "
            f"{wf['download']['longestGap']:.0f} ms / {wf['download']['longestTask']:.0f} ms |\n")
    else:
        add(missing("wizard_fleet", failures))

    add("## This run\n")
    add("| step | seconds |\n|---|---|")
    add("\n".join(f"| {label} | {seconds:.0f} |" for label, seconds in timings))
    add(f"| total | {total:.0f} |\n")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs and shorter measurements, marked quick in the report")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries and dist/ the last build left")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"),
                        help="where to write the report (default docs/performance.md)")
    args = parser.parse_args()

    say(f"checking tools (CARGO_TARGET_DIR={TARGET})")
    problems = preflight()
    if problems:
        for problem in problems:
            print(f"perf-report: error: {problem}", file=sys.stderr)
        print("perf-report: nothing was measured", file=sys.stderr)
        return 2
    info = machine()
    info["load_before"] = os.getloadavg()
    say(f"load average {info['load_before'][0]:.2f} on {info['cores']} cores"
        f"{' (quick run)' if args.quick else ''}")

    # Artifacts of an earlier run would pass for this one's.
    shutil.rmtree(E2E_OUT, ignore_errors=True)
    steps = ([] if args.no_build else BUILDS) + BENCHMARKS
    results, failures, timings = {}, {}, []
    for number, (kind, name, label, step) in enumerate(steps, 1):
        say(f"[{number}/{len(steps)}] {kind}: {label}")
        started = time.monotonic()
        try:
            value = step(args)
        except StepFailed as error:
            seconds = time.monotonic() - started
            say(f"[{number}/{len(steps)}] FAILED after {seconds:.0f} s: {error}")
            if kind == "build":
                # Every benchmark needs what the builds make: measuring old artifacts would
                # report figures for code that is not the commit's.
                print(f"perf-report: error: {label} failed; nothing was measured",
                      file=sys.stderr)
                return 1
            failures[name] = str(error)
            timings.append((f"{label} (failed)", seconds))
            continue
        seconds = time.monotonic() - started
        timings.append((label, seconds))
        if value is not None:
            results[name] = value
        say(f"[{number}/{len(steps)}] done in {seconds:.0f} s")

    load_after = os.getloadavg()
    total = time.monotonic() - STARTED
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(args, info, load_after, results, failures, timings, total))
    minutes, seconds = divmod(int(total), 60)
    say(f"wrote {out} in {minutes} min {seconds:02d} s in all")
    if failures:
        for name, error in failures.items():
            print(f"perf-report: error: {name} could not run: {error}", file=sys.stderr)
        print(f"perf-report: {out} is marked incomplete", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
