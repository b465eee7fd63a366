"""Training with (stochastic) gradient descent.

Gradient descent looks for the lowest point of the loss landscape: the gradient points
uphill, so take a step of size learning_rate (eta) the other way and repeat:

    theta <- theta - eta * grad L(theta)

Stochastic gradient descent estimates the gradient on a small random mini-batch instead of
the whole training set. One pass over all training samples is an epoch: with n samples and
batch size B it takes ceil(n / B) updates.

Shapes: N samples, D features, C classes. Parameters are kept in a dict of arrays, e.g.
{"W": (D, C), "b": (C,)}, with a gradient dict of the same keys and shapes.
"""

import numpy as np
from losses import softmax_cross_entropy_gradient, sparse_cross_entropy
from softmax import softmax


def sgd_update(params, grads, learning_rate):
    """One gradient-descent step, theta <- theta - eta * grad, for every parameter.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - params: dict name -> array, the current parameters.
    - grads: dict name -> array, the gradient of the loss for each parameter (same keys and
      shapes as params).
    - learning_rate: step size eta, a positive number.

    Returns:
    - new_params: a new dict name -> array; params and grads are left unchanged.

    Raises:
    - ValueError: if the keys of params and grads differ, or a gradient's shape differs from
      its parameter's shape (the message names the key).
    """
    ### BEGIN SOLUTION
    if params.keys() != grads.keys():
        raise ValueError(
            "params and grads must have the same keys; "
            f"only in params: {sorted(params.keys() - grads.keys())}, "
            f"only in grads: {sorted(grads.keys() - params.keys())}"
        )
    new_params = {}
    for name, theta in params.items():
        theta = np.asarray(theta)
        grad = np.asarray(grads[name])
        if grad.shape != theta.shape:
            raise ValueError(
                f"grads[{name!r}] has shape {grad.shape}, "
                f"but params[{name!r}] has shape {theta.shape}"
            )
        new_params[name] = theta - learning_rate * grad
    return new_params
    ### END SOLUTION


def iterate_minibatches(X, y, batch_size, rng):
    """Yield the mini-batches of one epoch, in a random order.

    Shuffle the row indices once with rng.permutation(N), then cut them into consecutive
    slices of batch_size. Every sample appears exactly once; there are ceil(N / batch_size)
    batches and the last one may be smaller.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - X: features, shape (N, D).
    - y: targets, shape (N,) or (N, C); row i belongs to X[i].
    - batch_size: samples per batch, a positive int.
    - rng: a numpy.random.Generator, e.g. np.random.default_rng(0).

    Yields:
    - (X_batch, y_batch): shapes (B, D) and (B,) or (B, C), with B <= batch_size.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    ### BEGIN SOLUTION
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        yield X[batch], y[batch]
    ### END SOLUTION


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function by central differences, to check analytic gradients.

    For every element x_i:  df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h),
    where e_i is 1 at position i and 0 elsewhere.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - f: function taking an array shaped like x and returning a number.
    - x: the point, a float array of any shape; it is not modified.
    - h: step size.

    Returns:
    - grad: array of the same shape as x.
    """
    x = np.asarray(x, dtype=np.float64)
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        step = np.zeros(x.shape)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad
    ### END SOLUTION


def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
    """Train softmax regression (a network with no hidden layer) by mini-batch SGD.

    The model: probabilities = softmax(X @ W + b). For each mini-batch, with logits
    z = X_batch @ W + b and dz = softmax_cross_entropy_gradient(z, one-hot y_batch):

        grad W = X_batch.T @ dz      (D, C)
        grad b = sum of dz over rows (C,)

    W and b start at zero; batches come from iterate_minibatches with
    rng = np.random.default_rng(seed), so the same seed gives the same result.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - X: features, shape (N, D).
    - y: integer labels in [0, n_classes), shape (N,).
    - n_classes: number of classes C.
    - learning_rate, epochs, batch_size: the SGD settings.
    - seed: seed of the random batch order.

    Returns:
    - params: {"W": array (D, C), "b": array (C,)}.
    - history: list of `epochs` floats; entry e is the mean over the batches of epoch e of the
      sparse cross-entropy of each batch, measured just before that batch's update.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}
    history = []
    ### BEGIN SOLUTION
    for epoch in range(epochs):
        batch_losses = []
        for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
            logits = X_batch @ params["W"] + params["b"]
            batch_losses.append(sparse_cross_entropy(y_batch, softmax(logits)))
            y_one_hot = np.eye(n_classes)[y_batch]
            dz = softmax_cross_entropy_gradient(logits, y_one_hot)
            grads = {"W": X_batch.T @ dz, "b": np.sum(dz, axis=0)}
            params = sgd_update(params, grads, learning_rate)
        history.append(float(np.mean(batch_losses)))
    ### END SOLUTION
    return params, history


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "sgd_plus": {
        "mistake": "the SGD step adds the gradient (θ + η·∇θ): it climbs the loss",
        "patch": {
            "new_params[name] = theta - learning_rate * grad":
                "new_params[name] = theta + learning_rate * grad",
        },
        "feedback names": "minus",
        "caught by": "one SGD step on a small example",
    },
    "sgd_skips_bias": {
        "mistake": "SGD updates only the weights W..., the biases b... stay as they were",
        "patch": {
            "new_params[name] = theta - learning_rate * grad":
                'new_params[name] = theta - learning_rate * grad if name.startswith("W") else theta',
        },
        "feedback names": "bias",
    },
    "sgd_in_place": {
        "mistake": "SGD updates the caller's arrays in place (theta -= ...) and returns the same dict",
        "code": '''
            def sgd_update(params, grads, learning_rate):
                if params.keys() != grads.keys():
                    raise ValueError("params and grads must have the same keys")
                for name in params:
                    if np.shape(grads[name]) != np.shape(params[name]):
                        raise ValueError(f"grads[{name!r}] has the wrong shape")
                    params[name] -= learning_rate * grads[name]
                return params
        ''',
        "feedback names": "new dict",
        "caught by": "SGD update leaves params and grads unchanged",
    },
    "sgd_no_checks": {
        "mistake": "SGD never raises ValueError: mismatched keys are ignored, shapes broadcast",
        "code": '''
            def sgd_update(params, grads, learning_rate):
                return {name: theta - learning_rate * grads.get(name, 0) for name, theta in params.items()}
        ''',
        "feedback names": "ValueError",
        "caught by": "SGD update rejects mismatched gradients",
    },
    "sgd_no_shape_check": {
        "mistake": "SGD checks the keys but not the shapes: a (1, 1) gradient broadcasts silently",
        "code": '''
            def sgd_update(params, grads, learning_rate):
                if params.keys() != grads.keys():
                    raise ValueError("params and grads must have the same keys")
                return {name: theta - learning_rate * grads[name] for name, theta in params.items()}
        ''',
        "feedback names": "shape",
    },
    "batches_shuffled_apart": {
        "mistake": "X and y shuffled with two different permutations: rows lose their labels",
        "code": '''
            def iterate_minibatches(X, y, batch_size, rng):
                X = np.asarray(X)[rng.permutation(len(X))]
                y = np.asarray(y)[rng.permutation(len(y))]
                for start in range(0, len(X), batch_size):
                    yield X[start:start + batch_size], y[start:start + batch_size]
        ''',
        "feedback names": "both X and y",
        "caught by": "mini-batches: every sample exactly once, X and y together",
    },
    "batches_drop_last": {
        "mistake": "the last, smaller batch is dropped (range(n // batch_size))",
        "patch": {
            "    for start in range(0, len(X), batch_size):\n        batch = order[start:start + batch_size]\n":
                "    for k in range(len(X) // batch_size):\n        batch = order[k * batch_size:(k + 1) * batch_size]\n",
        },
        "feedback names": "last",
        "caught by": "mini-batches: sizes and count",
    },
    "batches_with_replacement": {
        "mistake": "batches drawn with replacement (rng.integers): some samples twice, some never",
        "patch": {
            "    order = rng.permutation(len(X))\n": "    order = rng.integers(0, len(X), size=len(X))\n",
        },
        "feedback names": "without replacement",
        "caught by": "one epoch of mini-batches covers every sample once",
    },
    "batches_not_shuffled": {
        "mistake": "the batches come in the original order: no shuffling at all",
        "patch": {
            "    order = rng.permutation(len(X))\n": "",
            "        batch = order[start:start + batch_size]\n        yield X[batch], y[batch]\n":
                "        yield X[start:start + batch_size], y[start:start + batch_size]\n",
        },
        "feedback names": "shuffle",
    },
    "batches_global_random": {
        "mistake": "the order comes from np.random.permutation, not from the rng argument",
        "patch": {"    order = rng.permutation(len(X))\n": "    order = np.random.permutation(len(X))\n"},
        "feedback names": "rng",
        "caught by": "mini-batches: shuffled by the given generator",
    },
    "numgrad_forward": {
        "mistake": "the numerical gradient with forward differences (f(x + h) - f(x)) / h",
        "patch": {
            "        grad[i] = (f(x + step) - f(x - step)) / (2 * h)\n":
                "        grad[i] = (f(x + step) - f(x)) / h\n",
        },
        "feedback names": "central",
        "caught by": "numerical gradient of known functions",
    },
    "numgrad_rows": {
        "mistake": "the numerical gradient loops over range(len(x)): a 2-D x is perturbed a whole row at a time",
        "patch": {
            "    x = np.asarray(x, dtype=np.float64)\n": "    x = np.array(x, dtype=np.float64)\n",
            "    for i in np.ndindex(x.shape):\n": "    for i in range(len(x)):\n",
        },
        "feedback names": "one element at a time",
    },
    "numgrad_no_restore": {
        "mistake": "the numerical gradient nudges x in place and never puts the value back",
        "code": '''
            def numerical_gradient(f, x, h=1e-5):
                x = np.asarray(x, dtype=np.float64)
                grad = np.zeros(x.shape)
                for i in np.ndindex(x.shape):
                    x[i] += h
                    f_plus = f(x)
                    x[i] -= 2 * h
                    grad[i] = (f_plus - f(x)) / (2 * h)
                return grad
        ''',
        "feedback names": "copy",
    },
    "train_sums_gradients": {
        "mistake": "training sums the gradients over the batch instead of averaging them",
        "patch": {
            "dz = softmax_cross_entropy_gradient(logits, y_one_hot)":
                "dz = softmax(logits) - y_one_hot",
        },
        "feedback names": "average",
    },
    "train_history_last_batch": {
        "mistake": "the history records the loss of the epoch's last batch, not the mean",
        "patch": {"history.append(float(np.mean(batch_losses)))": "history.append(float(batch_losses[-1]))"},
        "feedback names": "mean",
    },
    "train_random_init": {
        "mistake": "training starts from np.random weights instead of zeros: not reproducible",
        "patch": {
            'params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}':
                'params = {"W": np.random.normal(0, 0.01, (X.shape[1], n_classes)), "b": np.zeros(n_classes)}',
        },
        "feedback names": "zeros",
    },
    "batches_shuffle_in_place": {
        "mistake": "iterate_minibatches shuffles the caller's X and y in place, then slices them",
        "code": '''
            def iterate_minibatches(X, y, batch_size, rng):
                order = rng.permutation(len(X))
                X[...] = X[order]
                y[...] = y[order]
                for start in range(0, len(X), batch_size):
                    yield X[start:start + batch_size], y[start:start + batch_size]
        ''',
        "feedback names": "copy",
        "caught by": "mini-batches leave X and y unchanged",
    },
    "train_eye_max": {
        "mistake": "training builds the one-hot labels with np.eye(y.max() + 1): a missing class breaks it",
        "patch": {"y_one_hot = np.eye(n_classes)[y_batch]": "y_one_hot = np.eye(y.max() + 1)[y_batch]"},
        "feedback names": "n_classes",
        "caught by": "training: missing classes, one sample, a last smaller batch",
    },
    "numgrad_fixed_h": {
        "mistake": "the numerical gradient steps by a hard-coded 1e-5, ignoring its h argument",
        "patch": {
            "        step[i] = h\n        grad[i] = (f(x + step) - f(x - step)) / (2 * h)":
                "        step[i] = 1e-5\n        grad[i] = (f(x + step) - f(x - step)) / (2 * 1e-5)",
        },
        "feedback names": "h argument",
        "caught by": "numerical gradient uses its step h",
    },
    "sgd_learning_rate_ignored": {
        "mistake": "the SGD step subtracts the gradient itself: the learning rate is ignored",
        "patch": {"new_params[name] = theta - learning_rate * grad": "new_params[name] = theta - grad"},
        "feedback names": "η",
        "caught by": "SGD update of every parameter",
    },
    "train_seed_ignored": {
        "mistake": "training always uses np.random.default_rng(0), whatever seed is given",
        "patch": {"    rng = np.random.default_rng(seed)\n": "    rng = np.random.default_rng(0)\n"},
        "feedback names": "seed",
        "caught by": "training: mini-batch SGD on your own mini-batches",
    },
    "train_learning_rate_ignored": {
        "mistake": "training always steps with 0.5, whatever learning_rate is given",
        "patch": {
            "params = sgd_update(params, grads, learning_rate)": "params = sgd_update(params, grads, 0.5)",
        },
        "feedback names": "η",
        "caught by": "training: full-batch steps match gradient descent",
    },
    "train_rng_per_epoch": {
        "mistake": "training makes a new default_rng(seed) every epoch: every epoch has the same order",
        "patch": {
            "    for epoch in range(epochs):\n        batch_losses = []\n":
                "    for epoch in range(epochs):\n        rng = np.random.default_rng(seed)\n        batch_losses = []\n",
        },
        "feedback names": "once",
        "caught by": "training: mini-batch SGD on your own mini-batches",
    },
    "train_global_seed": {
        "mistake": "training seeds np.random once and never passes the seed to the batches",
        "code": '''
            def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
                X = np.asarray(X)
                y = np.asarray(y)
                params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}
                history = []
                for epoch in range(epochs):
                    losses = []
                    for X_batch, y_batch in iterate_minibatches(X, y, batch_size, np.random.default_rng()):
                        logits = X_batch @ params["W"] + params["b"]
                        losses.append(sparse_cross_entropy(y_batch, softmax(logits)))
                        dz = softmax_cross_entropy_gradient(logits, np.eye(n_classes)[y_batch])
                        params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
                    history.append(float(np.mean(losses)))
                return params, history
        ''',
        "feedback names": "default_rng",
        "caught by": "training: mini-batch SGD learns and is reproducible",
    },
    "sgd_hardcoded_keys": {
        "mistake": "sgd_update names 'W' and 'b' instead of looping over the keys of params",
        "code": '''
            def sgd_update(params, grads, learning_rate):
                return {"W": params["W"] - learning_rate * grads["W"], "b": params["b"] - learning_rate * grads["b"]}
        ''',
        "feedback names": "keys",
        "caught by": "SGD update of every parameter",
    },
}

ALTERNATIVES = {
    "comprehensions_and_shuffle": {
        "differs": "dict comprehension, rng.shuffle of an index array, in-place nudges on a private copy, the gradient written out",
        "code": '''
            def sgd_update(params, grads, learning_rate):
                if set(params) != set(grads):
                    raise ValueError(f"keys differ: {sorted(set(params) ^ set(grads))}")
                bad = [k for k in params if np.shape(params[k]) != np.shape(grads[k])]
                if bad:
                    raise ValueError(f"shape mismatch for {bad[0]!r}")
                return {k: np.subtract(params[k], np.multiply(learning_rate, grads[k])) for k in params}

            def iterate_minibatches(X, y, batch_size, rng):
                X = np.asarray(X)
                y = np.asarray(y)
                order = np.arange(len(X))
                rng.shuffle(order)
                for start in range(0, len(order), batch_size):
                    yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]

            def numerical_gradient(f, x, h=1e-5):
                point = np.array(x, dtype=np.float64, copy=True)
                grad = np.empty_like(point)
                flat, out = point.reshape(-1), grad.reshape(-1)
                for i in range(flat.size):
                    old = flat[i]
                    flat[i] = old + h
                    f_plus = f(point)
                    flat[i] = old - h
                    f_minus = f(point)
                    flat[i] = old
                    out[i] = (f_plus - f_minus) / (2 * h)
                return grad

            def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
                X = np.asarray(X)
                y = np.asarray(y)
                rng = np.random.default_rng(seed)
                W, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)
                history = []
                for _ in range(epochs):
                    losses = []
                    for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
                        p = softmax(X_batch @ W + b)
                        losses.append(-np.mean(np.log(np.clip(p[np.arange(len(y_batch)), y_batch], 1e-7, 1 - 1e-7))))
                        p[np.arange(len(y_batch)), y_batch] -= 1
                        W = W - learning_rate * X_batch.T @ p / len(y_batch)
                        b = b - learning_rate * p.mean(axis=0)
                    history.append(float(np.mean(losses)))
                return {"W": W, "b": b}, history
        ''',
    },
    "ceil_loop_weighted_history": {
        "differs": "ceil(n / B) batch loop, ValueError from a KeyError, np.nditer for the gradient, history weighted by batch size",
        "code": '''
            import math

            def sgd_update(params, grads, learning_rate):
                new = {}
                for name in params:
                    try:
                        grad = np.asarray(grads[name])
                    except KeyError:
                        raise ValueError(f"no gradient for {name!r}") from None
                    if grad.shape != np.shape(params[name]):
                        raise ValueError(f"gradient of {name!r} has shape {grad.shape}")
                    new[name] = params[name] - learning_rate * grad
                if len(grads) != len(params):
                    raise ValueError("grads has keys that params does not have")
                return new

            def iterate_minibatches(X, y, batch_size, rng):
                X = np.asarray(X)
                y = np.asarray(y)
                order = rng.permutation(len(X))
                for k in range(math.ceil(len(X) / batch_size)):
                    batch = order[k * batch_size:(k + 1) * batch_size]
                    yield X[batch], y[batch]

            def numerical_gradient(f, x, h=1e-5):
                x = np.asarray(x, dtype=np.float64)
                grad = np.zeros_like(x)
                it = np.nditer(x, flags=["multi_index"])
                for _ in it:
                    e = np.zeros_like(x)
                    e[it.multi_index] = h
                    grad[it.multi_index] = (f(x + e) - f(x - e)) / (2 * h)
                return grad

            def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
                X = np.asarray(X)
                y = np.asarray(y)
                rng = np.random.default_rng(seed)
                params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}
                history = []
                for _ in range(epochs):
                    total = 0.0
                    for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
                        logits = X_batch @ params["W"] + params["b"]
                        total += sparse_cross_entropy(y_batch, softmax(logits)) * len(y_batch)
                        dz = softmax_cross_entropy_gradient(logits, np.eye(n_classes)[y_batch])
                        params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
                    history.append(total / len(X))
                return params, history
        ''',
    },
}
