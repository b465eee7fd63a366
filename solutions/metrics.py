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
    ### BEGIN SOLUTION
    if np.any(labels < 0) or np.any(labels >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1} for {n_classes} classes")
    y = np.zeros((labels.shape[0], n_classes))
    y[np.arange(labels.shape[0]), labels] = 1.0
    return y
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    predicted = np.argmax(probabilities, axis=1)
    return float(np.mean(predicted == labels))
    ### END SOLUTION


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "label_off_by_one": {
        "mistake": "labels counted from 1: the 1 goes one column to the left",
        "patch": {"np.arange(labels.shape[0]), labels] = 1.0": "np.arange(labels.shape[0]), labels - 1] = 1.0"},
        "feedback names": "column",
        "caught by": "docstring example: one_hot([1, 0, 3], 4)",
    },
    "one_hot_transposed": {
        "mistake": "the one-hot array built as (C, N): one column per sample",
        "patch": {"    return y\n": "    return y.T\n"},
        "feedback names": "shape",
        "caught by": "one-hot of random labels",
    },
    "one_hot_integers": {
        "mistake": "the one-hot array holds integers, not floats",
        "patch": {"y = np.zeros((labels.shape[0], n_classes))": "y = np.zeros((labels.shape[0], n_classes), dtype=int)"},
        "feedback names": "float",
        "caught by": "one-hot of random labels",
    },
    "classes_from_labels": {
        "mistake": "the number of columns taken from the largest label, not from n_classes",
        "patch": {"y = np.zeros((labels.shape[0], n_classes))": "y = np.zeros((labels.shape[0], labels.max() + 1))"},
        "feedback names": "n_classes",
        "caught by": "a class no label uses still gets its column",
    },
    "no_range_check": {
        "mistake": "labels are never checked: -1 lands in the last column, C raises IndexError",
        "patch": {"    if np.any(labels < 0) or np.any(labels >= n_classes):\n        raise ValueError(": "    if False:\n        raise ValueError("},
        "feedback names": "ValueError",
        "caught by": "a label outside 0..n_classes-1 raises ValueError",
    },
    "negative_label_accepted": {
        "mistake": "only labels above C - 1 are refused: -1 wraps round to the last column",
        "patch": {"np.any(labels < 0) or np.any(labels >= n_classes)": "np.any(labels >= n_classes)"},
        "feedback names": "ValueError",
        "caught by": "a label outside 0..n_classes-1 raises ValueError",
    },
    "argmax_over_samples": {
        "mistake": "argmax along axis 0: the best sample per class instead of the best class per sample",
        "patch": {"np.argmax(probabilities, axis=1)": "np.argmax(probabilities, axis=0)"},
        "feedback names": "axis=1",
        "caught by": "accuracy of random batches",
    },
    "count_not_fraction": {
        "mistake": "the number of right predictions, not divided by N",
        "patch": {"np.mean(predicted == labels)": "np.sum(predicted == labels)"},
        "feedback names": "divide",
        "caught by": "docstring example: accuracy of four samples",
    },
    "error_rate": {
        "mistake": "1 - accuracy, the error rate, returned instead of the accuracy",
        "patch": {"float(np.mean(predicted == labels))": "float(1 - np.mean(predicted == labels))"},
        "feedback names": "right",
        "caught by": "accuracy of random batches",
    },
    "probability_above_half": {
        "mistake": "a sample counted right when its label's probability is above 0.5, not when it is the largest",
        "patch": {"predicted = np.argmax(probabilities, axis=1)\n    return float(np.mean(predicted == labels))":
                  "n = probabilities.shape[0]\n    return float(np.mean(probabilities[np.arange(n), labels] > 0.5))"},
        "feedback names": "largest",
        "caught by": "the largest score wins, whatever its size",
    },
    "max_in_place": {
        "mistake": "the row maximum subtracted in place (as for a stable softmax): the caller's scores change",
        "patch": {"predicted = np.argmax(probabilities, axis=1)":
                  "probabilities -= probabilities.max(axis=1, keepdims=True)\n    predicted = np.argmax(probabilities, axis=1)"},
        "feedback names": "copy",
        "caught by": "the inputs are left unchanged",
    },
}

ALTERNATIVES = {
    "eye_rows": {
        "differs": "rows of an identity matrix for the one-hot array, count_nonzero / N for the accuracy",
        "patch": {
            "y = np.zeros((labels.shape[0], n_classes))\n    y[np.arange(labels.shape[0]), labels] = 1.0\n    return y":
                "return np.eye(n_classes)[labels]",
            "return float(np.mean(predicted == labels))": "return np.count_nonzero(predicted == labels) / len(labels)",
        },
    },
    "loops": {
        "differs": "Python loops: one row at a time, max with a key for the argmax",
        "code": '''
            def one_hot(labels, n_classes):
                rows = []
                for label in labels:
                    if not 0 <= label < n_classes:
                        raise ValueError(f"label {label} is not a class of {n_classes}")
                    row = [0.0] * n_classes
                    row[int(label)] = 1.0
                    rows.append(row)
                return np.array(rows, dtype=float).reshape(len(rows), n_classes)

            def accuracy(probabilities, labels):
                right = 0
                for row, label in zip(probabilities, labels):
                    best = max(range(len(row)), key=lambda j: row[j])
                    right += int(best == label)
                return right / len(labels)
        ''',
    },
    "comparison_broadcast": {
        "differs": "one-hot as labels[:, None] == arange(C), accuracy from the one-hot of the predictions",
        "code": '''
            def one_hot(labels, n_classes):
                labels = np.asarray(labels)
                if labels.min(initial=0) < 0 or labels.max(initial=0) > n_classes - 1:
                    raise ValueError("label out of range")
                return (labels[:, None] == np.arange(n_classes)).astype(np.float64)

            def accuracy(probabilities, labels):
                probabilities = np.asarray(probabilities)
                hits = one_hot(probabilities.argmax(axis=-1), probabilities.shape[1]) * one_hot(labels, probabilities.shape[1])
                return float(hits.sum() / probabilities.shape[0])
        ''',
    },
}
