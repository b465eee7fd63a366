"""Loss functions: how far the predictions are from the true targets.

Accuracy jumps in steps (a prediction is either right or wrong), so training minimises a
smooth loss instead. With n training samples, true targets y and predictions y_hat:

    quadratic cost  L = 1/(2n) * sum_x ||y - y_hat||^2
    cross-entropy   L = -1/n * sum_x y · ln(y_hat)      (y one-hot, y_hat from a softmax)

Example: y = [0, 1, 0, 0], y_hat = [0.1, 0.8, 0.07, 0.03] gives a cross-entropy of
-ln(0.8) = 0.2231.

Shapes: N samples, C classes (or outputs). A 1-D array of shape (C,) is one sample (n = 1);
a 2-D array of shape (N, C) holds one sample per row.
"""

import numpy as np
from softmax import softmax


def quadratic_cost(y_true, y_pred):
    """Quadratic cost (half the mean squared error), L = 1/(2n) * sum ||y - y_hat||^2.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - y_true: targets, shape (C,) or (N, C).
    - y_pred: predictions, same shape as y_true.

    Returns:
    - loss: a Python float.
    """
    y_true = np.atleast_2d(y_true)
    y_pred = np.atleast_2d(y_pred)
    ### BEGIN SOLUTION
    n = y_pred.shape[0]
    return float(np.sum((y_true - y_pred) ** 2) / (2 * n))
    ### END SOLUTION


def cross_entropy(y_true, y_pred, eps=1e-7):
    """Cross-entropy for one-hot targets, L = -1/n * sum y · ln(clip(y_hat, eps, 1 - eps)).

    Clipping keeps ln away from ln(0) = -inf when a predicted probability is exactly 0.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - y_true: one-hot targets, shape (C,) or (N, C).
    - y_pred: predicted probabilities, same shape as y_true.
    - eps: small positive number for the clipping.

    Returns:
    - loss: a Python float.
    """
    y_true = np.atleast_2d(y_true)
    y_pred = np.atleast_2d(y_pred)
    ### BEGIN SOLUTION
    n = y_pred.shape[0]
    y_pred = np.clip(y_pred, eps, 1 - eps)
    return float(-np.sum(y_true * np.log(y_pred)) / n)
    ### END SOLUTION


def sparse_cross_entropy(labels, y_pred, eps=1e-7):
    """Cross-entropy for integer class labels instead of one-hot vectors.

    Only the true class contributes to y · ln(y_hat), so L = -1/n * sum_i ln(y_hat[i, labels[i]]),
    with y_hat clipped to [eps, 1 - eps] as in cross_entropy.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - labels: true classes, ints in [0, C), shape (N,); or a single int for a 1-D y_pred.
    - y_pred: predicted probabilities, shape (N, C), or (C,) for one sample.
    - eps: small positive number for the clipping.

    Returns:
    - loss: a Python float.
    """
    labels = np.atleast_1d(labels)
    y_pred = np.atleast_2d(y_pred)
    ### BEGIN SOLUTION
    n = y_pred.shape[0]
    p_true = y_pred[np.arange(n), labels]
    p_true = np.clip(p_true, eps, 1 - eps)
    return float(-np.sum(np.log(p_true)) / n)
    ### END SOLUTION


def softmax_cross_entropy_gradient(logits, y_true):
    """Gradient of cross_entropy(y_true, softmax(logits)) with respect to the logits.

    Softmax followed by cross-entropy has a simple derivative: dL/dz = (softmax(z) - y) / n.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - logits: scores z before the softmax, shape (C,) or (N, C).
    - y_true: one-hot targets, same shape as logits.

    Returns:
    - dz: gradient, same shape as logits.
    """
    logits = np.asarray(logits)
    y_true = np.asarray(y_true)
    ### BEGIN SOLUTION
    n = 1 if logits.ndim == 1 else logits.shape[0]
    return (softmax(logits) - y_true) / n
    ### END SOLUTION


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "quadratic_no_half": {
        "mistake": "quadratic cost without the ½: divided by n instead of 2n",
        "patch": {
            "    n = y_pred.shape[0]\n    return float(np.sum((y_true - y_pred) ** 2) / (2 * n))\n":
                "    return float(np.sum((y_true - y_pred) ** 2) / y_pred.shape[0])\n",
        },
        "feedback names": "2n",
        "caught by": "quadratic cost of the lesson's example",
    },
    "quadratic_mean_all": {
        "mistake": "quadratic cost with np.mean over every entry: divided by n·C instead of n",
        "patch": {
            "    n = y_pred.shape[0]\n    return float(np.sum((y_true - y_pred) ** 2) / (2 * n))\n":
                "    return float(np.mean((y_true - y_pred) ** 2) / 2)\n",
        },
        "feedback names": "samples",
    },
    "ce_mean_over_classes": {
        "mistake": "cross-entropy averaged over every entry (samples and classes) instead of samples",
        "patch": {
            "    return float(-np.sum(y_true * np.log(y_pred)) / n)\n":
                "    return float(-np.mean(y_true * np.log(y_pred)))\n",
        },
        "feedback names": "samples",
    },
    "ce_summed": {
        "mistake": "cross-entropy summed over the batch, not averaged",
        "patch": {
            "    return float(-np.sum(y_true * np.log(y_pred)) / n)\n":
                "    return float(-np.sum(y_true * np.log(y_pred)))\n",
        },
        "feedback names": "average",
    },
    "ce_no_minus": {
        "mistake": "cross-entropy without the minus sign: a negative loss",
        "patch": {
            "    return float(-np.sum(y_true * np.log(y_pred)) / n)\n":
                "    return float(np.sum(y_true * np.log(y_pred)) / n)\n",
        },
        "feedback names": "minus",
    },
    "ce_log10": {
        "mistake": "cross-entropy with log10 instead of the natural log",
        "patch": {
            "    return float(-np.sum(y_true * np.log(y_pred)) / n)\n":
                "    return float(-np.sum(y_true * np.log10(y_pred)) / n)\n",
        },
        "feedback names": "natural log",
    },
    "ce_no_clip": {
        "mistake": "cross-entropy without clipping: ln(0) = -inf, and 0·(-inf) = nan",
        "patch": {
            "    y_pred = np.clip(y_pred, eps, 1 - eps)\n    return float(-np.sum(y_true":
                "    return float(-np.sum(y_true",
        },
        "feedback names": "clip",
        "caught by": "cross-entropy with probabilities of exactly 0 and 1",
    },
    "ce_fixed_eps": {
        "mistake": "cross-entropy clips with a hard-coded 1e-7 and ignores the eps argument",
        "patch": {
            "    y_pred = np.clip(y_pred, eps, 1 - eps)\n    return float(-np.sum(y_true":
                "    y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)\n    return float(-np.sum(y_true",
        },
        "feedback names": "eps",
    },
    "ce_clip_in_place": {
        "mistake": "cross-entropy clips the caller's predictions in place (np.clip with out=y_pred)",
        "patch": {
            "    y_pred = np.clip(y_pred, eps, 1 - eps)\n    return float(-np.sum(y_true":
                "    np.clip(y_pred, eps, 1 - eps, out=y_pred)\n    return float(-np.sum(y_true",
        },
        "feedback names": "copy",
    },
    "sparse_all_labels": {
        "mistake": "sparse cross-entropy indexed as y_pred[:, labels]: every row gets every label",
        "patch": {"p_true = y_pred[np.arange(n), labels]": "p_true = y_pred[:, labels]"},
        "feedback names": "np.arange(n)",
        "caught by": "sparse cross-entropy of a small batch",
    },
    "sparse_no_clip": {
        "mistake": "sparse cross-entropy without clipping: ln(0) = -inf for a zero probability",
        "patch": {"    p_true = np.clip(p_true, eps, 1 - eps)\n": ""},
        "feedback names": "clip",
    },
    "gradient_not_divided": {
        "mistake": "the softmax cross-entropy gradient not divided by the number of samples n",
        "patch": {
            "    n = 1 if logits.ndim == 1 else logits.shape[0]\n    return (softmax(logits) - y_true) / n\n":
                "    return softmax(logits) - y_true\n",
        },
        "feedback names": "number of samples",
    },
    "gradient_sign": {
        "mistake": "the gradient as (y - softmax(logits)) / n: the sign flipped",
        "patch": {
            "    return (softmax(logits) - y_true) / n\n": "    return (y_true - softmax(logits)) / n\n",
        },
        "feedback names": "softmax(logits) - y",
    },
    "gradient_n_from_shape": {
        "mistake": "n = logits.shape[0] also for one 1-D sample, so it divides by the classes",
        "patch": {
            "    n = 1 if logits.ndim == 1 else logits.shape[0]\n    return (softmax(logits) - y_true) / n\n":
                "    return (softmax(logits) - y_true) / logits.shape[0]\n",
        },
        "feedback names": "1-D",
    },
    "sparse_fixed_eps": {
        "mistake": "sparse cross-entropy clips with a hard-coded 1e-7 and ignores its eps argument",
        "patch": {"p_true = np.clip(p_true, eps, 1 - eps)": "p_true = np.clip(p_true, 1e-7, 1 - 1e-7)"},
        "feedback names": "eps",
        "caught by": "sparse cross-entropy of one sample and of zeros",
    },
    "sparse_argmax": {
        "mistake": "sparse cross-entropy takes each row's largest probability instead of its label's",
        "patch": {"p_true = y_pred[np.arange(n), labels]": "p_true = y_pred.max(axis=1)"},
        "feedback names": "label",
        "caught by": "sparse cross-entropy of random batches",
    },
    "sparse_clip_in_place": {
        "mistake": "sparse cross-entropy clips the caller's predictions in place (np.clip with out=)",
        "patch": {
            "    p_true = y_pred[np.arange(n), labels]\n":
                "    np.clip(y_pred, eps, 1 - eps, out=y_pred)\n    p_true = y_pred[np.arange(n), labels]\n",
        },
        "feedback names": "copy",
        "caught by": "inputs are not modified",
    },
    "gradient_no_softmax": {
        "mistake": "the gradient uses the logits themselves instead of softmax(logits): (z - y) / n",
        "patch": {"return (softmax(logits) - y_true) / n": "return (logits - y_true) / n"},
        "feedback names": "softmax",
        "caught by": "gradient of softmax cross-entropy",
    },
    "quadratic_abs": {
        "mistake": "the quadratic cost with |y - ŷ| instead of the square",
        "patch": {"np.sum((y_true - y_pred) ** 2)": "np.sum(np.abs(y_true - y_pred))"},
        "feedback names": "square",
        "caught by": "quadratic cost of random batches",
    },
    "ce_plus_eps": {
        "mistake": "cross-entropy as ln(ŷ + 0.1): a large constant added inside the log",
        "patch": {
            "y_pred = np.clip(y_pred, eps, 1 - eps)\n    return float(-np.sum(y_true * np.log(y_pred)) / n)":
                "return float(-np.sum(y_true * np.log(y_pred + 0.1)) / n)",
        },
        "feedback names": "clip",
        "caught by": "cross-entropy of random batches",
    },
    "ce_lesson_log2": {
        "mistake": "cross-entropy with log base 2",
        "patch": {"np.sum(y_true * np.log(y_pred))": "np.sum(y_true * np.log2(y_pred))"},
        "feedback names": "natural log",
        "caught by": "cross-entropy of the lesson's example",
    },
}

ALTERNATIVES = {
    "row_means": {
        "differs": "per-sample losses first, then np.mean; take_along_axis for the sparse case",
        "code": '''
            def quadratic_cost(y_true, y_pred):
                y_true = np.atleast_2d(y_true)
                y_pred = np.atleast_2d(y_pred)
                return 0.5 * np.mean(np.sum(np.square(y_true - y_pred), axis=1))

            def cross_entropy(y_true, y_pred, eps=1e-7):
                y_true = np.atleast_2d(y_true)
                y_pred = np.atleast_2d(y_pred)
                return np.mean(-np.sum(y_true * np.log(np.clip(y_pred, eps, 1 - eps)), axis=1))

            def sparse_cross_entropy(labels, y_pred, eps=1e-7):
                labels = np.atleast_1d(labels)
                y_pred = np.atleast_2d(y_pred)
                picked = np.take_along_axis(y_pred, labels.reshape(-1, 1), axis=1)
                return -np.mean(np.log(np.clip(picked, eps, 1 - eps)))

            def softmax_cross_entropy_gradient(logits, y_true):
                logits = np.asarray(logits)
                y_true = np.asarray(y_true)
                e = np.exp(logits - logits.max(axis=-1, keepdims=True))
                p = e / e.sum(axis=-1, keepdims=True)
                return (p - y_true) / len(np.atleast_2d(logits))
        ''',
    },
    "loops_and_lower_clip": {
        "differs": "Python loops over the samples, clipping only below (np.maximum), one-hot reuse",
        "code": '''
            import math

            def quadratic_cost(y_true, y_pred):
                y_true = np.atleast_2d(y_true).tolist()
                y_pred = np.atleast_2d(y_pred).tolist()
                total = sum((a - b) ** 2 for row_t, row_p in zip(y_true, y_pred) for a, b in zip(row_t, row_p))
                return total / (2 * len(y_true))

            def cross_entropy(y_true, y_pred, eps=1e-7):
                y_true = np.atleast_2d(y_true)
                y_pred = np.maximum(np.atleast_2d(y_pred), eps)
                total = 0.0
                for row_t, row_p in zip(y_true, y_pred):
                    total -= sum(t * math.log(p) for t, p in zip(row_t, row_p) if t != 0)
                return total / len(y_true)

            def sparse_cross_entropy(labels, y_pred, eps=1e-7):
                y_pred = np.atleast_2d(y_pred)
                labels = np.atleast_1d(labels)
                return cross_entropy(np.eye(y_pred.shape[1])[labels], y_pred, eps)

            def softmax_cross_entropy_gradient(logits, y_true):
                logits = np.atleast_2d(logits)
                grad = (softmax(logits) - np.atleast_2d(y_true)) / logits.shape[0]
                return grad.reshape(np.shape(y_true))
        ''',
    },
    "eps_added": {
        "differs": "ln(ŷ + eps) instead of clipping; einsum sums; NumPy scalars returned",
        "code": '''
            def cross_entropy(y_true, y_pred, eps=1e-7):
                y_true = np.atleast_2d(y_true)
                y_pred = np.atleast_2d(y_pred)
                return -np.einsum("nc,nc->", y_true, np.log(y_pred + eps)) / len(y_pred)

            def sparse_cross_entropy(labels, y_pred, eps=1e-7):
                labels = np.atleast_1d(labels)
                y_pred = np.atleast_2d(y_pred)
                return float(-np.mean(np.log(y_pred[np.arange(len(y_pred)), labels] + eps)))

            def quadratic_cost(y_true, y_pred):
                diff = np.atleast_2d(y_pred) - np.atleast_2d(y_true)
                return np.einsum("nc,nc->", diff, diff) / (2 * len(diff))
        ''',
    },
}
