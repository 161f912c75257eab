#!/usr/bin/env bash
# Executes every notebook headless against the freshly built participa binary,
# in a virtualenv with notebooks/requirements.txt. Fails if any cell errors.
#   PARTICIPA=/path/to/participa notebooks/run_all.sh      (default: $CARGO_TARGET_DIR or target, release)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${NOTEBOOK_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
export PARTICIPA="${PARTICIPA:-${CARGO_TARGET_DIR:-$here/../target}/release/participa}"
if [ ! -x "$PARTICIPA" ]; then
  echo "no participa binary at $PARTICIPA: build it first (cargo build --release)" >&2
  exit 1
fi
exec "$venv/bin/python" "$here/run_all.py" "$@"
