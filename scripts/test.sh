#!/usr/bin/env bash
# edgevirt's test command: what the README tells contributors to run and what .ci/run runs.
# Expects scripts/install-test-deps.sh to have run once on the machine (for the tool steps).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/steps.sh

# The real hosts (Helm 3 and 4, kubectl, wasmtime) from scripts/install-hosts.sh come first on
# PATH; the host tests find them, and the binaries they drive, through these variables.
hosts_bin="${EDGEVIRT_HOSTS:-/opt/edgevirt-hosts}/bin"
image_kubectl=$(command -v kubectl || true)
export PATH="$hosts_bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
export EDGEVIRT_BIN="$target_dir/release/edgevirt"
export EDGEVIRT_WASM="$target_dir/wasm32-wasip1/release/edgevirt.wasm"
export HELM="$hosts_bin/helm" HELM3="$hosts_bin/helm3"
export KUBECTL="$hosts_bin/kubectl" WASMTIME="$hosts_bin/wasmtime"
export KUBECTL_IMAGE="${KUBECTL_IMAGE:-$image_kubectl}"
# kpt comes with the machine image only; the kpt tests fail with a message when it is missing.
export KPT="${KPT:-$(command -v kpt || true)}"

# Built once here for every test that runs the binary or the WASI module.
step "build edgevirt (native release)" cargo build --release -p edgevirt
step "build edgevirt (wasm32-wasip1)" cargo build --release -p edgevirt --target wasm32-wasip1
step "build Helm 4 plugin.wasm (edgevirt-helm4)" plugins/helm4/build.sh
# The browser wizard (scripts/test-web.sh): the page trunk builds, its wasm-bindgen tests in
# headless Chromium, and the end-to-end tests, which compare its downloads with the binary above.
step "build the browser wizard (trunk)" scripts/test-web.sh build
step "wizard wasm-bindgen tests (headless Chromium)" scripts/test-web.sh wasm
step "wizard end-to-end tests (Playwright, Chromium)" scripts/test-web.sh e2e
step "cargo test (all targets)" cargo test --workspace --all-targets
# --all-targets leaves out doctests, which the crate docs rely on as examples.
step "cargo test (doctests)" cargo test --workspace --doc
step "test tools self-test" tests/tools/selftest.sh
step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
# The wizard's components and JS API only exist on wasm32.
step "cargo clippy (wizard, wasm32)" \
  cargo clippy -p edgevirt-web --target wasm32-unknown-unknown --all-targets -- -D warnings
step_summary
