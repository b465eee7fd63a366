"""The authoring rules (autograder/rules.py): the repository keeps them, and each one can fail
with a message that names the file and what to do; feedback, hints and the kit share one
quoting threshold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from autograder import rules
from autograder.cli import main
from autograder.checks.core import HIDDEN_MARK
from autograder.release import notebooks
from autograder.rules import AUDIT_MARK, reference_part
from autograder.redact import Redactor, secret_lines
from autograder.release import leaks

# A solution line shorter than the kit scan's old 20 characters but at least MIN_QUOTE long.
SHORT_LINE = "a = np.tanh(z)"


@pytest.fixture()
def course(tmp_path) -> Path:
    """A copy of the parts of the repository the rules read."""
    for part in ("solutions", "autograder/checks", "autograder/release/lessons"):
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


def test_an_fstring_hint_of_a_hidden_check_is_read_too(course):
    checks = course / "autograder" / "checks" / "dense_layer.py"
    assert HIDDEN_MARK in checks.read_text(encoding="utf-8")  # what follows is below the mark: hidden
    checks.write_text(checks.read_text(encoding="utf-8") + '\nN = 1\nX = f"{N}: a = np.tanh(z) here"\n',
                      encoding="utf-8")
    assert [f.where.split(":")[0] for f in rules.findings(course)] == ["autograder/checks/dense_layer.py"]


def test_a_module_constant_is_named_because_the_notebook_never_defines_it(course):
    solution = course / "solutions" / "dense_layer.py"
    solution.write_text(solution.read_text(encoding="utf-8").replace(
        "import numpy as np\n", 'import numpy as np\n\nNAMES = ("relu", "sigmoid")\n', 1), encoding="utf-8")
    (finding,) = rules.findings(course)
    assert finding.where == "solutions/dense_layer.py" and "NAMES" in finding.problem


def _audit_part(course: Path, text: str) -> None:
    solution = course / "solutions" / "dense_layer.py"
    solution.write_text(reference_part(solution.read_text(encoding="utf-8")) + text, encoding="utf-8")


def test_a_reference_without_mistakes_or_alternatives_is_told_how_to_declare_them(course):
    _audit_part(course, "")
    (finding,) = rules.findings(course)
    assert finding.where == "solutions/dense_layer.py" and "no audit mark" in finding.problem
    assert AUDIT_MARK in finding.fix and "MISTAKES = {...}" in finding.fix


def test_a_public_function_without_a_mistake_and_an_exercise_without_alternatives(course):
    _audit_part(course, f"\n\n{AUDIT_MARK}\nMISTAKES = {{\n    'no_bias': {{'mistake': 'no bias', "
                        "'patch': {'z = x @ W + b': 'z = x @ W'}, 'feedback names': 'bias'},\n}\n")
    found = [str(f) for f in rules.findings(course)]
    assert len(found) == 2, found
    assert found[0].startswith("solutions/dense_layer.py: no mistake changes count_parameters(); add one to MISTAKES")
    assert found[1].startswith("solutions/dense_layer.py: 0 alternatives for dense_layer, fewer than 2; add to "
                               "ALTERNATIVES")


def test_one_alternative_is_too_few_and_code_that_replaces_nothing_is_named(course):
    _audit_part(course, f"\n\n{AUDIT_MARK}\nMISTAKES = {{\n    'no_bias': {{'mistake': 'no bias', "
                        "'patch': {'z = x @ W + b': 'z = x @ W', 'd * h + h for': 'd * h for'}, "
                        "'feedback names': 'bias'},\n}\nALTERNATIVES = {\n    'helper': {'differs': 'a helper', "
                        "'code': 'def _helper():\\n    return 1\\n'},\n}\n")
    found = [str(f) for f in rules.findings(course)]
    assert len(found) == 2, found
    assert "1 alternatives for dense_layer, fewer than 2" in found[0]
    assert "dense_layer/helper replaces nothing of dense_layer" in found[1]


def test_the_audit_fails_a_mistake_whose_feedback_never_names_it(course, monkeypatch, capsys):
    """"feedback names" is checked where the instructor runs it, not only in the full test suite."""
    solution = course / "solutions" / "dense_layer.py"
    solution.write_text(solution.read_text(encoding="utf-8").replace('"feedback names": "x @ W"',
                                                                     '"feedback names": "zebra"'), encoding="utf-8")
    monkeypatch.setenv("NN101_SOLUTIONS", str(course / "solutions"))
    assert main(["audit", "--only", "dense_layer"]) == 1
    out = capsys.readouterr().out
    assert "UNNAMED dense_layer/w_times_x: no hint of its failed checks says 'zebra'" in out
    assert "audit: FAILED" in out


def test_a_listed_exercise_without_its_files_is_named(course):
    (course / "solutions" / "dense_layer.py").unlink()
    assert [f.where for f in rules.findings(course)] == ["solutions/dense_layer.py"]


@pytest.mark.parametrize("declared, problem", [
    ("MISTAKES = {'x': {'mistake': 'm', 'patch': {'z = x @ W + c': 'z'}, 'feedback names': 'b'}}", "occurs 0 times"),
    ("MISTAKES = {'x': {'mistake': 'm', 'feedback names': 'b'}}", 'either "patch"'),
    ("MISTAKES = {'x': {'mistake': 'm', 'code': 'def f(:', 'feedback names': 'b'}}", "invalid syntax"),
    ("MISTAKES = dict(x=1)", "plain data"),
])
def test_mistakes_that_cannot_be_read_are_a_finding_not_a_traceback(course, declared, problem):
    """A reworded reference, a missing key, broken code, a call: each named, with the file to fix."""
    _audit_part(course, f"\n\n{AUDIT_MARK}\n{declared}\n")
    (finding,) = rules.findings(course)
    assert finding.where == "solutions/dense_layer.py" and problem in finding.problem, finding
    assert AUDIT_MARK in finding.fix


def test_an_exercise_without_lesson_text_gets_a_notebook_from_its_docstrings(course):
    lesson = course / "autograder" / "release" / "lessons" / "activations.py"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text[:text.index("# %% [markdown]\n# # Network structure")], encoding="utf-8")
    assert rules.findings(course) == []
    names = notebooks.lesson_files(course / "autograder" / "release" / "lessons", course / "solutions")
    assert list(names).index("dense_layer") == list(names).index("activations") + 1  # in teaching order
    built = notebooks.expected_notebooks(course / "solutions", course / "autograder" / "release" / "lessons")
    cells = json.loads(built[names["dense_layer"]])["cells"]
    text = "".join("".join(c["source"]) for c in cells)
    assert "Network structure: a fully connected layer" in text and "z = x · W + b" in text
    grade_ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in cells]
    assert {"dense_layer-dense_forward", "dense_layer-count_parameters", "dense_layer-visible",
            "dense_layer-hidden"} <= set(grade_ids)


def test_audit_on_unreadable_mistakes_says_what_to_fix_in_one_line(course, monkeypatch, capsys):
    _audit_part(course, f"\n\n{AUDIT_MARK}\nMISTAKES = {{\n")
    monkeypatch.setenv("NN101_SOLUTIONS", str(course / "solutions"))
    assert main(["audit", "--only", "dense_layer"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "dense_layer.py:" in err and "below the audit mark" in err, err
