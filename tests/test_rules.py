"""The authoring rules (autograder/rules.py): the repository keeps them, and each one can fail
with a message that names the file and what to do; feedback, hints and the kit share one
quoting threshold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from autograder import rules
from autograder.redact import Redactor, secret_lines
from autograder.release import leaks

# A solution line shorter than the kit scan's old 20 characters but at least MIN_QUOTE long.
SHORT_LINE = "a = np.tanh(z)"


@pytest.fixture()
def course(tmp_path) -> Path:
    """A copy of the parts of the repository the rules read."""
    for part in ("solutions", "autograder/checks", "autograder/hidden", "autograder/release/lessons"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_repository_keeps_every_rule():
    assert [str(f) for f in rules.findings(ROOT)] == []


def test_the_short_line_is_a_solution_line_between_the_thresholds():
    assert rules.MIN_QUOTE <= len(SHORT_LINE) < leaks.MIN_CHARS
    assert SHORT_LINE in rules.solution_lines(ROOT / "solutions")


def test_a_hint_quoting_a_short_solution_line_is_flagged_withheld_and_a_leak(course):
    checks = course / "autograder" / "checks" / "dense_layer.py"
    checks.write_text(checks.read_text(encoding="utf-8") + f'\nHINT = "write {SHORT_LINE} for tanh."\n',
                      encoding="utf-8")
    found = rules.findings(course)
    assert len(found) == 1 and found[0].where.startswith("autograder/checks/dense_layer.py:")
    assert "solutions/dense_layer.py:" in found[0].problem and SHORT_LINE in found[0].problem
    assert "reword" in found[0].fix
    redact = Redactor(secret_lines(ROOT / "solutions", None))
    assert "withheld" in redact(f"Hint: write {SHORT_LINE} for tanh.")
    assert leaks.fingerprints(ROOT).find(f"# write {SHORT_LINE} for tanh.") is not None


def test_an_fstring_hint_is_read_too(course):
    hidden = course / "autograder" / "hidden" / "dense_layer.py"
    hidden.write_text(hidden.read_text(encoding="utf-8") + '\nN = 1\nX = f"{N}: a = np.tanh(z) here"\n',
                      encoding="utf-8")
    assert [f.where.split(":")[0] for f in rules.findings(course)] == ["autograder/hidden/dense_layer.py"]


def test_an_exercise_without_notebook_cells_is_named_with_the_cells_to_add(course):
    lesson = course / "autograder" / "release" / "lessons" / "activations.py"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("# %% nn101: tests dense_layer\n", ""),
                      encoding="utf-8")
    (finding,) = rules.findings(course)
    assert finding.problem == "no notebook grades dense_layer"
    assert "'# %% nn101: tests dense_layer'" in finding.fix


def test_a_module_constant_is_named_because_the_notebook_never_defines_it(course):
    solution = course / "solutions" / "dense_layer.py"
    solution.write_text(solution.read_text(encoding="utf-8").replace(
        "import numpy as np\n", 'import numpy as np\n\nNAMES = ("relu", "sigmoid")\n', 1), encoding="utf-8")
    (finding,) = rules.findings(course)
    assert finding.where == "solutions/dense_layer.py" and "NAMES" in finding.problem


def test_a_public_function_without_a_mutant_and_an_exercise_without_alternatives(course, monkeypatch):
    real = rules._catalog
    monkeypatch.setattr(rules, "_catalog", lambda package, name, attribute: ((), []) if name == "dense_layer"
                        else real(package, name, attribute))
    found = [str(f) for f in rules.findings(course)]
    assert found == [
        f"autograder/mutants/dense_layer.py: no mutant changes {name}(); add a real mistake in it, e.g. "
        'patched("dense_layer", ("<reference text>", "<wrong text>")), with the check aimed at it'
        for name in ("dense_forward", "count_parameters")] + [
        "autograder/alternatives/dense_layer.py: no alternative for dense_layer; add a correct solution "
        "written differently, which must keep full marks"]


def test_a_listed_exercise_without_its_files_is_named(course):
    (course / "solutions" / "dense_layer.py").unlink()
    assert [f.where for f in rules.findings(course)] == ["solutions/dense_layer.py"]


def test_a_catalog_that_cannot_be_imported_is_a_finding_not_a_traceback(course, monkeypatch):
    real = rules.importlib.import_module

    def load(module):
        if module == "autograder.mutants.dense_layer":
            raise ValueError("dense_layer: 'z = x @ W + b' occurs 0 times in the reference, not once")
        return real(module)

    monkeypatch.setattr(rules.importlib, "import_module", load)
    (finding,) = rules.findings(course)
    assert finding.where == "autograder/mutants/dense_layer.py" and "occurs 0 times" in finding.problem
