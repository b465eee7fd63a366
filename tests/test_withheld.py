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


def test_what_one_exercise_saw_in_hidden_checks_never_reaches_the_next_ones_visible_feedback(tmp_path):
    """softmax records the hidden checks' inputs; losses (graded next) fails a visible check and prints
    them. Each exercise gets a fresh worker: the recorder starts empty there (attack finding 8)."""
    folder = submission_with(tmp_path, {"softmax": RECORDER, "losses": TELLER})
    results = runner.grade(folder, select("softmax,losses"))
    shown = " ".join(c.message for c in results.exercise("losses").checks if c.visible and not c.passed)
    assert "SEEN" in shown, shown  # the printed line does reach visible feedback: the test can see a leak
    assert re.search(r"SEEN 0 \[\]", shown) and not re.search(r"SEEN [1-9]", shown), shown
