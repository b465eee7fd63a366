"""One broken module costs only its own points.

``losses.py`` imports ``softmax`` and ``gradient_descent.py`` imports both. When a
student's ``softmax.py`` is missing (saved as ``softmax (1).py``) or cannot be imported
(a syntax error), importing their ``losses.py`` fails too, and every losses check would
be lost for a mistake that softmax already pays for. After grading, an exercise whose
import failed *because of another exercise's module* is graded again with a stand-in for
that module (:mod:`autograder.alternatives.standins`: working code written apart from
the reference solutions, whose text never reaches a worker), and its first check carries
a note that says so.

Stand-ins are instructor-side: in the student kit there are none, and nothing changes.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from autograder import models


def standins() -> dict[str, str]:
    """``{module: source}`` of the stand-ins available here (none in the student kit)."""
    try:
        return dict(importlib.import_module("autograder.alternatives.standins").STANDINS)
    except ModuleNotFoundError:
        return {}


def broken_dependency(exercise: models.ExerciseResult, available) -> str:
    """The other exercise module whose failure broke the import of ``exercise``, or ""."""
    for check in exercise.checks:
        message = check.message
        if check.status != models.ERROR or not message.startswith(f"Importing your {exercise.name}.py"):
            continue
        for name in available:
            if name != exercise.name and (re.search(rf"\b{name}\.py, line \d+", message)
                                          or f"No module named '{name}'" in message):
                return name
    return ""


def regrade_broken_imports(results: models.Results, path: Path,
                           grade: Callable[[Path, tuple[str, ...]], models.Results]) -> models.Results:
    """``results`` with every exercise broken by another's module graded again with stand-ins.

    ``grade(folder, names)`` grades the exercises ``names`` of a submission folder.
    """
    available = standins()
    if not available:
        return results
    replaced: dict[str, dict[str, str]] = {}  # exercise -> {stand-in module: why}
    exercises = {e.name: e for e in results.exercises}
    for _ in range(len(available)):  # each round may uncover one more broken dependency
        todo = {}
        for name, exercise in exercises.items():
            broken = broken_dependency(exercise, available)
            if broken and broken not in replaced.get(name, {}):
                replaced.setdefault(name, {})[broken] = _first_error(exercise)
                todo[name] = replaced[name]
        if not todo:
            break
        for name, modules in todo.items():
            with tempfile.TemporaryDirectory(prefix="nn101-standin-") as folder:
                target = _copy_with_standins(Path(path), Path(folder) / "submission", modules, available)
                regraded = grade(target, (name,))
            exercises[name] = _with_note(next(e for e in regraded.exercises if e.name == name), modules)
    if not replaced:
        return results
    return dataclasses.replace(results, exercises=tuple(exercises[e.name] for e in results.exercises))


def _first_error(exercise: models.ExerciseResult) -> str:
    message = next(c.message for c in exercise.checks if c.status == models.ERROR)
    return message.split(" Hint:", 1)[0]


def _copy_with_standins(source: Path, target: Path, modules: dict[str, str], available: dict[str, str]) -> Path:
    target.mkdir(parents=True)
    for file in source.glob("*.py"):
        if file.is_file() and not file.is_symlink() and file.stem not in modules:
            shutil.copyfile(file, target / file.name)
    for name in modules:
        (target / f"{name}.py").write_text(available[name].lstrip(), encoding="utf-8")
    return target


def _with_note(exercise: models.ExerciseResult, modules: dict[str, str]) -> models.ExerciseResult:
    names = " and ".join(f"{m}.py" for m in modules)
    why = "; ".join(modules.values())
    note = (f"{names} could not be used ({why}), so {exercise.name} was graded with a working "
            f"{' and '.join(modules)} supplied by the grader: these points are for {exercise.name}.py alone.")
    first, *rest = exercise.checks
    message = note if first.passed and not first.message else f"Note: {note} {first.message}".strip()
    first = models.CheckResult(first.exercise, first.name, first.max_points, first.status, message, first.visible)
    return models.ExerciseResult(exercise.name, (first, *rest))
