"""``nn101 release [--check]``: regenerate stubs, notebooks, the nbgrader release and the student kit.

Without ``--check`` it rewrites ``exercises/*.py``, ``source/nn101/`` and ``release/nn101/``
from ``solutions/`` and builds the kit in ``dist/`` (a folder, a zip and a wheel). With ``--check`` (CI) it writes nothing
in the repository and exits 1, naming the files, if anything committed is out of date or
the kit would leak. Both fail on a leak and on a broken authoring rule (:mod:`autograder.rules`,
each printed as ``rule: <file>: <problem>; <what to do>``); a broken solution marker is a usage
error (exit 2).
"""

from __future__ import annotations

from pathlib import Path

from autograder.commands import UsageError


def register(commands) -> None:
    parser = commands.add_parser("release", help="regenerate stubs, notebooks, release/ and the student kit")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; fail if committed files are out of date or the kit leaks")
    parser.add_argument("--root", default=".", help="the repository (default: the current directory)")
    parser.add_argument("--dist", metavar="DIR", help="where to build the kit (default: ROOT/dist)")
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        import nbgrader  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError("nn101 release needs nbgrader: pip install -e '.[notebooks]'") from None
    from autograder.release import pipeline
    from autograder.release.assignment import NbgraderError
    from autograder.release.kit import WheelError

    root = Path(args.root)
    if not (root / "solutions").is_dir() or not (root / "nbgrader_config.py").is_file():
        raise UsageError(f"{root} is not the nn101 repository: run this where solutions/ and nbgrader_config.py are")
    try:
        outcome = pipeline.check(root) if args.check else pipeline.release(root, args.dist)
    except (NbgraderError, WheelError) as error:
        print(f"nn101 release: {error}")
        return 1
    for path in outcome.stale:
        print(f"out of date: {path}")
    if outcome.stale:
        print("Run `nn101 release` and commit the result.")
    for leak in outcome.leaks:
        print(f"leak: {leak}")
    for finding in outcome.broken:
        print(f"rule: {finding}")
    for path in outcome.built:
        print(f"built {path}")
    if outcome.return_code == 0:
        print("release is in sync with solutions/ and leaks nothing" if args.check else "released")
    return outcome.return_code
