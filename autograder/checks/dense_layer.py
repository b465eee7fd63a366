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
