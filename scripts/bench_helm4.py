#!/usr/bin/env python3
"""How much `--post-renderer edgevirt` adds to Helm 4's `helm template` of charts/edgevirt.

Installs the two plugins of plugins/helm4 into a private set of Helm directories, renders the
chart with the example devices (examples/*.yaml) once to let Helm compile plugin.wasm into its
cache, then times `helm template` with and without the post-renderer, alternating the two so
that a busy machine slows both alike. Prints the medians and their difference.

    PATH=/opt/edgevirt-hosts/bin:$PATH scripts/bench_helm4.py [--runs 15] [--json]

Needs Helm 4 (`helm`, or HELM) and the wasm32-wasip1 target; builds plugin.wasm itself
(plugins/helm4/build.sh, which honours CARGO_TARGET_DIR) unless `--no-build`. `--json` prints
the figures as one JSON object (scripts/perf-report.py reads it) instead of the summary.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def example_values():
    """The chart values that list every example device, and how many there are.

    Text, not parsed YAML, so that this needs nothing beyond Python's standard library: each
    example is a single block-style EdgeDevice document, so dropping its top-level apiVersion
    and kind lines and indenting the rest under a list item gives the same values."""
    items = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        lines = path.read_text().splitlines()
        if "kind: EdgeDevice" not in lines:
            continue
        kept = [line for line in lines
                if not line.startswith(("apiVersion:", "kind:", "---"))]
        items.append("  -\n" + "".join(f"    {line}\n" if line else "\n" for line in kept))
    return "devices:\n" + "".join(items), len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-build", action="store_true",
                        help="use plugins/helm4/edgevirt-wasm/plugin.wasm as it is")
    args = parser.parse_args()

    helm = os.environ.get("HELM") or shutil.which("helm")
    if not helm:
        sys.exit("bench_helm4: no helm on PATH; install Helm 4 with scripts/install-hosts.sh")
    version = subprocess.run([helm, "version", "--short"], capture_output=True, text=True).stdout
    if not version.startswith("v4."):
        sys.exit(f"bench_helm4: {helm} is not Helm 4 ({version.strip()})")

    if not args.no_build:
        print("building plugin.wasm ...", file=sys.stderr)
        subprocess.run([ROOT / "plugins/helm4/build.sh"], check=True, stdout=subprocess.DEVNULL)
    if not (ROOT / "plugins/helm4/edgevirt-wasm/plugin.wasm").exists():
        sys.exit("bench_helm4: no plugins/helm4/edgevirt-wasm/plugin.wasm: run plugins/helm4/build.sh")

    with tempfile.TemporaryDirectory(prefix="edgevirt-bench-helm4-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp),
            "KUBECONFIG": str(tmp / "no-kubeconfig"),
            "HELM_DATA_HOME": str(data),
            "HELM_PLUGINS": str(data / "plugins"),
            "HELM_CONFIG_HOME": str(tmp / "config"),
            "HELM_CACHE_HOME": str(tmp / "cache"),
        }

        def helm_run(*argv):
            return subprocess.run(
                [helm, *argv], env=env, check=True, capture_output=True, text=True
            ).stdout

        for plugin in ("edgevirt-wasm", "edgevirt"):
            helm_run("plugin", "install", str(ROOT / "plugins/helm4" / plugin))
        values = tmp / "values.yaml"
        text, devices = example_values()
        values.write_text(text)
        plain = ["template", "edge", str(ROOT / "charts/edgevirt"), "-f", str(values)]
        post = [*plain, "--post-renderer", "edgevirt"]

        started = time.perf_counter()
        rendered = helm_run(*post)
        first = time.perf_counter() - started
        if "kind: VirtualMachine" not in rendered:
            sys.exit("bench_helm4: the post-rendered chart holds no VirtualMachine")

        times = {"plain": [], "post": []}
        for _ in range(args.runs):
            for name, argv in (("plain", plain), ("post", post)):
                started = time.perf_counter()
                helm_run(*argv)
                times[name].append(time.perf_counter() - started)

    plain_ms = statistics.median(times["plain"]) * 1000
    post_ms = statistics.median(times["post"]) * 1000
    if args.json:
        json.dump({"devices": devices, "runs": args.runs, "helm": version.strip(),
                   "first_ms": first * 1000, "plain_ms": plain_ms, "post_ms": post_ms,
                   "overhead_ms": post_ms - plain_ms}, sys.stdout, indent=2)
        print()
        return
    print(f"helm template of charts/edgevirt with {devices} devices, {args.runs} runs each")
    print(f"first run with the post-renderer (compiles plugin.wasm): {first * 1000:.0f} ms")
    print(f"median without --post-renderer: {plain_ms:.0f} ms")
    print(f"median with --post-renderer edgevirt: {post_ms:.0f} ms")
    print(f"overhead: {post_ms - plain_ms:.0f} ms (target: at most 300 ms)")


if __name__ == "__main__":
    main()
