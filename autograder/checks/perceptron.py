"""Visible checks: the perceptron on the lesson's examples."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check

SNACK = dict(x=np.array([-1.0, 2.0]), w=np.array([4.0, 1.0]), b=1.0)
NAND = dict(x=np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float), w=np.array([-2.0, -2.0]), b=3.0)


@check("perceptron", "snack example: weighted sum")
def snack_weighted_sum(sub, rng):
    z = sub.call("weighted_sum", SNACK["x"], SNACK["w"], SNACK["b"])
    expect.close(z, -1.0, "weighted_sum(x=[-1, 2], w=[4, 1], b=1)",
                 hint="z = w·x + b = 4·(-1) + 1·2 + 1.")


@check("perceptron", "snack example: stay on the couch")
def snack_output(sub, rng):
    out = sub.call("perceptron_output", SNACK["x"], SNACK["w"], SNACK["b"])
    expect.binary(out, 0, "perceptron_output(x=[-1, 2], w=[4, 1], b=1)",
                 hint="z = -1 is not > 0, so the output is 0.")


@check("perceptron", "a batch computes the NAND gate")
def nand_gate(sub, rng):
    out = sub.call("perceptron_output", NAND["x"], NAND["w"], NAND["b"])
    expect.binary(out, [1, 1, 1, 0], "perceptron_output(all four inputs, w=[-2, -2], b=3)",
                 hint="with a 2-D x, compute z for every row (x @ w + b) and return one output per row.")


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the perceptron exercise.
#
# Random problems keep clear of the numerics' edges so that only the idea is graded:
# the bias is at least 0.5 away from 0 (so a forgotten or subtracted bias always shows),
# and batches are nudged away from z = 0, where rounding could flip the step.
# Outputs may be ints, bools or floats holding exactly 0 and 1 (np.heaviside gives floats).

from autograder.references import reference


SUM_HINT = "z = w·x + b: multiply elementwise, sum over the features, then add the bias."
STEP_HINT = "the output is 0 or 1: 1 where z = w·x + b > 0, else 0 (z == 0 gives 0)."


INT_HINT = ("your result matches x and w cut to integers (0.7 became 0): keep them as floats, "
            "e.g. np.asarray(x, dtype=float), and never call int() or .astype(int) on them.")


def _sum_hint(got, x, w, b) -> str:
    """INT_HINT when ``got`` is what integer-truncated inputs give, else SUM_HINT."""
    try:
        truncated = x.astype(int) @ w.astype(int) + b
        if np.allclose(np.asarray(got, dtype=float), truncated) and not np.allclose(truncated, x @ w + b):
            return INT_HINT
    except (TypeError, ValueError):
        pass
    return SUM_HINT


def _problem(rng, n=None, dtype=np.float64):
    d = int(rng.integers(2, 9))
    x = rng.normal(size=(d,) if n is None else (n, d)).astype(dtype)
    w = rng.normal(size=d).astype(dtype)
    b = float(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0))
    return x, w, b


def _clear_of_zero(x, w, b):
    """Shift b so that no sample sits within 1e-3 of the threshold (rounding cannot flip it)."""
    z = reference("perceptron").weighted_sum(x, w, b)
    while np.any(np.abs(z) < 1e-3):
        b += 0.01
        z = reference("perceptron").weighted_sum(x, w, b)
    return b


@check("perceptron", "weighted sum of one sample", points=2)
def weighted_sum_one(sub, rng):
    ref = reference("perceptron")
    for dtype in (np.float64, np.float32):
        x, w, b = _problem(rng, dtype=dtype)
        # float32 carries ~7 digits: a sum of at most 8 products of N(0, 1) values is off by
        # ~1e-6 at most, whether it is computed in float32 or float64
        got = sub.call("weighted_sum", x, w, b)
        expect.close(got, ref.weighted_sum(x, w, b),
                     f"weighted_sum for one sample ({np.dtype(dtype).name}, {len(x)} features)",
                     rtol=1e-5, atol=1e-5, hint=_sum_hint(got, x, w, b))


@check("perceptron", "weighted sum of a batch", points=2)
def weighted_sum_batch(sub, rng):
    ref = reference("perceptron")
    for n in (1, 6):
        x, w, b = _problem(rng, n)
        with expect.hinting("for a 2-D x (one sample per row) compute x @ w + b."):
            got = sub.call("weighted_sum", x, w, b)
        expect.close(got, ref.weighted_sum(x, w, b), f"weighted_sum for a batch of {expect.plural(n, 'sample')} (x of shape {x.shape})",
                     hint="for a 2-D x (one sample per row) compute x @ w + b, "
                                                "giving one z per row; do not sum over the rows.")


@check("perceptron", "weighted sum accepts Python lists")
def weighted_sum_lists(sub, rng):
    x, w, b = _problem(rng, 3)
    want = reference("perceptron").weighted_sum(x, w, b)
    with expect.hinting("convert the inputs with np.asarray before doing arithmetic."):
        got = sub.call("weighted_sum", x.tolist(), w.tolist(), b)
    expect.close(got, want, "weighted_sum with Python lists for x and w",
                 hint="convert the inputs with np.asarray, then compute x @ w + b for every row.")


@check("perceptron", "output is 0 exactly at the threshold z = 0")
def threshold(sub, rng):
    x = np.array([[2.0, 2.0], [1.0, 3.0], [3.0, 1.0], [0.0, 0.0]])
    w, b = np.array([1.0, -1.0]), 0.0  # z = 0, -2, 2, 0
    expect.binary(sub.call("perceptron_output", x, w, b), [0, 0, 1, 0],
                  "perceptron_output for inputs where z is exactly 0",
                  hint="the perceptron outputs 1 only when z > 0; z == 0 gives 0 (use >, not >=).")
    expect.binary(sub.call("perceptron_output", np.array([0.5, -0.5]), np.array([2.0, 2.0]), 0.0), 0,
                  "perceptron_output for one sample with z exactly 0",
                  hint="the perceptron outputs 1 only when z > 0; z == 0 gives 0 (use >, not >=).")


@check("perceptron", "outputs of random batches", points=2)
def outputs_batch(sub, rng):
    ref = reference("perceptron")
    for n in (5, 12):
        x, w, b = _problem(rng, n)
        b = _clear_of_zero(x, w, b)
        expect.binary(sub.call("perceptron_output", x, w, b), ref.perceptron_output(x, w, b),
                      f"perceptron_output for a random batch of {n} samples", hint=STEP_HINT)


@check("perceptron", "one sample gives a single 0 or 1")
def output_one(sub, rng):
    ref = reference("perceptron")
    for _ in range(4):
        x, w, b = _problem(rng)
        b = _clear_of_zero(x, w, b)
        expect.binary(sub.call("perceptron_output", x, w, b), ref.perceptron_output(x, w, b),
                      "perceptron_output for one random sample", hint=STEP_HINT + " For a 1-D x return one number.")


@check("perceptron", "inputs are not modified")
def no_mutation(sub, rng):
    x, w, b = _problem(rng, 4)
    for func in ("weighted_sum", "perceptron_output"):
        _, after = sub.call_with_args(func, x, w, b)
        expect.unchanged([x, w], after, f"{func}()")
