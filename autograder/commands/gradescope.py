"""``nn101 gradescope build|run``: the Gradescope autograder zip, and its entry point."""

from __future__ import annotations

import sys
from pathlib import Path

from autograder import exercises
from autograder.commands import UsageError


def register(commands) -> None:
    parser = commands.add_parser("gradescope", help="build autograder.zip for Gradescope, or run it")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="write autograder.zip (upload it to a Gradescope assignment)")
    build.add_argument("--output", default="dist/autograder.zip", help="zip to write (default: dist/autograder.zip)")
    build.add_argument("--secret-file", help="course secret to embed, for per-student hidden inputs")
    build.set_defaults(run=run_build)
    run = actions.add_parser("run", help="grade /autograder/submission (what run_autograder calls)")
    run.add_argument("--root", default="/autograder", help="Gradescope's autograder folder")
    run.add_argument("--only", metavar="MODULE[,MODULE...]", help="grade only these exercises")
    run.set_defaults(run=run_in_container)


def run_build(args) -> int:
    from autograder.gradescope import build_zip

    secret = Path(args.secret_file) if args.secret_file else None
    if secret is not None and not secret.is_file():
        raise UsageError(f"no such secret file: {secret}")
    path = build_zip(Path(args.output), secret)
    print(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment")
    return 0


def run_in_container(args) -> int:
    from autograder.gradescope import run

    root = Path(args.root)
    if not (root / "submission").is_dir():
        raise UsageError(f"{root / 'submission'} is not a directory: is this a Gradescope autograder?")
    results = run(root, exercises.select(args.only))
    if results is not None:
        print(f"score {results.points:g} / {results.max_points:g}", file=sys.stderr)
    return 0
