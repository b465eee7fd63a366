"""The grade book in the CSV that Canvas's or Moodle's gradebook imports.

- **Canvas** ("Import" in the Gradebook): the columns of Canvas's own gradebook
  export, ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per
  assignment, and a ``Points Possible`` row under the header. Canvas matches each
  row to a student by ``ID`` (its user id), ``SIS User ID`` or ``SIS Login ID``.
- **Moodle** (Grades > Import > CSV file): an identifier column and one column per
  grade item; on import, "Map from" names the identifier column and "Map to" the
  user field it holds (``useremail``, ``useridnumber``, ``username``), and the grade
  column is mapped to the grade item.

Ids: with ``--roster`` (the LMS's own class list: Canvas's gradebook export, or a
Moodle export/participants CSV), every enrolled student gets a row with the
roster's identifying columns, and a grade-book id matches a roster row when it
equals the ``--match`` column's value or ends in ``_<value>`` (the ``<name>_<id>``
ids of an LMS bulk download). Without a roster, rows come from the grade book:
the number of a ``<name>_<id>`` id goes to Canvas's ``ID``, any other id to
``SIS Login ID`` (Moodle: to the identifier column). Two grade-book rows that claim
one LMS id (one roster row, or one ``ID``) are refused with a UsageError naming
both, never resolved by keeping one: a student may have chosen the name that
makes a row look like a classmate's.

Enrolled students with no submission get an empty cell, never a 0, unless
``missing_zero``; so does a student the grader failed on (never charged to them).
Every cell goes through defusedcsv, so no name or id is run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
DEFAULT_MATCH = {"canvas": "ID", "moodle": "Email address"}
LMS_ID = re.compile(r"^(?P<name>.+)_(?P<id>[0-9]+)$")
POINTS_POSSIBLE = "    Points Possible"  # as in Canvas's own gradebook export


@dataclass(frozen=True)
class Grade:
    """One row of nn101's grade book."""

    student_id: str
    score: float | None
    """Points, or None when there is nothing fair to report (the grader failed)."""
    note: str = ""


@dataclass(frozen=True)
class Export:
    text: str
    warnings: tuple[str, ...]


def _csv_rows(path: Path, what: str, encoding: str) -> list[dict[str, str]]:
    """The rows of the CSV file ``path`` (a ``what``); UsageError in one line if it cannot be read."""
    try:
        with open(path, newline="", encoding=encoding) as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise UsageError(f"no such {what}: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"cannot read the {what} {path}: {error}") from None


def read_grade_book(path: Path) -> tuple[dict[str, Grade], float]:
    """The grades of ``grades.csv`` (``grade-all``/``merge`` output) and the assignment's maximum."""
    rows = _csv_rows(path, "grade book", "utf-8")
    if not rows or not {"student_id", "score", "max_score"} <= set(rows[0]):
        raise UsageError(f"{path} is not an nn101 grade book (columns student_id, score, max_score): "
                         "give the CSV that nn101 grade-all or merge wrote")
    faults = _grader_faults(path)
    grades, maximum = {}, 0.0
    for row in rows:
        try:
            score, maximum = float(row["score"]), max(maximum, float(row["max_score"]))
        except (TypeError, ValueError):
            raise UsageError(f"{path}: the score of {row['student_id']!r} is not a number") from None
        fault = row["student_id"] in faults or (row.get("status") == "error"
                                                and (row.get("note") or "").startswith("the grad"))
        grades[row["student_id"]] = Grade(row["student_id"], None if fault else score, row.get("note") or "")
    return grades, maximum


def _grader_faults(grade_book: Path) -> set[str]:
    """Students whose stored JSON says the grader (not they) failed."""
    import json

    from autograder.batch import grader_fault

    faults = set()
    for path in sorted(grade_book.with_suffix("").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if type(record) is dict and grader_fault(record):
            faults.add(str(record.get("student_id")))
    return faults


def read_roster(path: Path, match: str) -> list[dict[str, str]]:
    """The rows of an LMS class list; UsageError unless it has the ``match`` column."""
    rows = _csv_rows(path, "roster", "utf-8-sig")
    if not rows or match not in rows[0]:
        columns = ", ".join(rows[0]) if rows else "none"
        raise UsageError(f"the roster {path} has no column {match!r} (it has: {columns}); "
                         "name the column that holds the students' ids with --match")
    return [r for r in rows if (r.get(match) or "").strip() and not (r.get("Student") or "").strip()
            .startswith("Points Possible")]


def match_grades(grades: dict[str, Grade], roster: list[dict[str, str]], match: str):
    """Pair roster rows with grades; the grade-book ids no roster row claims.

    UsageError when two grade-book rows claim one roster row (``zoe_777`` and
    ``mallory_123_457_x_777`` both end in ``_777``): which is the student's cannot be
    told here, so nothing is exported.
    """
    by_key: dict[str, list[Grade]] = {}
    for grade in sorted(grades.values(), key=lambda g: g.student_id):
        for key in {grade.student_id.casefold(), *_lms_number(grade.student_id)}:
            by_key.setdefault(key, []).append(grade)
    pairs, claimed = [], set()
    for row in roster:
        value = row[match].strip()
        found = by_key.get(value.casefold(), [])
        if len(found) > 1:
            raise UsageError(_claimed_twice(found, f"the roster's {match} {value}"))
        grade = found[0] if found else None
        pairs.append((row, grade))
        if grade:
            claimed.add(grade.student_id)
    return pairs, sorted(set(grades) - claimed)


def _lms_number(student_id: str) -> list[str]:
    found = LMS_ID.match(student_id)
    return [found["id"]] if found else []


def _claimed_twice(grades: list[Grade], what: str) -> str:
    names = " and ".join(repr(g.student_id) for g in grades)
    return (f"the grade book's rows {names} {'both' if len(grades) == 2 else 'all'} claim {what}; nothing was exported: keep the row that is "
            "really that student's (a file name may imitate another student's id) and export again")


def _refuse_shared_ids(rows: list[tuple[dict[str, str], Grade]], columns: list[str]) -> None:
    """UsageError when two rows made from grade-book ids would import into one LMS user."""
    seen: dict[tuple[str, str], Grade] = {}
    for row, grade in rows:
        for column in columns:
            value = row.get(column, "").strip()
            key = (column, value.lstrip("0") or value if column == "ID" else value.casefold())
            if value and key in seen:
                raise UsageError(_claimed_twice([seen[key], grade], f"{column} {value}"))
            seen.setdefault(key, grade)


def export(grades: dict[str, Grade], maximum: float, lms: str, assignment: str,
           roster: list[dict[str, str]] | None = None, match: str | None = None,
           missing_zero: bool = False) -> Export:
    """The import CSV for ``lms`` ("canvas" or "moodle")."""
    match = match or DEFAULT_MATCH[lms]
    warnings = []
    if roster is None:
        rows = [(_row_from_id(g.student_id, lms, match), g) for g in sorted(grades.values(), key=lambda g: g.student_id)]
        _refuse_shared_ids(rows, ["ID", "SIS Login ID"] if lms == "canvas" else [match])
    else:
        rows, strangers = match_grades(grades, roster, match)
        warnings += [f"{s} is in the grade book but not in the roster (column {match!r}): left out"
                     for s in strangers]
    columns = list(CANVAS_ID_COLUMNS) if lms == "canvas" else [match]
    out = io.StringIO()
    from defusedcsv import csv as safe_csv

    writer = safe_csv.writer(out, lineterminator="\n")
    writer.writerow([*columns, assignment])
    if lms == "canvas":
        writer.writerow([POINTS_POSSIBLE, "", "", "", "", _points(maximum)])
    for row, grade in rows:
        if grade is None:
            score = 0.0 if missing_zero else None
        else:
            score = grade.score
            if score is None:
                warnings.append(f"{grade.student_id}: the grader failed ({grade.note or 'see the JSON'}); "
                                "left empty: regrade before publishing")
        writer.writerow([*(row.get(c, "") for c in columns), _points(score)])
    return Export(out.getvalue(), tuple(warnings))


def _row_from_id(student_id: str, lms: str, match: str) -> dict[str, str]:
    found = LMS_ID.match(student_id)
    if lms == "moodle":
        return {match: student_id}
    if found:
        return {"Student": found["name"], "ID": found["id"]}
    return {"Student": student_id, "SIS Login ID": student_id}


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
