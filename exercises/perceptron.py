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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError
