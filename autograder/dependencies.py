"""One broken module costs only its own points.

``losses.py`` imports ``softmax`` and ``gradient_descent.py`` imports both. When a
student's ``softmax.py`` is missing (saved as ``softmax (1).py``) or cannot be imported
(a syntax error), importing their ``losses.py`` fails too, and every losses check would
be lost for a mistake that softmax already pays for. After grading, an exercise whose
import failed *because of another exercise's module* is graded again with a stand-in for
that module (:mod:`autograder.alternatives.standins`: working code written apart from
the reference solutions, whose text never reaches a worker), and its first check carries
a note that says so.

Both decisions are the trusted side's, never the student's text: the exercise's import
failed (the grader's own message), its source imports the other module (read with ``ast``),
and that module itself could not be imported (its own checks say so, or it is missing or
does not compile). A stand-in is working code inside a worker that runs student code, so
the regraded exercise's feedback shows no student-controlled text (as for hidden checks:
no printed output, no messages, no expected values), or a student could read the stand-in
out through it.

Stand-ins are instructor-side: in the student kit there are none, and nothing changes.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
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


def broken_dependencies(exercise: models.ExerciseResult, available, results: models.Results,
                        path: Path) -> tuple[str, ...]:
    """The other exercise modules (with a stand-in) whose failure broke the import of ``exercise``."""
    if not any(_import_failed(c, exercise.name) for c in exercise.checks):
        return ()
    imported = _imported_modules(Path(path) / f"{exercise.name}.py")
    return tuple(name for name in available
                 if name != exercise.name and name in imported and _unusable(name, results, Path(path)))


def _import_failed(check: models.CheckResult, module: str) -> bool:
    """The grader's own words for a module that could not be imported (never the student's)."""
    return check.status == models.ERROR and check.message.startswith(
        (f"Importing your {module}.py", f"There is no {module}.py"))


def _unusable(module: str, results: models.Results, folder: Path) -> bool:
    """Whether ``module`` itself could not be imported: by its own graded checks, else by its file."""
    own = next((e for e in results.exercises if e.name == module), None)
    if own is not None:
        return any(_import_failed(c, module) for c in own.checks)
    source = folder / f"{module}.py"
    if source.is_symlink() or not source.is_file():
        return True
    try:
        compile(source.read_bytes(), str(source), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False


def _imported_modules(source: Path) -> set[str]:
    """Top-level names the module ``source`` imports (``import x``, ``from x import y``)."""
    try:
        tree = ast.parse(source.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def regrade_broken_imports(results: models.Results, path: Path,
                           grade: Callable[[Path, tuple[str, ...]], models.Results]) -> models.Results:
    """``results`` with every exercise broken by another's module graded again with stand-ins.

    ``grade(folder, names)`` grades the exercises ``names`` of a submission folder.
    """
    available = standins()
    if not available:
        return results
    exercises = {e.name: e for e in results.exercises}
    replaced = False
    for name, exercise in exercises.items():
        broken = broken_dependencies(exercise, available, results, path)
        if not broken:
            continue
        modules = {module: _first_error(exercise) for module in broken}
        with tempfile.TemporaryDirectory(prefix="nn101-standin-") as folder:
            target = _copy_with_standins(Path(path), Path(folder) / "submission", modules, available)
            regraded = grade(target, (name,))
        exercises[name] = _with_note(next(e for e in regraded.exercises if e.name == name), modules)
        replaced = True
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
    why = "; ".join(dict.fromkeys(modules.values()))
    note = (f"{names} could not be used ({why}), so {exercise.name} was graded with a working "
            f"{' and '.join(modules)} supplied by the grader: these points are for {exercise.name}.py alone.")
    first, *rest = exercise.checks
    message = note if first.passed and not first.message else f"Note: {note} {first.message}".strip()
    first = models.CheckResult(first.exercise, first.name, first.max_points, first.status, message, first.visible)
    return models.ExerciseResult(exercise.name, (first, *rest))
