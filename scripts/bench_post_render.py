#!/usr/bin/env python3
"""Throughput of `edgevirt post-render` beside `cat` and `kubectl kustomize`, in one run.

Inputs: the largest stream of tests/corpus/streams and the streams joined (see below). Each command reads
the stream and writes to /dev/null; the median of RUNS runs is reported in MB/s, with the ratios
the issue asks about (edgevirt against cat, kustomize against edgevirt, wasm against native).

The wasm runs two ways under wasmtime: `wasmtime run edgevirt.wasm`, which compiles the module
with Cranelift on every run, and `wasmtime run --allow-precompiled edgevirt.cwasm` after one
`wasmtime compile`, which is how a pipeline that runs it often would deploy it.

Needs: the release binary and wasm (built first unless `--no-build`), wasmtime and kubectl on
PATH (scripts/install-hosts.sh puts them in /opt/edgevirt-hosts/bin). `--json` prints the
figures as one JSON object (scripts/perf-report.py reads it) instead of the table.

    PATH=/opt/edgevirt-hosts/bin:$PATH scripts/bench_post_render.py [--runs 11] [--json]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import ROOT, build, need
PATCH = """resources: [stream.yaml]
patches:
  - target: {kind: ConfigMap}
    patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: any, annotations: {bench: trivial}}
"""


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


def median_seconds(argv, stdin_path, runs):
    times = []
    for _ in range(runs):
        with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as out:
            start = time.perf_counter()
            subprocess.run(argv, stdin=stdin, stdout=out, check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "11")),
                        help="runs of each command (default 11, or $RUNS)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries already in $CARGO_TARGET_DIR")
    args = parser.parse_args()
    wasmtime, kubectl = need("wasmtime"), need("kubectl")
    native, wasm = build(args.no_build, "bench_post_render")
    streams = os.path.join(ROOT, "tests", "corpus", "streams")
    files = sorted(os.path.join(streams, f) for f in os.listdir(streams) if f.endswith(".yaml"))
    largest = max(files, key=os.path.getsize)
    results = []
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
        subprocess.run([wasmtime, "compile", wasm, "-o", cwasm], check=True, stdout=sys.stderr)
        for label, path in (("largest: " + os.path.basename(largest), largest),
                            (f"all {len(files)} joined", joined)):
            kdir = kustomization(tmp, label, [largest] if path == largest else files)
            runs = args.runs
            seconds = {
                "cat": median_seconds(["cat"], path, runs),
                "native": median_seconds([native, "post-render"], path, runs),
                "wasm": median_seconds([wasmtime, "run", wasm, "post-render"], path, runs),
                "wasm_precompiled": median_seconds(
                    [wasmtime, "run", "--allow-precompiled", cwasm, "post-render"], path, runs),
                "kustomize": median_seconds([kubectl, "kustomize", kdir], os.devnull, runs),
            }
            size = os.path.getsize(path)
            results.append({
                "input": label,
                "bytes": size,
                "seconds": seconds,
                "mb_per_s": {k: size / 1e6 / t for k, t in seconds.items()},
                # Time ratios, each the slower over the faster as the targets put them.
                "native_over_cat": seconds["native"] / seconds["cat"],
                "kustomize_over_native": seconds["kustomize"] / seconds["native"],
                "wasm_over_native": seconds["wasm"] / seconds["native"],
                "wasm_precompiled_over_native": seconds["wasm_precompiled"] / seconds["native"],
            })
    if args.json:
        json.dump({"runs": args.runs, "results": results}, sys.stdout, indent=2)
        print()
        return
    print("| input | MB | cat MB/s | edgevirt MB/s | wasm MB/s | precompiled wasm MB/s "
          "| kustomize MB/s | edgevirt/cat time | kustomize/edgevirt time "
          "| wasm/native time | precompiled wasm/native time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        rate = r["mb_per_s"]
        print(f"| {r['input']} | {r['bytes'] / 1e6:.2f} | {rate['cat']:.0f} | {rate['native']:.0f} "
              f"| {rate['wasm']:.0f} | {rate['wasm_precompiled']:.0f} | {rate['kustomize']:.1f} "
              f"| {r['native_over_cat']:.1f}x | {r['kustomize_over_native']:.0f}x "
              f"| {r['wasm_over_native']:.1f}x | {r['wasm_precompiled_over_native']:.1f}x |")
    print(f"\nmedian of {args.runs} runs each; times include process start-up")


if __name__ == "__main__":
    main()
