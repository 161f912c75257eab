#!/usr/bin/env python3
"""The `optimal` allocation of a participa scenario, written the way a
researcher would without participa: read the TOML, count Borda scores, compute
need-weighted entitlements, build the program with PuLP, solve it with CBC,
write the allocation CSV. benches/compare.sh times it against
`participa solve SCENARIO --out DIR` on the same scenario.

Supports what the benchmark cities use: weighted-sum or population formula,
Borda scoring, floors, district and category caps, category minimums and
group quorums, divisible and indivisible proposals (no nested councils, no
minimum shares). Floors and quorums are soft with a large penalty, as in
participa's first phase.

    python3 benches/pulp_equivalent.py SCENARIO.toml OUT.csv [--gap 1e-4]
"""
import argparse
import csv
import sys
import tomllib

import pulp


def borda(ranking):
    """Points per proposal id: position r of L gets L - r + 1; ties share the average."""
    tiers = [[e] if isinstance(e, str) else list(e) for e in ranking]
    n = sum(len(t) for t in tiers)
    out, pos = {}, 1
    for t in tiers:
        pts = sum(n + 1 - r for r in range(pos, pos + len(t))) / len(t)
        for p in t:
            out[p] = pts
        pos += len(t)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("out")
    ap.add_argument("--gap", type=float, default=1e-4)
    args = ap.parse_args()
    with open(args.scenario, "rb") as f:
        sc = tomllib.load(f)
    pool = float(sc["pool"]["amount"])
    districts = sc["districts"]
    proposals = sc["proposals"]
    delegates = sc.get("delegates", [])
    formula = sc.get("formula", {"kind": "weighted-sum", "weights": {"need": 1, "poverty": 1, "infrastructure_gap": 1}})
    cons = sc.get("constraints", {})

    # Scores.
    score = {p["id"]: 0.0 for p in proposals}
    for d in delegates:
        for pid, pts in borda(d["ranking"]).items():
            score[pid] += pts
    # Entitlements.
    if formula["kind"] == "population":
        pts = [d["population"] for d in districts]
    elif formula["kind"] == "weighted-sum":
        w = formula["weights"]
        tw = sum(w.values())
        pts = [
            (d["population"] if formula.get("population", True) else 1.0)
            * sum(wk / tw * (d[k] if k in d else d.get("indicators", {})[k]) for k, wk in w.items())
            for d in districts
        ]
    else:
        sys.exit(f"formula {formula['kind']} not supported here")
    share = {d["id"]: p / sum(pts) for d, p in zip(districts, pts)}

    W = sum(score.values()) or 1.0
    prob = pulp.LpProblem("participa", pulp.LpMaximize)
    x = {
        p["id"]: pulp.LpVariable(f"x{i}", 0, 1, cat="Continuous" if p.get("divisible", False) else "Binary")
        for i, p in enumerate(proposals)
    }
    cost = {p["id"]: float(p["cost"]) for p in proposals}
    members_of = lambda pred: [p["id"] for p in proposals if pred(p)]
    max_ratio = max((score[p] / W) / (cost[p] / pool) for p in x)
    M = min(10 * max_ratio + 1, 1e6)
    slacks = []
    rows = []
    # Budget.
    rows.append(pulp.lpSum(cost[p] / pool * x[p] for p in x) <= 1)
    alpha = cons.get("entitlement_floor", 0.0)
    for d in districts:
        m = members_of(lambda p: p["district"] == d["id"])
        absorb = sum(cost[p] for p in m)
        floor = min(cons.get("district_floors", {}).get(d["id"], alpha * pool * share[d["id"]]), absorb)
        if floor > 0:
            s = pulp.LpVariable(f"s_floor_{len(slacks)}", 0, floor / pool)
            slacks.append(s)
            rows.append(pulp.lpSum(cost[p] / pool * x[p] for p in m) + s >= floor / pool)
        cap = cons.get("district_caps", {}).get(d["id"], cons.get("district_cap"))
        if cap is not None:
            rows.append(pulp.lpSum(cost[p] / pool * x[p] for p in m) <= cap)
    for c in cons.get("categories", []):
        m = members_of(lambda p: p["category"] == c["category"])
        if c.get("min_share"):
            s = pulp.LpVariable(f"s_cat_{len(slacks)}", 0, c["min_share"])
            slacks.append(s)
            rows.append(pulp.lpSum(cost[p] / pool * x[p] for p in m) + s >= c["min_share"])
        if c.get("max_share") is not None:
            rows.append(pulp.lpSum(cost[p] / pool * x[p] for p in m) <= c["max_share"])
    for q in cons.get("quorums", []):
        top = set()
        for d in delegates:
            if d.get("group") != q["group"]:
                continue
            count = 0
            for e in d["ranking"]:
                if count >= q["top_k"]:
                    break
                t = [e] if isinstance(e, str) else list(e)
                top.update(t)
                count += len(t)
        s = pulp.LpVariable(f"s_quorum_{len(slacks)}", 0, q["min_share"])
        slacks.append(s)
        rows.append(pulp.lpSum(cost[p] / pool * x[p] for p in top) + s >= q["min_share"])
    prob += pulp.lpSum(score[p] / W * x[p] for p in x) - M * pulp.lpSum(slacks)
    for r in rows:
        prob += r
    prob.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=args.gap))
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "district", "cost", "score", "funded_share", "funded_amount"])
        for p in proposals:
            v = x[p["id"]].value() or 0.0
            w.writerow([p["id"], p["district"], cost[p["id"]], score[p["id"]], v, v * cost[p["id"]]])
    print(pulp.LpStatus[prob.status], sum(score[p] * (x[p].value() or 0) for p in x))


if __name__ == "__main__":
    main()
