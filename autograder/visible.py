"""The visible tests students run with ``pytest exercises``.

Each ``exercises/tests/test_<exercise>.py`` is one line, ``test_x = make_test("x")``:
a pytest test per visible check, run through the same worker and checks as the
grader, so local feedback and the final grade never disagree on a visible check.
The folder graded is the one above ``tests/`` ($NN101_SUBMISSION overrides it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder import seeding
from autograder.checks.core import load_checks
from autograder.exercises import EXERCISES
from autograder.runner import run_check
from autograder.submission import IsolatedSubmission, ModuleProxy

SUBMISSION_ENV = "NN101_SUBMISSION"


@pytest.fixture(scope="session")
def nn101_submission(request):
    default = Path(str(request.config.rootpath)) / "exercises"
    here = Path(os.environ.get(SUBMISSION_ENV) or _tests_parent(request) or default)
    with IsolatedSubmission(here, {e.name: e.kind for e in EXERCISES}) as submission:
        yield submission


def _tests_parent(request):
    for item in request.session.items:
        path = Path(str(item.path))
        if path.parent.name == "tests":
            return path.parent.parent
    return None


def make_test(exercise: str):
    """A pytest test function, parametrised over the visible checks of ``exercise``."""
    checks = load_checks(exercise, hidden=False)

    @pytest.mark.parametrize("check", checks, ids=[c.name for c in checks])
    def test(check, nn101_submission):
        rng = seeding.check_rng(seeding.DEFAULT_SECRET, "", check.title)
        result = run_check(check, ModuleProxy(nn101_submission, exercise), rng)
        if not result.passed:
            pytest.fail(f"[{result.status}] {result.message}", pytrace=False)

    test.__name__ = f"test_{exercise}"
    return test
