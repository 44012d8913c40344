#!/bin/sh
# The edgevirt post-renderer: Helm's manifests on stdin, expanded manifests on stdout, by running
# `helm edgevirt-wasm post-render` with the Helm that called us. Arguments from
# --post-renderer-args are passed along.
#
# Helm 4.1 passes neither its own path nor HELM_BIN to a post-renderer, so it is found as the
# parent process (Linux), else as $HELM_BIN, else as `helm` on PATH.
set -u

helm_bin=${HELM_BIN:-}
if [ -z "$helm_bin" ] && [ -r "/proc/$PPID/exe" ]; then
  helm_bin=$(readlink "/proc/$PPID/exe") || helm_bin=
fi
helm_bin=${helm_bin:-helm}

# Helm 4.1 keeps a post-renderer's stderr to itself and reports only "exited with error", so a
# failure is also written to the terminal, when there is one.
errors=$(mktemp "${TMPDIR:-/tmp}/edgevirt-post-render.XXXXXX") || exit 1
trap 'rm -f "$errors"' EXIT

status=0
"$helm_bin" edgevirt-wasm post-render "$@" 2>"$errors" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$errors" >&2
  { printf 'edgevirt post-renderer failed:\n'; cat "$errors"; } 2>/dev/null >/dev/tty || true
fi
exit "$status"
