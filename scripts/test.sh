#!/usr/bin/env bash
# edgevirt's test command: what the README tells contributors to run and what .ci/run runs.
# Expects scripts/install-test-deps.sh to have run once on the machine (for the tool steps).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/steps.sh

step "cargo test (all targets)" cargo test --workspace --all-targets
# --all-targets leaves out doctests, which the crate docs rely on as examples.
step "cargo test (doctests)" cargo test --workspace --doc
step "test tools self-test" tests/tools/selftest.sh
step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
step_summary
