"""``nn101 grade-all --nbgrader COURSE_DIR ASSIGNMENT``: grade an nbgrader course's submissions.

Every ``submitted/<student>/<assignment>/`` folder of the course (nbgrader's ``collect`` or
``zip_collect`` layout) is graded like a ``grade-all`` submission, in the sandbox, its
notebooks turned into modules (``batch.choose`` calls :mod:`autograder.notebook_grading`); nothing of the
student's runs in a kernel. The results go to the CSV grade book and the per-student JSON
as with ``grade-all``, and into nbgrader's gradebook, per grade cell
(:mod:`autograder.gradebook`), with an ``autograded/`` notebook per notebook handed in
(:mod:`autograder.autograded`), so formgrader, ``nbgrader generate_feedback`` and
``nbgrader export`` show nn101's scores. The assignment must have been released with
``nbgrader generate_assignment`` (its grade cells are in the gradebook then).
"""

from __future__ import annotations

import sys
from pathlib import Path

from autograder import exercises, seeding
from autograder.commands import UsageError, limits_for

OPTION_HELP = ("grade nbgrader's submitted/<student>/ASSIGNMENT/ notebooks of the course in COURSE_DIR "
               "and write the scores into its gradebook (instead of SUBMISSIONS_DIR)")


def add_option(parser) -> None:
    parser.add_argument("--nbgrader", nargs=2, metavar=("COURSE_DIR", "ASSIGNMENT"), help=OPTION_HELP)


def run_or_explain(args) -> int:
    """``grade-all``'s entry for this route: exactly one of SUBMISSIONS_DIR and --nbgrader."""
    if args.nbgrader and args.submissions:
        raise UsageError("give SUBMISSIONS_DIR or --nbgrader COURSE_DIR ASSIGNMENT, not both")
    if not args.nbgrader:
        raise UsageError("give SUBMISSIONS_DIR (one folder or .zip per student), or --nbgrader COURSE_DIR ASSIGNMENT")
    return run(args)


def run(args) -> int:
    from autograder import autograded, batch, gradebook, sandbox, summary
    from autograder.batch.store import Store
    from autograder.commands.grade_all import INTERRUPTED, _checked_output, _cores, _require_namespaces
    from autograder.reporters import clean

    course_dir, assignment = args.nbgrader
    coursedir = course_directory(Path(course_dir))
    submitted = Path(coursedir.root) / coursedir.submitted_directory
    entries = submissions(coursedir, assignment)
    selected = exercises.select(args.only)
    _check_gradebook(coursedir, assignment)
    output = _checked_output(args.output, submitted)
    jobs = args.jobs if args.jobs is not None else _cores()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give at least 1")
    if args.budget < 0:
        raise UsageError(f"--budget {args.budget:g}: give a number of seconds, or 0 for no budget")
    _require_namespaces(args.allow_weak_isolation)
    settings = batch.Settings(selected, seeding.load_secret(args.secret_file), limits=limits_for(args.limit),
                              budget=args.budget or None)
    try:
        store = Store(output)
    except OSError as error:
        raise UsageError(f"cannot write the results next to {output}: {error.strerror}") from None
    # the whole course: submitted/, autograded/, feedback/, gradebook.db; no student's code reads them
    course = [Path(coursedir.root), store.folder]
    sandbox.protect(course)
    sandbox.verify_unreadable(course)  # as a worker's uid, before anyone is graded

    outcome = batch.run(entries, store, settings, jobs, args.force)  # notebooks: see batch.choose
    if outcome.interrupted:
        print(f"nn101: interrupted: {len(outcome.records)} of {len(entries)} graded; nothing written to the "
              "gradebook; run the same command again", file=sys.stderr)
        return INTERRUPTED
    folders = {e.student_id: e.path for e in entries}
    graded = tuple(e.name for e in selected)
    notes = []
    for record in outcome.records:
        student = record["student_id"]
        if batch.grader_fault(record) and not record.get("exercises"):
            notes.append(f"{student}: not written to the gradebook, the grader failed: {record['error']}")
            continue
        stamp = coursedir.get_existing_timestamp(str(folders[student]))
        _, more = gradebook.write_scores(coursedir.db_url, assignment, student, record, graded, stamp,
                                         coursedir.course_id)
        notes += more
        target = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
        with gradebook.opened(coursedir.db_url, coursedir.course_id) as book:
            autograded.write(folders[student], target, book, assignment, record)
    for record in outcome.failed:
        print(clean.line(f"nn101: {record['student_id']}: {record['error']}"), file=sys.stderr)
    for note in notes:
        print(clean.line(f"nn101: {note}"), file=sys.stderr)
    sys.stdout.write(summary.render(summary.summarize(list(outcome.records))))
    print(f"\nnbgrader gradebook: {coursedir.db_url} ({len(outcome.records)} students, {outcome.graded} graded now); "
          f"grade book: {output}; feedback: nbgrader generate_feedback {assignment}")
    return 3 if any(batch.grader_fault(r) for r in outcome.records) else 0


def course_directory(root: Path):
    """nbgrader's ``CourseDirectory`` of ``root``, configured by its ``nbgrader_config.py`` if it has one."""
    from traitlets.config import Config

    from nbgrader.coursedir import CourseDirectory

    if not root.is_dir():
        raise UsageError(f"no such course directory: {root}")
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        from autograder.release.assignment import load_config

        config = load_config(root / "nbgrader_config.py", root)
    config.CourseDirectory.root = str(root.resolve())
    return CourseDirectory(config=config)


def submissions(coursedir, assignment: str) -> list:
    """One entry per ``submitted/<student>/<assignment>/`` folder, the student id its name."""
    from autograder.batch.discover import Entry

    submitted = Path(coursedir.root) / coursedir.submitted_directory
    entries = [Entry(folder.parent.name, folder) for folder in sorted(submitted.glob(f"*/{assignment}"))
               if folder.is_dir() and not folder.parent.name.startswith(".")]
    if not entries:
        raise UsageError(f"no submissions in {submitted}/*/{assignment}/: collect them first "
                         f"(nbgrader collect {assignment}, or nbgrader zip_collect {assignment})")
    return entries


def _check_gradebook(coursedir, assignment: str) -> None:
    from nbgrader.api import MissingEntry

    from autograder import gradebook

    path = gradebook.db_path(coursedir.db_url)
    if path is not None and not path.is_file():
        raise UsageError(f"no gradebook at {path}: run nbgrader generate_assignment {assignment} in {coursedir.root} first")
    with gradebook.opened(coursedir.db_url, coursedir.course_id) as book:
        try:
            book.find_assignment(assignment)
        except MissingEntry:
            raise UsageError(f"nbgrader's gradebook has no assignment {assignment!r}: run nbgrader "
                             f"generate_assignment {assignment} in {coursedir.root} first") from None
