#!/usr/bin/env bash
# participa against PuLP+CBC and highspy (and, when the pabulib benchmark is
# present, pabutools) in one invocation on this machine. See benches/compare.py
# and BENCHMARKS.md. Usage: benches/compare.sh [--sizes 200,1000] [--repeat 3]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/participa-target}"
cargo build --release --features highs -j "${CARGO_BUILD_JOBS:-2}"
bin="$(mktemp -d)/participa"
cp "$CARGO_TARGET_DIR/release/participa" "$bin"
venv="${BENCH_VENV:-$HOME/.cache/participa-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "pulp==3.3.2" "highspy==1.16.0"
fi
"$venv/bin/python" benches/compare.py --participa "$bin" "$@"
if [ -x benches/compare_pabulib.sh ]; then
  benches/compare_pabulib.sh
fi
