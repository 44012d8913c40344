#!/usr/bin/env bash
# Validates every *.cloud-config.yaml in a directory with the real cloud-init:
#   cloud-init schema --config-file FILE
# Debian 12's cloud-init 22.4 checks types and the #cloud-config header but accepts unknown
# keys; the edgevirt-tests crate also checks against cloud-init 26.2's stricter schema.
#
# Usage: tests/tools/cloud_init_schema.sh DIR
# Exit: 0 all valid, 1 any invalid (or no files found), 2 usage error or cloud-init missing.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR   (validates DIR/*.cloud-config.yaml with cloud-init schema)" >&2
  exit 2
fi
if ! command -v cloud-init >/dev/null; then
  echo "cloud-init not found: run scripts/install-test-deps.sh (installs Debian's cloud-init)" >&2
  exit 2
fi

shopt -s nullglob
files=("$1"/*.cloud-config.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "no *.cloud-config.yaml files in $1" >&2
  exit 1
fi

passed=0
failed=0
for file in "${files[@]}"; do
  # cloud-init prints its verdict partly on stdout, partly on stderr: keep both for the report.
  if output=$(cloud-init schema --config-file "$file" 2>&1); then
    passed=$((passed + 1))
    echo "ok      $file"
  else
    failed=$((failed + 1))
    echo "INVALID $file"
    # Drop the empty "deprecations:" header 22.4 prints before its errors.
    grep -v '^Cloud config schema deprecations: *$' <<<"$output" | sed 's/^/    /'
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
