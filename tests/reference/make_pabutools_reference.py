#!/usr/bin/env python3
"""Run pabutools 1.2.x on the shared pabulib instances and write what it selects.

One JSON file per instance under tests/reference/pabutools/: for each rule,
the selected project ids (pabutools' selection order), the welfare under the
rule's satisfaction as an exact fraction string, and how long pabutools took
(parse excluded). A rule that exceeds the timeout is recorded under `skipped`
with the reason, so `tests/pabulib_rules.rs` knows what it cannot check.

Every (instance, rule) runs in its own child process with a timeout, one at a
time (the machine is shared).

Usage:
  python -m venv /tmp/pbvenv && /tmp/pbvenv/bin/pip install "pabutools==1.2.*"
  /tmp/pbvenv/bin/python tests/reference/make_pabutools_reference.py \
      [--data /work/shared/data/pabulib] [--timeout 300] [--only NAME_SUBSTRING]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "pabutools"

RULES = [
    "greedy",
    "mes",
    "mes-inc1",
    "mes-inc1-completion",
    "mes-inc1-no-exhaustive-stop",
    "max-welfare",
]
# Not run by default: pabutools' is_EJR_one_approval / is_PJR_one_approval
# enumerate every group of voters times every set of projects
# (analysis.cohesiveness.cohesive_groups), which does not finish even on Assen
# (84 voters). participa's EJR/PJR checks are instead compared with that
# literal definition on small random elections (src/pabulib/analyze.rs tests).
# `--rules ejr-up-to-one` still runs them on ANALYSIS_FILES.

# Known too slow for pabutools (measured on this 2-core machine, see the task notes).
KNOWN_SLOW = {
    ("Hungary_Budapest_2024", "mes-inc1"): "pabutools MES with increment 1 takes > 300 s",
    ("Hungary_Budapest_2024", "mes-inc1-completion"): "pabutools MES with increment 1 takes > 300 s",
    ("Hungary_Budapest_2024", "mes-inc1-no-exhaustive-stop"): "pabutools MES with increment 1 takes > 300 s",
}

# EJR/PJR up-to-one are checked with an integer program per group size: small
# approval instances only.
ANALYSIS_FILES = {
    "Netherlands_Assen_2024",
    "US_Stanford_Dataset_2022_Jersey_City_Ward_B_vote_knapsacks",
}


def default_sat(vote_type):
    from pabutools.election import Cost_Sat, Additive_Cardinal_Sat, Additive_Borda_Sat

    return {
        "approval": (Cost_Sat, "cost"),
        "choose-1": (Cost_Sat, "cost"),
        "cumulative": (Additive_Cardinal_Sat, "additive-cardinal"),
        "scoring": (Additive_Cardinal_Sat, "additive-cardinal"),
        "ordinal": (Additive_Borda_Sat, "additive-borda"),
    }[vote_type]


def run_one(path: str, rule: str) -> dict:
    """Runs one rule on one file; returns a JSON-able dict."""
    from pabutools.election import parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        max_additive_utilitarian_welfare,
    )

    t_parse = time.perf_counter()
    instance, profile = parse_pabulib(path)
    parse_seconds = time.perf_counter() - t_parse
    vote_type = instance.meta["vote_type"]
    sat_class, sat_name = default_sat(vote_type)
    result = {"satisfaction": sat_name, "parse_seconds": parse_seconds}
    t0 = time.perf_counter()
    if rule == "greedy":
        out = greedy_utilitarian_welfare(instance, profile, sat_class=sat_class)
    elif rule == "mes":
        out = method_of_equal_shares(instance, profile, sat_class=sat_class)
    elif rule == "mes-inc1":
        out = method_of_equal_shares(
            instance, profile, sat_class=sat_class, voter_budget_increment=1
        )
    elif rule == "mes-inc1-completion":
        out = method_of_equal_shares(
            instance, profile, sat_class=sat_class, voter_budget_increment=1
        )
        if not instance.is_exhaustive(out):
            out = greedy_utilitarian_welfare(
                instance, profile, sat_class=sat_class, initial_budget_allocation=out
            )
    elif rule == "mes-inc1-no-exhaustive-stop":
        # pabutools has no switch for this: it stops at the first exhaustive
        # outcome. Without that stop, the loop runs until the outcome no longer
        # fits (then returns the previous one) or every project is selected.
        instance.is_exhaustive = lambda outcome, available_projects=None: all(
            p in outcome for p in (available_projects or instance)
        )
        out = method_of_equal_shares(
            instance, profile, sat_class=sat_class, voter_budget_increment=1
        )
    elif rule == "max-welfare":
        out = max_additive_utilitarian_welfare(instance, profile, sat_class=sat_class)
    elif rule in ("ejr-up-to-one", "pjr-up-to-one"):
        from pabutools.analysis.justifiedrepresentation import (
            is_EJR_one_approval,
            is_PJR_one_approval,
        )
        from pabutools.election import Cost_Sat

        mes = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        greedy = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        check = is_EJR_one_approval if rule == "ejr-up-to-one" else is_PJR_one_approval
        res = {}
        for name, alloc in (("mes", mes), ("greedy", greedy)):
            res[name] = {
                "selected": [p.name for p in alloc],
                "satisfies": bool(check(instance, profile, Cost_Sat, alloc)),
            }
        result["seconds"] = time.perf_counter() - t0
        result["satisfaction"] = "cost"
        result["outcomes"] = res
        return result
    else:
        raise ValueError(rule)
    result["seconds"] = time.perf_counter() - t0
    result["selected"] = [p.name for p in out]
    sat_profile = profile.as_sat_profile(sat_class)
    result["welfare"] = str(sat_profile.total_satisfaction(out))
    result["cost"] = str(sum(p.cost for p in out))
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("PABULIB_DIR", "/work/shared/data/pabulib"))
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--only", default=None)
    ap.add_argument("--rules", default=",".join(RULES))
    ap.add_argument("--one", nargs=2, metavar=("FILE", "RULE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return 0
    import pabutools
    from importlib.metadata import version

    pv = version("pabutools")
    OUT.mkdir(parents=True, exist_ok=True)
    files = sorted(Path(args.data).glob("*.pb"), key=lambda p: p.stat().st_size)
    for f in files:
        stem = f.stem
        if args.only and args.only not in stem:
            continue
        target = OUT / f"{stem}.json"
        doc = json.loads(target.read_text()) if target.exists() else {}
        doc.update({"file": f.name, "pabutools_version": pv})
        doc.setdefault("results", {})
        doc.setdefault("skipped", {})
        vote_type = None
        for line in f.open(encoding="utf-8"):
            if line.startswith("vote_type;"):
                vote_type = line.split(";")[1].strip()
                break
        doc["vote_type"] = vote_type
        for rule in args.rules.split(","):
            if rule in doc["results"]:
                continue
            if rule in ("ejr-up-to-one", "pjr-up-to-one") and stem not in ANALYSIS_FILES:
                continue
            if (stem, rule) in KNOWN_SLOW:
                doc["skipped"][rule] = KNOWN_SLOW[(stem, rule)]
                save(target, doc)
                continue
            t0 = time.perf_counter()
            try:
                p = subprocess.run(
                    [sys.executable, __file__, "--one", str(f), rule],
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                )
            except subprocess.TimeoutExpired:
                doc["skipped"][rule] = (
                    f"pabutools {pv} did not finish within {args.timeout:.0f} s (parse included)"
                )
                print(f"{stem} {rule}: timeout", flush=True)
            else:
                if p.returncode != 0:
                    doc["skipped"][rule] = "pabutools failed: " + p.stderr.strip().splitlines()[-1]
                    print(f"{stem} {rule}: failed {p.stderr[-300:]}", flush=True)
                else:
                    doc["results"][rule] = json.loads(p.stdout.strip().splitlines()[-1])
                    doc["skipped"].pop(rule, None)
                    print(
                        f"{stem} {rule}: {doc['results'][rule]['seconds']:.2f} s "
                        f"(wall with parse {time.perf_counter() - t0:.1f} s)",
                        flush=True,
                    )
            save(target, doc)
    return 0


def save(target: Path, doc: dict) -> None:
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    tmp.replace(target)


if __name__ == "__main__":
    sys.exit(main())
