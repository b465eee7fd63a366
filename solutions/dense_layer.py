"""A fully connected (dense) layer, and the size of a network built from such layers.

A layer of H neurons sees all D outputs of the previous layer. Neuron j has one weight per
input and one bias, so the layer stores a weight matrix W of shape (D, H) (column j holds
the weights of neuron j) and a bias vector b of shape (H,). For one sample x of shape (D,):

    z = x · W + b        pre-activation, shape (H,)
    a = f(z)             output, shape (H,), f applied elementwise

With N samples stacked as rows of x, shape (N, D), the same formula gives z of shape (N, H):
x @ W multiplies every row by W and b is added to every row (broadcasting). This is what
Keras' Dense(H, activation=f) computes; it stores its weights in the same (D, H) layout.

A network is described by its layer sizes, e.g. [64, 64, 10]: 64 inputs, a hidden layer of
64 neurons and an output layer of 10. The input layer only holds the data: it has no weights.
"""

import numpy as np


def dense_forward(x, W, b, activation="relu"):
    """Forward pass of a fully connected layer: a = f(x · W + b).

    activation names f, applied elementwise to z = x · W + b:
        "relu":    max(0, z)
        "sigmoid": 1 / (1 + e^(-z))
        "tanh":    tanh(z)
        "linear":  z (no activation, e.g. before a softmax)

    Inputs:
    - x: one sample of shape (D,), or a batch of N samples of shape (N, D).
    - W: weights, shape (D, H): one column per neuron.
    - b: biases, shape (H,): one per neuron.
    - activation: "relu", "sigmoid", "tanh" or "linear".

    Returns:
    - a: float array of shape (H,) for one sample, (N, H) for a batch.

    Raises:
    - ValueError if activation is not one of the four names.

    Example: x = [1, 2], W = [[1, -1], [0, 1]], b = [0.5, -2]: z = [1.5, -1], and with
    "relu" a = [1.5, 0]. The inputs are left unchanged.
    """
    x = np.asarray(x, dtype=float)
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    ### BEGIN SOLUTION
    z = x @ W + b
    if activation == "relu":
        a = np.maximum(z, 0)
    elif activation == "sigmoid":
        with np.errstate(over="ignore"):  # e^(-z) = inf for z < -709 gives 1 / inf = 0: right
            a = 1 / (1 + np.exp(-z))
    elif activation == "tanh":
        a = np.tanh(z)
    elif activation == "linear":
        a = z
    else:
        raise ValueError(f"unknown activation {activation!r}: use relu, sigmoid, tanh or linear")
    return a
    ### END SOLUTION


def count_parameters(layer_sizes):
    """Number of trainable parameters (weights plus biases) of a fully connected network.

    Each layer after the input maps D inputs to H neurons with a (D, H) weight matrix and H
    biases: D·H + H parameters. The input layer has none.

    Inputs:
    - layer_sizes: neurons per layer, input layer first, e.g. [64, 64, 10]; at least two ints.

    Returns:
    - n: an int, e.g. 64·64 + 64 + 64·10 + 10 = 4810 for [64, 64, 10], the number Keras'
      model.count_params() gives for the same network.
    """
    ### BEGIN SOLUTION
    sizes = [int(n) for n in layer_sizes]
    return sum(d * h + h for d, h in zip(sizes[:-1], sizes[1:]))
    ### END SOLUTION


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "w_times_x": {
        "mistake": "W·x instead of x·W: the weights multiply from the left",
        "patch": {"z = x @ W + b": "z = W @ x + b"},
        "feedback names": "x @ W",
        "caught by": "a square layer multiplies x by W, not W by x",
    },
    "bias_forgotten": {
        "mistake": "the bias is never added",
        "patch": {"z = x @ W + b": "z = x @ W"},
        "feedback names": "bias",
        "caught by": "docstring example: one sample through a ReLU layer",
    },
    "activation_before_bias": {
        "mistake": "the activation is applied to x·W and the bias added afterwards",
        "patch": {"z = x @ W + b": "z = x @ W", "return a": "return a + b"},
        "feedback names": "bias",
        "caught by": "the bias is added before the activation",
    },
    "batch_first_row": {
        "mistake": "a batch gives the output of its first sample only",
        "patch": {"z = x @ W + b": "z = np.atleast_2d(x)[0] @ W + b"},
        "feedback names": "row",
        "caught by": "a batch gives one row per sample",
    },
    "sigmoid_sign": {
        "mistake": "the sigmoid as 1 / (1 + e^z), the minus sign lost",
        "patch": {"a = 1 / (1 + np.exp(-z))": "a = 1 / (1 + np.exp(z))"},
        "feedback names": "activation",
        "caught by": "one sample through each activation",
    },
    "bias_in_place": {
        "mistake": "the pre-activation is accumulated into the caller's bias array",
        "patch": {"z = x @ W + b": "b += x @ W\n    z = b"},
        "feedback names": "copy",
        "caught by": "the inputs are left unchanged",
    },
    "biases_not_counted": {
        "mistake": "the parameter count leaves out the biases",
        "patch": {"d * h + h for": "d * h for"},
        "feedback names": "bias",
        "caught by": "docstring example: [64, 64, 10] has 4810 parameters",
    },
    "input_layer_counted": {
        "mistake": "the input layer is counted as a layer with weights and biases",
        "patch": {"zip(sizes[:-1], sizes[1:])": "zip([1] + sizes[:-1], sizes)"},
        "feedback names": "input layer",
        "caught by": "a network without hidden layers",
    },
    "weights_counted_per_layer": {
        "mistake": "each layer counted as H·H + H, as if it fed itself",
        "patch": {"zip(sizes[:-1], sizes[1:])": "zip(sizes[1:], sizes[1:])"},
        "feedback names": "layer sizes",
        "caught by": "parameters of random networks",
    },
}

ALTERNATIVES = {
    "einsum": {
        "differs": "np.einsum for x·W, the bias added in place to a fresh array",
        "patch": {"z = x @ W + b": 'z = np.einsum("...d,dh->...h", x, W)\n    z += b'},
    },
    "einsum_and_table": {
        "differs": "np.einsum for x·W, a table of activations, (D + 1)·H per layer",
        "code": '''
            def dense_forward(x, W, b, activation="relu"):
                x = np.asarray(x, dtype=float)
                W = np.asarray(W, dtype=float)
                b = np.asarray(b, dtype=float)
                table = {"relu": lambda z: z * (z > 0), "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                         "tanh": np.tanh, "linear": lambda z: z}
                if activation not in table:
                    raise ValueError(activation)
                return table[activation](np.einsum("...d,dh->...h", x, W) + b)

            def count_parameters(layer_sizes):
                total = 0
                for i in range(1, len(layer_sizes)):
                    total += (layer_sizes[i - 1] + 1) * layer_sizes[i]
                return total
        ''',
    },
    "rows_one_by_one": {
        "differs": "a loop over the samples of a batch, np.where for ReLU, NumPy for the count",
        "code": '''
            def dense_forward(x, W, b, activation="relu"):
                x = np.asarray(x, dtype=float)
                W = np.asarray(W, dtype=float)
                b = np.asarray(b, dtype=float)
                if x.ndim == 2:
                    return np.array([dense_forward(row, W, b, activation) for row in x]).reshape(-1, W.shape[1])
                z = np.dot(W.T, x) + b
                if activation == "relu":
                    return np.where(z > 0, z, 0.0)
                if activation == "sigmoid":
                    return np.exp(-np.logaddexp(0, -z))
                if activation == "tanh":
                    return 2 / (1 + np.exp(-2 * z)) - 1
                return z.copy()

            def count_parameters(layer_sizes):
                sizes = np.array(layer_sizes, dtype=np.int64)
                return int(np.sum(sizes[:-1] * sizes[1:]) + np.sum(sizes[1:]))
        ''',
    },
}
