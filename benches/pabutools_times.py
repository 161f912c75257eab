#!/usr/bin/env python3
"""Time pabutools 1.2.x on the pabulib instances, one run at a time, each with a timeout.

Prints one tab-separated line per (file, rule): file stem, rule, seconds of the
rule alone or `timeout`/`failed`, seconds of pabutools' `parse_pabulib` on the
file (`-` when the run did not finish), and the wall time of the child process
(which also counts starting Python and importing pabutools). Rules use participa's names:
greedy, equal-shares (plain MES), equalshares/add1 (MES, increment 1),
max-welfare. Satisfaction: cost for approval/choose-1, additive cardinal for
cumulative/scoring, Borda for ordinal (as in tests/reference).

  /tmp/pbvenv/bin/python benches/pabutools_times.py --data DIR [--timeout 300] [--rules greedy,equal-shares]
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REF = Path(__file__).resolve().parent.parent / "tests" / "reference" / "make_pabutools_reference.py"
KEYS = {
    "greedy": "greedy",
    "equal-shares": "mes",
    "equalshares/add1": "mes-inc1",
    "max-welfare": "max-welfare",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("PABULIB_DIR", "/work/shared/data/pabulib"))
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--rules", default="greedy,equal-shares,equalshares/add1,max-welfare")
    ap.add_argument("--only", default=None)
    args = ap.parse_args()
    files = sorted(Path(args.data).glob("*.pb"), key=lambda p: p.stat().st_size)
    for f in files:
        if args.only and args.only not in f.stem:
            continue
        for rule in args.rules.split(","):
            t0 = time.perf_counter()
            try:
                p = subprocess.run(
                    [sys.executable, str(REF), "--one", str(f), KEYS[rule]],
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                )
                wall = time.perf_counter() - t0
                parse = "-"
                if p.returncode == 0:
                    doc = json.loads(p.stdout.strip().splitlines()[-1])
                    secs = f"{doc['seconds']:.4f}"
                    parse = f"{doc['parse_seconds']:.4f}"
                else:
                    secs = "failed"
            except subprocess.TimeoutExpired:
                wall = time.perf_counter() - t0
                secs = "timeout"
                parse = "-"
            print(f"{f.stem}\t{rule}\t{secs}\t{parse}\t{wall:.3f}", flush=True)


if __name__ == "__main__":
    main()
