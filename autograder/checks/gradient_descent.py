"""Visible checks: one gradient-descent step and one epoch of mini-batches."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import Fail, check


@check("gradient_descent", "one SGD step on a small example")
def sgd_example(sub, rng):
    params = {"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": np.array([0.5, -0.5])}
    grads = {"W": np.array([[1.0, 0.0], [0.0, -2.0]]), "b": np.array([1.0, 1.0])}
    new = sub.call("sgd_update", params, grads, 0.1)
    if not isinstance(new, dict) or set(new) != {"W", "b"}:
        raise Fail("sgd_update should return a dict with the same keys as params.",
                   shown=f"Got {expect.kind_of(new)}.", hint="build {name: new value} for every name in params.")
    expect.close(new["W"], [[0.9, 2.0], [3.0, 4.2]], "sgd_update(...)['W'] with learning_rate=0.1",
                 hint="θ ← θ - η·∇θ: subtract the learning rate times the gradient.")
    expect.close(new["b"], [0.4, -0.6], "sgd_update(...)['b'] with learning_rate=0.1",
                 hint="update every parameter, the bias too.")


@check("gradient_descent", "one epoch of mini-batches covers every sample once")
def minibatch_example(sub, rng):
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    batches = sub.probe("minibatches", X, y, 4, 0)
    sizes = [len(b[1]) for b in batches]
    if sizes != [4, 4, 2]:
        raise Fail(f"iterate_minibatches with 10 samples and batch_size=4 gave batches of sizes {sizes}.",
                   shown="Expected sizes [4, 4, 2].", hint="the last batch holds the samples that are left over.")
    seen = np.concatenate([b[1] for b in batches])
    if sorted(seen.tolist()) != list(range(10)):
        raise Fail("iterate_minibatches did not give every sample exactly once.",
                   shown=f"Labels seen: {seen.tolist()}.", hint="shuffle the indices once, then slice them.")
