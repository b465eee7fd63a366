"""Issue 11: no correct answer loses a point, for any student; each example is a test here.

Most tests grade in process through the same checks (:mod:`autograder.idscan`), the
reference and alternatives being our own code; the few that need a real import (a syntax
error, a missing file) go through a worker.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import submission_with
from autograder import idscan, models, policy, runner, seeding
from autograder.checks import expect, tolerance
from autograder.checks.core import REGISTRY, Check, Fail, check, load_checks
from autograder.checks.quiz import QUESTION_IDS
from autograder.exercises import EXERCISES
from autograder.mutants.variant import Variant
from autograder.references import reference, solutions_dir
from autograder.runner import run_check
from autograder.submission import InProcessSubmission, ModuleProxy

NUMPY = tuple(e.name for e in EXERCISES if e.kind == "numpy")


def _run(exercise: str, check_name: str, modules: dict, student_id: str = "", submission=None):
    check_ = next(c for c in load_checks(exercise) if c.name == check_name)
    submission = submission or InProcessSubmission(modules)
    rng = seeding.check_rng(seeding.DEFAULT_SECRET, student_id, check_.title)
    return run_check(check_, ModuleProxy(submission, exercise), rng)


def _reference_modules(**replaced) -> dict:
    """The reference modules in process, with some functions replaced: {module: {name: f}}."""
    modules = idscan.load_folder(solutions_dir(), NUMPY)
    out = {}
    for name, module in modules.items():
        namespace = {k: getattr(module, k) for k in dir(module) if not k.startswith("__")}
        namespace.update(replaced.get(name, {}))
        out[name] = namespace
    return out


# ---- 1. the reference never fails, for any student id ----------------------------------------------


def test_the_reference_keeps_full_marks_for_student0042_on_gradient_descent():
    scan = idscan.scan(43, ("gradient_descent",), variants=())
    assert scan.ok, idscan.render(scan)
    assert "student0042" in idscan.student_ids(43)


def test_the_id_scan_finds_a_check_that_fails_correct_work_for_some_ids():
    @check("quiz", "a check that fails one student in four (test only)", points=1)
    def unfair(sub, rng):
        if rng.random() < 0.25:
            raise Fail("unlucky draw")

    try:
        scan = idscan.scan(40, ("quiz",), variants=())
    finally:
        REGISTRY["quiz"] = [c for c in REGISTRY["quiz"] if c.function is not unfair]
    assert not scan.ok
    assert {p.check for p in scan.lost} == {"quiz: a check that fails one student in four (test only)"}
    assert 2 <= len(scan.lost) <= 25


def test_a_check_that_draws_nothing_runs_once_for_all_ids():
    scan = idscan.scan(30, ("quiz",), variants=())
    assert scan.ok and scan.checks_run == len(load_checks("quiz"))  # the quiz draws no random inputs


def test_an_alternative_is_graded_on_its_own_exercise_and_those_that_import_it():
    assert idscan.affected_by("softmax") == {"softmax", "losses", "gradient_descent"}
    assert idscan.affected_by("perceptron") == {"perceptron"}


# ---- 2. one tolerance table, never tightened -----------------------------------------------------------


def test_the_tolerance_table_has_one_entry_per_float_dtype_and_checks_cannot_tighten_it():
    assert tolerance.for_dtype(np.float64) == tolerance.Tolerance(1e-6, 1e-8)
    assert tolerance.for_dtype(np.float32).rtol > tolerance.for_dtype(np.float64).rtol
    expect.close(1 + 5e-7, 1.0, "x", rtol=1e-12, atol=0)  # asked tighter: the table wins
    with pytest.raises(Fail):
        expect.close(1 + 5e-6, 1.0, "x")
    expect.close(np.float32(1 + 5e-6) * np.ones(3, np.float32), np.ones(3, np.float32), "x")


def test_leaky_relu_with_a_float32_alpha_keeps_full_marks():
    def leaky_relu(z, alpha=0.01):  # what tf.nn.leaky_relu(z, alpha=alpha) computes
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, z * np.float32(alpha))

    modules = _reference_modules(activations={"leaky_relu": leaky_relu})
    for name in ("leaky ReLU uses its alpha argument", "leaky_relu on random inputs of several shapes and dtypes"):
        result = _run("activations", name, modules)
        assert result.passed, result.message


# ---- 3. values graded, not warnings ---------------------------------------------------------------


def test_the_stable_np_where_sigmoid_gets_full_points_and_a_note():
    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    result = _run("activations", "sigmoid is stable for very large |z|",
                  _reference_modules(activations={"sigmoid": sigmoid}))
    assert result.passed and result.points == result.max_points
    assert "warned" in result.message
    reference_result = _run("activations", "sigmoid is stable for very large |z|", _reference_modules())
    assert reference_result.passed and not reference_result.message


# ---- 4. forbidden library functions ------------------------------------------------------------------

SOFTMAX_BY_SCIPY = '''
import numpy as np
import scipy.special as sp
import matplotlib.pyplot as plt
from sklearn.preprocessing import StandardScaler


def softmax(z, axis=-1):
    plt.plot([1, 2]); plt.show()
    return sp.softmax(z, axis=axis)
'''


class _WithSource(InProcessSubmission):
    def __init__(self, modules, sources):
        super().__init__(modules)
        self.sources = sources

    def source(self, module):
        return self.sources.get(module)


def test_a_forbidden_function_fails_the_checks_that_reach_it_with_what_and_why():
    modules = _reference_modules()
    submission = _WithSource(modules, {"softmax": SOFTMAX_BY_SCIPY})
    result = _run("softmax", "random logits, one sample and batches", modules, submission=submission)
    assert result.status == models.FAILED
    assert "sp.softmax" in result.message and "not allowed in softmax.py" in result.message
    assert "write softmax yourself" in result.message


@pytest.mark.parametrize("source, module, tainted", [
    ("from scipy.special import expit\ndef sigmoid(z):\n    return expit(z)\n", "activations", {"sigmoid"}),
    ("from tensorflow import keras\ndef dense_forward(x, W, b, activation='relu'):\n"
     "    return keras.layers.Dense(len(b), activation=activation)(x)\n", "dense_layer", {"dense_forward"}),
    ("import tensorflow as tf\ndef softmax(z, axis=-1):\n    return tf.nn.softmax(z, axis)\n", "softmax",
     {"softmax"}),
    ("import keras\ndef f(z):\n    return keras.activations.softmax(z)\ndef softmax(z, axis=-1):\n    return f(z)\n",
     "softmax", {"f", "softmax"}),
    ("import importlib\ndef softmax(z, axis=-1):\n    return importlib.import_module('scipy.special').softmax(z)\n",
     "softmax", {"softmax"}),
    ("from scipy import special\nsm = special.softmax\ndef softmax(z, axis=-1):\n    return sm(z)\n", "softmax",
     {"*", "softmax"}),
    # allowed: other libraries, tf.nn.leaky_relu in activations, a student's own softmax
    ("import matplotlib.pyplot as plt\nimport sklearn\nimport scipy\nplt.show()\ndef softmax(z, axis=-1):\n"
     "    return scipy.special.expit(z)\n", "softmax", set()),
    ("import tensorflow as tf\ndef leaky_relu(z, alpha=0.01):\n    return tf.nn.leaky_relu(z, alpha=alpha)\n",
     "activations", set()),
    ("from scipy.special import softmax\ndef softmax(z, axis=-1):\n    return z\n", "softmax", set()),
    ("def softmax(z, axis=-1):\n    return z +\n", "softmax", set()),  # a syntax error is for the import
    ("x = " + "-" * 200_000 + "1\n", "softmax", set()),  # the parser gives up: for the import too
    # names computed at run time on a library with forbidden functions (finding 9)
    ("import scipy.special as special\ndef softmax(z, axis=-1):\n    return getattr(special, 'soft' + 'max')(z)\n",
     "softmax", {"softmax"}),
    ("import scipy.special as special\ndef softmax(z, axis=-1):\n    return getattr(special, 'softmax')(z)\n",
     "softmax", {"softmax"}),
    ("from scipy import special\ndef softmax(z, axis=-1):\n    return vars(special)['softmax'](z)\n", "softmax",
     {"softmax"}),
    ("from scipy import special\ndef softmax(z, axis=-1):\n    return special.__dict__['softmax'](z)\n", "softmax",
     {"softmax"}),
    ("from scipy.special import *\ndef softmax(z, axis=-1):\n    return z\n", "softmax", {"*", "softmax"}),
    ("import importlib\ndef softmax(z, axis=-1):\n    return importlib.import_module('scipy.' + 'special').softmax(z)\n",
     "softmax", {"softmax"}),
    # allowed: computed names on a library with nothing forbidden in the exercise
    ("import numpy as np\nfrom numpy import *\ndef softmax(z, axis=-1):\n    e = getattr(np, 'e' + 'xp')(z)\n"
     "    return e / e.sum(axis=axis, keepdims=True)\n", "softmax", set()),
])
def test_the_policy_reads_imports_aliases_and_calls(source, module, tainted):
    assert set(policy.tainted_functions(source, module)) == tainted


HELPERS = {"helpers": "from scipy.special import softmax as normalise\n",
           "chain": "import helpers\ndef go(z):\n    return helpers.normalise(z)\n",
           "clean": "import numpy as np\ndef go(z):\n    return np.exp(z) / np.exp(z).sum()\n",
           "loop": "import loop\nfrom softmax import softmax\n"}


@pytest.mark.parametrize("source, tainted", [
    ("from helpers import normalise\ndef softmax(z, axis=-1):\n    return normalise(z, axis=axis)\n", {"softmax"}),
    ("import chain\ndef softmax(z, axis=-1):\n    return chain.go(z)\n", {"softmax"}),  # through two modules
    ("from clean import go\ndef softmax(z, axis=-1):\n    return go(z)\n", set()),
    ("import loop\ndef softmax(z, axis=-1):\n    return z\n", set()),  # modules that import each other
    ("import importlib\nh = importlib.import_module('/etc/passwd')\n", set()),  # not a module name: never read
])
def test_the_policy_reads_the_submissions_modules_the_exercise_imports(source, tainted):
    """Finding 9: a helper module of the submission is no hiding place for a forbidden function."""
    asked = []
    found = policy.tainted_functions(source, "softmax", read=lambda name: asked.append(name) or
                                     {**HELPERS, "softmax": source}.get(name))
    assert set(found) == tainted
    assert all(name.isidentifier() for name in asked)
    if "softmax" in found:
        assert "helpers.py uses from scipy.special import softmax" in found["softmax"].message("softmax")


def test_the_instructor_can_add_and_lift_policy_entries(tmp_path, monkeypatch):
    path = tmp_path / "policy.json"
    path.write_text('{"softmax": {"numpy.exp": "write e^z by hand", "tensorflow.nn.softmax": null}}')
    monkeypatch.setenv(policy.POLICY_FILE_ENV, str(path))
    rules = policy.load_policy()
    assert "numpy.exp" in rules["softmax"] and "tensorflow.nn.softmax" not in rules["softmax"]
    source = "import numpy as np\ndef softmax(z, axis=-1):\n    return np.exp(z)\n"
    assert set(policy.tainted_functions(source, "softmax")) == {"softmax"}


# ---- 4b. a check that cannot digest the student's answer: the student's failure ---------------------


def _digests_nothing(sub, rng):
    got = sub.call("relu", np.array([-1.0, 2.0]))
    np.stack(got)  # raises on a ragged list, as a careless check would


def test_a_check_that_raises_on_the_students_answer_fails_the_student_not_the_grader():
    """Finding 10.1: the same check, run again in process on the reference, passes: the answer did it."""
    ragged = _reference_modules(activations={"relu": lambda z: [[0.0], [1.0, 2.0]]})
    careless = Check("activations", "a careless check", 1.0, False, _digests_nothing)
    result = run_check(careless, ModuleProxy(InProcessSubmission(ragged), "activations"), np.random.default_rng(0))
    assert result.status == models.FAILED
    assert "relu() returned something the check could not read (ValueError)" in result.message
    assert "Hint:" in result.message


def test_a_check_that_raises_on_the_reference_too_is_a_grader_error(capsys):
    def broken(sub, rng):
        sub.call("relu", np.array([1.0]))
        raise KeyError("a bug in the check")

    check_ = Check("activations", "a broken check", 1.0, True, broken)
    result = run_check(check_, ModuleProxy(InProcessSubmission(_reference_modules()), "activations"),
                       np.random.default_rng(0))
    assert result.status == models.GRADER_ERROR
    assert "a bug in the check" in capsys.readouterr().err


@pytest.mark.parametrize("body", ["return iter(())", "for _ in range(3):\n        yield X[:0], y[:0]"])
def test_mini_batches_that_are_empty_or_missing_fail_cleanly(body):
    namespace = {}
    exec(f"def iterate_minibatches(X, y, batch_size, rng):\n    {body}\n", namespace)
    modules = _reference_modules(gradient_descent={"iterate_minibatches": namespace["iterate_minibatches"]})
    result = _run("gradient_descent", "mini-batches: shuffled by the given generator", modules)
    assert result.status == models.FAILED and "every sample exactly once" in result.message


# ---- 5. one broken module costs only its own points --------------------------------------------------


def test_a_syntax_error_in_softmax_costs_only_softmax(tmp_path):
    folder = submission_with(tmp_path, {"softmax": "def broken(:\n    pass\n"})
    results = runner.grade(folder, tuple(e for e in EXERCISES if e.name in ("softmax", "losses")))
    softmax, losses = results.exercise("softmax"), results.exercise("losses")
    assert softmax.points == 0
    assert losses.points == losses.max_points
    assert "softmax.py could not be used" in losses.checks[0].message
    message = softmax.checks[0].message
    assert len(re.findall(r"line \d+", message)) == 1 and "Hint:" in message and "Python could not read" in message


def test_a_module_saved_under_another_name_gets_a_rename_hint_and_costs_only_itself(tmp_path):
    folder = submission_with(tmp_path, {})
    (folder / "softmax.py").rename(folder / "softmax (1).py")
    results = runner.grade(folder, tuple(e for e in EXERCISES if e.name in ("softmax", "losses")))
    assert "rename 'softmax (1).py' to softmax.py" in results.exercise("softmax").checks[0].message
    assert results.exercise("losses").points == results.exercise("losses").max_points


def test_the_standins_agree_with_the_references():
    from autograder.alternatives.standins import STANDINS

    rng = np.random.default_rng(0)
    for name, source in STANDINS.items():
        namespace: dict = {}
        exec(compile(source, f"standin-{name}", "exec"), namespace)  # noqa: S102 - our own code
        ref = reference(name)
        assert source.strip() not in (solutions_dir() / f"{name}.py").read_text()
        z = rng.normal(0, 3, size=(5, 4))
        y = np.eye(4)[rng.integers(0, 4, size=5)]
        p = reference("softmax").softmax(z)
        if name == "softmax":
            np.testing.assert_allclose(namespace["softmax"](z), ref.softmax(z), rtol=1e-12)
            np.testing.assert_allclose(namespace["softmax"](z, axis=0), ref.softmax(z, axis=0), rtol=1e-12)
        else:
            for func, args in (("quadratic_cost", (y, p)), ("cross_entropy", (y, p)),
                               ("sparse_cross_entropy", (y.argmax(1), p)),
                               ("softmax_cross_entropy_gradient", (z, y)),
                               ("softmax_cross_entropy_gradient", (z[0], y[0]))):
                np.testing.assert_allclose(namespace[func](*args), getattr(ref, func)(*args), rtol=1e-12)


# ---- 6. wrong work that passed -----------------------------------------------------------------------


def test_a_probe_asked_fresh_runs_the_students_code_again():
    calls = []

    def iterate_minibatches(X, y, batch_size, rng):
        calls.append(1)
        yield X, y

    proxy = ModuleProxy(InProcessSubmission({"gradient_descent": {"iterate_minibatches": iterate_minibatches}}),
                        "gradient_descent")
    X, y = np.zeros((3, 2)), np.arange(3)
    proxy.probe("minibatches", X, y, 2, 0)
    proxy.probe("minibatches", X, y, 2, 0)
    assert len(calls) == 1
    proxy.probe("minibatches", X, y, 2, 0, fresh=True)
    assert len(calls) == 2


def test_the_quiz_form_check_fails_an_emptied_questions_dict():
    quiz = reference("quiz")
    answers = {qid: getattr(quiz, qid) for qid in QUESTION_IDS}
    assert tuple(quiz.QUESTIONS) == QUESTION_IDS
    full = _run("quiz", "every answer has the right form", {"quiz": {"QUESTIONS": quiz.QUESTIONS, **answers}})
    emptied = _run("quiz", "every answer has the right form", {"quiz": {"QUESTIONS": {}, **answers}})
    assert full.passed and not emptied.passed and "QUESTIONS" in emptied.message


def test_a_softmax_that_returns_one_over_n_fails_shift_invariance():
    def softmax(z, axis=-1):
        z = np.asarray(z, dtype=float)
        return np.ones_like(z) / z.shape[axis]

    result = _run("softmax", "adding a constant to every logit changes nothing",
                  _reference_modules(softmax={"softmax": softmax}))
    assert not result.passed


def test_a_softmax_that_upcasts_and_skips_the_shift_fails_the_float32_check():
    def softmax(z, axis=-1):
        e = np.exp(np.asarray(z, dtype=np.float64))
        return e / np.sum(e, axis=axis, keepdims=True)

    result = _run("softmax", "float32 logits", _reference_modules(softmax={"softmax": softmax}))
    assert not result.passed


def test_a_mutant_aimed_at_a_check_it_passes_is_reported(monkeypatch):
    from autograder import audit, mutants

    harmless = Variant("quiz/q01_again", "quiz", "answers q01 like the reference", 'q01 = "c"\n', "neurons",
                       "q01 (neurons)")
    monkeypatch.setattr(mutants, "catalog", lambda only: (harmless,))
    report = audit.run_audit(("quiz",))
    assert [o.name for o in report.misaimed] == ["quiz/q01_again"] and not report.ok


# ---- 8. feedback ----------------------------------------------------------------------------------------


class _Printing(InProcessSubmission):
    """A submission whose worker reports what the student's code printed (the "printed" field)."""

    def _send(self, module, request, what):
        from autograder import worker

        response = worker.answer({**request, "module": module}, self.modules.__getitem__)
        return self._checked({**response, "printed": "debug: z = [5. 2.5 0.5]\n" * 100}, what)


def test_what_the_student_printed_is_shown_capped_under_a_failed_visible_check_only():
    broken = _reference_modules(softmax={"softmax": lambda z, axis=-1: np.zeros(np.shape(z))})
    visible = _run("softmax", "the lesson's example [5, 2.5, 0.5]", broken, submission=_Printing(broken))
    assert "Your code printed" in visible.message and "debug: z" in visible.message
    assert len(visible.message) < 1000
    hidden = _run("softmax", "random logits, one sample and batches", broken, submission=_Printing(broken))
    assert "printed" not in hidden.message
    fine = _reference_modules()
    assert not _run("softmax", "the lesson's example [5, 2.5, 0.5]", fine, submission=_Printing(fine)).message


def test_a_missing_return_gets_the_return_hint_not_np_mean():
    result = _run("perceptron", "snack example: weighted sum",
                  _reference_modules(perceptron={"weighted_sum": lambda x, w, b: None}))
    assert "return" in result.message and "np.mean" not in result.message


def test_a_binary_answer_is_shown_as_returned():
    result = _run("perceptron", "snack example: stay on the couch",
                  _reference_modules(perceptron={"perceptron_output": lambda x, w, b: 1}))
    assert "got 1." in result.message and "1.0" not in result.message


LEAK_STANDINS = '''
import base64
from softmax import softmax
from losses import sparse_cross_entropy


def sgd_update(params, grads, learning_rate):
    text = open("softmax.py").read() + open("losses.py").read()
    print("LEAK", text, base64.b64encode(text.encode()).decode())
    raise ValueError("LEAK " + text)
'''


def test_the_standins_never_reach_the_feedback_of_the_exercise_graded_with_them(tmp_path):
    """Attack finding 2: the stand-ins are working code beside the student's; a module graded with them
    must not be able to print or raise them back out (it read them and got 30 points next time)."""
    folder = submission_with(tmp_path, {"softmax": "def broken(:\n", "losses": "def broken(:\n"})
    (folder / "gradient_descent.py").write_text(LEAK_STANDINS, encoding="utf-8")
    results = runner.grade(folder, tuple(e for e in EXERCISES if e.name in ("softmax", "losses", "gradient_descent")))
    checks = results.exercise("gradient_descent").checks
    assert "softmax.py and losses.py could not be used" in checks[0].message  # it was graded with them
    assert any("sgd_update() raised ValueError" in c.message for c in checks if c.visible)
    assert not [c.message for c in checks if "LEAK" in c.message or "_np" in c.message]
    assert not results.grader_errors


def test_a_students_own_message_cannot_ask_for_a_standin(tmp_path):
    """Whether a dependency broke an import is decided on the trusted side, never from the message: a
    losses.py that raises "(softmax.py, line 1)" while softmax.py imports fine gets no working softmax."""
    wrong_softmax = "def softmax(z, axis=-1):\n    return np.zeros_like(np.asarray(z, dtype=float))\n"
    trigger = 'raise ImportError("cannot import name softmax (softmax.py, line 1)")\n'
    folder = submission_with(tmp_path, {"softmax": wrong_softmax, "losses": trigger})
    results = runner.grade(folder, tuple(e for e in EXERCISES if e.name in ("softmax", "losses")))
    losses = results.exercise("losses")
    assert losses.points == 0 and not any("could not be used" in c.message for c in losses.checks)
