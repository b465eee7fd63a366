"""Subcommands of ``nn101``, one module each, with shared helpers for their options and output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from autograder import limits


from autograder.errors import UsageError  # noqa: F401 - re-exported for the commands


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


def write_private(text: str, output: str | None) -> None:
    """To ``output`` with mode 0600, like the grade book (students' code and grades are private), or stdout."""
    from autograder.batch.store import write_atomically as write_0600

    if output:
        write_0600(Path(output), text)
    else:
        sys.stdout.write(text)


def existing_dir(path: str) -> Path:
    folder = Path(path)
    if not folder.exists():
        raise UsageError(f"no such directory: {path}")
    if not folder.is_dir():
        raise UsageError(f"{path} is not a directory: give the folder that holds the .py files")
    return folder


def limits_for(items: list[str]) -> dict[str, limits.Limits]:
    """Worker limits with ``--limit NAME=VALUE`` overrides applied to every kind of worker."""
    overrides = limits.parse_overrides(items)
    return {"numpy": limits.apply_overrides(limits.NUMPY_LIMITS, overrides),
            "keras": limits.apply_overrides(limits.KERAS_LIMITS, overrides)}


def add_grading_options(parser) -> None:
    """Options shared by every command that grades."""
    from autograder import seeding

    parser.add_argument("--only", metavar="MODULE[,MODULE...]", help="grade only these exercises")
    parser.add_argument("--secret-file", metavar="FILE", help="course secret for per-student cases "
                        f"(default: ${seeding.SECRET_FILE_ENV} or ${seeding.SECRET_ENV})")
    parser.add_argument("--limit", metavar="NAME=VALUE", action="append", default=[],
                        help="override a worker limit, e.g. call_seconds=2 or memory_mb=1024")
