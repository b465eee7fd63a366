"""Probe answers are checked for their form: student code that forges them gets an error,
the grader never crashes on them (a forged answer is the student's error, not the grader's)."""

import numpy as np

from conftest import submission_with
from autograder import models, probes, runner
from autograder.exercises import select


def test_answer_forms_accept_real_answers_and_reject_forged_ones():
    assert probes.answer_is_valid("quiz", {"questions": {}, "answers": {"q01": "b"}})
    assert not probes.answer_is_valid("quiz", {"answers": 42})
    assert not probes.answer_is_valid("quiz", [1, 2])
    assert probes.answer_is_valid("minibatches", [[np.zeros(2), np.zeros(2)]])
    assert not probes.answer_is_valid("minibatches", [np.zeros(2)])
    assert probes.answer_is_valid("keras_model", {"is_model": False, "type": "list"})
    assert not probes.answer_is_valid("keras_model", {"is_model": True})
    assert not probes.answer_is_valid("keras_fit", {"history_type": "History", "losses": ["x"]})


# The worker's modules are out of sys.modules before student code runs; an attacker still finds
# them among the interpreter's objects, and then forges what the helpers answer.
FIND_PROBES = ("import gc, types\n_p = next(m for m in gc.get_objects() if isinstance(m, types.ModuleType)"
               " and m.__name__ == 'autograder.probes')\n")


def test_a_submission_that_forges_helper_answers_gets_errors_not_a_grader_crash(tmp_path):
    forged = submission_with(tmp_path, {"quiz": FIND_PROBES + "_p.quiz = lambda module, *names: {'answers': 42}\n",
                                        "gradient_descent": FIND_PROBES +
                                                            "_p.minibatches = lambda *a, **k: 'no batches'\n"
                                                            "_p.minibatch_inputs = lambda *a, **k: 'none'\n"})
    results = runner.grade(forged, select("gradient_descent,quiz"))
    assert not results.grader_errors and results.return_code == 0
    quiz = results.exercise("quiz")
    assert quiz.points == 0 and {c.status for c in quiz.checks} == {models.ERROR}
    assert all("damaged answer" in c.message for c in quiz.checks)
    epoch_checks = [c for c in results.exercise("gradient_descent").checks
                    if "mini-batches" in c.name and "training" not in c.name]
    assert epoch_checks and all(c.status == models.ERROR for c in epoch_checks)
