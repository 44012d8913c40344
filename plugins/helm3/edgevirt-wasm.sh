#!/bin/sh
# Helm 3 post-renderer that runs edgevirt's WASI module through the wasmtime CLI:
#
#   helm install edge charts/edgevirt -f values.yaml --post-renderer plugins/helm3/edgevirt-wasm.sh
#
# Helm 3 pipes the rendered manifests to this script's stdin and reads the result from its
# stdout; wasmtime hands both to the module unchanged. The module is $EDGEVIRT_WASM, or else
# edgevirt.wasm next to this script (copy it there from
# target/wasm32-wasip1/release/edgevirt.wasm). wasmtime is $WASMTIME, or else the first on PATH.
# Arguments Helm passes (--post-renderer-args) go to `edgevirt post-render`.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
wasm=${EDGEVIRT_WASM:-$here/edgevirt.wasm}
wasmtime=${WASMTIME:-wasmtime}

if [ ! -f "$wasm" ]; then
  echo "edgevirt-wasm.sh: $wasm: no such file (set EDGEVIRT_WASM to edgevirt.wasm)" >&2
  exit 1
fi
if ! command -v "$wasmtime" >/dev/null 2>&1; then
  echo "edgevirt-wasm.sh: wasmtime not found (set WASMTIME or put it on PATH)" >&2
  exit 1
fi
exec "$wasmtime" run -- "$wasm" post-render "$@"
