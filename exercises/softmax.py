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
    # YOUR CODE HERE
    raise NotImplementedError
