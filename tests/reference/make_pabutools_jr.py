#!/usr/bin/env python3
"""pabutools' own EJR / PJR up-to-one checks on small random approval elections.

pabutools' `is_EJR_one_approval` and `is_PJR_one_approval` enumerate every
group of voters and every set of projects, so they do not finish on the shared
pabulib files (not even Assen 2024, 84 voters). On toy elections they do, and
they are the definition `participa analyze` must agree with. This script draws
ELECTIONS random approval elections (2-6 projects, 2-9 voters, costs 1-10,
budget 5-30, seeded), writes each as a `.pb` file, and records pabutools'
verdicts (cost satisfaction, as `participa analyze` uses) on several outcomes
of each: pabutools' greedy and equal-shares outcomes, the empty outcome, and
two random affordable sets (so that both verdicts occur).

Written to tests/reference/pabutools-jr.json; `tests/pabulib_rules.rs`
(`ejr_and_pjr_match_pabutools_on_small_elections`) parses every `.pb` text
with participa's parser and compares `participa`'s checks with these verdicts.

Usage:
  python -m venv /tmp/pbvenv && /tmp/pbvenv/bin/pip install "pabutools==1.2.*"
  /tmp/pbvenv/bin/python tests/reference/make_pabutools_jr.py [--elections 200] [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pb_text(costs: list[int], budget: int, ballots: list[list[int]]) -> str:
    lines = [
        "META",
        "key;value",
        "description;random toy election for EJR/PJR",
        "country;Nowhere",
        "unit;Toy",
        "instance;toy",
        f"num_projects;{len(costs)}",
        f"num_votes;{len(ballots)}",
        f"budget;{budget}",
        "vote_type;approval",
        "rule;greedy",
        "PROJECTS",
        "project_id;cost",
    ]
    lines += [f"p{i};{c}" for i, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote"]
    lines += [f"v{k};{','.join(f'p{i}' for i in b)}" for k, b in enumerate(ballots)]
    return "\n".join(lines) + "\n"


def main() -> None:
    from importlib.metadata import version

    from pabutools.analysis.justifiedrepresentation import (
        is_EJR_one_approval,
        is_PJR_one_approval,
    )
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    ap = argparse.ArgumentParser()
    ap.add_argument("--elections", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cases = []
    verdicts = {"ejr": [0, 0], "pjr": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.elections):
            m = rng.randint(2, 6)
            n = rng.randint(2, 9)
            costs = [rng.randint(1, 10) for _ in range(m)]
            budget = rng.randint(5, 30)
            # Approval ballots, none empty (pabutools skips empty ballots in groups anyway).
            ballots = []
            for _ in range(n):
                b = [i for i in range(m) if rng.random() < 0.5]
                ballots.append(b or [rng.randrange(m)])
            text = pb_text(costs, budget, ballots)
            path = Path(tmp) / f"toy{k}.pb"
            path.write_text(text)
            instance, profile = parse_pabulib(str(path))
            by_name = {p.name: p for p in instance}
            outcomes = [
                sorted(p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)),
                sorted(p.name for p in method_of_equal_shares(instance, profile, sat_class=Cost_Sat)),
            ]
            outcomes.append([])
            for _ in range(2):
                chosen, spent = [], 0
                for i in rng.sample(range(m), m):
                    if rng.random() < 0.35 and spent + costs[i] <= budget:
                        chosen.append(f"p{i}")
                        spent += costs[i]
                outcomes.append(sorted(chosen))
            rows = []
            for selected in outcomes:
                alloc = [by_name[i] for i in selected]
                ejr = bool(is_EJR_one_approval(instance, profile, Cost_Sat, alloc))
                pjr = bool(is_PJR_one_approval(instance, profile, Cost_Sat, alloc))
                verdicts["ejr"][ejr] += 1
                verdicts["pjr"][pjr] += 1
                rows.append({"selected": selected, "ejr_up_to_one": ejr, "pjr_up_to_one": pjr})
            cases.append({"pb": text, "outcomes": rows})
    out = {
        "pabutools_version": version("pabutools"),
        "generator": f"make_pabutools_jr.py --elections {args.elections} --seed {args.seed}",
        "satisfaction": "cost",
        "verdicts": {k: {"violated": v[0], "satisfied": v[1]} for k, v in verdicts.items()},
        "cases": cases,
    }
    target = HERE / "pabutools-jr.json"
    target.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{target}: {len(cases)} elections, verdicts {out['verdicts']}")


if __name__ == "__main__":
    main()
