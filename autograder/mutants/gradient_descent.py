"""Mutants of gradient descent: the update, mini-batches, numerical gradients, training."""

from autograder.mutants.variant import variants

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
