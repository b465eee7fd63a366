"""The ``nn101`` command: parse options, call the runner, render, exit.

Exit status: 0 whenever grading ran (whatever the score), 2 for bad usage with a
one-line message saying what to fix, 3 if the grader itself failed on a check.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from autograder.commands import UsageError
from autograder.errors import WorkerStartError

# One module per subcommand in autograder/commands/, each with register(subparsers).
COMMANDS = ("grade", "grade_all", "merge", "similarity", "export", "audit", "release", "gradescope")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nn101", description="Grade the nn101 neural-network exercises.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"autograder.commands.{name}")
        except ModuleNotFoundError as error:  # the student kit ships without instructor commands
            if error.name != f"autograder.commands.{name}":
                raise
            continue
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"nn101: error: {error}", file=sys.stderr)
        return 2
    except WorkerStartError as error:  # the machine, not a student: nobody is graded
        print(f"nn101: the grader cannot run here: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
