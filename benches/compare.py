#!/usr/bin/env python3
"""participa against what researchers use instead, in one run on one machine.

For synthetic cities of 200, 1,000, 5,000 and 20,000 proposals (20 districts,
floors, category limits and a group quorum; `participa export --synthetic`),
as an LP (every proposal divisible) and as a MILP (every proposal all or
nothing), times:

  participa      `participa solve CITY.toml --out DIR` end to end (load, score,
                 build, solve, write), with the backend given by --backend;
  pulp script    benches/pulp_equivalent.py: the same program built from the
                 same TOML with PuLP and solved by CBC, writing the same CSV;
  pulp+cbc mps   PuLP reading the MPS participa exports, solved by CBC;
  highspy mps    highspy reading the same MPS and solving it (read + solve).

Every figure is the median wall time of --repeat runs (processes for the CLI
and the PuLP script, in-process for the MPS solves). `build+solve` is
participa's own timing of building and solving the program (from its JSON),
the fair counterpart of a solver reading an MPS file and solving it. Ratios
are other / participa: the PuLP script against the whole CLI run, the MPS
solvers against build+solve.

    benches/compare.sh            # builds, installs pulp+highspy in a venv, runs this
    python3 benches/compare.py --participa target/release/participa --sizes 200,1000
"""
import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pulp_cbc  # noqa: E402


def timed(cmd, repeat, timeout, keep=None):
    """Median wall time of `cmd`; with `keep`, each run's stdout goes through keep(text)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        # Own process group, so a timeout also stops the solver the command started (CBC).
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return None
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
        times.append(time.perf_counter() - t0)
        if keep:
            keep(out)
    return statistics.median(times)


def timed_fn(fn, path, gap, repeat):
    """Median seconds and the first run's status."""
    runs = [fn(path, gap) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), runs[0][2]


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem}, Python {platform.python_version()}"


def fmt_status(t, status, timeout):
    """A time, or '>limit' when the solver stopped at its time limit without proving the gap."""
    if (status and "optimal" not in status.lower()) or (t is not None and t >= 0.95 * timeout):
        return f">{timeout:.0f} s ({status})"
    return fmt(t)


def fmt(t):
    return "-" if t is None else (f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s")


def ratio(other, ours):
    return "-" if other is None or ours is None else f"{other / ours:.1f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--participa", required=True, help="the participa binary (built with --features highs)")
    ap.add_argument("--backend", default="highs")
    ap.add_argument("--sizes", default="200,1000,5000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap", type=float, default=1e-4)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per run before a tool is reported as '-'")
    ap.add_argument("--pulp-script-max", type=int, default=1000,
                    help="largest size the PuLP script is timed at (it is slow to build big models)")
    args = ap.parse_args()
    pulp_cbc.TIME_LIMIT = args.timeout

    print(f"machine: {machine()}")
    print(f"participa: {args.participa} --solver {args.backend}, MIP gap {args.gap}, median of {args.repeat}\n")
    header = ["program", "proposals", "participa", "build+solve", "pulp script", "ratio", "pulp+cbc mps", "ratio", "highspy mps", "ratio"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            for kind, indivisible in [("LP", "0"), ("MILP", "1")]:
                toml = os.path.join(tmp, f"{kind}-{n}.toml")
                mps = os.path.join(tmp, f"{kind}-{n}.mps")
                subprocess.run([args.participa, "export", "--synthetic", str(n), "--indivisible", indivisible,
                                "--toml", toml], check=True, stderr=subprocess.DEVNULL)
                subprocess.run([args.participa, "export", toml, "--mps", mps]
                               + (["--relax"] if kind == "LP" else []), check=True, stderr=subprocess.DEVNULL)
                out = os.path.join(tmp, "out")
                inner = []
                ours = timed([args.participa, "solve", toml, "--solver", args.backend, "--mip-gap", str(args.gap),
                              "--out", out, "--force", "--format", "json"], args.repeat, args.timeout,
                             keep=lambda text: inner.append(sum(json.loads(text)["timings"].values()) / 1000))
                inner = statistics.median(inner) if inner else None
                script = None
                if n <= args.pulp_script_max:
                    script = timed([sys.executable, os.path.join(HERE, "pulp_equivalent.py"), toml,
                                    os.path.join(tmp, "pulp.csv"), "--gap", str(args.gap)], args.repeat, args.timeout)
                cbc, cbc_status = timed_fn(pulp_cbc.solve_pulp, mps, args.gap, args.repeat)
                hs, hs_status = timed_fn(pulp_cbc.solve_highspy, mps, args.gap, args.repeat)
                # The MPS solvers are compared with participa's own build + solve (no file load).
                cbc_ratio, hs_ratio = ratio(cbc, inner), ratio(hs, inner)
                rows.append([kind, f"{n:,}", fmt(ours), fmt(inner), fmt(script), ratio(script, ours), fmt_status(cbc, cbc_status, args.timeout), cbc_ratio,
                             fmt_status(hs, hs_status, args.timeout), hs_ratio])
                print("\t".join(rows[-1]), file=sys.stderr, flush=True)
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")


if __name__ == "__main__":
    main()
