#!/usr/bin/env bash
# Installs what building and testing the browser wizard (web/) needs, into one cache folder,
# $EDGEVIRT_WEB_TOOLS (default /opt/edgevirt-web-tools), plus Debian's Chromium:
#
#   bin/wasm-bindgen, bin/wasm-bindgen-test-runner   crates.io wasm-bindgen-cli 0.2.130
#                                                    (the same version web/Cargo.toml pins)
#   bin/trunk                                        crates.io trunk 0.21.14 (0.22 needs rustc 1.96)
#   bin/wasm-opt                                     npm binaryen@132 (Debian's binaryen is too old
#                                                    to read what rustc 1.95 emits)
#   node_modules/playwright-core, node_modules/axe-core   npm, for web/tests/e2e
#   /usr/bin/chromium, /usr/bin/chromedriver         Debian chromium and chromium-driver
#
# trunk cannot download its tools on this network, so Trunk.toml pins the versions above and
# trunk finds them on PATH. Put "$EDGEVIRT_WEB_TOOLS/bin" first on PATH before running trunk.
#
# Idempotent: each tool already there at its pinned version is left alone, so a run on a ready
# machine takes about a second and needs no network. `check` installs nothing and fails, naming
# each tool, when one is missing (scripts/test-web.sh runs it first).
set -euo pipefail

readonly TOOLS=${EDGEVIRT_WEB_TOOLS:-/opt/edgevirt-web-tools}
readonly BIN=$TOOLS/bin
readonly WASM_BINDGEN_VERSION=0.2.130
readonly TRUNK_VERSION=0.21.14
readonly BINARYEN_VERSION=132
readonly PLAYWRIGHT_VERSION=1.65.2
readonly AXE_VERSION=4.14.1

say() { printf 'install-web-tools: %s\n' "$*" >&2; }

# Whether $1 run with the arguments after $2 prints something containing $2.
has_version() {
  local binary=$1 expected=$2
  shift 2
  [ -x "$binary" ] && "$binary" "$@" 2>/dev/null | grep -F -- "$expected" >/dev/null
}

require_version() {
  local binary=$1 expected=$2
  shift 2
  if ! has_version "$binary" "$expected" "$@"; then
    say "error: $binary does not report $expected"
    exit 1
  fi
  say "$(basename "$binary"): $expected"
}

# A release build of a large tool with LTO on one codegen unit takes three times as long on
# two cores; the tools run for seconds, so their speed does not matter.
cargo_install() {
  env -u CARGO_TARGET_DIR \
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --root "$TOOLS" --quiet "$@"
}

ensure_wasm_bindgen() {
  if has_version "$BIN/wasm-bindgen" "$WASM_BINDGEN_VERSION" --version &&
    has_version "$BIN/wasm-bindgen-test-runner" "$WASM_BINDGEN_VERSION" --version; then
    say "wasm-bindgen $WASM_BINDGEN_VERSION already installed"
    return
  fi
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Its lock file does not build with rustc 1.95, so no --locked.
  cargo_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  require_version "$BIN/wasm-bindgen" "$WASM_BINDGEN_VERSION" --version
}

ensure_trunk() {
  if has_version "$BIN/trunk" "trunk $TRUNK_VERSION" --version; then
    say "trunk $TRUNK_VERSION already installed"
    return
  fi
  say "cargo install trunk $TRUNK_VERSION (about six minutes)"
  cargo_install trunk --version "$TRUNK_VERSION" --locked --no-default-features \
    --features rustls --force
  require_version "$BIN/trunk" "trunk $TRUNK_VERSION" --version
}

# npm packages go into $TOOLS/node_modules; wasm-opt is linked into bin/.
npm_package_version() {
  local file=$TOOLS/node_modules/$1/package.json
  [ -f "$file" ] && node -p "require('$file').version" 2>/dev/null
}

ensure_npm_packages() {
  local wanted=()
  [ "$(npm_package_version binaryen || true)" = "$BINARYEN_VERSION.0.0" ] ||
    wanted+=("binaryen@$BINARYEN_VERSION")
  [ "$(npm_package_version playwright-core || true)" = "$PLAYWRIGHT_VERSION" ] ||
    wanted+=("playwright-core@$PLAYWRIGHT_VERSION")
  [ "$(npm_package_version axe-core || true)" = "$AXE_VERSION" ] ||
    wanted+=("axe-core@$AXE_VERSION")
  if [ ${#wanted[@]} -gt 0 ]; then
    say "npm install ${wanted[*]}"
    mkdir -p "$TOOLS"
    [ -f "$TOOLS/package.json" ] || echo '{"private": true}' >"$TOOLS/package.json"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent --save-exact "${wanted[@]}"
  else
    say "npm packages already installed"
  fi
  mkdir -p "$BIN"
  ln -sf ../node_modules/binaryen/bin/wasm-opt "$BIN/wasm-opt"
  require_version "$BIN/wasm-opt" "version $BINARYEN_VERSION" --version
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
    return
  fi
  say "apt-get install chromium chromium-driver"
  # Waits for another apt (an image's own updates, a parallel install) instead of failing.
  local apt=(apt-get -o DPkg::Lock::Timeout=600)
  [ "$(id -u)" -eq 0 ] || apt=(sudo "${apt[@]}")
  "${apt[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-dejavu-core >/dev/null
}

# Installs nothing: says what is missing or at another version, and fails if anything is.
check() {
  local missing=()
  has_version "$BIN/trunk" "trunk $TRUNK_VERSION" --version || missing+=("$BIN/trunk $TRUNK_VERSION")
  has_version "$BIN/wasm-bindgen" "$WASM_BINDGEN_VERSION" --version ||
    missing+=("$BIN/wasm-bindgen $WASM_BINDGEN_VERSION")
  has_version "$BIN/wasm-bindgen-test-runner" "$WASM_BINDGEN_VERSION" --version ||
    missing+=("$BIN/wasm-bindgen-test-runner $WASM_BINDGEN_VERSION")
  has_version "$BIN/wasm-opt" "version $BINARYEN_VERSION" --version ||
    missing+=("$BIN/wasm-opt (binaryen $BINARYEN_VERSION)")
  command -v node >/dev/null || missing+=("node")
  if command -v node >/dev/null; then
    [ "$(npm_package_version playwright-core || true)" = "$PLAYWRIGHT_VERSION" ] ||
      missing+=("$TOOLS/node_modules/playwright-core $PLAYWRIGHT_VERSION")
    [ "$(npm_package_version axe-core || true)" = "$AXE_VERSION" ] ||
      missing+=("$TOOLS/node_modules/axe-core $AXE_VERSION")
  fi
  [ -x /usr/bin/chromium ] || missing+=("/usr/bin/chromium (Debian chromium)")
  [ -x /usr/bin/chromedriver ] || missing+=("/usr/bin/chromedriver (Debian chromium-driver)")
  if [ ${#missing[@]} -gt 0 ]; then
    local tool
    for tool in "${missing[@]}"; do say "missing: $tool"; done
    say "install them with $0 (as root, or with sudo; the first run takes about ten minutes)"
    return 1
  fi
  say "all web tools present in $TOOLS"
}

main() {
  local only=${1:-all}
  case $only in
    all)
      ensure_chromium
      ensure_npm_packages
      ensure_wasm_bindgen
      ensure_trunk
      ;;
    chromium) ensure_chromium ;;
    npm) ensure_npm_packages ;;
    wasm-bindgen) ensure_wasm_bindgen ;;
    trunk) ensure_trunk ;;
    check) check ;;
    *)
      say "usage: $0 [all|chromium|npm|wasm-bindgen|trunk|check]"
      exit 2
      ;;
  esac
}

main "$@"
