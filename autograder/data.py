"""Offline data for the exercises: scikit-learn's 8x8 digits, scaled and split.

The digits ship with scikit-learn, so nothing is downloaded. Shapes: N samples, D = 64
pixels, C = 10 classes.
"""

import numpy as np


def load_digits_split(test_size=0.25, seed=0):
    """The digits, pixels scaled to [0, 1], split into stratified train and test sets.

    Inputs:
    - test_size: fraction of the 1797 samples held out for testing.
    - seed: random_state of the split; the same seed gives the same split.

    Returns (with the defaults N_train = 1347, N_test = 450):
    - X_train: float32, shape (N_train, 64), values in [0, 1] (pixel / 16).
    - X_test: float32, shape (N_test, 64).
    - y_train: int64, shape (N_train,), labels 0..9.
    - y_test: int64, shape (N_test,).
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    return X_train, X_test, y_train, y_test


def one_hot(labels, n_classes):
    """One-hot encoding: row i is all zeros except a 1.0 at column labels[i].

    Inputs:
    - labels: ints in [0, C), shape (N,).
    - n_classes: number of classes C.

    Returns:
    - Y: float64, shape (N, C).
    """
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in [0, {n_classes}); got {labels.min()}..{labels.max()}")
    return np.eye(n_classes)[labels]
