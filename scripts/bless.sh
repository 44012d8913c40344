#!/usr/bin/env bash
# Regenerates the expected outputs of the fixture cases in tests/cases/. Review `git diff`
# before committing: a golden file is a claim about what edgevirt must produce.
set -euo pipefail
cd "$(dirname "$0")/.."
EDGEVIRT_BLESS=1 cargo test -p edgevirt-tests --test fixtures fixture_cases
git status --short tests/cases
