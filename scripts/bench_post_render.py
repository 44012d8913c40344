#!/usr/bin/env python3
"""Throughput of `edgevirt post-render` beside `cat` and `kubectl kustomize`, in one run.

Inputs: the largest stream of tests/corpus/streams and the streams joined (see below). Each command reads
the stream and writes to /dev/null; the median of RUNS runs is reported in MB/s, with the ratios
the issue asks about (edgevirt against cat, kustomize against edgevirt, wasm against native).

The wasm runs two ways under wasmtime: `wasmtime run edgevirt.wasm`, which compiles the module
with Cranelift on every run, and `wasmtime run --allow-precompiled edgevirt.cwasm` after one
`wasmtime compile`, which is how a pipeline that runs it often would deploy it.

Needs: the release binary and wasm (built here when missing), wasmtime and kubectl on PATH
(scripts/install-hosts.sh puts them in /opt/edgevirt-hosts/bin).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
RUNS = int(os.environ.get("RUNS", "11"))
PATCH = """resources: [stream.yaml]
patches:
  - target: {kind: ConfigMap}
    patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: any, annotations: {bench: trivial}}
"""


def need(tool):
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"{tool} not found: run scripts/install-hosts.sh and put /opt/edgevirt-hosts/bin on PATH")
    return path


def build():
    native = os.path.join(TARGET, "release", "edgevirt")
    wasm = os.path.join(TARGET, "wasm32-wasip1", "release", "edgevirt.wasm")
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "edgevirt"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "edgevirt", "--target",
                    "wasm32-wasip1"], cwd=ROOT, check=True)
    return native, wasm


def kustomization(tmp, label, parts):
    """A kustomization over the same bytes. Charts repeat each other's resources (a subchart is
    also a chart of its own here), which kustomize refuses, so each stream gets a name prefix
    in a folder of its own; the trivial patch applies on top."""
    top = os.path.join(tmp, "k-" + label.split()[0].strip(":"))
    os.makedirs(top)
    dirs = []
    for i, part in enumerate(parts):
        sub = os.path.join(top, f"s{i}")
        os.makedirs(sub)
        shutil.copy(part, os.path.join(sub, "stream.yaml"))
        with open(os.path.join(sub, "kustomization.yaml"), "w") as k:
            k.write(f"namePrefix: s{i}-\nresources: [stream.yaml]\n")
        dirs.append(f"s{i}")
    with open(os.path.join(top, "kustomization.yaml"), "w") as k:
        k.write(PATCH.replace("resources: [stream.yaml]", f"resources: [{', '.join(dirs)}]"))
    return top


def median_seconds(argv, stdin_path, cwd=None):
    times = []
    for _ in range(RUNS):
        with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as out:
            start = time.perf_counter()
            subprocess.run(argv, stdin=stdin, stdout=out, cwd=cwd, check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    native, wasm = build()
    wasmtime, kubectl = need("wasmtime"), need("kubectl")
    streams = os.path.join(ROOT, "tests", "corpus", "streams")
    files = sorted(os.path.join(streams, f) for f in os.listdir(streams) if f.endswith(".yaml"))
    largest = max(files, key=os.path.getsize)
    with tempfile.TemporaryDirectory() as tmp:
        joined = os.path.join(tmp, "stream.yaml")
        with open(joined, "wb") as out:
            for f in files:
                with open(f, "rb") as src:
                    data = src.read()
                out.write(data if data.startswith(b"---") else b"---\n" + data)
                if not data.endswith(b"\n"):
                    out.write(b"\n")
        cwasm = os.path.join(tmp, "edgevirt.cwasm")
        subprocess.run([wasmtime, "compile", wasm, "-o", cwasm], check=True)
        print(f"| input | MB | cat MB/s | edgevirt MB/s | wasm MB/s | precompiled wasm MB/s "
              f"| kustomize MB/s | edgevirt/cat time | kustomize/edgevirt time "
              f"| wasm/native time | precompiled wasm/native time |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for label, path in (("largest: " + os.path.basename(largest), largest),
                            (f"all {len(files)} joined", joined)):
            kdir = kustomization(tmp, label, [largest] if path == largest else files)
            mb = os.path.getsize(path) / 1e6
            t_cat = median_seconds(["cat"], path)
            t_native = median_seconds([native, "post-render"], path)
            t_wasm = median_seconds([wasmtime, "run", wasm, "post-render"], path)
            t_cwasm = median_seconds(
                [wasmtime, "run", "--allow-precompiled", cwasm, "post-render"], path)
            t_kust = median_seconds([kubectl, "kustomize", kdir], os.devnull)
            print(f"| {label} | {mb:.2f} | {mb / t_cat:.0f} | {mb / t_native:.0f} "
                  f"| {mb / t_wasm:.0f} | {mb / t_cwasm:.0f} | {mb / t_kust:.1f} "
                  f"| {t_native / t_cat:.1f}x | {t_kust / t_native:.0f}x "
                  f"| {t_wasm / t_native:.1f}x | {t_cwasm / t_native:.1f}x |")
    print(f"\nmedian of {RUNS} runs each; times include process start-up")


if __name__ == "__main__":
    main()
