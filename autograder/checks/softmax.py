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
