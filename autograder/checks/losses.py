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
