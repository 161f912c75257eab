#!/usr/bin/env python3
"""Solve MPS files written by `participa export` with PuLP + CBC (and highspy if
installed), timing read + solve, so participa's backends and the solvers
researchers use elsewhere are measured on the same instance.

    pip install pulp highspy
    participa export --synthetic 1000 --indivisible 0 --mps /tmp/lp-1000.mps
    python3 benches/pulp_cbc.py /tmp/lp-1000.mps [more.mps ...]

Prints one line per file and solver: seconds (median of --repeat runs) and the
objective (negated back: participa maximises, MPS minimises).
"""
import argparse

# Seconds a solver may take on one file (a time-limited run is reported with its status).
TIME_LIMIT = 120
import statistics
import time


def solve_pulp(path, gap):
    import pulp

    t0 = time.perf_counter()
    _, problem = pulp.LpProblem.fromMPS(path, sense=pulp.LpMinimize)
    problem.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=gap, timeLimit=TIME_LIMIT))
    dt = time.perf_counter() - t0
    return dt, -pulp.value(problem.objective), pulp.LpStatus[problem.status]


def solve_highspy(path, gap):
    import highspy

    t0 = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(TIME_LIMIT))
    h.readModel(path)
    h.run()
    dt = time.perf_counter() - t0
    return dt, -h.getInfo().objective_function_value, h.modelStatusToString(h.getModelStatus())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mps", nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap", type=float, default=1e-4)
    args = ap.parse_args()
    for path in args.mps:
        for name, fn in [("pulp+cbc", solve_pulp), ("highspy", solve_highspy)]:
            try:
                runs = [fn(path, args.gap) for _ in range(args.repeat)]
            except ImportError:
                print(f"{path}\t{name}\tnot installed")
                continue
            med = statistics.median(r[0] for r in runs)
            print(f"{path}\t{name}\t{med:.4f} s\tobjective {runs[0][1]:.6f}\t{runs[0][2]}")


if __name__ == "__main__":
    main()
