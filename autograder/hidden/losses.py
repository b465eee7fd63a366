"""Hidden checks of the losses: random batches, exact zeros and ones, and the gradient."""

import numpy as np

from autograder.checks import cases, expect
from autograder.checks.core import check
from autograder.references import reference

MEAN_HINT = "average over the samples (rows), not over the classes, and do not just sum."
CE_HINT = "L = -(1/n)·Σ y·ln(ŷ) with the natural log: mind the minus sign and average over samples."
TOL = dict(rtol=1e-9, atol=1e-12)  # losses are sums of a few hundred terms in float64


def _batch(rng, n, c):
    labels = cases.labels(rng, n, c)
    return labels, cases.one_hot(labels, c), cases.probabilities(rng, n, c)


@check("losses", "quadratic cost of random batches", points=2)
def quadratic_random(sub, rng):
    ref = reference("losses")
    for n, c in ((1, 3), (5, 4), (16, 10)):
        _, y, p = _batch(rng, n, c)
        expect.close(sub.call("quadratic_cost", y, p), ref.quadratic_cost(y, p),
                     f"quadratic_cost for a random batch of {n} samples and {c} classes", **TOL,
                     hint="1/(2n)·Σ ||y - ŷ||²: square, sum over everything, divide by 2n. " + MEAN_HINT)


@check("losses", "cross-entropy of random batches", points=2)
def cross_entropy_random(sub, rng):
    ref = reference("losses")
    for n, c in ((1, 4), (6, 3), (20, 10)):
        _, y, p = _batch(rng, n, c)
        expect.close(sub.call("cross_entropy", y, p), ref.cross_entropy(y, p),
                     f"cross_entropy for a random batch of {n} samples and {c} classes", **TOL,
                     hint=CE_HINT + " " + MEAN_HINT)


@check("losses", "cross-entropy with probabilities of exactly 0 and 1", points=2)
def cross_entropy_clipping(sub, rng):
    ref = reference("losses")
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    p = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    hint = "clip the predictions into [eps, 1 - eps] with np.clip before taking the log."
    got = sub.call("cross_entropy", y, p)
    expect.finite(expect.number(got, "cross_entropy when a prediction is exactly 0"),
                  "cross_entropy when a prediction is exactly 0", hint=hint)
    expect.close(got, ref.cross_entropy(y, p), "cross_entropy when predictions are exactly 0 or 1",
                 **TOL, hint=hint)
    expect.close(sub.call("cross_entropy", y, p, eps=1e-3), ref.cross_entropy(y, p, eps=1e-3),
                 "cross_entropy(..., eps=1e-3) with predictions of exactly 0 or 1", **TOL,
                 hint="use the eps argument for the clipping.")


@check("losses", "sparse cross-entropy of random batches", points=2)
def sparse_random(sub, rng):
    ref = reference("losses")
    for n, c in ((4, 3), (12, 10)):
        labels, _, p = _batch(rng, n, c)
        expect.close(sub.call("sparse_cross_entropy", labels, p), ref.sparse_cross_entropy(labels, p),
                     f"sparse_cross_entropy for a random batch of {n} samples", **TOL,
                     hint="take each row's probability of its own label, "
                          "y_pred[np.arange(n), labels], not y_pred[:, labels].")


@check("losses", "sparse cross-entropy of one sample and of zeros")
def sparse_edges(sub, rng):
    ref = reference("losses")
    p = cases.probabilities(rng, 1, 5)[0]
    label = int(rng.integers(0, 5))
    expect.close(sub.call("sparse_cross_entropy", label, p), ref.sparse_cross_entropy(label, p),
                 "sparse_cross_entropy(label, y_pred) for one sample (1-D y_pred)", **TOL,
                 hint="a 1-D y_pred is one sample and the label a single int: n = 1.")
    p0 = np.array([[0.0, 1.0], [0.5, 0.5]])
    expect.close(sub.call("sparse_cross_entropy", np.array([0, 1]), p0),
                 ref.sparse_cross_entropy(np.array([0, 1]), p0),
                 "sparse_cross_entropy when the true class has probability exactly 0", **TOL,
                 hint="clip the predictions into [eps, 1 - eps] before taking the log.")


@check("losses", "gradient of softmax cross-entropy", points=3)
def gradient(sub, rng):
    ref = reference("losses")
    for n, c in ((1, 4), (7, 3), (16, 10)):
        logits = rng.normal(0, 2, size=(n, c))
        y = cases.one_hot(cases.labels(rng, n, c), c)
        got = expect.array(sub.call("softmax_cross_entropy_gradient", logits, y),
                           f"softmax_cross_entropy_gradient for {n} samples")
        expect.close(got, ref.softmax_cross_entropy_gradient(logits, y),
                     f"softmax_cross_entropy_gradient for a batch of {n} samples", **TOL,
                     hint="the gradient is (softmax(logits) - y) / n: divide by the number of samples.")
    logits = rng.normal(0, 2, size=5)
    y = cases.one_hot(np.array(2), 5)
    expect.close(sub.call("softmax_cross_entropy_gradient", logits, y),
                 ref.softmax_cross_entropy_gradient(logits, y),
                 "softmax_cross_entropy_gradient for one sample (1-D logits)", **TOL,
                 hint="a 1-D input is one sample: n = 1.")


@check("losses", "inputs are not modified")
def no_mutation(sub, rng):
    labels, y, p = _batch(rng, 5, 4)
    for func, args in (("quadratic_cost", (y, p)), ("cross_entropy", (y, p)),
                       ("sparse_cross_entropy", (labels, p)), ("softmax_cross_entropy_gradient", (p, y))):
        _, after = sub.call_with_args(func, *args)
        expect.unchanged(list(args), after, f"{func}()")
