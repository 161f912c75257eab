"""Helpers shared by the notebooks: run the participa binary, read its
outputs. Notebooks never re-implement a metric or a rule: every number comes
from participa, the notebook only reshapes and reads it."""
import json
import os
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
_default = ROOT / "target" / "release" / "participa"
PARTICIPA = os.environ.get("PARTICIPA") or str(_default)
WORK = pathlib.Path(tempfile.mkdtemp(prefix="participa-notebook-"))


def participa(*args):
    """Runs `participa ARGS` from the repository root; returns stdout, raises with stderr on failure."""
    r = subprocess.run([PARTICIPA, *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"participa {' '.join(map(str, args))} failed:\n{r.stderr}")
    return r.stdout


def participa_json(*args):
    return json.loads(participa(*args))


def out_dir(name):
    """A fresh output folder under the notebook's scratch space."""
    return WORK / name


def svg(path):
    """An SVG chart file, for IPython.display."""
    from IPython.display import SVG

    return SVG(filename=str(path))
