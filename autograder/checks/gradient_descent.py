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


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of gradient descent: the update, mini-batches, numerical gradients, training.
#
# Tolerances: the table of :mod:`autograder.checks.tolerance` for the update and the
# training path (a few hundred float64 steps drift apart by ~1e-13 between correct
# formulas, while a summed, not averaged, gradient or a skipped bias is off by far more).
# The history holds cross-entropies, which may be computed with ln(ŷ + eps) instead of
# clipping: that moves each by up to ~1e-5 (see the hidden checks of autograder/checks/losses.py), so rtol =
# atol = 2e-5 there.
#
# Per-student inputs never decide a verdict on correct work: the clusters to learn are
# separated by construction, and "learns" is judged against the reference trained on the
# same data with the same settings (``nn101 audit --ids`` scans 1,000 ids for lost points).

from autograder.references import reference
from autograder.submission import StudentError


def _params(rng):
    d, c = (int(v) for v in rng.integers(2, 6, size=2))
    shapes = {"W1": (d, c), "b1": (c,), "W2": (c, 2), "b2": (2,)}
    params = {k: rng.normal(size=s) for k, s in shapes.items()}
    grads = {k: rng.normal(size=s) for k, s in shapes.items()}
    return params, grads


@check("gradient_descent", "SGD update of every parameter", points=2)
def sgd_random(sub, rng):
    ref = reference("gradient_descent")
    params, grads = _params(rng)
    lr = float(rng.uniform(0.01, 1.0))
    with expect.hinting(f"these params had the keys {', '.join(sorted(params))}: loop over params.items() "
                        "instead of naming 'W' and 'b'."):
        new = sub.call("sgd_update", params, grads, lr)
    want = ref.sgd_update(params, grads, lr)
    if not isinstance(new, dict) or set(new) != set(want):
        raise Fail("sgd_update should return a dict with exactly the keys of params.",
                   hint="loop over params.items() and build a new dict.")
    for key in want:
        expect.close(new[key], want[key], f"sgd_update(...)[{key!r}] for random parameters",
                     hint="θ ← θ - η·∇θ for every parameter: minus, not plus, and the bias too.")


@check("gradient_descent", "SGD update leaves params and grads unchanged")
def sgd_no_mutation(sub, rng):
    params, grads = _params(rng)
    _, after = sub.call_with_args("sgd_update", params, grads, 0.5)
    expect.unchanged([params, grads], after[:2], "sgd_update()")


@check("gradient_descent", "SGD update rejects mismatched gradients")
def sgd_errors(sub, rng):
    params, grads = _params(rng)
    wrong_key = {**grads, "extra": np.zeros(2)}
    wrong_shape = {**grads, "W1": np.zeros((1, 1))}
    for bad, what in ((wrong_key, "a gradient for a parameter that does not exist"),
                      (wrong_shape, "a gradient of the wrong shape")):
        try:
            sub.call("sgd_update", params, bad, 0.1)
        except StudentError as error:
            if error.exception == "ValueError":
                continue
            raise
        raise Fail(f"sgd_update accepted {what}; it should raise ValueError.",
                   hint="compare params.keys() with grads.keys() and each shape, "
                        "and raise ValueError with a message naming the key.")


def _epoch(sub, n, d, batch_size, seed, fresh=False):
    X = np.arange(n * d, dtype=float).reshape(n, d)  # row i starts with i*d: rows are recognisable
    y = np.arange(n)
    batches = sub.probe("minibatches", X, y, batch_size, seed, fresh=fresh)
    what = f"iterate_minibatches with {n} samples and batch_size={batch_size}"
    for xb, yb in batches:
        xb, yb = expect.array(xb, what), expect.array(yb, what)
        if xb.ndim != 2 or len(xb) != len(yb) or not np.array_equal(xb[:, 0], yb * d):
            raise Fail(f"{what} paired rows of X with the wrong labels.",
                       hint="shuffle one array of indices and use it for both X and y.")
    return what, [b[1] for b in batches]


@check("gradient_descent", "mini-batches: sizes and count", points=2)
def minibatch_sizes(sub, rng):
    for n, batch_size in ((50, 8), (48, 8), (7, 10), (5, 1)):
        what, labels = _epoch(sub, n, 3, batch_size, int(rng.integers(1 << 30)))
        sizes = [len(b) for b in labels]
        want = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
        if sizes != want:
            raise Fail(f"{what} gave batches of sizes {sizes[:12]}{' ...' if len(sizes) > 12 else ''}; "
                       f"there should be ceil({n} / {batch_size}) batches, all of size {batch_size} "
                       "except possibly a smaller last one.",
                       hint="keep the last, smaller batch, and make no empty batch: "
                            "ceil(n / batch_size) batches in all.")


@check("gradient_descent", "mini-batches: every sample exactly once, X and y together", points=2)
def minibatch_cover(sub, rng):
    for n, batch_size in ((50, 8), (33, 32)):
        what, labels = _epoch(sub, n, 2, batch_size, int(rng.integers(1 << 30)))
        seen = np.concatenate(labels) if labels else np.array([])
        if sorted(seen.tolist()) != list(range(n)):
            raise Fail(f"{what} did not give every sample exactly once.",
                       hint="shuffle the indices without replacement (rng.permutation(n)), then slice them.")


@check("gradient_descent", "mini-batches leave X and y unchanged")
def minibatch_no_mutation(sub, rng):
    X, y = rng.normal(size=(23, 3)), rng.integers(0, 4, size=23)
    after = sub.probe("minibatch_inputs", X, y, 5, int(rng.integers(1 << 30)))
    expect.unchanged([X, y], [after["X_after"], after["y_after"]], "iterate_minibatches(X, y, ...)")


@check("gradient_descent", "mini-batches: shuffled by the given generator", points=2)
def minibatch_shuffle(sub, rng):
    seed = int(rng.integers(1 << 30))
    what, first = _epoch(sub, 40, 2, 8, seed)
    _, again = _epoch(sub, 40, 2, 8, seed, fresh=True)  # the repetition is the point: never from memory
    _, other = _epoch(sub, 40, 2, 8, seed + 1)
    order, order_again, order_other = (np.concatenate(b).tolist() if b else [] for b in (first, again, other))
    if sorted(order) != list(range(40)):
        raise Fail(f"{what} did not give every sample exactly once.",
                   hint="shuffle the indices without replacement (rng.permutation(n)), then slice them.")
    if order == list(range(40)):
        raise Fail(f"{what} returned the samples in their original order.",
                   hint="shuffle the sample indices at the start of every epoch.")
    if order != order_again:
        raise Fail(f"{what} gave a different order for the same generator seed.",
                   hint="use the rng argument (rng.permutation), not np.random.")
    if order == order_other:
        raise Fail(f"{what} gave the same order for different generator seeds.",
                   hint="draw the order from the rng argument.")


def _numerical(sub, name, x, params, want, what):
    with expect.hinting("perturb one element at a time: x_plus = x.copy(); x_plus[i] += h."):
        result = sub.probe("numerical_gradient", name, x, params)
    expect.unchanged([x], [result["x_after"]], "numerical_gradient(f, x)")
    got = expect.array(result["gradient"], what)
    expect.shape(got, x.shape, what, hint="return one partial derivative per element of x.")
    # central differences are accurate to ~h²·f''' + eps·|f|/h ≈ 1e-10 here; a forward
    # difference is off by ~h·f''/2 ≈ 5e-6, so 1e-7 tells them apart
    expect.close(got, want, what,
                 hint="use central differences (f(x + h) - f(x - h)) / (2h), one element at a time "
                      "(np.ndindex(x.shape) visits every element of a 2-D x).")


@check("gradient_descent", "numerical gradient uses its step h")
def numerical_gradient_step(sub, rng):
    # with h = 0.1 central differences of sin are off by ~h²/6 = 2e-3: the reference with the
    # same h is off by the same amount, a gradient that ignores h (uses 1e-5) is not
    x, w = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)) * 2
    what = "numerical_gradient(f, x, h=0.1) of f(x) = Σ w·sin(x)"
    want = reference("gradient_descent").numerical_gradient(lambda p: float(np.sum(np.sin(p) * w)), x, h=0.1)
    with expect.hinting("perturb one element at a time by the h argument."):
        result = sub.probe("numerical_gradient", "sin_weighted", x, w, h=0.1)
    got = expect.array(result["gradient"], what)
    expect.close(got, want, what, hint="use the h argument as the step: (f(x + h·e_i) - f(x - h·e_i)) / (2h), "
                                       "not a fixed 1e-5.")


@check("gradient_descent", "numerical gradient of known functions", points=2)
def numerical_gradient(sub, rng):
    x = rng.normal(size=6)
    a = rng.normal(size=(6, 6))
    a = a + a.T
    _numerical(sub, "quadratic", x, a, a @ x, "numerical_gradient of f(x) = ½·xᵀAx")
    x2 = rng.normal(size=(3, 4))
    w = rng.normal(size=(3, 4)) * 2
    _numerical(sub, "sin_weighted", x2, w, np.cos(x2) * w, "numerical_gradient of f(x) = Σ w·sin(x) for a 3x4 x")
    x3 = rng.normal(size=5)
    p = np.exp(x3 - x3.max())
    _numerical(sub, "log_sum_exp", x3, np.zeros(5), p / p.sum(), "numerical_gradient of f(x) = log Σ e^x")


def _blobs(rng, n_per_class=30, d=4, c=3, spread=5.0):
    """Well-separated clusters: c centers at distance spread·√2 from each other, unit noise."""
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    centers = spread * q[:c]
    X = np.concatenate([centers[k] + rng.normal(size=(n_per_class, d)) for k in range(c)])
    y = np.repeat(np.arange(c), n_per_class)
    return X, y


def _accuracy(params, X, y) -> float:
    return float(np.mean(np.argmax(X @ params["W"] + params["b"], axis=1) == y))


def _train(sub, X, y, what, **kwargs):
    """Call train_softmax_regression; check it returns (params dict, history of floats)."""
    return _checked_training(sub.call("train_softmax_regression", X, y, 3, **kwargs), what)


def _checked_training(result, what):
    """(params with W and b as arrays, history as floats), or Fail saying what came back."""
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], dict)
            and set(result[0]) == {"W", "b"}):
        raise Fail(f"{what}: train_softmax_regression should return (params, history) "
                   "with params = {'W': ..., 'b': ...}.", shown=f"Got {expect.kind_of(result)}.")
    params, history = result
    try:
        history = np.asarray(history, dtype=float)
    except (TypeError, ValueError):
        raise Fail(f"{what}: history should be a list of numbers, one loss per epoch.") from None
    return {k: expect.array(v, f"{what}: params[{k!r}]") for k, v in params.items()}, history


def _sgd_path(plan, d, c, learning_rate):
    """The reference's parameters and history after SGD on the batches of ``plan``."""
    losses, softmax = reference("losses"), reference("softmax").softmax
    sgd_update = reference("gradient_descent").sgd_update
    params, history = {"W": np.zeros((d, c)), "b": np.zeros(c)}, []
    for epoch in plan:
        batch_losses = []
        for X_batch, y_batch in epoch:
            logits = X_batch @ params["W"] + params["b"]
            batch_losses.append(losses.sparse_cross_entropy(y_batch, softmax(logits)))
            dz = losses.softmax_cross_entropy_gradient(logits, np.eye(c)[y_batch])
            params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
        history.append(float(np.mean(batch_losses)))
    return params, np.array(history)


def _expect_path(params, history, want_params, want_history, what, hint):
    for key in ("W", "b"):
        expect.close(params[key], want_params[key], f"{what}: params[{key!r}]", hint=hint)
    expect.close(history, want_history, f"{what}: the history of losses", rtol=2e-5, atol=2e-5,
                 hint="history[e] is the mean of the batch losses of epoch e, each measured with the "
                      "parameters just before that batch's update.")


@check("gradient_descent", "training: full-batch steps match gradient descent", points=2)
def training_full_batch(sub, rng):
    X, y = _blobs(rng)
    kwargs = dict(learning_rate=0.3, epochs=3, batch_size=len(X), seed=1)
    what = "train_softmax_regression with batch_size = n (one step per epoch)"
    params, history = _train(sub, X, y, what, **kwargs)
    want, want_history = _sgd_path([[(X, y)]] * 3, X.shape[1], 3, 0.3)
    _expect_path(params, history, want, want_history, what,
                 hint="start from zeros; each step is W ← W - η·Xᵀ(softmax(XW + b) - Y)/n and "
                      "b ← b - η·(column sums of softmax(XW + b) - Y)/n: average the gradient over "
                      "the batch, do not sum it, and update the bias too.")


@check("gradient_descent", "training: mini-batch SGD on your own mini-batches", points=2)
def training_replay(sub, rng):
    X, y = _blobs(rng, n_per_class=40)
    seed, epochs, batch_size = int(rng.integers(1 << 30)), 6, 20  # 120 = 6 batches of 20
    want, want_history = _replayed(sub, X, y, 3, 0.5, epochs, batch_size, seed)
    what = f"train_softmax_regression with batch_size={batch_size} for {epochs} epochs"
    params, history = _train(sub, X, y, what, learning_rate=0.5, epochs=epochs, batch_size=batch_size, seed=seed)
    _expect_path(params, history, want, want_history, what,
                 hint="use rng = np.random.default_rng(seed) once, iterate_minibatches(X, y, batch_size, rng) "
                      "every epoch, and for each batch average the gradient over the batch before the update.")


def _replayed(sub, X, y, n_classes, learning_rate, epochs, batch_size, seed):
    """The reference's SGD on the student's own mini-batches (as training sees them)."""
    plan = sub.probe("minibatch_epochs", X, y, batch_size, seed, epochs)
    again = sub.probe("minibatch_epochs", X, y, batch_size, seed, epochs, fresh=True)
    if not _same_plan(plan, again):
        raise Fail("train_softmax_regression could not be compared with gradient descent because "
                   "iterate_minibatches gave other batches for the same seed.",
                   hint="draw the order from the rng argument (rng.permutation(n)), not from np.random.")
    try:
        plan = [[(np.asarray(xb, dtype=float), np.asarray(yb).astype(int)) for xb, yb in epoch] for epoch in plan]
        return _sgd_path(plan, X.shape[1], n_classes, learning_rate)
    except (TypeError, ValueError, IndexError):
        raise Fail("train_softmax_regression could not be checked because iterate_minibatches did not "
                   "give (X_batch, y_batch) pairs of arrays.",
                   hint="make the mini-batch checks pass first.") from None


def _same_plan(a, b) -> bool:
    """Whether two answers of the minibatch_epochs probe hold the same batches."""
    try:
        return len(a) == len(b) and all(
            len(ea) == len(eb) and all(np.array_equal(np.asarray(xa), np.asarray(xb)) and
                                       np.array_equal(np.asarray(ya), np.asarray(yb))
                                       for (xa, ya), (xb, yb) in zip(ea, eb)) for ea, eb in zip(a, b))
    except (TypeError, ValueError):
        return False


@check("gradient_descent", "training: missing classes, one sample, a last smaller batch", points=2)
def training_edge_data(sub, rng):
    X = rng.normal(size=(50, 3))
    cases_ = (("labels 0 and 1 only, with n_classes=3 (class 2 never occurs)", X[:30],
               rng.integers(0, 2, size=30), 16),
              ("one sample", X[:1], np.array([int(rng.integers(0, 3))]), 4),
              ("50 samples with batch_size=16 (the last batch holds 2)", X, rng.integers(0, 3, size=50), 16))
    for label, X_case, y_case, batch_size in cases_:
        seed = int(rng.integers(1 << 30))
        what = f"train_softmax_regression on {label}"
        kwargs = dict(learning_rate=0.2, epochs=2, batch_size=batch_size, seed=seed)
        with expect.hinting("build the one-hot labels with np.eye(n_classes)[y_batch]: the number of classes "
                            "is n_classes, not y.max() + 1 (a class may be missing from y)."):
            result, after = sub.call_with_args("train_softmax_regression", X_case, y_case, 3, **kwargs)
        expect.unchanged([X_case, y_case], after[:2], what)
        params, history = _checked_training(result, what)
        want, _ = _replayed(sub, X_case, y_case, 3, 0.2, 2, batch_size, seed)
        # the parameters only: a history weighted by batch size is fine too (graded elsewhere)
        for key in ("W", "b"):
            expect.close(params[key], want[key], f"{what}: params[{key!r}]",
                         hint="W has shape (D, n_classes) and b (n_classes,) even when a class is missing; "
                              "use every batch, the last smaller one too.")


@check("gradient_descent", "training: mini-batch SGD learns and is reproducible")
def training_learns(sub, rng):
    X, y = _blobs(rng, n_per_class=30)
    epochs, settings = 10, dict(batch_size=16, seed=3)
    what = "train_softmax_regression on three well-separated clusters"
    params, history = _train(sub, X, y, what, epochs=epochs, **settings)
    if history.shape != (epochs,) or not np.all(np.isfinite(history)):
        raise Fail(f"{what}: history should hold one finite loss per epoch ({epochs} values).",
                   hint="append the mean batch loss once per epoch, after the loop over the batches.")
    want_params, want_history = reference("gradient_descent").train_softmax_regression(X, y, 3, epochs=epochs,
                                                                                        **settings)
    if want_history[-1] < 0.9 * want_history[0] and not history[-1] < history[0]:
        raise Fail(f"{what}: the loss did not go down.", hint="step against the gradient: θ ← θ - η·∇θ.")
    W, b = params["W"], params["b"]
    expect.shape(W, (4, 3), f"{what}: params['W']")
    expect.shape(b, (3,), f"{what}: params['b']")
    # judged against the reference on the same data: the threshold can never fail correct work
    needed = min(0.9, _accuracy(want_params, X, y) - 0.05)
    accuracy = _accuracy(params, X, y)
    if accuracy < needed:
        raise Fail(f"{what}: training accuracy {accuracy:.2f}; at least {needed:.2f} is needed.",
                   hint="check the gradient of W (Xᵀ·dz) and b (sum of dz over the rows).")
    again, _ = _train(sub, X, y, what, epochs=epochs, **settings)
    expect.close(again["W"], W, f"{what}: a second run with the same seed",
                 hint="start from zeros and draw the batch order from np.random.default_rng(seed) only.")
