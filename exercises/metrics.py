"""How often a classifier is right, and the one-hot targets it learns from.

A classifier with C classes names the class of a sample by an integer label in 0..C-1. The
categorical cross-entropy needs the same label as a one-hot vector y: C entries, a 1 at the
position of the true class and 0 everywhere else. The slides' sample of the second class
(label 1, counting from 0) among four classes is

    y = [0, 1, 0, 0]

The network answers with C scores per sample (probabilities after a softmax). Its predicted
class is the position of the largest score, the argmax. Accuracy is the share of samples whose
predicted class is the true one:

    accuracy = (number of samples with argmax(y_hat) = label) / N

It is what Keras reports as "accuracy" while the digits model trains. It is easy to read but
changes in jumps (one sample more or less is right), so training minimises a smooth loss such
as the cross-entropy and reports the accuracy beside it. 1 - accuracy is the error rate.

Shapes: N samples, C classes. Labels have shape (N,), one-hot targets and scores (N, C).
"""

import numpy as np


def one_hot(labels, n_classes):
    """One-hot targets from integer class labels.

    Row i of the result is all zeros except a 1 in column labels[i].

    Inputs:
    - labels: integer class labels, shape (N,), each in 0..C-1.
    - n_classes: C, the number of classes (a positive int); a class no label uses still gets
      its column.

    Returns:
    - y: float array of shape (N, C) with exactly one 1 per row.

    Raises:
    - ValueError if a label is below 0 or above C - 1 (NumPy's indexing would wrap -1 round to
      the last column without a word).

    Example: one_hot([1, 0, 3], 4) = [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]. The first row
    is the slides' target y = [0, 1, 0, 0]. The inputs are left unchanged.
    """
    labels = np.asarray(labels)
    # YOUR CODE HERE
    raise NotImplementedError


def accuracy(probabilities, labels):
    """Share of the samples whose largest score is at the position of their label.

    The predicted class of row i is argmax_j probabilities[i, j] (of equal scores, the first,
    as np.argmax picks). Raw scores (logits) give the same predictions as their softmax.

    Inputs:
    - probabilities: class probabilities or scores, shape (N, C), N >= 1.
    - labels: true class labels, integers in 0..C-1, shape (N,).

    Returns:
    - acc: a Python float in [0, 1], the number of right predictions divided by N.

    Example: probabilities = [[0.1, 0.8, 0.07, 0.03], [0.5, 0.25, 0.125, 0.125],
    [0.2, 0.2, 0.5, 0.1], [0.05, 0.05, 0.1, 0.8]] with labels = [1, 0, 3, 3]: the predicted
    classes are [1, 0, 2, 3], three of four are right, accuracy = 0.75. The inputs are left
    unchanged.
    """
    probabilities = np.asarray(probabilities, dtype=float)
    labels = np.asarray(labels)
    # YOUR CODE HERE
    raise NotImplementedError
