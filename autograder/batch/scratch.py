"""Scratch folders of a batch: one per submission, removed without recursing in Python.

A submission's scratch folder holds only the flat copy of its chosen modules, but clean-up
must not depend on that: ``shutil.rmtree`` recurses and raises RecursionError on a tree
~1,000 levels deep, so :func:`remove_tree` uses GNU ``rm`` or an iterative walk.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

SCRATCH_PREFIX = "nn101-batch-"  # + the grading process's pid: a later batch sweeps what a killed one left


@contextmanager
def scratch_folder():
    """A private folder for one submission, removed afterwards without recursing in Python."""
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        remove_tree(folder)


def remove_tree(folder: Path) -> None:
    """Remove ``folder`` however deep it is (``shutil.rmtree`` recurses and fails past ~1,000 levels).

    GNU ``rm`` first; where it is missing or refuses (BSD ``rm`` has no ``--one-file-system``), an
    iterative walk that never follows a link. Failures are left for the next run's sweep.
    """
    try:
        subprocess.run(["rm", "-rf", "--one-file-system", "--", str(folder)], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        pass
    if os.path.lexists(folder):
        _remove_iteratively(str(folder))


def _remove_iteratively(top: str) -> None:
    stack, expanded = [top], set()
    while stack:
        path = stack[-1]
        if path in expanded or os.path.islink(path) or not os.path.isdir(path):
            stack.pop()
            try:
                os.rmdir(path) if path in expanded else os.unlink(path)
            except OSError:
                pass
            continue
        expanded.add(path)
        try:
            stack += [entry.path for entry in os.scandir(path)]
        except OSError:
            pass
