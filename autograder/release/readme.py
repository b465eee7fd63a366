"""The README's table of exercises, generated from the exercise list and the references.

The table sits between :data:`BEGIN` and :data:`END` in ``README.md``; ``nn101 release``
rewrites it and ``nn101 release --check`` reports it when it is out of date, so a new
exercise appears there without anyone editing the README.
"""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.exercises import EXERCISES
from autograder.release.sources import read_module
from autograder.stubs import StubError

BEGIN = "<!-- nn101 release: the exercise table, generated from autograder/exercises.py -->"
END = "<!-- end of the exercise table -->"


def exercise_table(solutions_dir: Path) -> str:
    """One row per exercise, in teaching order: its file, its title and what students write."""
    rows = ["| module | what you implement |", "|---|---|"]
    for exercise in EXERCISES:
        parts = read_module(Path(solutions_dir) / f"{exercise.name}.py")
        if "QUESTIONS" in parts.constants:
            count = len(ast.literal_eval(ast.parse(parts.constants["QUESTIONS"]).body[0].value))
            what = f"{count} questions on the lesson's concepts"
        else:
            what = ", ".join(f"`{name}`" for name in parts.functions)
        rows.append(f"| `{exercise.name}.py` | {exercise.title} — {what} |")
    return "\n".join(rows)


def with_table(readme: str, solutions_dir: Path) -> str:
    """``readme`` with its exercise table brought up to date; StubError if its markers are missing."""
    head, begin, rest = readme.partition(BEGIN + "\n")
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise StubError(f"README.md: put the lines {BEGIN!r} and {END!r} where the exercise table goes")
    return f"{head}{BEGIN}\n{exercise_table(solutions_dir)}\n{END}{tail}"


def update(root: Path) -> bool:
    """Rewrite ``root/README.md``'s table if it is out of date (a course without a README has none);
    return whether it was."""
    path = Path(root) / "README.md"
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    new = with_table(text, Path(root) / "solutions")
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def stale(root: Path) -> bool:
    """Whether ``root/README.md``'s table differs from what :func:`update` would write."""
    path = Path(root) / "README.md"
    return path.is_file() and with_table(path.read_text(encoding="utf-8"), Path(root) / "solutions") != \
        path.read_text(encoding="utf-8")
