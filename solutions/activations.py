"""Activation functions and their derivatives.

A neuron computes z = w · x + b (the pre-activation) and outputs a = f(z). The step of the
perceptron jumps from 0 to 1, so a small change of a weight can flip the output; the smooth
functions here change gradually, which is what gradient descent needs.

    sigmoid(z)    = 1 / (1 + e^(-z))                   range (0, 1)
    tanh(z)       = (e^z - e^(-z)) / (e^z + e^(-z))    range (-1, 1)
    relu(z)       = max(0, z)                          range [0, inf)
    leaky_relu(z) = z if z > 0 else alpha * z          range (-inf, inf)

Every function works elementwise on an array of any shape and returns a float array of the
same shape. Each derivative takes the pre-activation z, e.g. sigmoid_derivative(z) = f'(z).
"""

import numpy as np


def _as_float_array(z):
    """z as a NumPy float array: float32 stays float32, integers and lists become float64."""
    z = np.asarray(z)
    if np.issubdtype(z.dtype, np.floating):
        return z
    return z.astype(np.float64)


def sigmoid(z):
    """Sigmoid (logistic) function, s(z) = 1 / (1 + e^(-z)).

    Numerically stable: e^(-z) overflows for z < -710, so use t = e^(-|z|), which lies in (0, 1]:
        s(z) = 1 / (1 + t)    for z >= 0
        s(z) = t / (1 + t)    for z < 0

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: array of any shape.

    Returns:
    - s: array of the same shape, values in [0, 1].
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    with np.errstate(under="ignore"):  # e^(-|z|) rounds to 0 for huge |z|: that is the right value
        t = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + t), t / (1 + t))
    ### END SOLUTION


def sigmoid_derivative(z):
    """Derivative of the sigmoid, s'(z) = s(z) * (1 - s(z)).

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: pre-activation, array of any shape.

    Returns:
    - ds: array of the same shape.
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1 - s)
    ### END SOLUTION


def tanh(z):
    """Hyperbolic tangent, tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z)).

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: array of any shape.

    Returns:
    - a: array of the same shape, values in [-1, 1].
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    return np.tanh(z)
    ### END SOLUTION


def tanh_derivative(z):
    """Derivative of tanh, tanh'(z) = 1 - tanh(z)^2.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: pre-activation, array of any shape.

    Returns:
    - da: array of the same shape.
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    return 1 - np.tanh(z) ** 2
    ### END SOLUTION


def relu(z):
    """Rectified linear unit, relu(z) = max(0, z).

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: array of any shape.

    Returns:
    - a: array of the same shape.
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    return np.maximum(z, 0)
    ### END SOLUTION


def relu_derivative(z):
    """Derivative of ReLU: 1 where z > 0, else 0 (we take 0 at z = 0).

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: pre-activation, array of any shape.

    Returns:
    - da: array of the same shape, values 0.0 or 1.0.
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    return (z > 0).astype(z.dtype)
    ### END SOLUTION


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: z where z > 0, else alpha * z (a small slope instead of a flat 0).

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: array of any shape.
    - alpha: slope for z <= 0, a small positive number.

    Returns:
    - a: array of the same shape.
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    return np.where(z > 0, z, alpha * z)
    ### END SOLUTION


def leaky_relu_derivative(z, alpha=0.01):
    """Derivative of leaky ReLU: 1 where z > 0, else alpha.

    The inputs are not modified: work on copies or new arrays.

    Inputs:
    - z: pre-activation, array of any shape.
    - alpha: slope for z <= 0.

    Returns:
    - da: array of the same shape.
    """
    z = _as_float_array(z)
    ### BEGIN SOLUTION
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)
    ### END SOLUTION
