#!/usr/bin/env bash
# Create the virtual environment, install Caseload and compile the translations.
# Sourced by scripts/demo and scripts/test; safe to run again (it skips what is done).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Caseload needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.caseload-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e '.[test]'
  touch "$stamp"
fi
# axe-core for the browser suite's accessibility test (package.json; never served).
if command -v npm >/dev/null 2>&1 && { [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; }; then
  npm ci --no-audit --no-fund --silent || echo "npm ci failed: the accessibility test will be skipped" >&2
fi
.venv/bin/pybabel compile --use-fuzzy --statistics -d caseload/translations 2>&1 | grep -v '^$' || true
