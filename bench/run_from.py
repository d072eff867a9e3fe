#!/usr/bin/env python3
"""`python -m playground ARGS` with the package from another checkout (a git worktree of an older commit), to
compare two versions in one run on one machine.

PYTHONPATH is not enough: an editable install's import finder comes first. This drops it, then imports from ROOT.

Usage: python bench/run_from.py ROOT bench --arch seed-cnn --dataset mnist --steps 300 --batch-size 64
  e.g. git worktree add /tmp/preseam c7b9b3b, then run this against /tmp/preseam and against the checkout.
"""

import runpy
import sys

root = sys.argv.pop(1)
sys.meta_path = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()
                 and "__editable__" not in (getattr(f, "__module__", "") or "")]
sys.path.insert(0, root)
import playground  # noqa: E402

assert playground.__file__.startswith(root), f"imported {playground.__file__}, not from {root}"
runpy.run_module("playground", run_name="__main__", alter_sys=True)
