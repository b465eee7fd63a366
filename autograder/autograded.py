"""The ``autograded/`` notebooks nbgrader's formgrader and ``generate_feedback`` read, made by nn101.

nbgrader shows a student's grades next to their autograded notebook. nn101 grades in the
sandbox and never runs the notebook, so it writes that notebook itself: the student's
notebook with every output cleared, each locked cell put back to the release's version
(test cells without their hidden region: feedback never shows hidden test code), and under
each grade cell the lines ``check_exercise`` would print for it, one per check, from nn101's
result. A grade cell the student deleted is added back at the end.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from autograder import models
from autograder.notebook import report
from autograder.notebook_release import load_release
from autograder.notebooks_intake import NotebookError, find_notebooks, read_cells, read_notebook

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.MULTILINE | re.DOTALL)


def without_hidden_tests(source: str) -> str:
    return HIDDEN.sub("", source)


def cell_output(record: dict, cell: str) -> str:
    """What grade cell ``<exercise>-visible|hidden`` prints: one line per check, then the points."""
    exercise, _, kind = cell.rpartition("-")
    if record.get("error"):
        return f"nn101 could not grade this submission: {record['error']}\n"
    found = [e for e in record.get("exercises", []) if e.get("name") == exercise]
    if not found:
        return f"{exercise} was not graded by nn101 this time.\n"
    checks = [models.CheckResult(exercise, c["name"], c["max_score"], c["status"], c["message"], c["visible"])
              for c in found[0]["checks"] if c["visible"] is (kind == "visible")]
    return report(exercise, kind, checks) + "\n"


def write(submitted: Path, target: Path, gradebook, assignment: str, record: dict) -> list[Path]:
    """Write the autograded notebooks of one student from ``submitted`` into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    files = _by_release_name(find_notebooks(submitted))
    written = []
    for notebook in gradebook.find_assignment(assignment).notebooks:
        path = files.get(f"{notebook.name}.ipynb")
        if path is None:
            continue
        try:
            nb = read_notebook(path, path.name)
        except NotebookError as error:
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"**nn101:** {error}")])
        _restore(nb, notebook, record)
        out = target / f"{notebook.name}.ipynb"
        nbformat.write(nb, out)
        written.append(out)
    stamp = submitted / "timestamp.txt"
    if stamp.is_file() and not stamp.is_symlink():
        shutil.copyfile(stamp, target / "timestamp.txt")
    return written


def _by_release_name(paths: list[Path]) -> dict[str, Path]:
    """Release notebook name -> the student's file (a renamed copy counts, the exact name first)."""
    release, found = load_release(), {}
    for path in sorted(paths, key=lambda p: p.name in release.notebooks):
        try:
            matched = release.matching(path.name, read_cells(path, path.name))
        except NotebookError:
            matched = None
        found[matched or path.name] = path
    return found


def _restore(nb, notebook, record: dict) -> None:
    sources = {cell.name: cell for cell in notebook.source_cells}
    grade_cells = {cell.name: cell for cell in notebook.grade_cells}
    seen = set()
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs, cell.execution_count = [], None
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if grade_id in sources and sources[grade_id].locked:
            cell.source = without_hidden_tests(sources[grade_id].source)
        if grade_id in grade_cells and grade_id not in seen:
            seen.add(grade_id)
            cell.metadata["nbgrader"] = _grade_meta(grade_cells[grade_id], sources.get(grade_id))
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=cell_output(record, grade_id))]
    for name, grade_cell in grade_cells.items():
        if name not in seen and name in sources:
            added = nbformat.v4.new_code_cell(without_hidden_tests(sources[name].source),
                                              metadata={"nbgrader": _grade_meta(grade_cell, sources[name])})
            added.outputs = [nbformat.v4.new_output("stream", name="stdout", text=cell_output(record, name))]
            nb.cells.append(added)
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat_minor = 4


def _grade_meta(grade_cell, source) -> dict:
    return {"grade": True, "grade_id": grade_cell.name, "locked": True, "points": grade_cell.max_score,
            "schema_version": 3, "solution": False, "task": False,
            **({"checksum": source.checksum} if source is not None and source.checksum else {})}
