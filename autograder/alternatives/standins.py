"""Stand-in modules: working versions of the exercises that other exercises import.

``losses`` imports ``softmax`` and ``gradient_descent`` imports both. When a student's
``softmax.py`` is missing or cannot be imported, their ``losses`` is graded with the
stand-in ``softmax`` below, so one broken module costs only its own points
(:mod:`autograder.dependencies`). These are written apart from the reference solutions
(never their text, which must not reach a worker) and are instructor-side like the
rest of this package; ``tests/test_standins.py`` checks them against the references.
"""

STANDINS = {
    "softmax": '''
import numpy as _np


def softmax(z, axis=-1):
    shifted = _np.asarray(z) - _np.amax(z, axis=axis, keepdims=True)
    weights = _np.exp(shifted)
    return weights / weights.sum(axis=axis, keepdims=True)
''',
    "losses": '''
import numpy as _np


def _rows(a):
    a = _np.asarray(a, dtype=float)
    return a.reshape(1, -1) if a.ndim == 1 else a


def quadratic_cost(y_true, y_pred):
    t, p = _rows(y_true), _rows(y_pred)
    return float(((t - p) ** 2).sum() / (2 * t.shape[0]))


def cross_entropy(y_true, y_pred, eps=1e-7):
    t, p = _rows(y_true), _np.clip(_rows(y_pred), eps, 1 - eps)
    return float(-(t * _np.log(p)).sum() / t.shape[0])


def sparse_cross_entropy(labels, y_pred, eps=1e-7):
    p = _rows(y_pred)
    picked = p[_np.arange(p.shape[0]), _np.atleast_1d(labels).astype(int)]
    return float(-_np.log(_np.clip(picked, eps, 1 - eps)).mean())


def softmax_cross_entropy_gradient(logits, y_true):
    z = _np.asarray(logits, dtype=float)
    e = _np.exp(z - z.max(axis=-1, keepdims=True))
    n = 1 if z.ndim == 1 else z.shape[0]
    return (e / e.sum(axis=-1, keepdims=True) - _np.asarray(y_true, dtype=float)) / n
''',
}
