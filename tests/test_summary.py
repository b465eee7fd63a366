"""The class summary: means, pass rates and the most common failure, and its plot."""

from autograder import summary
from autograder.models import CheckResult, ExerciseResult, Results
from autograder.reporters.json_report import as_dict


def result(student, softmax_statuses):
    checks = tuple(CheckResult("softmax", name, 2.0, status) for name, status in softmax_statuses)
    quiz = (CheckResult("quiz", "q01", 1.0, "passed"),)
    return as_dict(Results(student, (ExerciseResult("softmax", checks), ExerciseResult("quiz", quiz))))


CLASS = [
    result("a", [("example", "passed"), ("large logits", "failed")]),
    result("b", [("example", "passed"), ("large logits", "failed")]),
    result("c", [("example", "failed"), ("large logits", "passed")]),
    result("d", [("example", "passed"), ("large logits", "passed")]),
]


def test_summary_counts_pass_rates_and_the_most_common_failure():
    s = summary.summarize(CLASS)
    assert s.students == 4 and s.max_score == 5
    assert s.scores == (3, 3, 3, 5) and s.mean_score == 3.5
    softmax = s.exercises[0]
    assert softmax.name == "softmax" and softmax.mean_points == 2.5 and softmax.max_points == 4
    assert softmax.pass_rates == (("example", 0.75), ("large logits", 0.5))
    assert softmax.most_failed == "large logits"
    assert s.exercises[1].most_failed == ""


def test_summary_table_and_plot(tmp_path):
    s = summary.summarize(CLASS)
    text = summary.render(s)
    assert "4 students, mean score 3.5 / 5" in text and "large logits" in text
    png = summary.plot(s, tmp_path / "class.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_empty_class_summarises_to_zero():
    s = summary.summarize([])
    assert s.students == 0 and s.exercises == ()
    assert "0 students" in summary.render(s)
