"""Shared fixtures: grade the references and the stubs once per session (TensorFlow is costly)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"


def submission_with(tmp: Path, code: dict[str, str]) -> Path:
    """A copy of the reference solutions with ``code[module]`` appended (a later def wins)."""
    tmp.mkdir(parents=True, exist_ok=True)
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, tmp / path.name)
    for module, extra in code.items():
        with open(tmp / f"{module}.py", "a", encoding="utf-8") as handle:
            handle.write("\n\n" + extra + "\n")
    return tmp


@pytest.fixture(scope="session")
def graded_solutions():
    from autograder import runner

    return runner.grade(SOLUTIONS)


@pytest.fixture(scope="session")
def graded_stubs():
    from autograder import runner

    return runner.grade(EXERCISES)
