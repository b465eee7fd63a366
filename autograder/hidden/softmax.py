"""Hidden checks of softmax: random logits, huge logits, float32, any axis, no side effects."""

import numpy as np

from autograder.checks import cases, expect
from autograder.checks.core import check
from autograder.references import reference

SHIFT_HINT = "subtract the maximum logit (along the axis) before exponentiating; softmax does not change."
AXIS_HINT = "sum over the given axis only, with keepdims=True, so each slice sums to 1."


def _softmax_close(sub, z, what, hint, tol=None, **kwargs):
    want = reference("softmax").softmax(z, **kwargs)
    got = expect.array(sub.call("softmax", z, **kwargs), what)
    expect.shape(got, z.shape, what)
    expect.close(got, want, what, hint=hint, **(tol or cases.tolerance(z.dtype)))
    return got


@check("softmax", "random logits, one sample and batches", points=2)
def random_logits(sub, rng):
    for shape in ((5,), (1, 4), (6, 3), (8, 10)):
        z = rng.normal(0, 3, size=shape)
        _softmax_close(sub, z, f"softmax(z) for random logits of shape {shape}", AXIS_HINT)


@check("softmax", "large logits stay finite", points=2)
def large_logits(sub, rng):
    _softmax_close(sub, np.array([1000.0, 1001.0]), "softmax for very large logits such as [1000, 1001]",
                   SHIFT_HINT)
    z = rng.normal(0, 1, size=(4, 5)) * 3 + rng.choice([-1e4, 800.0, 1e4], size=(4, 1))
    _softmax_close(sub, z, "softmax for batches of logits around ±1e4", SHIFT_HINT)


@check("softmax", "very negative logits stay finite")
def negative_logits(sub, rng):
    _softmax_close(sub, np.array([-1000.0, -1001.0, -1002.0]),
                   "softmax for very negative logits such as [-1000, -1001, -1002]", SHIFT_HINT)


@check("softmax", "float32 logits", points=2)
def float32_logits(sub, rng):
    z = (rng.normal(0, 2, size=(5, 4)) + rng.uniform(50, 120, size=(5, 1))).astype(np.float32)
    got = _softmax_close(sub, z, "softmax for float32 logits between 50 and 120", SHIFT_HINT)
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
    base = expect.array(sub.call("softmax", z), "softmax(z)")
    expect.close(sub.call("softmax", shifted), base, "softmax(z + c) compared with softmax(z)",
                 rtol=1e-9, atol=1e-12, hint=SHIFT_HINT)


@check("softmax", "the logits are not modified")
def no_mutation(sub, rng):
    for shape in ((6,), (3, 4)):
        z = rng.normal(0, 3, size=shape)
        _, after = sub.call_with_args("softmax", z)
        expect.unchanged([z], after, "softmax(z)")
