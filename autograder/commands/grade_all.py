"""``nn101 grade-all SUBMISSIONS_DIR``: grade a class into a CSV grade book, in parallel, resumably.

One folder or ``.zip`` per student (the name is the student id), or a Canvas or
Moodle bulk download (a folder, or the downloaded zip itself). Results go to
``--output`` (default ``grades.csv``), one JSON per student in the folder named
after it without ``.csv`` (``grades/``), and a plot of the class next to it
(``grades.png``). Run it again after an interruption: it grades only what is
missing, resubmitted or made stale by a change (secret, checks, limits, nn101),
and says why (``--force`` regrades everything, even when cut short). Exit status:
0 when every submission has a row (even one saying it could not be graded), 2 for
bad input, 3 if the grader itself failed somewhere, 130 when stopped by Ctrl-C.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from autograder import exercises, sandbox, seeding
from autograder.commands import UsageError, add_grading_options, grade_all_nbgrader, limits_for

INTERRUPTED = 130  # the shell's status for a command stopped by SIGINT


def register(commands) -> None:
    from autograder.batch import DEFAULT_BUDGET

    parser = commands.add_parser("grade-all", help="grade one folder or zip per student into a CSV grade book")
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", nargs="?",
                        help="folder with one folder or .zip per student, or a Canvas/Moodle download (folder or zip)")
    grade_all_nbgrader.add_option(parser)
    parser.add_argument("--output", default="grades.csv", metavar="CSV",
                        help="grade book to write (default: grades.csv); the per-student JSON go in the folder "
                             "of the same name without .csv (grades/ for grades.csv, g/ for g.csv)")
    parser.add_argument("--jobs", type=int, metavar="N", help="submissions graded at once (default: number of cores)")
    parser.add_argument("--force", action="store_true", help="regrade every submission, even those already graded")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                        help=f"time for all the checks of one submission; later checks score 0 "
                             f"(default: {DEFAULT_BUDGET:g}; 0: no budget)")
    parser.add_argument("--allow-weak-isolation", action="store_true",
                        help="grade even where bubblewrap cannot run (the uid or process level): a whole class "
                             "then shares one file system and process table")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="grade on a Dask cluster, e.g. tcp://HOST:8786")
    parser.add_argument("--shard", metavar="I/N", help="grade only slice I of N (join slices with nn101 merge)")
    parser.add_argument("--similarity", action="store_true", help="also rank pairs of students by code similarity")
    add_grading_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        return _run(args)
    except KeyboardInterrupt:  # Ctrl-C before or after the grading itself
        print("nn101: interrupted", file=sys.stderr)
        return INTERRUPTED


def _require_namespaces(allowed: bool) -> None:
    """A class on one host is graded at the namespace level unless the instructor accepts less."""
    level = sandbox.isolation_level()
    if level != "namespace" and not allowed:
        raise UsageError(f"only the {level} isolation level is available here (bubblewrap cannot run): "
                         "install bubblewrap, or pass --allow-weak-isolation to grade anyway")


def _run(args) -> int:
    from autograder import batch
    from autograder.batch import lms

    if args.nbgrader or not args.submissions:
        return grade_all_nbgrader.run_or_explain(args)
    submissions = Path(args.submissions)
    output = _checked_output(args.output, submissions)
    jobs = args.jobs if args.jobs is not None else _cores()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give at least 1")
    if args.budget < 0:
        raise UsageError(f"--budget {args.budget:g}: give a number of seconds, or 0 for no budget")
    if not args.scheduler:  # on a cluster, connect() asks each worker
        _require_namespaces(args.allow_weak_isolation)
    settings = batch.Settings(exercises.select(args.only), seeding.load_secret(args.secret_file),
                              limits=limits_for(args.limit), budget=args.budget or None)
    with tempfile.TemporaryDirectory(prefix="nn101-download-") as download:
        try:
            if submissions.is_file() and submissions.suffix.lower() == ".zip":
                items, unpack_notes = lms.unpack_download(submissions, Path(download))
                return _grade(args, submissions, output, jobs, settings, items, unpack_notes)
            return _grade(args, submissions, output, jobs, settings, None, [])
        finally:
            batch.remove_tree(Path(download))


def _checked_output(name: str, submissions: Path) -> Path:
    output = Path(name)
    if output.is_dir() or name.endswith(("/", os.sep)):
        raise UsageError(f"--output {name} is a folder: give a file name ending in .csv, e.g. {output / 'grades.csv'}")
    if output.suffix.lower() != ".csv":
        raise UsageError(f"--output {name}: give a file name ending in .csv")
    if output.with_suffix("").exists() and not output.with_suffix("").is_dir():
        raise UsageError(f"--output {name}: {output.with_suffix('')} must be a folder for the per-student JSON, "
                         "but it is a file; move it or choose another name")
    if output.resolve().is_relative_to(submissions.resolve()):
        raise UsageError(f"--output {name}: write the grade book outside {submissions}")
    return output


def _grade(args, submissions: Path, output: Path, jobs: int, settings, items, notes: list[str]) -> int:
    from autograder import batch, distributed, shards, summary
    from autograder.batch.discover import discover
    from autograder.batch.store import Store
    from autograder.reporters import clean

    whole_class, more_notes = discover(submissions, items)
    shard = shards.parse(args.shard)
    entries = shards.select(whole_class, shard)
    try:
        store = Store(output)
    except OSError as error:
        raise UsageError(f"cannot write the results next to {output}: {error.strerror}") from None
    sandbox.protect([submissions, store.folder])  # no student's code may read the others' work
    sandbox.verify_unreadable([submissions, store.folder])  # as a worker's uid, before anyone is graded
    for note in [*notes, *more_notes]:
        print(clean.line(f"nn101: {note}"), file=sys.stderr)

    if shard:
        shards.write_manifest(output, shard, [e.student_id for e in whole_class],
                              [e.student_id for e in entries], [e.name for e in settings.exercises])
    client = distributed.connect(args.scheduler, weak_isolation=args.allow_weak_isolation) if args.scheduler else None
    try:
        outcome = batch.run(entries, store, settings, jobs, args.force,
                            pool=distributed.pool(client) if client else None)
    finally:
        if client:
            client.close()
    if outcome.interrupted:
        print(f"nn101: interrupted: {len(outcome.records)} of {_count(len(entries), 'student')} graded in {output} "
              f"({outcome.graded} now); run the same command again to grade the rest", file=sys.stderr)
        return INTERRUPTED
    for record in outcome.failed:
        print(clean.line(f"nn101: {record['student_id']}: {record['error']}"), file=sys.stderr)
    overview = summary.summarize(list(outcome.records))
    sys.stdout.write(summary.render(overview))
    plot = summary.plot(overview, output.with_suffix(".png"))
    print(f"\nGrade book: {output} ({_count(len(outcome.records), 'student')}, {outcome.graded} graded now); "
          f"per-student JSON in {store.folder}/; plot: {plot}")
    if args.similarity:
        from autograder.commands.similarity import report_next_to

        report_next_to(output, submissions, items)
    return 3 if any(batch.grader_fault(r) for r in outcome.records) else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _cores() -> int:
    """The cores this process may use (fewer than the machine's in a container or under taskset)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
