"""The reference solutions, loaded on the trusted side only.

Checks compute expected values from these at grading time (there is no answer
table). They are loaded from ``solutions/`` (or $NN101_SOLUTIONS) under their
plain names, so that ``from softmax import softmax`` inside a reference works,
and then taken out of ``sys.modules`` again, so they never shadow a student
module of the same name.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from autograder.exercises import NAMES

SOLUTIONS_ENV = "NN101_SOLUTIONS"


def solutions_dir() -> Path:
    return Path(os.environ.get(SOLUTIONS_ENV) or Path(__file__).resolve().parent.parent / "solutions")


@lru_cache(maxsize=None)
def reference(name: str) -> ModuleType:
    """The reference module ``name`` (e.g. ``reference("softmax").softmax``)."""
    folder = solutions_dir()
    if not (folder / f"{name}.py").is_file():
        raise FileNotFoundError(f"no reference solution {folder / name}.py (set ${SOLUTIONS_ENV}?)")
    saved = {n: sys.modules.pop(n) for n in NAMES if n in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))
        for n in NAMES:
            sys.modules.pop(n, None)
        sys.modules.update(saved)
