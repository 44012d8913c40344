#!/usr/bin/env bash
# Builds plugin.wasm of the edgevirt-wasm Helm 4 plugin (crate edgevirt-helm4, wasm32-wasip1)
# and puts it into plugins/helm4/edgevirt-wasm/, which `helm plugin install` then takes as is.
# Prints the path of the copy. Honours CARGO_TARGET_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}

(cd "$root" && cargo build --release -p edgevirt-helm4 --target wasm32-wasip1 >&2)
cp "$target_dir/wasm32-wasip1/release/edgevirt_helm4.wasm" "$here/edgevirt-wasm/plugin.wasm"
echo "$here/edgevirt-wasm/plugin.wasm"
