"""Visible checks: one-hot labels and accuracy on the docstrings' examples."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check

SCORES = np.array([[0.1, 0.8, 0.07, 0.03], [0.5, 0.25, 0.125, 0.125],
                   [0.2, 0.2, 0.5, 0.1], [0.05, 0.05, 0.1, 0.8]])
ONE_HOT_HINT = "row i is all zeros except a 1 in column labels[i]; labels count from 0."
SHAPE_HINT = "one row per label and n_classes columns (even when the largest class has no label): shape (N, n_classes)."
FLOAT_HINT = "start from an array of zeros, which NumPy makes in floats: targets are compared with float probabilities."
ACCURACY_HINT = ("accuracy is the share of right predictions: the predicted class of a row is the position of its "
                 "largest score (the argmax along axis=1); count the rows where it equals the label and divide by N.")
COUNT_HINT = "you returned the number of right predictions: divide it by the number of rows N."
WRONG_SHARE_HINT = "you returned the share of wrong predictions: accuracy counts the right ones."
LARGEST_HINT = ("a row is right when its label is the position of the row's largest score, whatever that "
                "score's size: compare each row's argmax (along axis=1) with its label.")
# Known wrong answers to the docstring example: the right count, 1 - accuracy, "probability above 0.5".
EXAMPLE_HINTS = {3.0: COUNT_HINT, 0.25: WRONG_SHARE_HINT, 0.5: LARGEST_HINT}


@check("metrics", "docstring example: one_hot([1, 0, 3], 4)")
def one_hot_example(sub, rng):
    what = "one_hot(labels=[1, 0, 3], n_classes=4)"
    got = expect.array(sub.call("one_hot", np.array([1, 0, 3]), 4), what)
    expect.shape(got, (3, 4), what, hint=SHAPE_HINT)
    expect.close(got, [[0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]],
                 what, hint=ONE_HOT_HINT)


@check("metrics", "docstring example: accuracy of four samples")
def accuracy_example(sub, rng):
    got = sub.call("accuracy", SCORES, np.array([1, 0, 3, 3]))
    known = isinstance(got, (int, float)) and not isinstance(got, bool) and got in EXAMPLE_HINTS
    expect.close(got, 0.75, "accuracy(probabilities=4 rows of the docstring, labels=[1, 0, 3, 3])",
                 hint=(EXAMPLE_HINTS[got] if known else ACCURACY_HINT) + " Here the predicted classes are [1, 0, 2, 3].")


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the metrics: random labels and batches, a class no label uses, labels out
# of range, raw scores, and inputs left unchanged.
#
# Tolerances: a one-hot array holds exact 0s and 1s, and an accuracy is k / N computed from
# integers, exact to one rounding; the table's float64 tolerance (:mod:`autograder.checks.tolerance`)
# is far below the smallest wrong difference (0 against 1 in a one-hot entry, 1/N in an
# accuracy with N <= 50), so the defaults are used everywhere.

from autograder.checks import cases
from autograder.checks.core import Fail
from autograder.references import reference
from autograder import models
from autograder.submission import StudentError


def _accuracy_hint(got, probabilities, labels, hint=ACCURACY_HINT):
    """``hint``, or a sharper one when the accuracy is off in a known way.

    Known ways: rows counted right when their label's probability is above 0.5, the count of
    right rows not divided by N, 1 - accuracy. Only for batches of 4 samples or more whose
    accuracy is strictly between 0 and 1, where a pattern rarely fits another mistake.
    """
    n = len(labels)
    right = np.argmax(probabilities, axis=1) == labels
    want = float(np.mean(right))
    if n < 4 or not 0 < want < 1 or isinstance(got, bool) or not isinstance(got, (int, float)):
        return hint
    above_half = float(np.mean(probabilities[np.arange(n), labels] > 0.5))
    if abs(got - above_half) < 1e-9:
        return LARGEST_HINT
    if abs(got - np.sum(right)) < 1e-9:
        return COUNT_HINT
    if abs(got - (1 - want)) < 1e-9:
        return WRONG_SHARE_HINT
    return hint


def _one_hot_matches(sub, labels, n_classes, what):
    got = expect.array(sub.call("one_hot", labels, n_classes), what)
    want = reference("metrics").one_hot(labels, n_classes)
    expect.shape(got, want.shape, what, hint=SHAPE_HINT)
    expect.floating(got, what, hint=FLOAT_HINT)
    expect.close(got, want, what, hint=ONE_HOT_HINT)


def _batch(rng, n, c, right=0.5):
    """Probabilities (N, C) and labels, about ``right`` of them at the row's largest probability."""
    p = cases.probabilities(rng, n, c)
    labels = cases.labels(rng, n, c)
    hits = rng.random(n) < right
    labels[hits] = np.argmax(p[hits], axis=1)
    return p, labels


def _accuracy_matches(sub, p, labels, what, hint=ACCURACY_HINT):
    with expect.hinting(ACCURACY_HINT):
        got = sub.call("accuracy", p, labels)
    want = reference("metrics").accuracy(p, labels)
    expect.number(got, what)
    expect.close(got, want, what, hint=_accuracy_hint(got, p, labels, hint))


@check("metrics", "one-hot of random labels", points=2)
def one_hot_random(sub, rng):
    for n, c in ((1, 2), (5, 3), (20, 10), (7, 7)):
        labels = cases.labels(rng, n, c)
        _one_hot_matches(sub, labels, c, f"one_hot for {expect.plural(n, 'random label')} of {c} classes")


@check("metrics", "a class no label uses still gets its column")
def unused_class(sub, rng):
    n, c = 6, 5
    labels = cases.labels(rng, n, c - 2)  # classes 3 and 4 are nobody's
    _one_hot_matches(sub, labels, c, f"one_hot(labels={labels.tolist()}, n_classes={c})")


@check("metrics", "a label outside 0..n_classes-1 raises ValueError")
def out_of_range(sub, rng):
    c = int(rng.integers(3, 8))
    for bad in (-1, c, c + 5):
        labels = cases.labels(rng, 4, c)
        labels[int(rng.integers(0, 4))] = bad
        what = f"one_hot(labels={labels.tolist()}, n_classes={c})"
        try:
            sub.call("one_hot", labels, c)
        except StudentError as error:
            if error.exception == "ValueError":
                continue
            if error.status != models.ERROR or not error.exception:  # not written yet, a crash, a timeout
                raise
            raise Fail(f"{what} raised {error.exception}; it should raise ValueError.",
                       hint="check the labels before building the array: every label must be at least 0 "
                            "and at most n_classes - 1, else raise ValueError.")
        raise Fail(f"{what} returned an array; the label {bad} is no class, so it should raise ValueError.",
                   hint="NumPy reads index -1 as the last column without complaint: check that every label "
                        "is at least 0 and at most n_classes - 1, and raise ValueError if not.")


@check("metrics", "accuracy of random batches", points=2)
def accuracy_random(sub, rng):
    for n, c in ((1, 3), (8, 3), (25, 10), (50, 4)):
        p, labels = _batch(rng, n, c)
        _accuracy_matches(sub, p, labels, f"accuracy for a random batch of {expect.plural(n, 'sample')} "
                                          f"and {c} classes")


@check("metrics", "the largest score wins, whatever its size")
def largest_wins(sub, rng):
    p, labels = _batch(rng, 12, 10, right=0.7)
    p = 0.4 * p + 0.06  # still sums to 1 over ten classes; every probability is at most 0.46
    _accuracy_matches(sub, p, labels, "accuracy when every probability is below 0.5 (10 classes)", hint=LARGEST_HINT)
    logits = rng.normal(0.0, 3.0, size=(10, 4))
    labels = cases.labels(rng, 10, 4)
    labels[:6] = np.argmax(logits[:6], axis=1)
    _accuracy_matches(sub, logits, labels, "accuracy of raw scores (logits, some negative)", hint=LARGEST_HINT)


@check("metrics", "the inputs are left unchanged")
def inputs_unchanged(sub, rng):
    labels = cases.labels(rng, 5, 4)
    _, after = sub.call_with_args("one_hot", labels, 4)
    expect.unchanged([labels], after[:1], "one_hot(labels, n_classes)")
    p, labels = _batch(rng, 6, 4)
    _, after = sub.call_with_args("accuracy", p, labels)
    expect.unchanged([p, labels], after, "accuracy(probabilities, labels)")
