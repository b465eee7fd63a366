"""Visible checks: softmax on the lesson's example."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check


# Expected probabilities rounded to 8 significant digits: the float64 tolerance (rtol 1e-6) accepts them.
@check("softmax", "the lesson's example [5, 2.5, 0.5]")
def lesson_example(sub, rng):
    got = sub.call("softmax", np.array([5.0, 2.5, 0.5]))
    expect.close(got, [0.91475073, 0.07508731, 0.01016196], "softmax([5, 2.5, 0.5])",
                 hint="exponentiate every logit, then divide by the sum of the exponentials.")


@check("softmax", "the docstring's example [1000, 1001]")
def docstring_example(sub, rng):
    got = sub.call("softmax", np.array([1000.0, 1001.0]))
    expect.close(got, [0.26894142, 0.73105858], "softmax([1000, 1001])",
                 hint="e^1000 overflows to inf and inf / inf is nan: subtract the largest logit first, "
                      "softmax(z) = softmax(z - max(z)).")


@check("softmax", "each row of a batch sums to 1")
def rows_sum_to_one(sub, rng):
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    got = expect.array(sub.call("softmax", z), "softmax of a 2x3 batch")
    expect.shape(got, (2, 3), "softmax of a 2x3 batch")
    expect.close(got.sum(axis=1), [1.0, 1.0], "the row sums of softmax(z) for a 2x3 batch",
                 hint="normalise each row on its own: sum over the last axis with keepdims=True.")


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of softmax: random logits, huge logits, float32, any axis, no side effects.
#
# Tolerances: the table of :mod:`autograder.checks.tolerance` (float64: rtol 1e-6; float32:
# rtol 1e-5). Subtracting the maximum, or using log-sum-exp, gives the same float64
# probabilities to ~1e-15 relative, so any correct formula passes; a missing shift gives
# nan or inf for the huge logits, far outside any tolerance. Every expected value comes from
# the reference on the same logits (never from the student's own answers), and the huge
# logits overflow float64 too (e^710 = inf), so upcasting to float64 hides no missing shift.

from autograder.references import reference


SHIFT_HINT = ("subtract the maximum logit along the axis (np.max(z, axis=axis, keepdims=True)) "
              "before exponentiating; softmax does not change.")
AXIS_HINT = ("take the max and the sum over the given axis only (axis=axis, keepdims=True), "
             "so each slice along that axis sums to 1.")


def _softmax_close(sub, z, what, hint, **kwargs):
    want = reference("softmax").softmax(z, **kwargs)
    with expect.hinting(hint):
        got = expect.array(sub.call("softmax", z, **kwargs), what)
    expect.shape(got, z.shape, what, hint="softmax keeps the shape of z: divide by a sum taken with keepdims=True.")
    expect.close(got, want, what, hint=hint)
    return got


@check("softmax", "random logits, one sample and batches", points=2)
def random_logits(sub, rng):
    for shape in ((5,), (1, 4), (6, 3), (8, 10), (4, 4)):
        z = rng.normal(0, 3, size=shape)
        _softmax_close(sub, z, f"softmax(z) for random logits of shape {shape}", AXIS_HINT)


@check("softmax", "large logits stay finite", points=2)
def large_logits(sub, rng):
    _softmax_close(sub, np.array([1000.0, 1001.0]), "softmax for very large logits such as [1000, 1001]",
                   SHIFT_HINT)
    # rows at very different heights: a shift by the batch's maximum instead of each row's
    # sends the low rows to 0 / 0
    offsets = rng.permutation(np.array([-1e4, -800.0, 800.0, 1e4]))[:, None]
    z = rng.normal(0, 3, size=(4, 5)) + offsets
    _softmax_close(sub, z, "softmax for a batch whose rows lie around -1e4, -800, 800 and 1e4", SHIFT_HINT)
    # a spread above 709 within a row: shifting by the row's minimum (not its maximum) overflows
    z = rng.normal(0, 3, size=(3, 4))
    z[np.arange(3), rng.integers(0, 4, size=3)] += rng.uniform(750, 2000, size=3)
    _softmax_close(sub, z, "softmax for rows whose logits differ by more than 709 (e.g. [0, 1000])",
                   "subtract each row's maximum, not its minimum: after the shift every exponent must be "
                   "<= 0, so e^(z - max) never overflows.")


@check("softmax", "very negative logits stay finite")
def negative_logits(sub, rng):
    _softmax_close(sub, np.array([-1000.0, -1001.0, -1002.0]),
                   "softmax for very negative logits such as [-1000, -1001, -1002]", SHIFT_HINT)


@check("softmax", "float32 logits", points=2)
def float32_logits(sub, rng):
    # e^89 overflows float32 and e^710 float64: upcasting to float64 hides no missing shift here.
    # A float32 logit near 800 is stored to ±3e-5 (np.spacing), and a correct log-sum-exp
    # formula, e^(z - lse), carries that error into every probability: so rtol 4·spacing.
    z = (rng.normal(0, 2, size=(5, 4)) + rng.uniform(720, 900, size=(5, 1))).astype(np.float32)
    what = "softmax for float32 logits around 720 to 900"
    rtol = 4 * float(np.spacing(np.abs(z).max()))
    with expect.hinting(SHIFT_HINT):
        got = expect.array(sub.call("softmax", z), what)
    expect.close(got, reference("softmax").softmax(z), what, rtol=rtol, atol=rtol, hint=SHIFT_HINT)
    expect.close(got.sum(axis=-1), np.ones(5), "the row sums of softmax for float32 logits",
                 rtol=rtol, atol=rtol, hint=SHIFT_HINT)


@check("softmax", "the axis argument", points=2)
def axis_argument(sub, rng):
    _softmax_close(sub, rng.normal(0, 2, size=(4, 3)), "softmax(z, axis=0) for a 4x3 array", AXIS_HINT, axis=0)
    _softmax_close(sub, rng.normal(0, 2, size=(2, 5, 3)), "softmax(z, axis=1) for a 2x5x3 array", AXIS_HINT,
                   axis=1)
    _softmax_close(sub, rng.normal(0, 2, size=(2, 3, 4)), "softmax(z) for a 2x3x4 array", AXIS_HINT)


@check("softmax", "adding a constant to every logit changes nothing")
def shift_invariance(sub, rng):
    z = rng.normal(0, 2, size=(3, 6))
    # a constant per row, beyond e^709: only a shifted softmax gets softmax(z) back
    shifted = z + rng.choice([-1.0, 1.0], size=(3, 1)) * rng.uniform(750, 3000, size=(3, 1))
    want = reference("softmax").softmax(z)
    with expect.hinting(AXIS_HINT):
        base = expect.array(sub.call("softmax", z), "softmax(z)")
    expect.close(base, want, "softmax(z) for ordinary logits", hint=AXIS_HINT)
    with expect.hinting(SHIFT_HINT):
        moved = sub.call("softmax", shifted)
    expect.close(moved, want, "softmax(z + c) for a different large constant c per row (softmax(z) expected)",
                 hint=SHIFT_HINT)


@check("softmax", "the logits are not modified")
def no_mutation(sub, rng):
    for shape in ((6,), (3, 4)):
        z = rng.normal(0, 3, size=shape)
        _, after = sub.call_with_args("softmax", z)
        expect.unchanged([z], after, "softmax(z)")
