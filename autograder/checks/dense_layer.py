"""Visible checks: the dense layer and the parameter count on the docstrings' examples."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check

EXAMPLE = dict(x=np.array([1.0, 2.0]), W=np.array([[1.0, -1.0], [0.0, 1.0]]), b=np.array([0.5, -2.0]))


@check("dense_layer", "docstring example: one sample through a ReLU layer")
def docstring_example(sub, rng):
    a = sub.call("dense_forward", EXAMPLE["x"], EXAMPLE["W"], EXAMPLE["b"], "relu")
    expect.close(a, [1.5, 0.0], 'dense_forward(x=[1, 2], W=[[1, -1], [0, 1]], b=[0.5, -2], "relu")',
                 rtol=1e-9, atol=1e-12,
                 hint="first the pre-activation x·W + b (bias included) = [1·1 + 2·0 + 0.5, 1·(-1) + 2·1 - 2] = [1.5, -1], then ReLU.")


@check("dense_layer", "docstring example: [64, 64, 10] has 4810 parameters")
def docstring_count(sub, rng):
    n = sub.call("count_parameters", [64, 64, 10])
    expect.equal(n, 4810, "count_parameters([64, 64, 10])",
                 hint="each layer after the input has D·H weights and H biases: 64·64 + 64 + 64·10 + 10.")


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the dense layer: random layers of several sizes, one sample and batches,
# every activation, and the parameter count of random networks.
#
# Random layers have D != H (so W·x instead of x·W cannot even run) except in one square
# case (where it runs and gives wrong values); biases are at least 0.5 away from 0, so a
# forgotten bias always shows. Inputs are N(0, 1): z stays within about ±20, where every
# activation is computed to ~1e-15 relative, so float64 results are compared with
# rtol=1e-9, atol=1e-12 (sums of at most 9 products round differently in another order).

from autograder.references import reference


ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear")
TOL = dict(rtol=1e-9, atol=1e-12)
HINT = ("compute the pre-activation x·W + b first (x @ W, then add the bias b to every row), "
        "then apply the activation to every element.")
SHAPE_HINT = "x has shape (N, D) and W (D, H): x @ W has shape (N, H), one row per sample."


def _layer(rng, d, h):
    W = rng.normal(size=(d, h))
    b = rng.choice([-1.0, 1.0], size=h) * rng.uniform(0.5, 2.0, size=h)
    return W, b


def _matches(sub, x, W, b, activation, what):
    with expect.hinting(SHAPE_HINT):
        got = sub.call("dense_forward", x, W, b, activation)
    want = reference("dense_layer").dense_forward(x, W, b, activation)
    got = expect.array(got, what)
    expect.shape(got, want.shape, what, hint=SHAPE_HINT)
    expect.floating(got, what)
    expect.close(got, want, what, hint=HINT, **TOL)


@check("dense_layer", "one sample through each activation", points=2)
def one_sample(sub, rng):
    for activation in ACTIVATIONS:
        d, h = int(rng.integers(2, 6)), int(rng.integers(6, 10))
        W, b = _layer(rng, d, h)
        x = rng.normal(size=d)
        _matches(sub, x, W, b, activation, f'dense_forward for one sample, D={d}, H={h}, "{activation}"')


@check("dense_layer", "a batch gives one row per sample", points=2)
def batch(sub, rng):
    for n, activation in ((1, "relu"), (5, "sigmoid"), (7, "tanh"), (3, "linear")):
        d, h = int(rng.integers(2, 6)), int(rng.integers(6, 10))
        W, b = _layer(rng, d, h)
        x = rng.normal(size=(n, d))
        _matches(sub, x, W, b, activation, f'dense_forward for a batch of x shape {x.shape}, W shape {W.shape}, "{activation}"')


@check("dense_layer", "a square layer multiplies x by W, not W by x")
def square(sub, rng):
    W, b = _layer(rng, 4, 4)
    x = rng.normal(size=(6, 4))
    _matches(sub, x[0], W, b, "linear", 'dense_forward for one sample, D=H=4, "linear"')
    _matches(sub, x, W, b, "tanh", 'dense_forward for a batch of 6, D=H=4, "tanh"')


@check("dense_layer", "the bias is added before the activation")
def bias_before_activation(sub, rng):
    W = rng.normal(size=(3, 5))
    b = np.array([-3.0, -1.0, 0.5, 1.0, 3.0])
    x = rng.normal(0, 0.1, size=(4, 3))  # x @ W is small: the bias decides which units are active
    for activation in ("relu", "sigmoid"):
        _matches(sub, x, W, b, activation, f'dense_forward with biases -3 ... 3, "{activation}"')


@check("dense_layer", "the inputs are left unchanged")
def inputs_unchanged(sub, rng):
    W, b = _layer(rng, 3, 2)
    for x in (rng.normal(size=3), rng.normal(size=(2, 3))):
        _, after = sub.call_with_args("dense_forward", x, W.copy(), b.copy(), "sigmoid")
        expect.unchanged([x, W, b], after, "dense_forward(x, W, b)")


@check("dense_layer", "parameters of random networks", points=2)
def random_networks(sub, rng):
    ref = reference("dense_layer")
    for depth in (2, 3, 5):
        sizes = [int(n) for n in rng.integers(1, 300, size=depth)]
        expect.equal(sub.call("count_parameters", sizes), ref.count_parameters(sizes),
                     f"count_parameters({sizes})",
                     hint="sum D·H + H over consecutive pairs (D, H) of layer sizes; the input layer has "
                          "no weights and no biases.")


@check("dense_layer", "a network without hidden layers")
def no_hidden_layer(sub, rng):
    d, h = int(rng.integers(2, 50)), int(rng.integers(2, 20))
    expect.equal(sub.call("count_parameters", (d, h)), d * h + h, f"count_parameters(({d}, {h}))",
                 hint="one layer: a (D, H) weight matrix plus H biases; the input layer itself has none.")
