#!/usr/bin/env bash
# Checks that the Python and cloud-init tools still tell good input from bad: each runs on its
# fixtures in tests/tools/fixtures/, and its exit code, summary and key findings are compared
# with what those fixtures must give. Needs scripts/install-test-deps.sh to have run.
set -euo pipefail
cd "$(dirname "$0")"

failures=0

# expect NAME EXIT_CODE COMMAND... ; then the output must contain each line of $want.
expect() {
  local name=$1 code=$2 output status=0
  shift 2
  output=$("$@" 2>&1) || status=$?
  local problem=""
  if [ "$status" -ne "$code" ]; then
    problem="exit code $status, expected $code"
  else
    while IFS= read -r line; do
      [ -z "$line" ] || grep -qF -- "$line" <<<"$output" || problem="output lacks: $line"
    done <<<"$want"
  fi
  if [ -n "$problem" ]; then
    failures=$((failures + 1))
    printf 'FAIL %s: %s\n%s\n' "$name" "$problem" "$output" | sed '2,$s/^/    /'
  else
    echo "ok   $name"
  fi
}

want="2 passed, 0 failed"
expect "yaml11_check: quoted values match" 0 python3 yaml11_check.py fixtures/yaml11-ok

want='0 passed, 2 failed
[doc 1].data.mode: expected "0644" (str), YAML 1.1 reads 420 (int)
.write_files[0].permissions: expected "0600" (str), YAML 1.1 reads 384 (int)
.enabled: expected "yes" (str), YAML 1.1 reads True (bool)
.at: expected "12:30" (str), YAML 1.1 reads 750 (int)
.day: expected "2024-01-01" (str), YAML 1.1 reads datetime.date(2024, 1, 1) (date)
.on: missing in the YAML'
expect "yaml11_check: YAML 1.1 readings are caught" 1 \
  python3 yaml11_check.py fixtures/yaml11-differs

want="1 passed, 0 failed"
expect "cloud_init_schema: valid cloud-config" 0 ./cloud_init_schema.sh fixtures/cloud-config-valid

want="0 passed, 3 failed
needs to begin with \"#cloud-config\"
packages: 'moby-engine' is not of type 'array'
write_files.0.permissions: 384 is not of type 'string'"
expect "cloud_init_schema: invalid cloud-configs" 1 \
  ./cloud_init_schema.sh fixtures/cloud-config-invalid

[ "$failures" -eq 0 ] || { echo "$failures tool self-test(s) failed" >&2; exit 1; }
