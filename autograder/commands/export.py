"""``nn101 export GRADES.csv --format canvas|moodle --output FILE``: the grade book for an LMS import.

See :mod:`autograder.lms_export` for each system's columns and how ids are matched.
Enrolled students without a submission get an empty score unless ``--missing-zero``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from autograder.commands import write_private



def register(commands) -> None:
    parser = commands.add_parser("export", help="write the grade book as a Canvas or Moodle grade import CSV")
    parser.add_argument("grade_book", metavar="GRADES.csv", help="the grade book of nn101 grade-all or merge")
    parser.add_argument("--format", choices=("canvas", "moodle"), required=True, help="the LMS to import into")
    parser.add_argument("--output", metavar="FILE", help="CSV to write (default: stdout)")
    parser.add_argument("--roster", metavar="ROSTER.csv",
                        help="the LMS's class list (Canvas: its gradebook export; Moodle: a grade or participants "
                             "export): every enrolled student gets a row, with the LMS's ids")
    parser.add_argument("--match", metavar="COLUMN",
                        help="roster column holding nn101's student ids (default: ID for Canvas, "
                             "'Email address' for Moodle); ids like name_123 match on the number")
    parser.add_argument("--assignment", default="nn101", metavar="NAME",
                        help="the grade column's name (Canvas: the assignment, e.g. 'nn101 (4321)')")
    parser.add_argument("--missing-zero", action="store_true",
                        help="give 0 (not an empty score) to enrolled students with no submission")
    parser.set_defaults(run=run)


def run(args) -> int:
    from autograder import lms_export

    grades, maximum = lms_export.read_grade_book(Path(args.grade_book))
    match = args.match or lms_export.DEFAULT_MATCH[args.format]
    roster = lms_export.read_roster(Path(args.roster), match) if args.roster else None
    result = lms_export.export(grades, maximum, args.format, args.assignment, roster, match, args.missing_zero)
    for warning in result.warnings:
        print(f"nn101: {warning}", file=sys.stderr)
    write_private(result.text, args.output)
    return 0
