"""What the benchmark scripts share: where the repository and the cargo target are, finding a
host tool, and building (or finding) the native binary and the WASI module they measure."""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def need(tool):
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"{tool} not found: run scripts/install-hosts.sh and put /opt/edgevirt-hosts/bin on PATH")
    return path


def build(skip, who):
    """The release binary and wasm32-wasip1 module, built first unless `skip`; `who` names the
    calling script in the message when one is missing."""
    native = os.path.join(TARGET, "release", "edgevirt")
    wasm = os.path.join(TARGET, "wasm32-wasip1", "release", "edgevirt.wasm")
    if not skip:
        # Cargo's own output goes to stderr, so that --json leaves stdout to the figures.
        subprocess.run(["cargo", "build", "-q", "--release", "-p", "edgevirt"], cwd=ROOT,
                       check=True, stdout=sys.stderr)
        subprocess.run(["cargo", "build", "-q", "--release", "-p", "edgevirt", "--target",
                        "wasm32-wasip1"], cwd=ROOT, check=True, stdout=sys.stderr)
    for path in (native, wasm):
        if not os.path.exists(path):
            sys.exit(f"{who}: no {path}: build it, or run without --no-build")
    return native, wasm
