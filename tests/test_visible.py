"""The visible tests students run: they pass on the references and fail on the stubs."""

import os
import re
import subprocess
import sys

import pytest

from conftest import EXERCISES, ROOT, SOLUTIONS
from autograder.checks.core import load_checks
from autograder.exercises import NAMES


def run_visible_tests(submission):
    env = dict(os.environ, NN101_SUBMISSION=str(submission))
    result = subprocess.run([sys.executable, "-m", "pytest", str(EXERCISES), "-q", "-p", "no:cacheprovider"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    summary = result.stdout.strip().splitlines()[-1]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|error)", summary)}
    return result, counts


@pytest.fixture(scope="module")
def n_visible():
    return sum(len([c for c in load_checks(name, hidden=False) if c.visible]) for name in NAMES)


def test_visible_tests_pass_on_the_references(n_visible):
    result, counts = run_visible_tests(SOLUTIONS)
    assert result.returncode == 0, result.stdout[-3000:]
    assert counts == {"passed": n_visible}


def test_visible_tests_fail_on_the_stubs(n_visible):
    result, counts = run_visible_tests(EXERCISES)
    assert result.returncode == 1
    assert counts == {"failed": n_visible}, result.stdout[-3000:]
    assert "NotImplementedError" in result.stdout
    assert "Traceback" not in result.stdout
