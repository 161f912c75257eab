#!/usr/bin/env bash
# participa vs pabutools on the shared pabulib instances, per instance and rule.
#
#   benches/compare_pabulib.sh [DATA_DIR] [TIMEOUT_SECONDS]
#
# Needs a release build of participa (cargo build --release) and pabutools in
# $PBVENV (default /tmp/pbvenv: python -m venv /tmp/pbvenv && /tmp/pbvenv/bin/pip install "pabutools==1.2.*").
# Prints, per (instance, rule): participa's median ms (parse included),
# pabutools' seconds for the rule and for parse_pabulib, and two ratios:
# parse included for both (the issue's measure), and pabutools' rule alone.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-${PABULIB_DIR:-$here/../shared/data/pabulib}}"
timeout="${2:-300}"
pbvenv="${PBVENV:-/tmp/pbvenv}"
bin="${PARTICIPA:-${CARGO_TARGET_DIR:-$here/target}/release/participa}"
rules="greedy,equal-shares,equalshares/add1,max-welfare"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bin" bench --pabulib-dir "$data" --rules "$rules" --repeat 3 > "$tmp/participa.md"
"$pbvenv/bin/python" "$here/benches/pabutools_times.py" --data "$data" --timeout "$timeout" --rules "$rules" > "$tmp/pabutools.tsv"
python3 - "$tmp/participa.md" "$tmp/pabutools.tsv" "$rules" <<'PY'
import sys
md, tsv, rules = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
ours = {}
for line in open(md):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 3 + len(rules) and cells[0] not in ("file",) and not cells[0].startswith("-"):
        for r, v in zip(rules, cells[3:]):
            ours[(cells[0], r)] = v
print("| instance | rule | participa ms (parse included) | pabutools rule s | pabutools parse s | ratio, both with parse | ratio, pabutools' rule alone |")
print("|---|---|---:|---:|---:|---:|---:|")
for line in open(tsv):
    stem, rule, secs, parse, wall = line.rstrip("\n").split("\t")
    o = ours.get((stem, rule), "-")
    try:
        ours_s = float(o) / 1e3
    except ValueError:
        ours_s = None
    if ours_s is None:
        both = alone = "-"
    elif secs == "timeout":
        # The run was killed before it returned its timings: wall time is a lower bound.
        both = alone = f"> {float(wall) / ours_s:.0f}x"
    elif secs == "failed":
        both = alone = "-"
    else:
        both = f"{(float(secs) + float(parse)) / ours_s:.0f}x"
        alone = f"{float(secs) / ours_s:.0f}x"
    print(f"| {stem} | {rule} | {o} | {secs} | {parse} | {both} | {alone} |")
PY
