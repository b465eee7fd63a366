"""Grade a submission that holds notebooks: build its modules, grade them in the sandbox.

``gradable_folder(folder)`` gives the folder the sandbox grades: ``folder`` itself when
it has a module for every exercise or no notebook, else a scratch folder with its ``.py``
files plus a module for every exercise it has a notebook for and no ``.py``
(:func:`autograder.notebooks_intake.modules_from_notebooks`). ``relabel`` then points
the messages at the notebook cell instead of the built module's line. ``grade-all`` reads
submissions its own safe way and calls ``modules_from_candidates`` when it chooses the file
to grade per exercise.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from autograder import models
from autograder.errors import UsageError
from autograder.exercises import EXERCISES, NAMES, Exercise
from autograder.notebooks_intake import Conversion, find_notebooks, modules_from_notebooks

SCRATCH_PREFIX = "nn101-notebooks-"
WHERE = re.compile(r"\b(?P<module>[A-Za-z_]\w*)\.py, line (?P<line>\d+)")
MISSING = re.compile(r"^There is no (?P<module>\w+)\.py in the submission\.")


def grade(path: Path, exercises: tuple[Exercise, ...] = EXERCISES, **options) -> models.Results:
    """:func:`autograder.runner.grade` for a folder of modules, notebooks, or both."""
    from autograder import runner

    with gradable_folder(Path(path)) as (folder, conversion):
        results = runner.grade(folder, exercises, **options)
    return relabel(results, conversion, str(path))


@contextlib.contextmanager
def gradable_folder(folder: Path, notebooks: list[Path] | None = None) -> Iterator[tuple[Path, Conversion | None]]:
    """``(folder to grade, conversion or None)``; a scratch folder is removed afterwards."""
    folder = Path(folder)
    notebooks = find_notebooks(folder) if notebooks is None else notebooks
    present = {name for name in NAMES if (folder / f"{name}.py").is_file()}
    if not notebooks or present == set(NAMES):
        yield folder, None
        return
    try:
        conversion = modules_from_notebooks(notebooks)
    except FileNotFoundError as error:  # e.g. nn101 installed as a wheel, without the release notebooks
        raise UsageError(f"cannot grade notebooks here: {error}") from None
    for name in sorted(present & set(conversion.modules)):
        conversion.notes.append(f"{name}.py is graded; the notebooks' {name} code is not")
        del conversion.modules[name]
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as scratch:
        target = Path(scratch)
        for path in folder.glob("*.py"):
            if path.is_file() and not path.is_symlink():
                shutil.copyfile(path, target / path.name)
        for name, text in conversion.modules.items():
            (target / f"{name}.py").write_text(text, encoding="utf-8")
        yield target, conversion


def modules_from_candidates(files: list, names, modules: dict, notes: list[str]) -> Conversion | None:
    """grade-all's hook (:func:`autograder.batch.choose.choose`): for each exercise in ``names``
    with no module in ``modules`` (or only the untouched stub), a module built from the notebooks
    among ``files`` (``Candidate`` objects: path, data, mtime). Adds to ``modules`` and ``notes``."""
    from autograder.batch.choose import is_stub
    from autograder.batch.intake import Candidate

    notebooks = [f for f in files if f.name.lower().endswith(".ipynb")]
    wanted = [n for n in names if n not in modules or is_stub(n, modules[n].data)]
    if not notebooks or not wanted:
        return None
    conversion = modules_from_notebooks([(f.path, f.data) for f in notebooks])
    notes.extend(conversion.notes)
    mtime = max(f.mtime for f in notebooks)
    for name in wanted:
        if name in conversion.modules:
            origins = sorted({origin.split(", cell ")[0] for _, origin, _ in conversion.lines[name]})
            modules[name] = Candidate(", ".join(origins) or "notebooks", conversion.modules[name].encode(), mtime)
    for name in set(conversion.modules) - set(wanted):
        del conversion.modules[name]  # graded from a module: leave its messages as they are
    return conversion


def relabel(results: models.Results, conversion: Conversion | None, submission: str | None = None,
            with_notes: bool = True) -> models.Results:
    """``results`` with ``softmax.py, line 40`` turned into the notebook cell and line (and the
    conversion's notes added, ``with_notes``)."""
    if conversion is None:
        return results if submission is None else dataclasses.replace(results, submission=submission)

    def where(match: re.Match) -> str:
        module = match["module"]
        if module not in conversion.modules:
            return match[0]
        return conversion.locate(module, int(match["line"])) or match[0]

    def message(text: str) -> str:
        text = WHERE.sub(where, text)
        return MISSING.sub(r"There is no \g<module>.py and no notebook with its functions in the submission.", text)

    exercises = tuple(dataclasses.replace(e, checks=tuple(dataclasses.replace(c, message=message(c.message))
                                                          for c in e.checks)) for e in results.exercises)
    notes = conversion.notes if with_notes else []
    return dataclasses.replace(results, exercises=exercises, warnings=(*results.warnings, *notes),
                               submission=results.submission if submission is None else submission)
