"""Softmax: turn the scores (logits) of the output layer into class probabilities.

    softmax(z)_i = e^(z_i) / sum_j e^(z_j)

Every output lies in (0, 1) and the outputs sum to 1, so they read as the probability of
each class. Example: softmax([5, 2.5, 0.5]) = [0.9148, 0.0751, 0.0102].

Shapes: C is the number of classes, N the number of samples.
"""

import numpy as np


def softmax(z, axis=-1):
    """Softmax of z along `axis`, numerically stable.

    e^1000 overflows, so subtract the largest logit first: softmax(z) = softmax(z - max(z)),
    because the common factor e^(-max(z)) cancels between numerator and denominator.
    Then every exponent is <= 0 and the largest term is e^0 = 1.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: logits, shape (C,) for one sample or (N, C) for a batch (any shape works).
    - axis: the axis that holds the classes; every slice along it sums to 1.

    Returns:
    - p: probabilities, same shape as z.

    Example: softmax([1000, 1001]) = [0.2689, 0.7311].
    """
    z = np.asarray(z)
    ### BEGIN SOLUTION
    shifted = z - np.max(z, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):  # e^(very negative) rounds to 0: that is the right value
        exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)
    ### END SOLUTION


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "no_max_shift": {
        "mistake": "softmax without subtracting the maximum: e^1000 overflows, inf / inf = nan",
        "patch": {"shifted = z - np.max(z, axis=axis, keepdims=True)": "shifted = z"},
        "feedback names": "maximum",
        "caught by": "the docstring's example [1000, 1001]",
    },
    "wrong_axis": {
        "mistake": "softmax normalised over axis 0 (the samples) instead of the classes",
        "patch": {
            "shifted = z - np.max(z, axis=axis, keepdims=True)": "shifted = z - np.max(z, axis=0, keepdims=True)",
            "np.sum(exp, axis=axis, keepdims=True)": "np.sum(exp, axis=0, keepdims=True)",
        },
        "feedback names": "axis",
        "caught by": "random logits, one sample and batches",
    },
    "axis_ignored": {
        "mistake": "softmax always normalises the last axis, whatever axis is given",
        "patch": {
            "shifted = z - np.max(z, axis=axis, keepdims=True)": "shifted = z - np.max(z, axis=-1, keepdims=True)",
            "np.sum(exp, axis=axis, keepdims=True)": "np.sum(exp, axis=-1, keepdims=True)",
        },
        "feedback names": "axis",
        "caught by": "the axis argument",
    },
    "global_max_shift": {
        "mistake": "softmax subtracts the maximum of the whole batch, so rows far below it become 0 / 0",
        "patch": {"np.max(z, axis=axis, keepdims=True)": "np.max(z)"},
        "feedback names": "along the axis",
    },
    "no_keepdims": {
        "mistake": "the sum drops the class axis (no keepdims), so a batch cannot be divided by it",
        "patch": {"np.sum(exp, axis=axis, keepdims=True)": "np.sum(exp, axis=axis)"},
        "feedback names": "keepdims",
    },
    "overwrites_input": {
        "mistake": "softmax works in place on the caller's logits (z -= max, exp with out=z)",
        "patch": {
            "shifted = z - np.max(z, axis=axis, keepdims=True)": "z -= np.max(z, axis=axis, keepdims=True)\n    shifted = z",
            "exp = np.exp(shifted)": "exp = np.exp(shifted, out=shifted)",
        },
        "feedback names": "copy",
        "caught by": "the logits are not modified",
    },
    "row_min_shift": {
        "mistake": "softmax subtracts each row's minimum instead of its maximum: [0, 1000] gives [0, nan]",
        "patch": {"np.max(z, axis=axis": "np.min(z, axis=axis"},
        "feedback names": "maximum",
        "caught by": "large logits stay finite",
    },
    "uniform": {
        "mistake": "softmax returns 1/n everywhere (the exponentials forgotten): rows sum to 1 but carry nothing",
        "code": '''
            def softmax(z, axis=-1):
                z = np.asarray(z, dtype=float)
                return np.ones_like(z) / z.shape[axis]
        ''',
        "feedback names": "exponentiate",
        "caught by": "the lesson's example [5, 2.5, 0.5]",
    },
    "float64_no_shift": {
        "mistake": "softmax upcasts to float64 and skips the shift: float32 logits above 709 overflow",
        "patch": {"shifted = z - np.max(z, axis=axis, keepdims=True)": "shifted = z.astype(np.float64)"},
        "feedback names": "maximum",
        "caught by": "float32 logits",
    },
    "abs_max_shift": {
        "mistake": "softmax subtracts the largest |z| instead of the largest z: all-negative rows underflow to 0/0",
        "patch": {"np.max(z, axis=axis, keepdims=True)": "np.max(np.abs(z), axis=axis, keepdims=True)"},
        "feedback names": "maximum",
        "caught by": "very negative logits stay finite",
    },
    "clipped_exponent": {
        "mistake": "softmax clips the logits into [-700, 700] instead of shifting them: large rows flatten",
        "patch": {
            "shifted = z - np.max(z, axis=axis, keepdims=True)": "shifted = np.clip(z.astype(float), -700, 700)",
        },
        "feedback names": "maximum",
        "caught by": "adding a constant to every logit changes nothing",
    },
    "sum_over_everything": {
        "mistake": "softmax divides by the sum of the whole batch, not of each row",
        "patch": {"np.sum(exp, axis=axis, keepdims=True)": "np.sum(exp)"},
        "feedback names": "keepdims",
        "caught by": "each row of a batch sums to 1",
    },
}

ALTERNATIVES = {
    "log_sum_exp": {
        "differs": "exp(z - logsumexp(z)), the log-sum-exp written out",
        "code": '''
            def softmax(z, axis=-1):
                z = np.asarray(z)
                m = np.max(z, axis=axis, keepdims=True)
                log_norm = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
                return np.exp(z - log_norm)
        ''',
    },
    "moveaxis_private_copy": {
        "differs": "moves the class axis last and works in place on a private float copy",
        "code": '''
            def softmax(z, axis=-1):
                z = np.asarray(z)
                dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
                p = np.moveaxis(np.array(z, dtype=dtype, copy=True), axis, -1)
                p -= p.max(axis=-1)[..., None]
                np.exp(p, out=p)
                p /= p.sum(axis=-1)[..., None]
                return np.moveaxis(p, -1, axis)
        ''',
    },
}
