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
