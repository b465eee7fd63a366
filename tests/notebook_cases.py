"""Build a student's notebooks and the equivalent modules from the same code.

A case is the reference solutions with ``code`` appended to one exercise (as the mutant
and hostile catalogs define them). As modules: ``code`` appended to ``<exercise>.py``
(imports of the grader's package given the notebook route's stand-ins). As
notebooks: the source notebooks (the solutions) with ``code`` appended to the solution
cell of the first function it defines (else the exercise's last solution cell), which is
where a student would have typed it.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import nbformat

from conftest import SOLUTIONS, submission_with
from autograder import parsing
from autograder.parsing import Unreadable
from autograder.notebook_release import split_statements
from autograder.notebooks_intake import STAND_IN_CLASS
from autograder.release import notebooks


@lru_cache(maxsize=1)
def source_notebooks() -> dict[str, str]:
    return notebooks.expected_notebooks(SOLUTIONS)


def modules_of(folder: Path, code: dict[str, str]) -> Path:
    """The equivalent modules: ``code`` appended, its imports of the grader given stand-ins."""
    return submission_with(folder, {module: with_stand_ins(text) for module, text in code.items()})


def with_stand_ins(code: str) -> str:
    """``code`` with each import of the grader's package replaced as the notebook route replaces it
    (a ``.py`` module cannot import the grader; a notebook's import binds a stand-in)."""
    try:
        statements = split_statements(code)
    except Unreadable:  # the grader says so for the module and the notebook alike
        return code
    if not any(s.stand_in for s in statements):
        return code
    return STAND_IN_CLASS + "\n".join(s.stand_in or s.source for s in statements) + "\n"


def notebooks_of(folder: Path, code: dict[str, str], names: list[str] | None = None) -> Path:
    """The source notebooks ``names`` (default: all) with ``code[exercise]`` typed into its cells."""
    folder.mkdir(parents=True, exist_ok=True)
    built = {name: nbformat.reads(text, as_version=4) for name, text in source_notebooks().items()}
    for exercise, extra in code.items():
        cell = _target_cell(built, exercise, extra)
        cell.source = cell.source.rstrip("\n") + "\n\n\n" + extra.strip("\n")
    for name, nb in built.items():
        if names is None or name in names:
            nbformat.write(nb, folder / name)
    return folder


def _target_cell(built: dict, exercise: str, extra: str):
    try:
        body = parsing.parse(extra).body
    except Unreadable:
        body = []
    defined = [n.name for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    defined += [t.id for n in body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
    solution_cells = [c for nb in built.values() for c in nb.cells
                      if c.get("metadata", {}).get("nbgrader", {}).get("solution")
                      and c.metadata.nbgrader["grade_id"].split("-", 1)[0] == exercise]
    for name in defined:
        for cell in solution_cells:
            if any(isinstance(n, ast.FunctionDef) and n.name == name or
                   isinstance(n, ast.Assign) and any(getattr(t, "id", "") == name for t in n.targets)
                   for n in ast.parse(cell.source).body):
                return cell
    return solution_cells[-1]


def outcome(results) -> dict[str, list[tuple[str, str, float]]]:
    """Per exercise: (check, status, points), the part of a result both routes must agree on."""
    return {e.name: [(c.name, c.status, c.points) for c in e.checks] for e in results.exercises}
