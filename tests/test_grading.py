"""The references get full marks, the stubs get 0, and results are well-formed."""

import json

from autograder import models
from autograder.exercises import NAMES
from autograder.reporters import FORMATS


def test_references_get_full_marks_on_every_exercise(graded_solutions):
    for exercise in graded_solutions.exercises:
        failed = [f"{c.title}: {c.status}: {c.message}" for c in exercise.failed]
        assert not failed, failed
        assert exercise.points == exercise.max_points > 0
    assert [e.name for e in graded_solutions.exercises] == list(NAMES)


def test_stubs_get_zero_and_are_reported_as_not_attempted(graded_stubs):
    assert graded_stubs.points == 0
    assert graded_stubs.max_points > 0
    statuses = {c.status for c in graded_stubs.checks if c.max_points > 0}
    assert statuses == {models.NOT_ATTEMPTED}, statuses


def test_hidden_and_visible_checks_both_ran(graded_solutions):
    assert graded_solutions.hidden
    visible = [c for c in graded_solutions.checks if c.visible]
    hidden = [c for c in graded_solutions.checks if not c.visible]
    assert visible and hidden
    assert {c.exercise for c in hidden} == set(NAMES)


def test_gradescope_report_has_a_score_and_named_tests(graded_solutions):
    data = json.loads(FORMATS["gradescope"](graded_solutions))
    assert data["score"] == graded_solutions.points
    assert len(data["tests"]) == len(graded_solutions.checks)
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output"}
        module = test["name"].split(":")[0]
        assert module in NAMES and test["name"].startswith(f"{module}: ")


def test_every_report_format_renders_stub_results(graded_stubs):
    text = FORMATS["text"](graded_stubs)
    assert "total" in text and "NotImplementedError" in text
    assert json.loads(FORMATS["json"](graded_stubs))["score"] == 0
    assert "<testsuites" in FORMATS["junit"](graded_stubs)
