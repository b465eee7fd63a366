"""Per exercise, choose the one file of a submission that the student meant to be graded.

Students submit whole kits (untouched stubs in ``exercises/``, their work in
``my_work/``), split modules over two folders, and rename files by accident
(``Perceptron.py``, ``softmax (1).py``, ``softmax-1.py``, ``losses.py.txt``). For
each exercise:

1. the candidates are the files named exactly ``<exercise>.py``, anywhere in the
   submission; only if none of them is worked on, the near-miss names (case, a copy
   suffix `` (1)`` / ``-1`` / ``_1`` / `` copy``, a doubled extension ``.py.txt``);
2. copies that are still the untouched stub are dropped (same syntax tree as the
   kit's stub in ``exercises/``, comments and layout aside);
3. one exact-name copy left: graded. Several: the most recently modified, with a
   note. One near-miss left: graded, with a note. Several near-misses: none is
   graded (the exercise scores as missing) and the note lists them.

Everything chosen goes into one flat folder, so modules that import each other
(``from softmax import softmax``) find each other wherever the student kept them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from autograder import parsing
from autograder.batch.intake import Candidate
from autograder.exercises import NAMES

STUBS_DIR = Path(__file__).resolve().parents[2] / "exercises"
SOLUTIONS_DIR = STUBS_DIR.parent / "solutions"
_DOUBLED = re.compile(r"\.py(?:\.(?:txt|py|bak))?$", re.IGNORECASE)
_COPY = re.compile(r"(?:\s*\(\d+\)|-\d+|_\d+|\s*-?\s*copy(?:\s*\d+)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """What to grade: one file per exercise found, notes for the grade book."""

    modules: dict[str, Candidate]
    """Exercise name -> the file graded for it."""
    helpers: dict[str, Candidate]
    """Other modules next to a chosen one (``utils.py``), by file name."""
    notes: tuple[str, ...]
    conversion: object = None
    """The :class:`~autograder.notebooks_intake.Conversion` of the notebooks a module was built from."""


def exercise_of(file_name: str) -> tuple[str, bool] | None:
    """``(exercise, exact)`` for a file name that is, or nearly is, an exercise module."""
    if not _DOUBLED.search(file_name):
        return None
    stem = _DOUBLED.sub("", file_name)
    if file_name == f"{stem}.py" and stem in NAMES:
        return stem, True
    previous = None
    while previous != stem:  # "softmax (1) copy" -> "softmax"
        previous, stem = stem, _COPY.sub("", stem).strip()
    stem = stem.lower().replace(" ", "_")
    return (stem, False) if stem in NAMES else None


def choose(files: list[Candidate], names=NAMES) -> Choice:
    """Pick the file to grade for each exercise in ``names`` (see the module docstring)."""
    modules, notes = {}, []
    for name in names:
        exact = [f for f in files if exercise_of(f.name) == (name, True)]
        near = [f for f in files if exercise_of(f.name) == (name, False)]
        worked_exact = [f for f in exact if not is_stub(name, f.data)]
        if worked_exact:
            chosen = max(worked_exact, key=lambda f: (f.mtime, f.path))
            if len(worked_exact) > 1:
                others = ", ".join(shown(f.path) for f in worked_exact if f is not chosen)
                notes.append(f"{name}: several copies ({shown(chosen.path)}, {others}); graded the most recently "
                             f"modified, {shown(chosen.path)}")
            ignored = [shown(f.path) for f in near if not is_stub(name, f.data)]
            if ignored:
                notes.append(f"{name}: graded {shown(chosen.path)}, not {', '.join(ignored)}")
            modules[name] = chosen
            continue
        worked_near = [f for f in near if not is_stub(name, f.data)]
        if len(worked_near) == 1:
            modules[name] = worked_near[0]
            notes.append(f"{name}: graded {shown(worked_near[0].path)} as {name}.py (the name differs)")
        elif len(worked_near) > 1:
            listed = ", ".join(shown(f.path) for f in worked_near)
            notes.append(f"{name}: none graded, because several files could be {name}.py ({listed}); "
                         f"keep one and name it {name}.py")
        elif exact:
            modules[name] = max(exact, key=lambda f: (f.mtime, f.path))  # still the stub: graded as such
    from autograder.notebook_grading import modules_from_candidates

    conversion = modules_from_candidates(files, names, modules, notes)  # exercises with no module, or a stub
    return Choice(modules, _helpers(files, modules), tuple(notes), conversion)


def shown(path: str, width: int = 100) -> str:
    """``path`` short enough for a note (a zip may name a file with thousands of characters)."""
    return path if len(path) <= width else f"{path[:width // 2]}...{path[-width // 2:]}"


def _helpers(files: list[Candidate], modules: dict[str, Candidate]) -> dict[str, Candidate]:
    """Plain modules in the folders of the chosen ones, which those may import."""
    folders = {PurePosixPath(f.path).parent for f in modules.values()}
    helpers = {}
    for f in sorted(files, key=lambda f: f.path):
        stem = f.name.removesuffix(".py")
        if (f.name.endswith(".py") and stem.isidentifier() and stem not in NAMES
                and PurePosixPath(f.path).parent in folders):
            helpers.setdefault(f.name, f)
    return helpers


def is_stub(name: str, data: bytes) -> bool:
    """Whether ``data`` is still the kit's stub of ``name`` (comments, blank lines and layout aside)."""
    stub = _stub_tree(name)
    if stub is None:
        return False
    try:
        return ast.dump(parsing.parse(data)) == stub
    except parsing.Unreadable:  # not the stub: graded, and its import error is the student's
        return False


@lru_cache(maxsize=None)
def _stub_tree(name: str) -> str | None:
    """The stub's syntax tree: from the kit's ``exercises/``, or made from ``solutions/`` (Gradescope)."""
    from autograder.stubs import StubError, make_stub

    try:
        if (STUBS_DIR / f"{name}.py").is_file():
            return ast.dump(ast.parse((STUBS_DIR / f"{name}.py").read_bytes()))
        return ast.dump(ast.parse(make_stub((SOLUTIONS_DIR / f"{name}.py").read_text(encoding="utf-8"))))
    except (OSError, SyntaxError, ValueError, StubError):
        return None


def write(choice: Choice, folder: Path) -> dict[str, str]:
    """Write the chosen files into the flat ``folder``; return exercise -> graded path."""
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, helper in choice.helpers.items():
        (folder / file_name).write_bytes(helper.data)
    for name, module in choice.modules.items():
        (folder / f"{name}.py").write_bytes(module.data)
    return {name: module.path for name, module in choice.modules.items()}
