#!/usr/bin/env python3
"""How much `--post-renderer edgevirt` adds to Helm 4's `helm template` of charts/edgevirt.

Installs the two plugins of plugins/helm4 into a private set of Helm directories, renders the
chart with the example devices (examples/*.yaml) once to let Helm compile plugin.wasm into its
cache, then times `helm template` with and without the post-renderer, alternating the two so
that a busy machine slows both alike. Prints the medians and their difference.

    PATH=/opt/edgevirt-hosts/bin:$PATH scripts/bench_helm4.py [--runs 15]

Needs Helm 4 (`helm`, or HELM) and the wasm32-wasip1 target; builds plugin.wasm itself
(plugins/helm4/build.sh, which honours CARGO_TARGET_DIR).
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

import yaml

ROOT = Path(__file__).resolve().parent.parent


def example_values():
    """The chart values that list every example device."""
    devices = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        if isinstance(doc, dict) and doc.get("kind") == "EdgeDevice":
            devices.append({"metadata": doc["metadata"], "spec": doc["spec"]})
    return {"devices": devices}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    args = parser.parse_args()

    helm = os.environ.get("HELM") or shutil.which("helm")
    if not helm:
        sys.exit("bench_helm4: no helm on PATH; install Helm 4 with scripts/install-hosts.sh")
    version = subprocess.run([helm, "version", "--short"], capture_output=True, text=True).stdout
    if not version.startswith("v4."):
        sys.exit(f"bench_helm4: {helm} is not Helm 4 ({version.strip()})")

    print("building plugin.wasm ...", file=sys.stderr)
    subprocess.run([ROOT / "plugins/helm4/build.sh"], check=True, stdout=subprocess.DEVNULL)

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
        values.write_text(json.dumps(example_values()))
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

    devices = len(example_values()["devices"])
    plain_ms = statistics.median(times["plain"]) * 1000
    post_ms = statistics.median(times["post"]) * 1000
    print(f"helm template of charts/edgevirt with {devices} devices, {args.runs} runs each")
    print(f"first run with the post-renderer (compiles plugin.wasm): {first * 1000:.0f} ms")
    print(f"median without --post-renderer: {plain_ms:.0f} ms")
    print(f"median with --post-renderer edgevirt: {post_ms:.0f} ms")
    print(f"overhead: {post_ms - plain_ms:.0f} ms (target: at most 300 ms)")


if __name__ == "__main__":
    main()
