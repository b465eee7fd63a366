"""Mutants of gradient descent: the update, mini-batches, numerical gradients, training."""

from autograder.mutants.variant import aimed, patched, variants

_CHECKED_UPDATE = '''
    def sgd_update(params, grads, learning_rate):
        if params.keys() != grads.keys():
            raise ValueError("params and grads must have the same keys")
        for name in params:
            if np.shape(grads[name]) != np.shape(params[name]):
                raise ValueError(f"grads[{name!r}] has the wrong shape")
        return {name: STEP for name, theta in params.items()}
'''


def _update(step: str) -> str:
    return _CHECKED_UPDATE.replace("STEP", step)


MUTANTS = variants("gradient_descent", [
    ("sgd_plus", "the SGD step adds the gradient (θ + η·∇θ): it climbs the loss", "minus",
     _update("theta + learning_rate * grads[name]")),
    ("sgd_skips_bias", "SGD updates only the weights W..., the biases b... stay as they were", "bias",
     _update("theta - learning_rate * grads[name] if name.startswith('W') else theta")),
    ("sgd_in_place", "SGD updates the caller's arrays in place (theta -= ...) and returns the same dict",
     "new dict", '''
        def sgd_update(params, grads, learning_rate):
            if params.keys() != grads.keys():
                raise ValueError("params and grads must have the same keys")
            for name in params:
                if np.shape(grads[name]) != np.shape(params[name]):
                    raise ValueError(f"grads[{name!r}] has the wrong shape")
                params[name] -= learning_rate * grads[name]
            return params
    '''),
    ("sgd_no_checks", "SGD never raises ValueError: mismatched keys are ignored, shapes broadcast", "ValueError", '''
        def sgd_update(params, grads, learning_rate):
            return {name: theta - learning_rate * grads.get(name, 0) for name, theta in params.items()}
    '''),
    ("sgd_no_shape_check", "SGD checks the keys but not the shapes: a (1, 1) gradient broadcasts silently",
     "shape", '''
        def sgd_update(params, grads, learning_rate):
            if params.keys() != grads.keys():
                raise ValueError("params and grads must have the same keys")
            return {name: theta - learning_rate * grads[name] for name, theta in params.items()}
    '''),
    ("batches_shuffled_apart", "X and y shuffled with two different permutations: rows lose their labels",
     "both X and y", '''
        def iterate_minibatches(X, y, batch_size, rng):
            X = np.asarray(X)[rng.permutation(len(X))]
            y = np.asarray(y)[rng.permutation(len(y))]
            for start in range(0, len(X), batch_size):
                yield X[start:start + batch_size], y[start:start + batch_size]
    '''),
    ("batches_drop_last", "the last, smaller batch is dropped (range(n // batch_size))", "last", '''
        def iterate_minibatches(X, y, batch_size, rng):
            X = np.asarray(X)
            y = np.asarray(y)
            order = rng.permutation(len(X))
            for k in range(len(X) // batch_size):
                batch = order[k * batch_size:(k + 1) * batch_size]
                yield X[batch], y[batch]
    '''),
    ("batches_with_replacement", "batches drawn with replacement (rng.integers): some samples twice, some never",
     "without replacement", '''
        def iterate_minibatches(X, y, batch_size, rng):
            X = np.asarray(X)
            y = np.asarray(y)
            order = rng.integers(0, len(X), size=len(X))
            for start in range(0, len(X), batch_size):
                batch = order[start:start + batch_size]
                yield X[batch], y[batch]
    '''),
    ("batches_not_shuffled", "the batches come in the original order: no shuffling at all", "shuffle", '''
        def iterate_minibatches(X, y, batch_size, rng):
            X = np.asarray(X)
            y = np.asarray(y)
            for start in range(0, len(X), batch_size):
                yield X[start:start + batch_size], y[start:start + batch_size]
    '''),
    ("batches_global_random", "the order comes from np.random.permutation, not from the rng argument", "rng", '''
        def iterate_minibatches(X, y, batch_size, rng):
            X = np.asarray(X)
            y = np.asarray(y)
            order = np.random.permutation(len(X))
            for start in range(0, len(X), batch_size):
                batch = order[start:start + batch_size]
                yield X[batch], y[batch]
    '''),
    ("numgrad_forward", "the numerical gradient with forward differences (f(x + h) - f(x)) / h", "central", '''
        def numerical_gradient(f, x, h=1e-5):
            x = np.asarray(x, dtype=np.float64)
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                step = np.zeros(x.shape)
                step[i] = h
                grad[i] = (f(x + step) - f(x)) / h
            return grad
    '''),
    ("numgrad_rows", "the numerical gradient loops over range(len(x)): a 2-D x is perturbed a whole row at a time",
     "one element at a time", '''
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=np.float64)
            grad = np.zeros(x.shape)
            for i in range(len(x)):
                step = np.zeros(x.shape)
                step[i] = h
                grad[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad
    '''),
    ("numgrad_no_restore", "the numerical gradient nudges x in place and never puts the value back", "copy", '''
        def numerical_gradient(f, x, h=1e-5):
            x = np.asarray(x, dtype=np.float64)
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                x[i] += h
                f_plus = f(x)
                x[i] -= 2 * h
                grad[i] = (f_plus - f(x)) / (2 * h)
            return grad
    '''),
    ("train_sums_gradients", "training sums the gradients over the batch instead of averaging them", "average", '''
        def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
            X = np.asarray(X)
            y = np.asarray(y)
            rng = np.random.default_rng(seed)
            params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}
            history = []
            for epoch in range(epochs):
                losses = []
                for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
                    logits = X_batch @ params["W"] + params["b"]
                    losses.append(sparse_cross_entropy(y_batch, softmax(logits)))
                    dz = softmax(logits) - np.eye(n_classes)[y_batch]
                    params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
                history.append(float(np.mean(losses)))
            return params, history
    '''),
    ("train_history_last_batch", "the history records the loss of the epoch's last batch, not the mean",
     "mean", '''
        def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
            X = np.asarray(X)
            y = np.asarray(y)
            rng = np.random.default_rng(seed)
            params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}
            history = []
            for epoch in range(epochs):
                for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
                    logits = X_batch @ params["W"] + params["b"]
                    loss = sparse_cross_entropy(y_batch, softmax(logits))
                    dz = softmax_cross_entropy_gradient(logits, np.eye(n_classes)[y_batch])
                    params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
                history.append(float(loss))
            return params, history
    '''),
    ("train_random_init", "training starts from np.random weights instead of zeros: not reproducible", "zeros", '''
        def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
            X = np.asarray(X)
            y = np.asarray(y)
            rng = np.random.default_rng(seed)
            params = {"W": np.random.normal(0, 0.01, (X.shape[1], n_classes)), "b": np.zeros(n_classes)}
            history = []
            for epoch in range(epochs):
                losses = []
                for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
                    logits = X_batch @ params["W"] + params["b"]
                    losses.append(sparse_cross_entropy(y_batch, softmax(logits)))
                    dz = softmax_cross_entropy_gradient(logits, np.eye(n_classes)[y_batch])
                    params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
                history.append(float(np.mean(losses)))
            return params, history
    '''),
])

# Mistakes issue 11 found passing, each aimed at the check that names it.
MUTANTS += variants("gradient_descent", [
    ("batches_shuffle_in_place", "iterate_minibatches shuffles the caller's X and y in place, then slices them",
     "copy", '''
        def iterate_minibatches(X, y, batch_size, rng):
            order = rng.permutation(len(X))
            X[...] = X[order]
            y[...] = y[order]
            for start in range(0, len(X), batch_size):
                yield X[start:start + batch_size], y[start:start + batch_size]
    ''', "mini-batches leave X and y unchanged"),
    ("train_eye_max", "training builds the one-hot labels with np.eye(y.max() + 1): a missing class breaks it",
     "n_classes", patched("gradient_descent", ("y_one_hot = np.eye(n_classes)[y_batch]",
                                               "y_one_hot = np.eye(y.max() + 1)[y_batch]")),
     "training: missing classes, one sample, a last smaller batch"),
    ("numgrad_fixed_h", "the numerical gradient steps by a hard-coded 1e-5, ignoring its h argument", "h argument",
     patched("gradient_descent", ("        step[i] = h\n        grad[i] = (f(x + step) - f(x - step)) / (2 * h)",
                                  "        step[i] = 1e-5\n        grad[i] = (f(x + step) - f(x - step)) / (2 * 1e-5)")),
     "numerical gradient uses its step h"),
    ("sgd_learning_rate_ignored", "the SGD step subtracts the gradient itself: the learning rate is ignored",
     "η", patched("gradient_descent", ("new_params[name] = theta - learning_rate * grad",
                                       "new_params[name] = theta - grad")),
     "SGD update of every parameter"),
    ("train_seed_ignored", "training always uses np.random.default_rng(0), whatever seed is given", "seed", '''
        def train_softmax_regression(X, y, n_classes, learning_rate=0.5, epochs=50, batch_size=32, seed=0):
            X = np.asarray(X)
            y = np.asarray(y)
            rng = np.random.default_rng(0)
            params = {"W": np.zeros((X.shape[1], n_classes)), "b": np.zeros(n_classes)}
            history = []
            for epoch in range(epochs):
                losses = []
                for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
                    logits = X_batch @ params["W"] + params["b"]
                    losses.append(sparse_cross_entropy(y_batch, softmax(logits)))
                    dz = softmax_cross_entropy_gradient(logits, np.eye(n_classes)[y_batch])
                    params = sgd_update(params, {"W": X_batch.T @ dz, "b": dz.sum(axis=0)}, learning_rate)
                history.append(float(np.mean(losses)))
            return params, history
    ''', "training: mini-batch SGD on your own mini-batches"),
    ("train_learning_rate_ignored", "training always steps with 0.5, whatever learning_rate is given",
     "η", patched("gradient_descent", ("params = sgd_update(params, grads, learning_rate)",
                                                   "params = sgd_update(params, grads, 0.5)")),
     "training: full-batch steps match gradient descent"),
    ("train_rng_per_epoch", "training makes a new default_rng(seed) every epoch: every epoch has the same order",
     "once", patched("gradient_descent", ("    for epoch in range(epochs):\n        batch_losses = []\n",
                                          "    for epoch in range(epochs):\n        rng = np.random.default_rng(seed)\n"
                                          "        batch_losses = []\n")),
     "training: mini-batch SGD on your own mini-batches"),
    ("train_global_seed", "training seeds np.random once and never passes the seed to the batches",
     "default_rng", '''
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
    ''', "training: mini-batch SGD learns and is reproducible"),
])

MUTANTS += variants("gradient_descent", [
    ("sgd_hardcoded_keys", "sgd_update names 'W' and 'b' instead of looping over the keys of params",
     "keys", '''
        def sgd_update(params, grads, learning_rate):
            return {"W": params["W"] - learning_rate * grads["W"], "b": params["b"] - learning_rate * grads["b"]}
    ''', "SGD update of every parameter"),
])

# The check each of the mistakes above is aimed at (the audit verifies that it fails them).
MUTANTS = aimed(MUTANTS, {
    'sgd_plus': 'one SGD step on a small example',
    'batches_with_replacement': 'one epoch of mini-batches covers every sample once',
    'sgd_in_place': 'SGD update leaves params and grads unchanged',
    'sgd_no_checks': 'SGD update rejects mismatched gradients',
    'batches_drop_last': 'mini-batches: sizes and count',
    'batches_shuffled_apart': 'mini-batches: every sample exactly once, X and y together',
    'batches_global_random': 'mini-batches: shuffled by the given generator',
    'numgrad_forward': 'numerical gradient of known functions',
})
