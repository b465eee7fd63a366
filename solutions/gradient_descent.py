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
