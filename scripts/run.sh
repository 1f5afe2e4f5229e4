#!/usr/bin/env bash
# The main job: bootstrap, ingest the corpus into the embedded graph store and indexes (only what
# changed), then serve the app on http://127.0.0.1:7860 . Extra arguments go to `policykg serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/system-deps.sh runtime
.venv/bin/policykg ingest
exec .venv/bin/policykg serve "$@"
