"""Visible checks: the loss functions on the lesson's example."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check

Y = np.array([0.0, 1.0, 0.0, 0.0])
Y_HAT = np.array([0.1, 0.8, 0.07, 0.03])
# Expected values are exact to the digits shown (0.0279 exactly; -ln 0.8 to 8 digits): rtol=1e-6.


@check("losses", "quadratic cost of the lesson's example")
def quadratic_example(sub, rng):
    expect.close(sub.call("quadratic_cost", Y, Y_HAT), 0.0279, "quadratic_cost(y=[0, 1, 0, 0], "
                 "y_pred=[0.1, 0.8, 0.07, 0.03])",
                 hint="1/(2n) times the sum of squared differences; one sample here, so n = 1.")


@check("losses", "cross-entropy of the lesson's example")
def cross_entropy_example(sub, rng):
    expect.close(sub.call("cross_entropy", Y, Y_HAT), 0.22314355, "cross_entropy(y=[0, 1, 0, 0], "
                 "y_pred=[0.1, 0.8, 0.07, 0.03])",
                 hint="-(1/n)·Σ y·ln(ŷ): the only term left is -ln(0.8), a positive number.")


@check("losses", "sparse cross-entropy of a small batch")
def sparse_example(sub, rng):
    y_pred = np.array([[0.1, 0.8, 0.07, 0.03], [0.5, 0.25, 0.125, 0.125]])
    expect.close(sub.call("sparse_cross_entropy", np.array([1, 0]), y_pred), 0.45814536,
                 "sparse_cross_entropy(labels=[1, 0], y_pred=2 rows)",
                 hint="pick each row's probability of its true class: y_pred[np.arange(n), labels].")


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the losses: random batches, exact zeros and ones, and the gradient.
#
# Tolerances: a loss is a sum of at most a few hundred float64 terms, so two correct
# summation orders agree to ~1e-14 relative: the table's (:mod:`autograder.checks.tolerance`)
# for the quadratic cost and the gradient. The cross-entropies carry eps: clipping (the reference) and the common
# ln(ŷ + eps) differ by eps/ŷ per term: for the random probabilities here (ŷ ≥ 0.05/10.5)
# that is at most 2e-5 absolute on a term of 5.3, 4e-6 relative, so LOG_TOL = 2e-5
# absolute and relative; every formula mistake (sign, log10, sum, mean over classes) is off
# by a factor, far outside it. Where predictions are
# exactly 0 or 1, clipping into [eps, 1 - eps] or only from below (np.maximum(p, eps))
# differ by -ln(1 - eps) ≈ eps per sample, both correct in spirit: atol = 2·eps there.
# A forgotten clip gives inf or nan, and a fixed eps = 1e-7 instead of eps = 1e-3 moves
# the loss by ln(1e-3 / 1e-7) ≈ 9: far outside these tolerances.

from autograder.checks import cases, expect
from autograder.references import reference


CE_HINT = "L = -(1/n)·Σ y·ln(ŷ) with the natural log (np.log): mind the minus sign and average over the n samples."
QUAD_HINT = "L = 1/(2n)·Σ ||y - ŷ||²: square, sum over everything, divide by 2n (n samples; the ½ is part of it)."
SUM_HINT = "average over the samples: divide the sum by the number of samples n, do not just sum."
CLASSES_HINT = ("divide by the number of samples n only: np.mean over every entry also divides by the "
                "number of classes.")
CLIP_HINT = "clip the predictions into [eps, 1 - eps] with np.clip(y_pred, eps, 1 - eps) before taking the log."
LOG_TOL = dict(rtol=2e-5, atol=2e-5)
ARGMAX_HINT = ("your result is -ln of each row's largest probability: use the probability of the row's "
               "label, y_pred[np.arange(n), labels], whichever class the model favours.")


def _diagnosed(got, want, hint: str, scales) -> str:
    """The hint for the first ``(factor, hint)`` with got = factor · want, else ``hint``.

    It names the likely mistake from how the answer is off, without showing any value.
    """
    try:
        got_f, want_f = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return hint
    if got_f.shape != want_f.shape or not np.all(np.isfinite(got_f)) or not np.any(want_f):
        return hint
    for factor, specific in scales:
        if np.allclose(got_f, factor * want_f, rtol=1e-6, atol=1e-12):
            return specific
    return hint


def _loss_hint(got, want, n, c, hint, half=False):
    scales = [(-1, "mind the minus sign: L = -(1/n)·Σ y·ln(ŷ) is positive."),
              (1 / np.log(10), "use the natural log np.log, not np.log10."),
              (n, SUM_HINT), (1 / c, CLASSES_HINT), (n / c, CLASSES_HINT)]
    if half:
        scales = [(2, "divide by 2n, not n: the quadratic cost has a factor ½."),
                  (2 * n, "divide by 2n: the quadratic cost averages over the samples and has a factor ½."),
                  (1 / c, CLASSES_HINT)]
    return _diagnosed(got, want, hint, [(f, h) for f, h in scales if f != 1])


def _clip_tol(eps: float) -> dict:
    return dict(rtol=LOG_TOL["rtol"], atol=2 * eps)


def _batch(rng, n, c):
    labels = cases.labels(rng, n, c)
    return labels, cases.one_hot(labels, c), cases.probabilities(rng, n, c)


def _edges():
    """One-hot targets and predictions with exact 0s and 1s, some right, one wrong."""
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    p = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    return y, p


@check("losses", "quadratic cost of random batches", points=2)
def quadratic_random(sub, rng):
    ref = reference("losses")
    for n, c in ((1, 3), (5, 4), (16, 10)):
        _, y, p = _batch(rng, n, c)
        got, want = sub.call("quadratic_cost", y, p), ref.quadratic_cost(y, p)
        expect.close(got, want, f"quadratic_cost for a random batch of {expect.plural(n, 'sample')} and {c} classes",
                     hint=_loss_hint(got, want, n, c, QUAD_HINT, half=True))


@check("losses", "cross-entropy of random batches", points=2)
def cross_entropy_random(sub, rng):
    ref = reference("losses")
    for n, c in ((1, 4), (6, 3), (20, 10)):
        _, y, p = _batch(rng, n, c)
        got, want = sub.call("cross_entropy", y, p), ref.cross_entropy(y, p)
        expect.close(got, want, f"cross_entropy for a random batch of {expect.plural(n, 'sample')} and {c} classes",
                     **LOG_TOL, hint=_loss_hint(got, want, n, c, CE_HINT))


@check("losses", "cross-entropy with probabilities of exactly 0 and 1", points=2)
def cross_entropy_clipping(sub, rng):
    ref = reference("losses")
    y, p = _edges()
    what = "cross_entropy when some predicted probabilities are exactly 0 or 1"
    got = sub.call("cross_entropy", y, p)
    expect.finite(expect.number(got, what), what, hint=CLIP_HINT)
    expect.close(got, ref.cross_entropy(y, p), what, **_clip_tol(1e-7), hint=CLIP_HINT)
    expect.close(sub.call("cross_entropy", y, p, eps=1e-3), ref.cross_entropy(y, p, eps=1e-3),
                 "cross_entropy(..., eps=1e-3) with probabilities of exactly 0 or 1", **_clip_tol(1e-3),
                 hint="clip with the eps argument, not a fixed number: np.clip(y_pred, eps, 1 - eps).")


@check("losses", "sparse cross-entropy of random batches", points=2)
def sparse_random(sub, rng):
    ref = reference("losses")
    for n, c in ((4, 3), (12, 10)):
        labels, _, p = _batch(rng, n, c)
        got, want = sub.call("sparse_cross_entropy", labels, p), ref.sparse_cross_entropy(labels, p)
        hint = ("take each row's probability of its own label, y_pred[np.arange(n), labels], "
                "not y_pred[:, labels]; then -ln of those, averaged over the n rows.")
        hint = _diagnosed(got, -np.mean(np.log(p.max(axis=1))), _loss_hint(got, want, n, c, hint),
                          [(1, ARGMAX_HINT)])
        expect.close(got, want, f"sparse_cross_entropy for a random batch of {n} samples and {c} classes",
                     **LOG_TOL, hint=hint)


@check("losses", "sparse cross-entropy of one sample and of zeros")
def sparse_edges(sub, rng):
    ref = reference("losses")
    p = cases.probabilities(rng, 1, 5)[0]
    label = int(rng.integers(0, 5))
    got, want = sub.call("sparse_cross_entropy", label, p), ref.sparse_cross_entropy(label, p)
    expect.close(got, want, "sparse_cross_entropy(label, y_pred) for one sample (1-D y_pred, int label)",
                 **LOG_TOL, hint=_diagnosed(got, -np.log(p.max()), "a 1-D y_pred is one sample and the label "
                                            "a single int: n = 1.", [(1, ARGMAX_HINT)]))
    p0 = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]])
    labels = np.array([0, 1, 0])
    what = "sparse_cross_entropy when the true class has probability exactly 0"
    got = sub.call("sparse_cross_entropy", labels, p0)
    expect.finite(expect.number(got, what), what, hint=CLIP_HINT)
    expect.close(got, ref.sparse_cross_entropy(labels, p0), what, **_clip_tol(1e-7), hint=CLIP_HINT)
    expect.close(sub.call("sparse_cross_entropy", labels, p0, eps=1e-3),
                 ref.sparse_cross_entropy(labels, p0, eps=1e-3),
                 "sparse_cross_entropy(..., eps=1e-3) when the true class has probability exactly 0",
                 **_clip_tol(1e-3), hint="clip with the eps argument, not a fixed number: "
                                         "np.clip(p, eps, 1 - eps).")


@check("losses", "gradient of softmax cross-entropy", points=3)
def gradient(sub, rng):
    ref = reference("losses")
    hint = "the gradient is (softmax(logits) - y) / n, with n the number of samples (rows)."
    sign = "the sign is flipped: the gradient is softmax(logits) - y, not y - softmax(logits)."
    for n, c in ((1, 4), (7, 3), (16, 10)):
        logits = rng.normal(0, 2, size=(n, c))
        y = cases.one_hot(cases.labels(rng, n, c), c)
        what = f"softmax_cross_entropy_gradient for a batch of {expect.plural(n, 'sample')} and {c} classes"
        with expect.hinting(hint):
            got = sub.call("softmax_cross_entropy_gradient", logits, y)
        want = ref.softmax_cross_entropy_gradient(logits, y)
        scales = [(-1, sign), (n, "divide by the number of samples n (the rows): " + hint)]
        expect.close(got, want, what, hint=_diagnosed(got, want, hint, [s for s in scales if s[0] != 1]))
    c = 5
    logits = rng.normal(0, 2, size=c)
    y = cases.one_hot(np.array(int(rng.integers(0, c))), c)
    got, want = sub.call("softmax_cross_entropy_gradient", logits, y), ref.softmax_cross_entropy_gradient(logits, y)
    one = "a 1-D input is one sample: n = 1, not logits.shape[0] (the number of classes)."
    expect.close(got, want, f"softmax_cross_entropy_gradient for one sample (1-D logits of {c} classes)",
                 hint=_diagnosed(got, want, one + " " + hint, [(1 / c, one), (-1, sign)]))


@check("losses", "inputs are not modified")
def no_mutation(sub, rng):
    labels, y, p = _batch(rng, 5, 4)
    y_edge, p_edge = _edges()  # exact 0s and 1s: an in-place np.clip would change them
    for func, args in (("quadratic_cost", (y, p)), ("cross_entropy", (y, p)), ("cross_entropy", (y_edge, p_edge)),
                       ("sparse_cross_entropy", (labels, p)), ("sparse_cross_entropy", (np.array([1, 0, 2]), p_edge)),
                       ("softmax_cross_entropy_gradient", (p, y))):
        _, after = sub.call_with_args(func, *args)
        expect.unchanged(list(args), after, f"{func}()")
