"""What a batch leaves on disk: one JSON per student, and the grade book built from them.

``grades.csv`` goes with a folder ``grades/`` holding ``<student>.json`` (the JSON
report plus a ``batch`` stamp). Every file is written atomically (a temporary
file, then a rename), so a batch killed at any moment leaves each file either
complete or absent. A stored result is reused on the next run only if its stamp
matches (same exercises, hidden/visible choice, submission files, course secret,
checks, limits, budget and nn101 version) and it is newer than the last ``--force``;
otherwise :meth:`Store.lookup` says what made it stale.

Every cell a student controls (id, notes, messages) is cleaned of control characters
and neutralised against spreadsheet formulas (CSV injection) by ``defusedcsv``.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
from pathlib import Path

from defusedcsv import csv

from autograder.reporters import clean

CSV_FIELDS = ("student_id", "score", "max_score")
FORCE_MARK = ".force"
STALE_BECAUSE = {  # stamp field -> why a change of it means regrading
    "submission": "the submission changed",
    "secret": "the course secret changed",
    "checks": "the checks or references changed",
    "limits": "the worker limits or time budget changed",
    "version": "nn101 was updated",
    "exercises": "other exercises were chosen",
    "hidden": "hidden checks were switched on or off",
}


class Store:
    """The per-student JSON folder of one grade book."""

    def __init__(self, csv_path: Path):
        self.csv_path = csv_path
        self.folder = csv_path.with_suffix("")
        self.folder.mkdir(parents=True, exist_ok=True)
        for leftover in self.folder.glob(".*.tmp"):  # from a run killed while writing
            leftover.unlink(missing_ok=True)

    def path(self, student_id: str) -> Path:
        return self.folder / f"{student_id}.json"

    def force(self) -> None:
        """Mark every stored result stale, durably: a ``--force`` run cut short still regrades on resume."""
        write_atomically(self.folder / FORCE_MARK, f"{time.time_ns()}\n")

    def _forced_at(self) -> int:
        try:
            return int((self.folder / FORCE_MARK).read_text())
        except (OSError, ValueError):
            return 0

    def lookup(self, student_id: str, stamp: dict) -> tuple[dict | None, str]:
        """``(record, "")`` if the stored result can be reused, else ``(None, why it is graded now)``."""
        try:
            record = json.loads(self.path(student_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, "not graded yet"
        except (OSError, ValueError):
            return None, "its stored result is damaged"
        if type(record) is not dict or record.get("student_id") != student_id or type(record.get("batch")) is not dict:
            return None, "its stored result is damaged"
        if record.get("graded_at", 0) < self._forced_at():
            return None, "--force was given (and that run did not finish)"
        for key, why in STALE_BECAUSE.items():
            if record["batch"].get(key) != stamp.get(key):
                return None, why
        return (record, "") if record["batch"] == stamp else (None, "it was graded differently")

    def previous(self, student_id: str) -> dict | None:
        """The stored result of ``student_id``, stale or not (None if there is none or it is damaged)."""
        try:
            record = json.loads(self.path(student_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if type(record) is dict and record.get("student_id") == student_id else None

    def load(self, student_id: str, stamp: dict) -> dict | None:
        """The stored result of ``student_id`` if it is complete and matches ``stamp``."""
        return self.lookup(student_id, stamp)[0]

    def save(self, record: dict) -> None:
        record = {**record, "graded_at": time.time_ns()}
        write_atomically(self.path(record["student_id"]), json.dumps(record, indent=1) + "\n")

    def write_csv(self, records: list[dict], exercise_names: list[str]) -> None:
        write_atomically(self.csv_path, grade_book(records, exercise_names))


def grade_book(records: list[dict], exercise_names: list[str]) -> str:
    """The CSV: one row per student, total and per-exercise points, what went wrong, the files graded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_FIELDS, *exercise_names, "status", "note", "graded files"])
    for record in sorted(records, key=lambda r: r["student_id"]):
        points = {e["name"]: e["score"] for e in record.get("exercises", [])}
        sources = "; ".join(f"{e['name']}: {e['source']}" for e in record.get("exercises", []) if e.get("source"))
        writer.writerow([clean.line(record["student_id"]), _number(record["score"]), _number(record["max_score"]),
                         *(_number(points[n]) if n in points else "" for n in exercise_names),
                         "error" if record.get("error") else "graded", clean.line(note(record)), clean.line(sources)])
    return out.getvalue()


def note(record: dict) -> str:
    """What the grade book says about a student: why it could not be graded, or what to know."""
    if record.get("stale"):
        return "; ".join([f"not yet regraded: {record['stale']}", note({**record, "stale": ""})]).rstrip("; ")
    if record.get("error"):
        return record["error"]
    faults = sum(c["status"] == "grader error" for e in record.get("exercises", []) for c in e["checks"])
    parts = [f"the grader failed on {faults} check(s): see the JSON"] if faults else []
    return "; ".join(parts + list(record.get("warnings", [])))


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else ""


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (mode 0600: grades are private) via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
