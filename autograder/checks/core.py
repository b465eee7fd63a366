"""The check library's core: the ``@check`` decorator, the registry and ``Fail``.

A check is a plain function ``f(sub, rng)``: ``sub`` is a
:class:`~autograder.submission.ModuleProxy` on the student's module, ``rng`` a
NumPy generator seeded for this student and check. It returns nothing when the
student's code is right (or a note for the student, e.g. "right values, but NumPy
warned") and raises :class:`Fail` otherwise.

An exercise's checks live in one file, ``autograder/checks/<exercise>.py``. Checks above
its line :data:`HIDDEN_MARK` are *visible*: they ship in the student kit and back the tests
students run. Checks below it are *hidden*: the kit's copy of the file ends at the mark
(:func:`visible_part`), so they never leave the instructors' side. Where a check sits
decides which it is, so the two cannot be mixed up.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REGISTRY: dict[str, list["Check"]] = {}
CHECKS_DIR = Path(__file__).resolve().parent
HIDDEN_MARK = "# ---- hidden checks: nothing below this line reaches the student kit ----"


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
        visible = function.__code__.co_firstlineno < _mark_line(function.__code__.co_filename)
        entry = Check(exercise, name, float(points), visible, function, uncaught_reason)
        checks = REGISTRY.setdefault(exercise, [])
        if any(c.name == name for c in checks):
            raise ValueError(f"two checks named {entry.title!r}")
        checks.append(entry)
        return function

    return register


def load_checks(exercise: str, hidden: bool = True) -> list[Check]:
    """The checks of ``exercise``: visible ones, plus hidden ones when asked and installed."""
    importlib.import_module(f"autograder.checks.{exercise}")
    return [c for c in REGISTRY.get(exercise, []) if hidden or c.visible]


def prepare_checks(exercise: str, hidden: bool = True) -> None:
    """Run the ``prepare()`` of the exercise's check module, where it has one.

    A check module loads what its checks need (data, say) in ``prepare``; called before
    the first call into student code, that work overlaps the start of the worker. It sits
    with the checks that need it (hidden ones: below the mark).
    """
    prepare = getattr(importlib.import_module(f"autograder.checks.{exercise}"), "prepare", None)
    if prepare is not None and (hidden or prepare.__code__.co_firstlineno < _mark_line(prepare.__code__.co_filename)):
        prepare()


def hidden_suites_available() -> bool:
    """False in the student kit, whose check files end at :data:`HIDDEN_MARK`."""
    return any(HIDDEN_MARK in p.read_text(encoding="utf-8") for p in CHECKS_DIR.glob("*.py"))


def visible_part(text: str) -> str:
    """A check file's text up to :data:`HIDDEN_MARK` (all of it without the mark): the kit's copy."""
    head, mark, _ = text.partition(HIDDEN_MARK + "\n")
    return head.rstrip("\n") + "\n" if mark else text


def hidden_part(text: str) -> str:
    """A check file's text below :data:`HIDDEN_MARK` (empty without the mark)."""
    return text.partition(HIDDEN_MARK + "\n")[2]


@functools.cache
def _mark_line(filename: str) -> float:
    """The line number of :data:`HIDDEN_MARK` in ``filename`` (infinity without it)."""
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return float("inf")
    return next((n for n, line in enumerate(lines, start=1) if line == HIDDEN_MARK), float("inf"))
