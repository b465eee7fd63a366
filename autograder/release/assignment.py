"""Run nbgrader on a course directory through its Python API, with the course's own config.

The config file is loaded strictly here: nbgrader's command line skips a broken
``nbgrader_config.py`` with a log line and would release notebooks with its defaults.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

ASSIGNMENT = "nn101"
CONFIG_FILE = "nbgrader_config.py"


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message carries its log."""


def load_config(config_file: Path, course_root: Path):
    """The traitlets config of ``config_file``, pointed at ``course_root``."""
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(config_file).resolve()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    config.CourseDirectory.root = str(Path(course_root).resolve())
    return config


def api(config_file: Path, course_root: Path):
    """An ``NbGraderAPI`` for the course in ``course_root``."""
    _find_own_tools()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from nbgrader.apps import NbGraderAPI

        return NbGraderAPI(config=load_config(config_file, course_root))


def _find_own_tools() -> None:
    """Put this interpreter's scripts on PATH: nbgrader runs ``alembic`` as a command, which an
    un-activated virtual environment (``.venv/bin/nn101 ...``) would not find."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def run(step: str, result: dict) -> dict:
    """Raise :class:`NbgraderError` if an API call's ``result`` says it failed."""
    if not result.get("success"):
        detail = (result.get("error") or "") + (result.get("log") or "")
        raise NbgraderError(f"nbgrader {step} failed:\n{detail.strip()}")
    return result


def generate_assignment(config_file: Path, course_root: Path, assignment: str = ASSIGNMENT) -> Path:
    """``nbgrader generate_assignment`` in ``course_root``; return its ``release/<assignment>``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run("generate_assignment", api(config_file, course_root).generate_assignment(assignment, force=True))
    return Path(course_root) / "release" / assignment


def release_into(source_dir: Path, config_file: Path, work_dir: Path, assignment: str = ASSIGNMENT) -> Path:
    """Generate the release of ``source_dir/<assignment>`` in a scratch course under ``work_dir``."""
    course = Path(work_dir) / "course"
    shutil.copytree(Path(source_dir) / assignment, course / "source" / assignment)
    return generate_assignment(config_file, course, assignment)
