"""Feedback a beginner can act on: every mutant's messages name its misconception.

Reads the session's shared audit (see test_audit.py): no mutant is graded twice.
"""

from __future__ import annotations

import re

import pytest

from autograder import audit, models, mutants
from autograder.exercises import NAMES
from autograder.redact import secret_lines
from autograder.references import solutions_dir

CATALOG = mutants.catalog()
GRADER_TRACES = ("Traceback", 'File "', "autograder/", "site-packages", "internal error")


@pytest.fixture(scope="session")
def report():
    return audit.audit_once(NAMES, jobs=2)


def _failed(report, variant_id):
    outcome = next(o for o in report.mutants if o.name == variant_id)
    return outcome.caught_by


@pytest.mark.parametrize("variant_id", [v.id for v in CATALOG])
def test_the_feedback_names_the_misconception(report, variant_id):
    """The keyword sits in a hint (issue 11: in the summary it passed with every hint removed)."""
    outcome = next(o for o in report.mutants if o.name == variant_id)
    assert outcome.names_its_mistake and outcome not in report.unnamed, (
        outcome.variant.keyword, [c.message for c in outcome.caught_by])


@pytest.mark.parametrize("variant_id", [v.id for v in CATALOG])
def test_every_failed_check_says_what_was_tried_and_gives_a_hint(report, variant_id):
    for check in _failed(report, variant_id):
        assert check.message.strip(), check.title
        assert not any(trace in check.message for trace in GRADER_TRACES), (check.title, check.message)
        if check.status == models.FAILED:
            assert "Hint: " in check.message, (check.title, check.message)
        elif check.status == models.ERROR and " raised " in check.message:
            # the student's own exception, shown briefly with the line in their file
            assert re.search(r"\(\w+\.py, line \d+", check.message) or "withheld" in check.message, check.message
    assert not next(o for o in report.mutants if o.name == variant_id).hintless  # what the audit reports


def test_hidden_checks_never_show_expected_values(report):
    for outcome in report.mutants:
        for check in outcome.caught_by:
            if not check.visible:
                assert "Expected" not in check.message and "Got " not in check.message, (outcome.name, check.message)
                assert not re.search(r"expected:? *[-\[\d]", check.message), (outcome.name, check.message)


def test_visible_checks_show_expected_and_got(report):
    shown = [c.message for o in report.mutants for c in o.caught_by
             if c.visible and c.status == models.FAILED and "returned wrong values" in c.message]
    assert shown and all("Expected " in m and ", got " in m for m in shown)


def test_feedback_never_quotes_the_reference_solutions(report):
    lines = secret_lines(solutions_dir(), None)
    for outcome in report.mutants:
        for check in outcome.caught_by:
            quoted = [line for line in lines if line in check.message]
            assert not quoted, (outcome.name, check.title, quoted)


# ---- redaction, exercised (issue 11: the test above passed with the redactor turned off) ---------------

QUOTING = '''
def softmax(z, axis=-1):
    raise ValueError("shifted = z - np.max(z, axis=axis, keepdims=True)")
'''


def _quoted_lines(tmp_path) -> list[str]:
    from conftest import submission_with
    from autograder import runner
    from autograder.exercises import EXERCISES

    folder = submission_with(tmp_path, {"softmax": QUOTING})
    results = runner.grade(folder, tuple(e for e in EXERCISES if e.name == "softmax"))
    lines = secret_lines(solutions_dir(), None)
    return [line for c in results.checks for line in lines if line in c.message]


def test_a_student_message_that_quotes_a_reference_line_is_withheld(tmp_path):
    assert not _quoted_lines(tmp_path)


def test_sensitivity_without_the_redactor_the_quote_gets_through(tmp_path, monkeypatch):
    from autograder import runner

    class Off:
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, text):
            return text

    monkeypatch.setattr(runner, "Redactor", Off)
    assert _quoted_lines(tmp_path), "the redaction test above could not fail"


def test_what_the_students_function_printed_is_shown_under_a_failed_visible_check(tmp_path):
    from conftest import submission_with
    from autograder import exercises, runner

    folder = submission_with(tmp_path, {"softmax": "def softmax(z, axis=-1):\n"
                                                   "    print('debug: z is', list(z))\n"
                                                   "    return np.zeros(len(z))\n"})
    results = runner.grade(folder, exercises.select("softmax"))
    failed_visible = [c for c in results.checks if c.visible and not c.passed]
    assert failed_visible and all("Your code printed" in c.message and "debug: z is" in c.message
                                  for c in failed_visible)
    assert not any("debug: z is" in c.message for c in results.checks if not c.visible)
