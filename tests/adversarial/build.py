"""Build a catalog case into a submission folder, and work out which checks it reaches.

``build`` copies the reference solutions and applies the case. ``uses`` runs every
check of an exercise in process against a private copy of the reference whose
functions record their calls, noting for each check which functions it calls and
whether it uses their return value or only the arguments after the call.
"""

from __future__ import annotations

import importlib.util
import inspect
import shutil
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from autograder.checks.core import load_checks
from autograder.exercises import NAMES
from autograder.limits import Limits
from autograder.references import solutions_dir
from autograder.submission import InProcessSubmission, ModuleProxy

from .catalog import Case

LIMITS = Limits(call_seconds=2.0, import_seconds=3.0, start_seconds=60.0, cpu_seconds=20, memory_mb=2048,
                processes=32, file_mb=16, output_mb=16)
"""Short limits, so that hostile cases cost seconds, not minutes."""


def build(case: Case, target: Path, places: dict[str, str]) -> Path:
    """The reference solutions with ``case`` applied, in ``target``.

    ``places`` maps tokens such as ``__SOLUTIONS__`` to paths; in code a token
    becomes a Python string literal, in a link target the bare path.
    """
    target.mkdir(parents=True)
    for path in sorted(solutions_dir().glob("*.py")):
        shutil.copyfile(path, target / path.name)
    if case.code:
        code = case.code if isinstance(case.code, bytes) else _fill(case.code, places, literal=True).encode()
        with open(target / f"{case.module}.py", "ab") as module:
            module.write(b"\n\n" + code)
    for name, content in case.files.items():
        path = target / name
        path.unlink(missing_ok=True)
        if content.startswith("@link:"):
            path.symlink_to(_fill(content.removeprefix("@link:"), places, literal=False))
        else:
            path.write_text(_fill(content, places, literal=True), encoding="utf-8")
    return target


def _fill(text: str, places: dict[str, str], literal: bool) -> str:
    for token, value in places.items():
        text = text.replace(token, repr(value) if literal else value)
    return text


def reached(case: Case) -> set[str]:
    """Titles of the checks of ``case.module`` that the case reaches (see ``catalog``)."""
    calls = uses(case.module)
    if case.reach == "module":
        return set(calls)
    return {title for title, (value, args) in calls.items()
            if case.replaces in value or (case.reach == "any" and case.replaces in args)}


@lru_cache(maxsize=None)
def uses(exercise: str) -> dict[str, tuple[frozenset, frozenset]]:
    """For each check title: (functions whose value it uses, functions it calls for the arguments only)."""
    module = _private_reference(exercise)
    record: set[tuple[str, str]] = set()
    mode = ["value"]
    for name, function in list(vars(module).items()):
        if inspect.isfunction(function) and function.__module__ == module.__name__:
            setattr(module, name, _recording(name, function, record, mode))
    submission = InProcessSubmission({exercise: module})
    calls = {}
    for check in load_checks(exercise):
        record.clear()
        with np.errstate(all="ignore"):
            check.function(_Spy(submission, exercise, mode), np.random.default_rng(0))
        calls[check.title] = (frozenset(n for n, m in record if m == "value"),
                              frozenset(n for n, m in record if m == "args"))
    return calls


def _recording(name, function, record, mode):
    def recorded(*args, **kwargs):
        record.add((name, mode[0]))
        return function(*args, **kwargs)
    return recorded


class _Spy(ModuleProxy):
    """A proxy that tells the recorder how the check uses each call."""

    def __init__(self, submission, module, mode):
        super().__init__(submission, module)
        self.mode = mode

    def call(self, func, *args, **kwargs):
        self.mode[0] = "value"  # not through call_with_args, as ModuleProxy.call goes: that one says "args"
        self.calls.append(("call", func, ()))
        return self.submission.call(self.module, func, args, kwargs)[0]

    def call_with_args(self, func, *args, **kwargs):
        self.mode[0] = "args"
        return super().call_with_args(func, *args, **kwargs)

    def probe(self, name, *args, **kwargs):
        self.mode[0] = "value"
        return super().probe(name, *args, **kwargs)


def _private_reference(exercise: str):
    """A fresh copy of ``solutions/<exercise>.py`` (the graders' own copy stays untouched)."""
    folder = str(solutions_dir())
    saved = {n: sys.modules.pop(n) for n in NAMES if n in sys.modules}
    sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location(f"_recorded_{exercise}", Path(folder) / f"{exercise}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(folder)
        for n in NAMES:
            sys.modules.pop(n, None)
        sys.modules.update(saved)
