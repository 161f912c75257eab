#!/usr/bin/env python3
"""Executes every notebook in this folder headless (nbclient), in name order,
against the participa binary named by $PARTICIPA (default: target/release/participa).
Exits non-zero if any cell errors. Outputs are not written back: the committed
notebooks stay stripped. `--save DIR` keeps executed copies for reading."""
import argparse
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = pathlib.Path(__file__).resolve().parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--save", type=pathlib.Path, help="write executed notebooks here")
    ap.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = ap.parse_args()
    books = args.notebooks or sorted(HERE.glob("[0-9][0-9]-*.ipynb"))
    failed = []
    pabulib = pathlib.Path(os.environ.get("PABULIB_DIR") or HERE.parent.parent / "shared" / "data" / "pabulib")
    for path in books:
        nb = nbformat.read(path, as_version=4)
        # Notebooks on real pabulib data need the files, which are not redistributed with participa.
        if nb.metadata.get("participa", {}).get("needs_pabulib") and not pabulib.is_dir():
            print(f"skipped {path.name}: no pabulib files at {pabulib} (set PABULIB_DIR)")
            continue
        t0 = time.time()
        client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
        try:
            client.execute()
            print(f"ok      {path.name} ({time.time() - t0:.1f} s)")
        except CellExecutionError as e:
            print(f"FAILED  {path.name}\n{e}", file=sys.stderr)
            failed.append(path.name)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, args.save / path.name)
    if failed:
        sys.exit(f"{len(failed)} notebook(s) failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
