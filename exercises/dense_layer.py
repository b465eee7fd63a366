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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError
