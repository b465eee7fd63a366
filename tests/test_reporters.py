"""Reporters render the same results for people and machines."""

import re
from xml.etree import ElementTree as ET

from autograder import models
from autograder.models import CheckResult, ExerciseResult, Results
from autograder.reporters import FORMATS

RESULTS = Results("alice", (
    ExerciseResult("softmax", (
        CheckResult("softmax", "large logits stay finite", 2, models.FAILED,
                    "softmax([1000, 1001]) returned nan | values. Hint: subtract the maximum.", visible=False),
        CheckResult("softmax", "the lesson's example", 1, models.PASSED),
    )),
    ExerciseResult("perceptron", (
        CheckResult("perceptron", "snack example", 1, models.NOT_ATTEMPTED, "weighted_sum() still raises"),
    )),
))


def test_markdown_has_the_score_a_row_per_exercise_and_escaped_messages():
    text = FORMATS["markdown"](RESULTS)
    assert text.startswith("## nn101: 1 / 4 points")
    assert "| softmax | 1 / 3 | large logits stay finite |" in text
    assert "nan \\| values" in text


def test_markdown_shows_the_students_text_as_text_never_as_markup():
    """Finding 14: printed output and messages come from the student's code."""
    message = ("**bold** <img src=https://attacker.example/t.png> [link](https://attacker.example) ### heading "
               "</details><h2>nn101: 121 / 121 points</h2> <!-- ![x](https://attacker.example/p.png) `code`")
    checks = (CheckResult("softmax", "the lesson's example", 1, models.ERROR, message),)
    text = FORMATS["markdown"](Results("mallory", (ExerciseResult("softmax", checks),)))
    student = text.split("(error): ", 1)[1].split("\n", 1)[0]
    bare = re.sub(r"\\.", "", student)  # what is left once every escaped character is taken out
    for markup in ("<", ">", "*", "[", "(", "!", "`", "#"):
        assert markup not in bare, markup
    assert "&lt;img src=https://attacker.example/t.png&gt;" in student and "\\*\\*bold\\*\\*" in student
    assert text.count("<details>") == 1 and text.count("</details>") == 1


def test_junit_counts_failures_and_errors():
    suite = ET.fromstring(FORMATS["junit"](RESULTS).split("\n", 1)[1]).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["large logits stay finite"].find("failure").get("type") == models.FAILED
    assert cases["snack example"].find("error").get("type") == models.NOT_ATTEMPTED


def test_text_groups_checks_that_failed_the_same_way():
    same = Results("bob", (ExerciseResult("softmax", tuple(
        CheckResult("softmax", f"check {i}", 1, models.NOT_ATTEMPTED, "softmax() still raises") for i in range(3))),))
    text = FORMATS["text"](same)
    assert text.count("softmax() still raises") == 1 and "3 checks (check 0; check 1; check 2)" in text
