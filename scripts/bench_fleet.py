#!/usr/bin/env python3
"""Time and peak memory of `edgevirt render` on a generated fleet, native and under wasmtime.

The fleet (COUNT rows, default 10000) is an `EdgeDeviceFleet` with a CSV inventory: per row a
name, a static IP and MAC on a Multus bridge, a site label and a DPS registration ID, and a DPS
group enrollment key from which each device's key is derived. Each command renders it to
/dev/null under `/usr/bin/time -v`; the median wall time and the largest maximum resident set
size of RUNS runs are reported, with the CPU time (user and system, every thread), which a busy
machine disturbs less. The targets: under 1 s and under 300 MB natively.

The wasm runs two ways: `wasmtime run edgevirt.wasm` (Cranelift compiles the module, unless
wasmtime's compilation cache already holds it) and `wasmtime run --allow-precompiled
edgevirt.cwasm` after one `wasmtime compile`.

Needs: /usr/bin/time, wasmtime on PATH (scripts/install-hosts.sh puts it in
/opt/edgevirt-hosts/bin); builds the release binary and wasm first unless `--no-build`.
`--write FILE` only writes the generated fleet; `--json` prints the figures as one JSON object
(scripts/perf-report.py reads it) instead of the table.

    PATH=/opt/edgevirt-hosts/bin:$PATH scripts/bench_fleet.py [--runs 5] [--count 10000] [--json]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

from benchlib import build, need
GROUP_KEY = "ZXhhbXBsZS1ncm91cC1rZXktZm9yLWVkZ2V2aXJ0LWRvY3Mtbm90LWEtcmVhbC1rZXktMDEyMzQ1Njc4OQ=="

TEMPLATE = """apiVersion: edgevirt.dev/v1alpha1
kind: EdgeDeviceFleet
metadata:
  name: bench
  namespace: iot-edge
spec:
  template:
    metadata:
      name: '{{{{ name }}}}'
      labels: {{site: '{{{{ site }}}}'}}
    spec:
      network:
        interfaces:
          - name: lan
            networkName: iot-edge/plant-lan
            macAddress: '{{{{ mac }}}}'
            addresses: ['{{{{ ip }}}}/16']
            gateway: 10.20.0.1
      iotEdge:
        provisioning:
          dps:
            idScope: 0ne00000A0A
            symmetricKey:
              registrationId: '{{{{ registration }}}}'
              enrollmentGroupKey: {{value: "{key}"}}
  inventoryCsv: |
    name,site,ip,mac,registration
{rows}"""


def fleet(count):
    rows = []
    for i in range(1, count + 1):
        site = f"plant-{i % 7}"
        ip = f"10.20.{i // 250}.{i % 250 + 2}"
        mac = "02:00:00:{:02x}:{:02x}:{:02x}".format(i >> 16 & 0xFF, i >> 8 & 0xFF, i & 0xFF)
        rows.append(f"    edge-{i:05d},{site},{ip},{mac},{site}.edge-{i:05d}\n")
    return TEMPLATE.format(key=GROUP_KEY, rows="".join(rows))


def measure(argv, stdin_path, runs):
    """Median wall seconds, median CPU seconds (user + system, all threads) and largest max RSS
    (MB) of `runs` runs of argv under /usr/bin/time. On a busy machine the CPU time is the
    steadier number; the wall time counts both cores natively."""
    seconds, cpu, rss = [], [], []
    for _ in range(runs):
        with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as out:
            done = subprocess.run(["/usr/bin/time", "-v"] + argv, stdin=stdin, stdout=out,
                                  stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed:\n{done.stderr}")
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
        hours, minutes, secs = wall.groups()
        seconds.append(int(hours or 0) * 3600 + int(minutes) * 60 + float(secs))
        user = float(re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)[1])
        system = float(re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)[1])
        cpu.append(user + system)
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1]))
    return statistics.median(seconds), statistics.median(cpu), max(rss) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "5")),
                        help="runs of each command (default 5, or $RUNS)")
    parser.add_argument("--count", type=int, default=int(os.environ.get("COUNT", "10000")),
                        help="devices in the fleet (default 10000, or $COUNT)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries already in $CARGO_TARGET_DIR")
    parser.add_argument("--write", metavar="FILE", help="only write the generated fleet to FILE")
    args = parser.parse_args()
    if args.write:
        with open(args.write, "w") as f:
            f.write(fleet(args.count))
        return
    wasmtime = need("wasmtime")
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("bench_fleet: /usr/bin/time not found: apt-get install time")
    native, wasm = build(args.no_build, "bench_fleet")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fleet.yaml")
        with open(path, "w") as f:
            f.write(fleet(args.count))
        out = subprocess.run([native, "render", path], capture_output=True, check=True)
        size = len(out.stdout)
        cwasm = os.path.join(tmp, "edgevirt.cwasm")
        subprocess.run([wasmtime, "compile", wasm, "-o", cwasm], check=True, stdout=sys.stderr)
        rows = [
            ("native", "native", [native, "render", "-"]),
            ("wasm", "wasmtime run edgevirt.wasm", [wasmtime, "run", "--", wasm, "render", "-"]),
            ("wasm_precompiled", "wasmtime run --allow-precompiled edgevirt.cwasm",
             [wasmtime, "run", "--allow-precompiled", "--", cwasm, "render", "-"]),
        ]
        results = []
        for key, label, argv in rows:
            seconds, cpu, rss = measure(argv, path, args.runs)
            results.append({"key": key, "command": label, "wall_s": seconds, "cpu_s": cpu,
                            "max_rss_mb": rss})
        input_bytes = os.path.getsize(path)
    if args.json:
        json.dump({"count": args.count, "runs": args.runs, "input_bytes": input_bytes,
                   "output_bytes": size, "load_before": load_before, "results": results},
                  sys.stdout, indent=2)
        print()
        return
    print(f"fleet of {args.count} devices: input {input_bytes / 1e6:.2f} MB, "
          f"output {size / 1e6:.1f} MB; median of {args.runs} runs, largest max RSS")
    print(f"load average before: {load_before[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':50} {'wall s':>7} {'CPU s':>7} {'max RSS MB':>11}")
    for r in results:
        print(f"{r['command']:50} {r['wall_s']:7.2f} {r['cpu_s']:7.2f} {r['max_rss_mb']:11.0f}")


if __name__ == "__main__":
    main()
