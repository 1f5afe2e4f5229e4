#!/usr/bin/env bash
# The test job: bootstrap (with test tools), install the headless browser for the UI tests when
# missing, check style, run the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
bash scripts/system-deps.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
