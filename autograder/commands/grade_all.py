"""``nn101 grade-all SUBMISSIONS_DIR``: grade a class into a CSV grade book, in parallel, resumably.

One folder or ``.zip`` per student; the name is the student id. Results go to
``--output`` (default ``grades.csv``), one JSON per student in the folder of the
same name (``grades/``), and a plot of the class next to it (``grades.png``).
Run it again after an interruption: it grades only what is missing or was
resubmitted (``--force`` regrades everything). Exit status: 0 when every
submission has a row (even one saying it could not be graded), 2 for bad input,
3 if the grader itself failed somewhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from autograder import exercises, seeding
from autograder.commands import UsageError, add_grading_options, limits_for


def register(commands) -> None:
    parser = commands.add_parser("grade-all", help="grade one folder or zip per student into a CSV grade book")
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="folder with one folder or .zip per student")
    parser.add_argument("--output", default="grades.csv", metavar="CSV",
                        help="grade book to write (default: grades.csv); per-student JSON go in grades/")
    parser.add_argument("--jobs", type=int, metavar="N", help="submissions graded at once (default: number of cores)")
    parser.add_argument("--force", action="store_true", help="regrade every submission, even those already graded")
    add_grading_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from autograder import batch, sandbox, summary
    from autograder.batch.discover import discover
    from autograder.batch.store import Store

    entries, notes = discover(Path(args.submissions))
    output = Path(args.output)
    if output.suffix.lower() != ".csv" or output.is_dir():
        raise UsageError(f"--output {args.output}: give a file name ending in .csv")
    if output.resolve().is_relative_to(Path(args.submissions).resolve()):
        raise UsageError(f"--output {args.output}: write the grade book outside {args.submissions}")
    jobs = args.jobs if args.jobs is not None else _cores()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give at least 1")
    settings = batch.Settings(exercises.select(args.only), seeding.load_secret(args.secret_file),
                              limits=limits_for(args.limit))
    try:
        store = Store(output)
    except OSError as error:
        raise UsageError(f"cannot write the results next to {output}: {error.strerror}") from None
    sandbox.protect([Path(args.submissions), store.folder])  # no student's code may read the others' work
    for note in notes:
        print(f"nn101: {note}", file=sys.stderr)

    outcome = batch.run(entries, store, settings, jobs, args.force)
    for record in outcome.failed:
        print(f"nn101: {record['student_id']}: {record['error']}", file=sys.stderr)
    overview = summary.summarize(list(outcome.records))
    sys.stdout.write(summary.render(overview))
    plot = summary.plot(overview, output.with_suffix(".png"))
    print(f"\nGrade book: {output} ({len(outcome.records)} students, {outcome.graded} graded now); "
          f"per-student JSON in {store.folder}/; plot: {plot}")
    return 3 if any(batch.grader_fault(r) for r in outcome.records) else 0


def _cores() -> int:
    """The cores this process may use (fewer than the machine's in a container or under taskset)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
