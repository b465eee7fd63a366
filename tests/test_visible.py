"""The visible tests students run: they pass on the references and fail on the stubs."""

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from conftest import EXERCISES, ROOT, SOLUTIONS
from autograder.checks import core
from autograder.checks.core import CHECKS_DIR, HIDDEN_MARK, load_checks, visible_part
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


def _docstring_examples():
    """(exercise, example line) for every "Example" in the reference solutions' docstrings."""
    import ast

    for name in NAMES:
        tree = ast.parse((SOLUTIONS / f"{name}.py").read_text(encoding="utf-8"))
        docs = [ast.get_docstring(tree) or ""] + [ast.get_docstring(n) or "" for n in ast.walk(tree)
                                                  if isinstance(n, ast.FunctionDef)]
        for doc in docs:
            text = " ".join(doc.split())
            for match in re.finditer(r"Example[^:]*: (.*?)(?:\.(?: |$)|$)", text):
                yield name, match.group(1)


@pytest.mark.parametrize("exercise, example", list(_docstring_examples()))
def test_every_worked_example_in_a_docstring_is_a_visible_check(exercise, example):
    """Issue 11: softmax([1000, 1001]) was in the docstring, yet [nan, nan] passed the visible tests."""
    source = (ROOT / "autograder" / "checks" / f"{exercise}.py").read_text(encoding="utf-8")
    numbers = re.findall(r"-?\d+(?:\.\d+)?", example)
    assert numbers, example
    in_checks = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", source)]

    def shown(number: str) -> bool:  # the docstring rounds: 0.7311 stands for 0.73105858
        decimals = len(number.split(".")[1]) if "." in number else 0
        return any(abs(abs(v) - abs(float(number))) <= 0.5 * 10 ** -decimals + 1e-12 for v in in_checks)

    missing = [n for n in numbers if not shown(n)]
    assert not missing, (example, missing)


@pytest.mark.parametrize("name", NAMES)
def test_the_kit_copy_of_a_check_file_registers_its_visible_checks_only(name, tmp_path, monkeypatch):
    """What the kit ships (the file up to its mark) registers exactly the visible checks, in order."""
    repository = load_checks(name)
    assert any(not c.visible for c in repository), "every exercise has hidden checks"
    kit_copy = tmp_path / f"{name}.py"
    kit_copy.write_text(visible_part((CHECKS_DIR / f"{name}.py").read_text(encoding="utf-8")), encoding="utf-8")
    assert HIDDEN_MARK not in kit_copy.read_text(encoding="utf-8")
    monkeypatch.setattr(core, "REGISTRY", {})
    spec = importlib.util.spec_from_file_location(f"kit_checks_{name}", kit_copy)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert [c.name for c in core.REGISTRY[name]] == [c.name for c in repository if c.visible]
    assert all(c.visible for c in core.REGISTRY[name])
