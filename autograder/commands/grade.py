"""``nn101 grade [PATH]``: grade one submission folder (modules or notebooks) and print or write the report."""

from __future__ import annotations

from autograder import exercises, seeding
from autograder.commands import add_grading_options, emit, existing_dir, limits_for
from autograder.reporters import FORMATS


def register(commands) -> None:
    parser = commands.add_parser("grade", help="grade one submission folder")
    parser.add_argument("path", nargs="?", default="exercises", help="folder with the modules or the notebooks (default: exercises)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    parser.add_argument("--output", metavar="FILE", help="write the report here instead of the terminal")
    parser.add_argument("--student-id", metavar="ID", help="seed the hidden random cases for this student")
    add_grading_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from autograder import notebook_grading

    folder = existing_dir(args.path)
    selected = exercises.select(args.only)
    secret = seeding.load_secret(args.secret_file)
    results = notebook_grading.grade(folder, selected, student_id=args.student_id or "", secret=secret,
                                     limits=limits_for(args.limit))
    emit(FORMATS[args.format](results), args.output)
    return results.return_code
