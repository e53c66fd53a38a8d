#!/usr/bin/env bash
# Run the test suite: creates .venv if needed, installs the project with its test tools, validates the
# knowledge base, lints, type-checks (matchers strictly), checks the import layers, then runs pytest (doctests
# included).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[dev]'
if [ "${CI:-}" = "true" ] || [ "${INSTALL_SYSTEM_DEPS:-}" = "1" ]; then
  bash scripts/ci-system-deps.sh   # PostgreSQL server and Chromium for the service tests
fi
.venv/bin/python -m bot kb validate
.venv/bin/ruff check matchers bot tests benchmarks
.venv/bin/mypy matchers bot
.venv/bin/lint-imports
.venv/bin/python -m pytest -q --doctest-modules matchers bot tests -p no:cacheprovider "$@"
