"""Visible checks: activation functions at a few points worth knowing by heart."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check

Z = np.array([-2.0, 0.0, 3.0])
# The values below are rounded to 8 significant digits: the float64 tolerance (rtol 1e-6) accepts them, any formula
# error (a missing square, the wrong input) is off by far more.


@check("activations", "values at -2, 0 and 3", points=2)
def known_values(sub, rng):
    want = {
        "sigmoid": [0.11920292, 0.5, 0.95257413],
        "tanh": [-0.96402758, 0.0, 0.99505475],
        "relu": [0.0, 0.0, 3.0],
        "leaky_relu": [-0.02, 0.0, 3.0],
    }
    for func, values in want.items():
        expect.close(sub.call(func, Z), values, f"{func}([-2, 0, 3])",
                     hint=f"compare your formula for {func} with the one in the docstring.")


@check("activations", "derivatives at -2, 0 and 3", points=2)
def known_derivatives(sub, rng):
    want = {
        "sigmoid_derivative": [0.10499359, 0.25, 0.04517666],
        "tanh_derivative": [0.07065082, 1.0, 0.00986604],
        "relu_derivative": [0.0, 0.0, 1.0],
        "leaky_relu_derivative": [0.01, 0.01, 1.0],
    }
    for func, values in want.items():
        expect.close(sub.call(func, Z), values, f"{func}([-2, 0, 3])",
                     hint="each derivative takes z, the input of the activation, not its output.")
