"""Reference values for tests/metrics.rs and tests/inequality_cli.rs, from PySAL.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install inequality==1.1.2 numpy pandas
    /tmp/venv/bin/python tests/reference/pysal_reference.py

PySAL's `inequality` package (https://pysal.org/inequality) is unweighted. Our
weighted metrics treat a row of integer weight w as w identical people, so
the weighted fixture is checked against PySAL on its rows repeated w times.
Theil L (mean log deviation) is not in PySAL; it is computed here with numpy
as ln(arithmetic mean / geometric mean). PySAL's `wolfson` is half of
Wolfson's normalised index that participa reports (see
`participa::metrics::wolfson`), so both are printed.
"""

import csv
from pathlib import Path

import numpy as np
import pandas as pd
from inequality.atkinson import atkinson
from inequality.gini import Gini
from inequality.schutz import Schutz
from inequality.theil import Theil, TheilD
from inequality.wolfson import lorenz_curve, wolfson

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def report(name, y, partition=None):
    y = np.asarray(y, dtype=float)
    print(f"== {name} (n = {len(y)})")
    print(f"mean            {y.mean():.12g}")
    print(f"gini            {Gini(y).g:.12g}")
    print(f"theil_t         {float(Theil(y).T):.12g}")
    if partition is not None:
        d = TheilD(y, np.asarray(partition))
        print(f"theil_between   {float(np.ravel(d.bg)[0]):.12g}")
        print(f"theil_within    {float(np.ravel(d.wg)[0]):.12g}")
    print(f"theil_l (numpy) {np.log(y.mean()) - np.log(y).mean():.12g}")
    for e in (0.5, 1, 2):
        print(f"atkinson {e:<4}   {atkinson(y, e):.12g}")
    print(f"hoover (schutz) {Schutz(pd.DataFrame({'y': y}), 'y').distance:.12g}")
    w = wolfson(y)
    print(f"wolfson pysal   {w:.12g}   x2 = {2 * w:.12g}")
    print(f"median (numpy)  {np.median(y):.12g}")


# Mexico, per-capita GDP 1940 by state, grouped by the hanson98 regimes
# (libpysal.examples mexico.csv, as in PySAL's Theil/TheilD docstrings).
rows = list(csv.DictReader(open(FIXTURES / "mexico_1940.csv")))
report(
    "mexico 1940 by hanson98",
    [float(r["pcgdp1940"]) for r in rows],
    [r["hanson98"] for r in rows],
)

# tests/fixtures/districts_small.csv with each row repeated `population` times.
y, g = [], []
for r in csv.DictReader(open(FIXTURES / "districts_small.csv")):
    y += [float(r["per_capita"])] * int(r["population"])
    g += [r["region"]] * int(r["population"])
report("districts_small replicated by population", y, g)

# Docstring examples of PySAL inequality 1.1.2.
print("== docstring examples")
print("atkinson([10..50], 0.5)", atkinson(np.array([10, 20, 30, 40, 50]), 0.5))
print("atkinson([10..50], 1)  ", atkinson(np.array([10, 20, 30, 40, 50]), 1))
income = [20000, 25000, 27000, 30000, 35000, 45000, 60000, 75000, 80000, 120000]
print("wolfson(income)        ", wolfson(income))
print("wolfson([6,6,..,12])   ", wolfson([6, 6, 8, 8, 10, 10, 12, 12]))
print("lorenz_curve(income)   ", [list(a[:3]) for a in lorenz_curve(income)])
df = pd.DataFrame({"Y": [1000, 2000, 1500, 3000, 2500]})
print("Schutz distance        ", Schutz(df, "Y").distance)
