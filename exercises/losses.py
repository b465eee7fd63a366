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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError
