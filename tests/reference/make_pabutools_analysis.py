#!/usr/bin/env python3
"""pabutools' analysis functions on pabutools' own outcomes, for every shared
pabulib instance: the Gini coefficient of voters' satisfaction
(`gini_coefficient_of_satisfaction`, the rule's default satisfaction) and the
share of voters with at least one funded project (`percent_non_empty_handed`,
approval and choose-1 ballots only: on cardinal ballots pabutools averages
points, not voters, and reports e.g. 1.15 on Katowice).

The outcomes are the `greedy` and `mes` selections already recorded in
tests/reference/pabutools/*.json (pabutools' own), so the figures depend on
pabutools alone; `tests/pabulib_rules.rs` checks that `participa analyze`
reports the same on the same outcomes. Written to
tests/reference/pabutools-analysis.json.

(EJR/PJR up to one are not here: pabutools enumerates every cohesive group,
which does not finish even on Assen 2024; see make_pabutools_reference.py.)

Usage:
  python -m venv /tmp/pbvenv && /tmp/pbvenv/bin/pip install "pabutools==1.2.*"
  /tmp/pbvenv/bin/python tests/reference/make_pabutools_analysis.py [--data /work/shared/data/pabulib]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = ["greedy", "mes"]


def main() -> None:
    from importlib.metadata import version

    from pabutools.analysis.votersatisfaction import (
        gini_coefficient_of_satisfaction,
        percent_non_empty_handed,
    )
    from pabutools.election import parse_pabulib

    from make_pabutools_reference import default_sat

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(HERE / "../../../shared/data/pabulib"))
    args = ap.parse_args()
    out = {"pabutools_version": version("pabutools"), "instances": {}}
    for ref in sorted((HERE / "pabutools").glob("*.json")):
        doc = json.loads(ref.read_text())
        instance, profile = parse_pabulib(str(Path(args.data) / doc["file"]))
        sat_class, sat_name = default_sat(instance.meta["vote_type"])
        by_name = {p.name: p for p in instance}
        rows = {}
        for rule in RULES:
            if rule not in doc["results"]:
                continue
            alloc = [by_name[i] for i in doc["results"][rule]["selected"]]
            rows[rule] = {
                "satisfaction": sat_name,
                "selected": sorted(doc["results"][rule]["selected"]),
                "gini": float(
                    gini_coefficient_of_satisfaction(instance, profile, alloc, sat_class)
                ),
                # Only meaningful for approval ballots: pabutools counts a
                # cardinal ballot's points here (Katowice gives 1.15).
                "non_empty_handed": float(percent_non_empty_handed(instance, profile, alloc))
                if instance.meta["vote_type"] in ("approval", "choose-1")
                else None,
            }
        out["instances"][doc["file"]] = rows
        print(doc["file"], {r: (v["gini"], v["non_empty_handed"]) for r, v in rows.items()})
    (HERE / "pabutools-analysis.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
