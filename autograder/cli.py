"""The ``nn101`` command: parse options, call the runner, render, exit.

Exit status: 0 whenever grading ran (whatever the score), 2 for bad usage with a
one-line message saying what to fix, 3 if the grader itself failed on a check.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import exercises, limits, seeding
from autograder.reporters import FORMATS


class UsageError(Exception):
    """Bad input from the person running nn101: the message says what to fix."""


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def emit(text: str, output: str | None) -> None:
    if output:
        write_atomically(Path(output), text)
    else:
        sys.stdout.write(text)


def submission_dir(path: str) -> Path:
    folder = Path(path)
    if not folder.exists():
        raise UsageError(f"no such directory: {path}")
    if not folder.is_dir():
        raise UsageError(f"{path} is not a directory: give the folder that holds your .py files")
    return folder


def limits_for(items: list[str]) -> dict[str, limits.Limits]:
    overrides = limits.parse_overrides(items)
    return {"numpy": limits.apply_overrides(limits.NUMPY_LIMITS, overrides),
            "keras": limits.apply_overrides(limits.KERAS_LIMITS, overrides)}


def cmd_grade(args) -> int:
    from autograder import runner

    folder = submission_dir(args.path)
    selected = exercises.select(args.only)
    secret = seeding.load_secret(args.secret_file)
    results = runner.grade(folder, selected, student_id=args.student_id or "", secret=secret,
                           limits=limits_for(args.limit))
    emit(FORMATS[args.format](results), args.output)
    return results.return_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nn101", description="Grade the nn101 neural-network exercises.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = commands.add_parser("grade", help="grade one submission folder")
    grade.add_argument("path", nargs="?", default="exercises", help="folder with the modules (default: exercises)")
    grade.add_argument("--only", metavar="MODULE[,MODULE...]", help="grade only these exercises")
    grade.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    grade.add_argument("--output", metavar="FILE", help="write the report here instead of the terminal")
    grade.add_argument("--student-id", metavar="ID", help="seed the hidden random cases for this student")
    grade.add_argument("--secret-file", metavar="FILE", help="course secret for per-student cases "
                       f"(default: ${seeding.SECRET_FILE_ENV} or ${seeding.SECRET_ENV})")
    grade.add_argument("--limit", metavar="NAME=VALUE", action="append", default=[],
                       help="override a worker limit, e.g. call_seconds=2 or memory_mb=1024")
    grade.set_defaults(run=cmd_grade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, ValueError) as error:
        print(f"nn101: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
