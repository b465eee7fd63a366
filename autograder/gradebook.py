"""Write nn101's scores into nbgrader's gradebook, per grade cell, through nbgrader's own API.

nbgrader's release gives each exercise a visible and a hidden grade cell
(``softmax-visible``, ``softmax-hidden``; see :func:`autograder.release.notebooks.grading_cells`).
A cell's score is the points of that exercise's visible (or hidden) checks in nn101's
result, exactly what the cell's ``check_exercise`` call would give, so formgrader,
``nbgrader generate_feedback`` and ``nbgrader export`` show nn101's scores. A grade cell nn101
does not know (one an instructor added by hand) is left for manual grading, as are
scores an instructor has already overridden (nbgrader keeps ``manual_score`` first).

Shapes: a *record* is nn101's JSON result of one student
(:func:`autograder.reporters.json_report.as_dict`): ``{"exercises": [{"name", "checks":
[{"visible", "score", ...}]}], "error", ...}``.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KINDS = {"visible": True, "hidden": False}


@dataclass(frozen=True)
class CellScore:
    notebook: str
    cell: str
    score: float
    max_score: float


def cell_score(record: dict, cell: str, graded: tuple[str, ...]) -> float | None:
    """Points of grade cell ``cell`` (``<exercise>-visible|hidden``) in ``record``; None if the
    cell is not one of the ``graded`` exercises' (then it is left alone)."""
    exercise, _, kind = cell.rpartition("-")
    if kind not in KINDS or exercise not in graded:
        return None
    found = [e for e in record.get("exercises", []) if e.get("name") == exercise]
    if not found:  # a submission that could not be graded at all: nothing earned
        return 0.0
    return float(sum(c["score"] for c in found[0]["checks"] if c["visible"] is KINDS[kind]))


@contextmanager
def opened(db_url: str, course_id: str = ""):
    """nbgrader's ``Gradebook``, quiet about SQLAlchemy's deprecation warnings."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(db_url, course_id) as gradebook:
            yield gradebook


def write_scores(db_url: str, assignment: str, student: str, record: dict, graded: tuple[str, ...],
                 timestamp=None, course_id: str = "") -> tuple[list[CellScore], list[str]]:
    """Store ``record``'s points in the gradebook; return what was written and notes for the instructor.

    Raises ``nbgrader.api.MissingEntry`` if the gradebook has no such assignment.
    """
    from nbgrader.api import MissingEntry

    written, notes = [], []
    with opened(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(student)
        try:
            submission = gradebook.find_submission(assignment, student)
            if timestamp is not None:
                submission.timestamp = timestamp
        except MissingEntry:
            extra = {"timestamp": timestamp} if timestamp is not None else {}
            gradebook.add_submission(assignment, student, **extra)
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                score = cell_score(record, cell.name, graded)
                if score is None:
                    continue
                if score > cell.max_score:
                    notes.append(f"{student}: {notebook.name} {cell.name} is worth {cell.max_score:g} points in the "
                                 f"gradebook, nn101 gave {score:g}: run nbgrader generate_assignment again")
                    score = float(cell.max_score)
                grade = gradebook.find_grade(cell.name, notebook.name, assignment, student)
                grade.auto_score = score
                grade.needs_manual_grade = grade.manual_score is not None
                written.append(CellScore(notebook.name, cell.name, score, float(cell.max_score)))
        gradebook.db.commit()
    return written, notes


def db_path(db_url: str) -> Path | None:
    """The file of an ``sqlite:///`` gradebook, else None."""
    prefix = "sqlite:///"
    return Path(db_url[len(prefix):]) if db_url.startswith(prefix) else None
