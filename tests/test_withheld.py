"""Hidden-check feedback never echoes text the student's code wrote: a submission can put the
hidden inputs it was called with into its exception's message, its type's name, a file name or
exit(); hidden checks show the exception's type (if a known one) and file and line only."""

import re

import pytest

from conftest import submission_with
from autograder import runner, withheld
from autograder.exercises import select

LEAKS = {
    "message": 'raise ValueError("LEAK" + repr(np.asarray(z).tolist()))',
    "type name": 'raise type("LEAK" + str(np.asarray(z).size), (Exception,), {})()',
    "file name": 'import os\n    exec(compile("raise ValueError()", os.getcwd() + "/LEAK" + str(np.size(z)) + ".py", "exec"))',
    "exit": 'raise SystemExit("LEAK" + repr(np.asarray(z).tolist()))',
}


@pytest.mark.parametrize("how", LEAKS)
def test_hidden_checks_never_show_what_the_student_code_wrote(tmp_path, how):
    code = f"import numpy as np\n\ndef softmax(z, axis=-1):\n    {LEAKS[how]}\n"
    results = runner.grade(submission_with(tmp_path, {"softmax": code}), select("softmax"))
    checks = results.exercise("softmax").checks
    hidden = [c for c in checks if not c.visible and not c.passed]
    visible = [c for c in checks if c.visible and not c.passed]
    assert hidden and visible and not results.grader_errors
    assert not [c.message for c in hidden if "LEAK" in c.message]
    # the same text does reach visible checks (their inputs are public): the test can see a leak
    assert how == "file name" or any("LEAK" in c.message for c in visible)
    if how == "message":
        assert all(re.search(r"raised ValueError \(softmax\.py, line \d+\)", c.message) for c in hidden)


def test_only_known_types_and_exercise_files_are_named():
    assert withheld.exception_type("ZeroDivisionError") == "ZeroDivisionError"
    assert withheld.exception_type("LEAK_0_25") == "an exception of its own type"
    assert withheld.location("softmax.py, line 12: return z / 0") == " (softmax.py, line 12)"
    assert withheld.location("LEAK12.py, line 1") == ""
    assert withheld.location("softmax.py, line 1x") == ""


RECORDER = '''
import builtins as _b
_b.__dict__.setdefault("_seen", [])
_real = softmax


def softmax(z, axis=-1):
    _b._seen.append(float(np.asarray(z, dtype=float).ravel()[0]))
    return _real(z, axis)
'''
TELLER = '''
import builtins as _b
_real = quadratic_cost


def quadratic_cost(y_true, y_pred):
    print("SEEN", len(getattr(_b, "_seen", [])), getattr(_b, "_seen", [])[-3:])
    return _real(y_true, y_pred) + 1.0
'''


def test_what_one_exercise_saw_in_hidden_checks_never_reaches_any_visible_feedback(tmp_path):
    """softmax records every input it gets; losses fails a visible check and prints the last ones.
    Hidden inputs are drawn per student: graded for two students, the printed text must be the same
    (only visible, public inputs), while a hidden check's inputs would differ (attack finding 8).
    Every visible check of every exercise runs before any hidden one."""
    folder = submission_with(tmp_path, {"softmax": RECORDER, "losses": TELLER})
    shown = []
    for student in ("ann", "bob"):
        results = runner.grade(folder, select("softmax,losses"), student_id=student, secret=b"s" * 32)
        shown.append(" ".join(c.message for c in results.exercise("losses").checks if c.visible and not c.passed))
    assert "SEEN" in shown[0], shown  # the printed line does reach visible feedback: the test can see a leak
    assert shown[0] == shown[1], shown
    grades = [runner.grade(folder, select("softmax"), student_id=s, secret=b"s" * 32) for s in ("ann", "bob")]
    assert all(g.exercise("softmax").points == g.exercise("softmax").max_points for g in grades)
