"""What a batch leaves on disk: one JSON per student, and the grade book built from them.

``grades.csv`` goes with a folder ``grades/`` holding ``<student>.json`` (the JSON
report plus a ``batch`` stamp). Every file is written atomically (a temporary
file, then a rename), so a batch killed at any moment leaves each file either
complete or absent. A stored result counts as done on the next run only if its
stamp matches: same exercises, same hidden/visible choice, same submission files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

CSV_FIELDS = ("student_id", "score", "max_score")


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

    def load(self, student_id: str, stamp: dict) -> dict | None:
        """The stored result of ``student_id`` if it is complete and matches ``stamp``."""
        try:
            record = json.loads(self.path(student_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if type(record) is not dict or record.get("student_id") != student_id or record.get("batch") != stamp:
            return None
        return record

    def save(self, record: dict) -> None:
        write_atomically(self.path(record["student_id"]), json.dumps(record, indent=1) + "\n")

    def write_csv(self, records: list[dict], exercise_names: list[str]) -> None:
        write_atomically(self.csv_path, grade_book(records, exercise_names))


def grade_book(records: list[dict], exercise_names: list[str]) -> str:
    """The CSV: one row per student, total and per-exercise points, and what went wrong."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_FIELDS, *exercise_names, "status", "note"])
    for record in sorted(records, key=lambda r: r["student_id"]):
        points = {e["name"]: e["score"] for e in record.get("exercises", [])}
        writer.writerow([record["student_id"], _number(record["score"]), _number(record["max_score"]),
                         *(_number(points[n]) if n in points else "" for n in exercise_names),
                         "error" if record.get("error") else "graded", record.get("error") or _note(record)])
    return out.getvalue()


def _note(record: dict) -> str:
    faults = sum(c["status"] == "grader error" for e in record.get("exercises", []) for c in e["checks"])
    return f"the grader failed on {faults} check(s): see the JSON" if faults else ""


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else ""


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (mode 0600: grades are private) via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
