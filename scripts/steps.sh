# Sourced by scripts/test.sh and .ci/run: runs named steps and reports how long each took.
# step NAME COMMAND... runs COMMAND, prints its duration on stderr, and stops the script on
# failure (the caller runs with set -e). step_summary prints all durations at the end.

step_times=()

step() {
  local name=$1 start end status=0
  shift
  printf '\n==> %s: %s\n' "$name" "$*" >&2
  start=$(date +%s%N)
  "$@" || status=$?
  end=$(date +%s%N)
  local seconds
  seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  step_times+=("$(printf '%8ss  %s' "$seconds" "$name")")
  if [ "$status" -ne 0 ]; then
    printf '<== %s failed (exit %d) after %ss\n' "$name" "$status" "$seconds" >&2
    step_summary
    return "$status"
  fi
  printf '<== %s: %ss\n' "$name" "$seconds" >&2
}

step_summary() {
  printf '\nstep timings:\n' >&2
  printf '%s\n' "${step_times[@]}" >&2
}
