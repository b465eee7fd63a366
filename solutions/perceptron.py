"""The perceptron: a weighted sum of the inputs plus a bias, followed by a step.

A perceptron with weights w and bias b turns an input vector x into

    z = w · x + b                      (the weighted sum)
    output = 1 if z > 0, otherwise 0   (the step)

Shapes: D is the number of inputs of one sample, N the number of samples in a batch.
A 1-D x of shape (D,) is one sample; a 2-D x of shape (N, D) is a batch, one sample per row.
"""

import numpy as np


def weighted_sum(x, w, b):
    """Weighted sum of the inputs plus the bias, z = w · x + b.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - x: inputs, shape (D,) for one sample or (N, D) for a batch.
    - w: weights, shape (D,).
    - b: bias, a number.

    Returns:
    - z: a Python float for one sample, or an array of shape (N,) for a batch.
    """
    x = np.asarray(x)
    w = np.asarray(w)
    ### BEGIN SOLUTION
    z = x @ w + b
    if np.ndim(z) == 0:
        return float(z)
    return z
    ### END SOLUTION


def perceptron_output(x, w, b):
    """Output of a perceptron: 1 if w · x + b > 0, otherwise 0 (so z == 0 gives 0).

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - x: inputs, shape (D,) for one sample or (N, D) for a batch.
    - w: weights, shape (D,).
    - b: bias, a number.

    Returns:
    - output: a Python int (0 or 1) for one sample, or an int array of shape (N,) for a batch.

    Example (the snack example): w = (4, 1), x = (-1, 2), b = 1 gives z = -1, so the output is 0.
    """
    ### BEGIN SOLUTION
    z = weighted_sum(x, w, b)
    if np.ndim(z) == 0:
        return int(z > 0)
    return (z > 0).astype(int)
    ### END SOLUTION


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "fires_at_zero": {
        "mistake": "the step uses z >= 0, so z == 0 outputs 1 instead of 0",
        "patch": {
            "        return int(z > 0)\n    return (z > 0).astype(int)\n":
                "        return int(z >= 0)\n    return (z >= 0).astype(int)\n",
        },
        "feedback names": "z == 0",
        "caught by": "output is 0 exactly at the threshold z = 0",
    },
    "bias_ignored": {
        "mistake": "the weighted sum forgets the bias b",
        "patch": {"z = x @ w + b": "z = x @ w"},
        "feedback names": "bias",
        "caught by": "snack example: weighted sum",
    },
    "bias_subtracted": {
        "mistake": "the bias is subtracted (threshold form w·x > b mixed up with w·x + b)",
        "patch": {"z = x @ w + b": "z = x @ w - b"},
        "feedback names": "bias",
    },
    "batch_summed": {
        "mistake": "np.sum(x * w) sums over the whole batch, giving one number for n samples",
        "patch": {"z = x @ w + b": "z = np.sum(x * w) + b"},
        "feedback names": "row",
        "caught by": "weighted sum of a batch",
    },
    "sign_output": {
        "mistake": "the output is np.sign(z) (-1, 0 or 1) instead of 0 or 1",
        "patch": {
            "        return int(z > 0)\n    return (z > 0).astype(int)":
                "        return int(np.sign(z))\n    return np.sign(z).astype(int)",
        },
        "feedback names": "0 or 1",
        "caught by": "snack example: stay on the couch",
    },
    "returns_z": {
        "mistake": "the step is forgotten: the output is the weighted sum itself",
        "patch": {
            "        return int(z > 0)\n    return (z > 0).astype(int)":
                "        return z\n    return z",
        },
        "feedback names": "0 or 1",
        "caught by": "outputs of random batches",
    },
    "product_in_place": {
        "mistake": "the weighted sum multiplies the caller's x by w in place (x *= w) before summing",
        "patch": {"z = x @ w + b": "x *= w\n    z = np.sum(x, axis=-1) + b"},
        "feedback names": "copy",
        "caught by": "inputs are not modified",
    },
    "int_truncation": {
        "mistake": "the weighted sum converts x and w to integers first: 0.7 becomes 0",
        "patch": {
            "    x = np.asarray(x)\n    w = np.asarray(w)\n    ### BEGIN SOLUTION\n    z = x @ w + b":
                "    x = np.asarray(x)\n    w = np.asarray(w)\n    ### BEGIN SOLUTION\n    z = x.astype(int) @ w.astype(int) + b",
        },
        "feedback names": "integer",
        "caught by": "weighted sum of one sample",
    },
    "lists_not_converted": {
        "mistake": "the weighted sum multiplies Python lists without np.asarray",
        "code": '''
            def weighted_sum(x, w, b):
                if isinstance(x, list):
                    return sum(xi * wi for xi, wi in zip(x, w)) + b
                x, w = np.asarray(x), np.asarray(w)
                z = x @ w + b
                return float(z) if np.ndim(z) == 0 else z
        ''',
        "feedback names": "np.asarray",
        "caught by": "weighted sum accepts Python lists",
    },
    "one_sample_array": {
        "mistake": "one sample gives an array [1] instead of the number 1",
        "patch": {"    if np.ndim(z) == 0:\n        return int(z > 0)\n": "    z = np.atleast_1d(z)\n"},
        "feedback names": "one number",
        "caught by": "one sample gives a single 0 or 1",
    },
    "batch_first_row_only": {
        "mistake": "a batch of samples gives the output of the first row only",
        "patch": {"    return (z > 0).astype(int)\n": "    return int(np.ravel(z)[0] > 0)\n"},
        "feedback names": "row",
        "caught by": "a batch computes the NAND gate",
    },
}

ALTERNATIVES = {
    "dot_and_heaviside": {
        "differs": "np.dot for the sum (a NumPy scalar for one sample); np.heaviside step giving floats",
        "code": '''
            def weighted_sum(x, w, b):
                return np.dot(np.asarray(x), np.asarray(w)) + b

            def perceptron_output(x, w, b):
                return np.heaviside(weighted_sum(x, w, b), 0.0)
        ''',
    },
    "lists_and_bools": {
        "differs": "converts Python lists itself, sums with einsum, returns booleans",
        "code": '''
            def weighted_sum(x, w, b):
                x = np.array(x, dtype=np.result_type(np.asarray(x), np.asarray(w), 1.0))
                z = np.einsum("...d,d->...", x, np.asarray(w, dtype=x.dtype)) + b
                return z.item() if z.ndim == 0 else z

            def perceptron_output(x, w, b):
                return weighted_sum(x, w, b) > 0
        ''',
    },
    "row_loop": {
        "differs": "a Python loop over the samples of a batch; np.where for the step",
        "code": '''
            def weighted_sum(x, w, b):
                x = np.asarray(x, dtype=float)
                w = np.asarray(w, dtype=float)
                if x.ndim == 1:
                    return float(sum(xi * wi for xi, wi in zip(x, w)) + b)
                return np.array([weighted_sum(row, w, b) for row in x])

            def perceptron_output(x, w, b):
                return np.where(np.asarray(weighted_sum(x, w, b)) > 0, 1, 0)
        ''',
    },
}
