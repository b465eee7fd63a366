"""Hidden checks of softmax: random logits, huge logits, float32, any axis, no side effects.

Tolerances: :data:`autograder.checks.cases.TOLERANCE` (float64: rtol 1e-7; float32:
rtol 2e-5). Subtracting the maximum, or using log-sum-exp, gives the same float64
probabilities to ~1e-15 relative, so any correct formula passes; a missing shift gives
nan or inf for the huge logits, far outside any tolerance.
"""

import numpy as np

from autograder.checks import cases, expect
from autograder.checks.core import check
from autograder.references import reference

SHIFT_HINT = ("subtract the maximum logit along the axis (np.max(z, axis=axis, keepdims=True)) "
              "before exponentiating; softmax does not change.")
AXIS_HINT = "sum over the given axis only, with keepdims=True, so each slice along that axis sums to 1."


def _softmax_close(sub, z, what, hint, tol=None, **kwargs):
    want = reference("softmax").softmax(z, **kwargs)
    with expect.hinting(hint):
        got = expect.array(sub.call("softmax", z, **kwargs), what)
    expect.shape(got, z.shape, what, hint="softmax keeps the shape of z: divide by a sum taken with keepdims=True.")
    expect.close(got, want, what, hint=hint, **(tol or cases.tolerance(z.dtype)))
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


@check("softmax", "very negative logits stay finite")
def negative_logits(sub, rng):
    _softmax_close(sub, np.array([-1000.0, -1001.0, -1002.0]),
                   "softmax for very negative logits such as [-1000, -1001, -1002]", SHIFT_HINT)


@check("softmax", "float32 logits", points=2)
def float32_logits(sub, rng):
    # e^89 overflows float32; float64 would hide the missing shift for these logits
    z = (rng.normal(0, 2, size=(5, 4)) + rng.uniform(90, 120, size=(5, 1))).astype(np.float32)
    got = _softmax_close(sub, z, "softmax for float32 logits around 90 to 120", SHIFT_HINT)
    expect.close(got.sum(axis=-1), np.ones(5), "the row sums of softmax for float32 logits",
                 rtol=1e-5, atol=1e-5, hint=SHIFT_HINT)


@check("softmax", "the axis argument", points=2)
def axis_argument(sub, rng):
    _softmax_close(sub, rng.normal(0, 2, size=(4, 3)), "softmax(z, axis=0) for a 4x3 array", AXIS_HINT, axis=0)
    _softmax_close(sub, rng.normal(0, 2, size=(2, 5, 3)), "softmax(z, axis=1) for a 2x5x3 array", AXIS_HINT,
                   axis=1)
    _softmax_close(sub, rng.normal(0, 2, size=(2, 3, 4)), "softmax(z) for a 2x3x4 array", AXIS_HINT)


@check("softmax", "adding a constant to every logit changes nothing")
def shift_invariance(sub, rng):
    z = rng.normal(0, 2, size=(3, 6))
    shifted = z + rng.uniform(-50, 50, size=(3, 1))
    with expect.hinting(AXIS_HINT):
        base = expect.array(sub.call("softmax", z), "softmax(z)")
        expect.finite(base, "softmax(z) for ordinary logits", hint=AXIS_HINT)
        moved = sub.call("softmax", shifted)
    # the shift changes the float64 rounding of e^(z - max) by ~1e-14 relative at most
    expect.close(moved, base, "softmax(z + c) compared with softmax(z), c a different constant per row",
                 rtol=1e-9, atol=1e-12, hint=SHIFT_HINT)


@check("softmax", "the logits are not modified")
def no_mutation(sub, rng):
    for shape in ((6,), (3, 4)):
        z = rng.normal(0, 3, size=shape)
        _, after = sub.call_with_args("softmax", z)
        expect.unchanged([z], after, "softmax(z)")
