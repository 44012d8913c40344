#!/usr/bin/env bash
# Tests of the browser wizard (web/):
#   build   trunk builds the page (dist/) offline, with the pinned tools of
#           scripts/install-web-tools.sh first on PATH
#   wasm    the wasm-bindgen tests of the JS API and the mounted wizard (web/tests/api.rs), in
#           headless Chromium through chromedriver; web/webdriver.json passes Chromium its flags
#           (wasm-bindgen-test-runner adds --headless and --no-sandbox itself)
#   e2e     the end-to-end tests (web/tests/e2e/*.test.mjs): Playwright drives Chromium through
#           the built page, and compares what it downloads with the native edgevirt
#   all     the three, in that order (the default)
#
#   scripts/test-web.sh [all|build|wasm|e2e]
#
# Needs scripts/install-web-tools.sh (checked first: a missing tool fails with the command that
# installs it) and, for e2e, the native release binary: scripts/test.sh builds it before.
# Environment: EDGEVIRT_WEB_TOOLS (default /opt/edgevirt-web-tools), CARGO_TARGET_DIR,
# EDGEVIRT_BIN (default $CARGO_TARGET_DIR/release/edgevirt), EDGEVIRT_DIST (default dist/),
# EDGEVIRT_E2E_OUT (screenshots, downloads and measurements; default tests/out/e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

export EDGEVIRT_WEB_TOOLS=${EDGEVIRT_WEB_TOOLS:-/opt/edgevirt-web-tools}
export PATH="$EDGEVIRT_WEB_TOOLS/bin:$PATH"
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
export EDGEVIRT_BIN=${EDGEVIRT_BIN:-$target_dir/release/edgevirt}
export EDGEVIRT_DIST=${EDGEVIRT_DIST:-$PWD/dist}
export EDGEVIRT_E2E_OUT=${EDGEVIRT_E2E_OUT:-$PWD/tests/out/e2e}

say() { printf 'test-web: %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

check_tools() {
  scripts/install-web-tools.sh check ||
    fail "the wizard's tools are missing (see above): run scripts/install-web-tools.sh"
  # import.meta.dirname, which the e2e tests use, came with Node.js 20.11.
  node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' ||
    fail "node $(node --version) is too old: the e2e tests need Node.js 20.11 or later"
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    fail "the Rust target wasm32-unknown-unknown is missing: run scripts/install-test-deps.sh"
}

build() {
  say "trunk build --release --offline --dist $EDGEVIRT_DIST"
  trunk build --release --offline --dist "$EDGEVIRT_DIST"
}

wasm_tests() {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} \
    WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120} \
    cargo test -p edgevirt-web --target wasm32-unknown-unknown
}

e2e_tests() {
  [ -f "$EDGEVIRT_DIST/index.html" ] || fail "no $EDGEVIRT_DIST/index.html: run $0 build first"
  [ -x "$EDGEVIRT_BIN" ] || fail "no $EDGEVIRT_BIN: run cargo build --release -p edgevirt"
  # The values.yaml test reads YAML with PyYAML.
  python3 -c 'import yaml' 2>/dev/null ||
    fail "python3 cannot import yaml (PyYAML): run scripts/install-test-deps.sh"
  # Old screenshots and downloads would pass for this run's.
  case $EDGEVIRT_E2E_OUT in
    "$PWD/tests/out/e2e") rm -rf "$EDGEVIRT_E2E_OUT" ;;
  esac
  mkdir -p "$EDGEVIRT_E2E_OUT"
  # One file at a time: the measurements should not share the two cores with another browser.
  node --test --test-concurrency=1 web/tests/e2e/
  say "artifacts in $EDGEVIRT_E2E_OUT"
  local name
  for name in interactive keystroke; do
    say "$(cat "$EDGEVIRT_E2E_OUT/$name.txt")"
  done
}

check_tools
case ${1:-all} in
  all)
    build
    wasm_tests
    e2e_tests
    ;;
  build) build ;;
  wasm) wasm_tests ;;
  e2e) e2e_tests ;;
  *)
    say "usage: $0 [all|build|wasm|e2e]"
    exit 2
    ;;
esac
