#!/usr/bin/env bash
# Installs what edgevirt's tests need beyond the Rust toolchain, on a Debian 12 machine as root:
#   - Debian's cloud-init, for `cloud-init schema --config-file F`
#     (tests/tools/cloud_init_schema.sh)
#   - PyYAML and jsonschema for python3 (tests/tools/yaml11_check.py reads YAML as cloud-init does)
#   - the plugin hosts (Helm 4 and 3, kubectl, wasmtime): scripts/install-hosts.sh
#   - the wasm32 targets rust-toolchain.toml lists: rustup installs them with a toolchain it
#     downloads, but not into a toolchain that is already there (on these machines 1.95.0 is a
#     link to the preinstalled stable one)
#   - the browser wizard's build and test tools (trunk, wasm-bindgen, wasm-opt, Playwright,
#     axe-core, Chromium and chromedriver): scripts/install-web-tools.sh, about ten minutes the
#     first time
# Idempotent: each step checks first and does nothing when the tool is there at a good version,
# so a run on a ready machine takes well under a second.
set -euo pipefail

# The oldest versions the tests were written against.
readonly CLOUD_INIT_MIN=22.4
readonly PYYAML_MIN=6.0
readonly JSONSCHEMA_MIN=4.0

say() { printf 'install-test-deps: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  # Update the package lists once, and only when something must be installed.
  if [ "$apt_updated" = false ]; then
    say "apt-get update"
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt_updated=true
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@"
}

# Prints the installed version of a Debian package, or nothing when it is not installed.
deb_version() {
  local status
  status=$(dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null) || return 0
  case $status in
    "install ok installed "*) printf '%s\n' "${status#install ok installed }" ;;
  esac
}

ensure_cloud_init() {
  local version
  version=$(deb_version cloud-init)
  if [ -n "$version" ] && dpkg --compare-versions "$version" ge "$CLOUD_INIT_MIN"; then
    say "cloud-init $version present"
    return
  fi
  # --no-install-recommends: the schema command needs none of the network tooling recommended.
  apt_install cloud-init
  say "cloud-init $(deb_version cloud-init) installed"
}

# Prints the version of a Python distribution, or nothing when it is not installed.
py_version() {
  python3 - "$1" <<'EOF' 2>/dev/null || true
import sys
from importlib.metadata import PackageNotFoundError, version
try:
    print(version(sys.argv[1]))
except PackageNotFoundError:
    pass
EOF
}

# Whether dotted version $1 is at least $2, comparing numeric fields.
version_at_least() {
  printf '%s\n%s\n' "$2" "$1" | sort --version-sort --check=quiet
}

# Whether python3 is a distribution's interpreter that refuses pip installs (PEP 668).
externally_managed() {
  python3 -c '
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if os.path.exists(marker) else 1)'
}

# ensure_python_package DISTRIBUTION MINIMUM DEBIAN_PACKAGE
ensure_python_package() {
  local name=$1 minimum=$2 debian=$3 version
  version=$(py_version "$name")
  if [ -n "$version" ] && version_at_least "$version" "$minimum"; then
    say "python3 $name $version present"
    return
  fi
  if externally_managed; then
    apt_install "$debian"
  else
    say "pip install '$name>=$minimum' for $(command -v python3)"
    python3 -m pip install --quiet --disable-pip-version-check "$name>=$minimum"
  fi
  say "python3 $name $(py_version "$name") installed"
}

ensure_rust_targets() {
  local missing=() target installed
  installed=$(rustup target list --installed)
  for target in wasm32-unknown-unknown wasm32-wasip1; do
    grep -qx "$target" <<<"$installed" || missing+=("$target")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "rust targets present"
    return
  fi
  say "rustup target add ${missing[*]}"
  rustup target add "${missing[@]}"
}

ensure_rust_targets
command -v python3 >/dev/null || apt_install python3 python3-pip
ensure_cloud_init
ensure_python_package PyYAML "$PYYAML_MIN" python3-yaml
ensure_python_package jsonschema "$JSONSCHEMA_MIN" python3-jsonschema

# Helm 4 and 3, kubectl and wasmtime for the host tests, in their own cache folder.
"$(dirname "$0")/install-hosts.sh"

# trunk and the other tools scripts/test-web.sh needs, in their own cache folder.
"$(dirname "$0")/install-web-tools.sh"
