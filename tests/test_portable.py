"""The portable backend, proved on Linux: grading where ``os.fork``, ``resource`` and AF_UNIX are missing.

Windows has none of the three, and on macOS forking after TensorFlow is unsafe; nn101 then picks
its portable worker (a freshly spawned interpreter over its standard pipes). This machine has all
three, so each test runs ``nn101 grade`` and the kit's visible tests (``pytest exercises``) in a
subprocess whose interpreter has them removed by a ``sitecustomize.py`` on its PYTHONPATH, on a
correct submission (the references), a wrong one (a mutant) and a crashing one, and compares every
check's status, points and message with the normal backend's, graded in this process.

Those three compare the NumPy exercises and the quiz, in seconds; the last test compares the
whole catalog of mutants and alternative solutions, the Keras exercise included (``nn101 audit``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import ROOT, SOLUTIONS, submission_with
from autograder import exercises, runner
from autograder.mutants import catalog
from autograder.mutants.variant import materialise

ONLY = "perceptron,softmax,losses,quiz"
# What Windows lacks, removed before nn101 is imported. Only this interpreter is changed: the
# worker it starts is a fresh interpreter of its own (started isolated, without PYTHONPATH).
HIDE = '''"""Make this interpreter look like Windows to nn101: no os.fork, no resource module, no AF_UNIX."""
import os
import socket
import sys

del os.fork
del socket.AF_UNIX
sys.modules["resource"] = None  # import resource -> ModuleNotFoundError
'''
CRASH = '''
def softmax(z, axis=-1):
    import os
    os._exit(7)  # the worker dies under the student's code
'''


@pytest.fixture(scope="module")
def hidden_env(tmp_path_factory) -> dict:
    """The environment of an interpreter without os.fork, resource and socket.AF_UNIX."""
    folder = tmp_path_factory.mktemp("portable")
    (folder / "sitecustomize.py").write_text(HIDE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NN101_", "PYTEST"))}
    env.update(PYTHONPATH=os.pathsep.join([str(folder), str(ROOT)]), TF_CPP_MIN_LOG_LEVEL="3")
    return env


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> dict[str, Path]:
    """A correct, a wrong and a crashing submission."""
    folder = tmp_path_factory.mktemp("submissions")
    mutant = next(v for v in catalog(("softmax",)) if v.id == "softmax/no_max_shift")
    return {"correct": SOLUTIONS,
            "wrong": materialise(mutant, SOLUTIONS, folder / "wrong"),
            "crashing": submission_with(folder / "crashing", {"softmax": CRASH})}


@pytest.fixture(scope="module")
def normal(submissions) -> dict[str, dict]:
    """The normal backend's results, as the JSON reporter gives them."""
    from autograder.reporters.json_report import as_dict

    return {kind: as_dict(runner.grade(path, exercises.select(ONLY))) for kind, path in submissions.items()}


def checks_of(report: dict) -> dict[str, tuple]:
    return {f"{e['name']}: {c['name']}": (c["status"], c["score"], c["max_score"], c["message"])
            for e in report["exercises"] for c in e["checks"]}


def run(command: list[str], env: dict, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_hidden_environment_has_no_fork_resource_or_af_unix(hidden_env):
    probe = ("import os, socket, importlib.util\n"
             "try:\n    import resource\nexcept ImportError:\n    resource = None\n"
             "print(hasattr(os, 'fork'), resource is None, hasattr(socket, 'AF_UNIX'))")
    assert run([sys.executable, "-c", probe], hidden_env).stdout.split() == ["False", "True", "False"]
    assert run([sys.executable, "-c", probe], dict(hidden_env, PYTHONPATH=str(ROOT))).stdout.split() == [
        "True", "False", "True"]


@pytest.mark.parametrize("kind", ["correct", "wrong", "crashing"])
def test_nn101_grade_gives_the_same_results_without_fork(kind, submissions, normal, hidden_env, tmp_path):
    report = tmp_path / "report.json"
    result = run([sys.executable, "-m", "autograder", "grade", str(submissions[kind]), "--only", ONLY,
                  "--format", "json", "--output", str(report)], hidden_env)
    assert result.returncode == 0, result.stderr[-3000:]
    portable = json.loads(report.read_text(encoding="utf-8"))
    assert checks_of(portable) == checks_of(normal[kind])
    assert (portable["score"], portable["max_score"]) == (normal[kind]["score"], normal[kind]["max_score"])
    assert portable["isolation"] == "process"  # so nobody mistakes it for a grading setup


def test_the_normal_results_tell_the_three_submissions_apart(normal):
    """Guards the comparison above: it compares full marks, a loss in one exercise and a crash."""
    totals = {kind: (report["score"], report["max_score"]) for kind, report in normal.items()}
    assert totals["correct"][0] == totals["correct"][1]
    assert totals["wrong"][0] < totals["correct"][0] and totals["crashing"][0] < totals["correct"][0]
    statuses = {status for status, *_ in checks_of(normal["crashing"]).values()}
    assert "crashed" in statuses


def visible_outcomes(junit: Path) -> dict[str, bool]:
    """``{"softmax: <check>": passed}`` from pytest's JUnit XML of the visible tests."""
    outcomes = {}
    for case in ElementTree.parse(junit).iter("testcase"):
        exercise, _, name = case.get("name").removeprefix("test_").partition("[")
        outcomes[f"{exercise}: {name.removesuffix(']')}"] = not any(
            child.tag in ("failure", "error", "skipped") for child in case)
    return outcomes


@pytest.mark.parametrize("kind", ["correct", "wrong", "crashing"])
def test_the_visible_tests_give_the_same_verdicts_without_fork(kind, submissions, normal, hidden_env, tmp_path):
    junit = tmp_path / "visible.xml"
    tests = [str(ROOT / "exercises" / "tests" / f"test_{name}.py") for name in ONLY.split(",")]
    env = dict(hidden_env, NN101_SUBMISSION=str(submissions[kind]))
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
                  "--rootdir", str(ROOT / "exercises"), *tests], env)
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-2000:]
    expected = {title: status == "passed" for title, (status, *_) in checks_of(normal[kind]).items()
                if title in visible_titles(normal[kind])}
    assert visible_outcomes(junit) == expected


def visible_titles(report: dict) -> set[str]:
    return {f"{e['name']}: {c['name']}" for e in report["exercises"] for c in e["checks"] if c["visible"]}


def test_the_whole_catalog_gets_the_same_points_and_messages_without_fork(hidden_env, tmp_path):
    """Every mutant and alternative of every exercise (``nn101 audit``), graded by both backends.

    About two minutes once the portable backend exists (a fresh interpreter per submission, so
    TensorFlow is imported once per Keras variant); the normal side is the audit the other test
    files share.
    """
    from autograder import audit
    from autograder.commands.audit import render_json
    from autograder.exercises import NAMES

    report = tmp_path / "audit.json"
    result = run([sys.executable, "-m", "autograder", "audit", "--format", "json", "--jobs", "1",
                  "--output", str(report)], hidden_env)
    assert result.returncode == 0, result.stderr[-3000:]
    portable = json.loads(report.read_text(encoding="utf-8"))
    normal = json.loads(render_json(audit.audit_once(NAMES, jobs=2)))
    assert len(normal["mutants"]) >= 70 and len(normal["alternatives"]) >= 15
    for part in ("reference", "mutants", "alternatives"):
        assert portable[part] == normal[part], part
