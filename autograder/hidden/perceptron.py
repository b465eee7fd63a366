"""Hidden checks of the perceptron exercise."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import Fail, check
from autograder.references import reference


def _problem(rng, n=None, dtype=np.float64):
    d = int(rng.integers(1, 9))
    x = rng.normal(size=(d,) if n is None else (n, d)).astype(dtype)
    w = rng.normal(size=d).astype(dtype)
    b = float(rng.normal(0, 2))
    return x, w, b


@check("perceptron", "weighted sum of one sample", points=2)
def weighted_sum_one(sub, rng):
    ref = reference("perceptron")
    for dtype in (np.float64, np.float32):
        x, w, b = _problem(rng, dtype=dtype)
        expect.close(sub.call("weighted_sum", x, w, b), ref.weighted_sum(x, w, b),
                     f"weighted_sum for one sample ({np.dtype(dtype).name})", rtol=1e-4, atol=1e-5,
                     hint="z = w·x + b: multiply elementwise, sum, then add the bias.")


@check("perceptron", "weighted sum of a batch", points=2)
def weighted_sum_batch(sub, rng):
    ref = reference("perceptron")
    for n in (1, 6):
        x, w, b = _problem(rng, n)
        expect.close(sub.call("weighted_sum", x, w, b), ref.weighted_sum(x, w, b),
                     f"weighted_sum for a batch of {n} samples", rtol=1e-9, atol=1e-9,
                     hint="for a 2-D x (one sample per row) compute x @ w + b, giving one z per row.")


@check("perceptron", "weighted sum accepts Python lists")
def weighted_sum_lists(sub, rng):
    x, w, b = _problem(rng, 3)
    want = reference("perceptron").weighted_sum(x, w, b)
    expect.close(sub.call("weighted_sum", x.tolist(), w.tolist(), b), want,
                 "weighted_sum with Python lists", rtol=1e-9, atol=1e-9,
                 hint="convert the inputs with np.asarray before doing arithmetic.")


@check("perceptron", "output is 0 exactly at the threshold z = 0")
def threshold(sub, rng):
    x = np.array([[2.0, 2.0], [1.0, 3.0], [3.0, 1.0], [0.0, 0.0]])
    w, b = np.array([1.0, -1.0]), 0.0  # z = 0, -2, 2, 0
    out = sub.call("perceptron_output", x, w, b)
    expect.equal(out, [0, 0, 1, 0], "perceptron_output where z is exactly 0",
                 hint="the perceptron outputs 1 only when z > 0; z == 0 gives 0.")


@check("perceptron", "outputs of random batches", points=2)
def outputs_batch(sub, rng):
    ref = reference("perceptron")
    for n in (5, 12):
        x, w, b = _problem(rng, n)
        z = ref.weighted_sum(x, w, b)
        b += float(np.where(np.abs(z) < 1e-6, 1e-3, 0.0).max())  # keep clear of rounding at z = 0
        out = expect.array(sub.call("perceptron_output", x, w, b), "perceptron_output for a batch")
        if out.dtype.kind not in "iub":
            raise Fail(f"perceptron_output for a batch returned dtype {out.dtype}; integers 0/1 were expected.",
                       hint="convert the comparison with .astype(int).")
        expect.equal(out, ref.perceptron_output(x, w, b), f"perceptron_output for a batch of {n}",
                     hint="compute z = x @ w + b for every row, then 1 where z > 0, else 0.")


@check("perceptron", "one sample gives a single 0 or 1")
def output_one(sub, rng):
    ref = reference("perceptron")
    for _ in range(4):
        x, w, b = _problem(rng)
        out = sub.call("perceptron_output", x, w, b)
        expect.number(out, "perceptron_output for one sample", hint="for a 1-D x, return int(z > 0).")
        expect.equal(out, ref.perceptron_output(x, w, b), "perceptron_output for one sample",
                     hint="1 where w·x + b > 0, else 0.")


@check("perceptron", "inputs are not modified")
def no_mutation(sub, rng):
    x, w, b = _problem(rng, 4)
    for func in ("weighted_sum", "perceptron_output"):
        _, after = sub.call_with_args(func, x, w, b)
        expect.unchanged([x, w], after, f"{func}()")
