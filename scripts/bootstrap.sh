#!/usr/bin/env bash
# Creates the project's virtual environment (.venv) if missing and installs PolicyKG into it.
# Re-running is cheap: nothing is reinstalled unless pyproject.toml changed.
# Usage: scripts/bootstrap.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  echo "policykg: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
stamp=".venv/.installed${extras:+-$extras}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
# An editable install is not byte-compiled by pip: compile the project's modules (only those changed
# since), so that no start compiles them from source where the interpreter may not write its cache.
byte_compile() { .venv/bin/python -m compileall -q genre corpus kg rag ui eval > /dev/null || true; }
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  byte_compile
  exit 0
fi

quiet_pip() {  # pip's notes about missing local mirror folders are noise, not errors
  .venv/bin/pip install --disable-pip-version-check -q "$@" 2> >(grep -v 'is ignored' >&2)
}
echo "policykg: installing PyTorch (CPU build, pinned)"
quiet_pip "torch==2.13.0"
echo "policykg: installing PolicyKG${extras:+ [$extras]} and its dependencies"
if [ -n "$extras" ]; then quiet_pip -e ".[$extras]"; else quiet_pip -e .; fi
echo "$want" > "$stamp"
byte_compile
