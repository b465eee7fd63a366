"""Correct gradient-descent code written differently from the reference."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("gradient_descent", [
    ("comprehensions_and_shuffle", "dict comprehension, rng.shuffle of an index array, in-place nudges on a "
     "private copy, the gradient written out", '''
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
    '''),
    ("ceil_loop_weighted_history", "ceil(n / B) batch loop, ValueError from a KeyError, np.nditer for the "
     "gradient, history weighted by batch size", '''
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
    '''),
])
