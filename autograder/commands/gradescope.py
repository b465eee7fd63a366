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
    build.add_argument("--hidden-visibility", default="after_due_date",
                       choices=("after_due_date", "after_published", "hidden"),
                       help="when students see the hidden checks in Gradescope (default: after_due_date; "
                            "visible checks are always shown)")
    build.add_argument("--rate-limit", metavar="N/HOURS",
                       help="grade at most N submissions per student in any HOURS hours, e.g. 3/24; "
                            "later ones keep the last score and say when the next graded try is")
    build.set_defaults(run=run_build)
    run = actions.add_parser("run", help="grade /autograder/submission (what run_autograder calls)")
    run.add_argument("--root", default="/autograder", help="Gradescope's autograder folder")
    run.add_argument("--only", metavar="MODULE[,MODULE...]", help="grade only these exercises")
    run.set_defaults(run=run_in_container)


def run_build(args) -> int:
    from autograder.gradescope import Settings, build_zip
    from autograder.rate_limit import RateLimit

    secret = Path(args.secret_file) if args.secret_file else None
    if secret is not None and not secret.is_file():
        raise UsageError(f"no such secret file: {secret}")
    limit = RateLimit.parse(args.rate_limit) if args.rate_limit is not None else None
    settings = Settings(args.hidden_visibility, limit)
    path = build_zip(Path(args.output), secret, settings)
    print(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment")
    print(f"hidden checks: {settings.hidden_visibility}; rate limit: "
          + (f"{limit.submissions} graded submissions in any {limit.hours:g} hours" if limit else "none"))
    if settings.hidden_visibility == "hidden":
        print("note: Gradescope shows students their total score when tests are 'hidden' (not when they are "
              "after_due_date or after_published), so the total tells them their points on the hidden checks")
    return 0


def run_in_container(args) -> int:
    from autograder.gradescope import run

    root = Path(args.root)
    if not (root / "submission").is_dir():
        raise UsageError(f"{root / 'submission'} is not a directory: is this a Gradescope autograder?")
    results = run(root, exercises.select(args.only))
    if results is not None:
        print(f"score {results.points:g} / {results.max_points:g}", file=sys.stderr)
    else:
        print("not graded (over the rate limit, or the grader failed): see results.json", file=sys.stderr)
    return 0
