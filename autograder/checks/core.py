"""The check library's core: the ``@check`` decorator, the registry and ``Fail``.

A check is a plain function ``f(sub, rng)``: ``sub`` is a
:class:`~autograder.submission.ModuleProxy` on the student's module, ``rng`` a
NumPy generator seeded for this student and check. It returns nothing when the
student's code is right (or a note for the student, e.g. "right values, but NumPy
warned") and raises :class:`Fail` otherwise.

Checks in ``autograder/checks/`` are *visible*: they ship in the student kit and
back the tests students run. Checks in ``autograder/hidden/`` are *hidden*:
they never leave the instructors' side. Where a check lives decides which it
is, so the two cannot be mixed up.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Callable

REGISTRY: dict[str, list["Check"]] = {}
HIDDEN_PACKAGE = "autograder.hidden"


class Fail(Exception):
    """A check's verdict that the student's code is wrong.

    ``summary`` says what was tried and what went wrong; ``shown`` (expected vs
    got) is printed for visible checks only; ``hint`` names the likely mistake.
    """

    def __init__(self, summary: str, shown: str = "", hint: str = ""):
        super().__init__(summary)
        self.summary, self.shown, self.hint = summary, shown, hint

    def render(self, visible: bool) -> str:
        parts = [self.summary]
        if visible and self.shown:
            parts.append(self.shown)
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        return " ".join(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class Check:
    """One registered check."""

    exercise: str
    name: str
    points: float
    visible: bool
    function: Callable
    uncaught_reason: str = ""
    """Why no known-wrong implementation is expected to fail this check, if that is so."""

    @property
    def title(self) -> str:
        return f"{self.exercise}: {self.name}"


def check(exercise: str, name: str, points: float = 1.0, uncaught_reason: str = ""):
    """Register ``function`` as a check of ``exercise`` worth ``points``."""

    def register(function: Callable) -> Callable:
        visible = not function.__module__.startswith(HIDDEN_PACKAGE)
        entry = Check(exercise, name, float(points), visible, function, uncaught_reason)
        checks = REGISTRY.setdefault(exercise, [])
        if any(c.name == name for c in checks):
            raise ValueError(f"two checks named {entry.title!r}")
        checks.append(entry)
        return function

    return register


def load_checks(exercise: str, hidden: bool = True) -> list[Check]:
    """The checks of ``exercise``: visible ones, plus hidden ones when asked and installed."""
    _check_modules(exercise, hidden)
    return [c for c in REGISTRY.get(exercise, []) if hidden or c.visible]


def prepare_checks(exercise: str, hidden: bool = True) -> None:
    """Run the ``prepare()`` of the exercise's check modules, where they have one.

    A check module loads what its checks need (data, say) in ``prepare``; called before
    the first call into student code, that work overlaps the start of the worker.
    """
    for module in _check_modules(exercise, hidden):
        getattr(module, "prepare", lambda: None)()


def _check_modules(exercise: str, hidden: bool) -> list:
    modules = [importlib.import_module(f"autograder.checks.{exercise}")]
    if hidden and hidden_suites_available():
        modules.append(importlib.import_module(f"{HIDDEN_PACKAGE}.{exercise}"))
    return modules


def hidden_suites_available() -> bool:
    """False in the student kit, which ships without ``autograder/hidden``."""
    return importlib.util.find_spec(HIDDEN_PACKAGE) is not None
