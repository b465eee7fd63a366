"""A few classic mistakes lose points in their own exercise and nowhere else.

(The full mutant catalog and `nn101 audit` check this at scale; these are the
smoke tests of the foundation.)
"""

import pytest

from conftest import submission_with
from autograder import runner
from autograder.exercises import EXERCISES

NUMPY_EXERCISES = tuple(e for e in EXERCISES if e.kind == "numpy")

WRONG = {
    "softmax without the max shift": ("softmax", """
def softmax(z, axis=-1):
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
"""),
    "SGD step with + instead of -": ("gradient_descent", """
def sgd_update(params, grads, learning_rate):
    return {k: params[k] + learning_rate * grads[k] for k in params}
"""),
    "cross-entropy without the minus sign": ("losses", """
def cross_entropy(y_true, y_pred, eps=1e-7):
    y_pred = np.clip(y_pred, eps, 1 - eps)
    return float(np.sum(y_true * np.log(y_pred)) / np.atleast_2d(y_true).shape[0])
"""),
    "perceptron that fires at z = 0": ("perceptron", """
def perceptron_output(x, w, b):
    z = weighted_sum(x, w, b)
    return int(z >= 0) if np.ndim(z) == 0 else (z >= 0).astype(int)
"""),
}


@pytest.mark.parametrize("mistake", sorted(WRONG))
def test_a_known_mistake_loses_points_in_its_own_exercise_only(tmp_path, mistake):
    module, code = WRONG[mistake]
    results = runner.grade(submission_with(tmp_path, {module: code}), NUMPY_EXERCISES)
    for exercise in results.exercises:
        if exercise.name == module:
            assert exercise.points < exercise.max_points, mistake
            assert all(c.status == "failed" for c in exercise.failed)
        else:
            assert exercise.points == exercise.max_points, (mistake, exercise.name, exercise.failed)
