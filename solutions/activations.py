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


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "sigmoid_ratio": {
        "mistake": "sigmoid as e^z / (1 + e^z): inf / inf = nan for z = 1000",
        "code": '''
            def sigmoid(z):
                z = _as_float_array(z)
                return np.exp(z) / (1 + np.exp(z))
        ''',
        "feedback names": "overflow",
        "caught by": "sigmoid is stable for very large |z|",
    },
    "sigmoid_sign": {
        "mistake": "sigmoid as 1 / (1 + e^z), the minus sign in the exponent lost",
        "code": '''
            def sigmoid(z):
                z = _as_float_array(z)
                with np.errstate(over="ignore"):
                    return 1 / (1 + np.exp(z))
        ''',
        "feedback names": "e^(-z)",
        "caught by": "sigmoid on random inputs of several shapes and dtypes",
    },
    "sigmoid_derivative_of_z": {
        "mistake": "the sigmoid derivative applied to z instead of sigmoid(z): z·(1 - z)",
        "patch": {"    s = sigmoid(z)\n    return s * (1 - s)\n": "    return z * (1 - z)\n"},
        "feedback names": "apply sigmoid to z first",
        "caught by": "derivatives at -2, 0 and 3",
    },
    "sigmoid_derivative_exp": {
        "mistake": "the sigmoid derivative as e^(-z) / (1 + e^(-z))^2: inf / inf = nan for z = -1e4",
        "patch": {
            "    s = sigmoid(z)\n    return s * (1 - s)\n": "    return np.exp(-z) / (1 + np.exp(-z)) ** 2\n",
        },
        "feedback names": "stable sigmoid",
    },
    "tanh_exp_formula": {
        "mistake": "tanh written out with e^z: inf / inf = nan for z = 1000",
        "patch": {
            "    return np.tanh(z)\n": "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))\n",
        },
        "feedback names": "np.tanh",
        "caught by": "every function stays finite for very large |z|",
    },
    "tanh_as_two_sigmoid": {
        "mistake": "tanh as 2·sigmoid(z) - 1 (the identity is 2·sigmoid(2z) - 1)",
        "patch": {"    return np.tanh(z)\n": "    return 2 * sigmoid(z) - 1\n"},
        "feedback names": "np.tanh",
        "caught by": "tanh on random inputs of several shapes and dtypes",
    },
    "tanh_derivative_of_z": {
        "mistake": "the tanh derivative as 1 - z^2 (applied to z instead of tanh(z))",
        "patch": {"    return 1 - np.tanh(z) ** 2\n": "    return 1 - z ** 2\n"},
        "feedback names": "apply tanh to z first",
    },
    "tanh_derivative_no_square": {
        "mistake": "the tanh derivative as 1 - tanh(z), the square forgotten",
        "patch": {"    return 1 - np.tanh(z) ** 2\n": "    return 1 - np.tanh(z)\n"},
        "feedback names": "tanh(z)^2",
    },
    "relu_identity": {
        "mistake": "ReLU returns z unchanged (negative values kept)",
        "patch": {"    return np.maximum(z, 0)\n": "    return z * 1.0\n"},
        "feedback names": "np.maximum",
        "caught by": "values at -2, 0 and 3",
    },
    "relu_python_max": {
        "mistake": "ReLU with Python's max(0, z), which cannot compare a whole array",
        "patch": {"    return np.maximum(z, 0)\n": "    return max(0, z)\n"},
        "feedback names": "np.maximum",
    },
    "relu_in_place": {
        "mistake": "ReLU zeroes the negative entries of the caller's array in place",
        "patch": {"    return np.maximum(z, 0)\n": "    z[z < 0] = 0\n    return z\n"},
        "feedback names": "copy",
        "caught by": "inputs are not modified",
    },
    "relu_derivative_one_at_zero": {
        "mistake": "the ReLU derivative uses z >= 0, so it is 1 at z = 0",
        "patch": {"    return (z > 0).astype(z.dtype)\n": "    return (z >= 0).astype(z.dtype)\n"},
        "feedback names": "z = 0",
        "caught by": "ReLU and leaky ReLU switch exactly at z = 0",
    },
    "relu_derivative_bool": {
        "mistake": "the ReLU derivative returns the boolean mask z > 0 instead of floats",
        "patch": {"    return (z > 0).astype(z.dtype)\n": "    return z > 0\n"},
        "feedback names": "float",
        "caught by": "relu_derivative on random inputs of several shapes and dtypes",
    },
    "leaky_relu_fixed_alpha": {
        "mistake": "leaky ReLU ignores its alpha argument and always uses 0.01",
        "patch": {"    return np.where(z > 0, z, alpha * z)\n": "    return np.where(z > 0, z, 0.01 * z)\n"},
        "feedback names": "alpha",
    },
    "leaky_relu_max_alpha": {
        "mistake": "leaky ReLU as np.maximum(alpha, z) instead of np.maximum(alpha * z, z)",
        "patch": {"    return np.where(z > 0, z, alpha * z)\n": "    return np.maximum(alpha, z)\n"},
        "feedback names": "alpha·z",
    },
    "leaky_relu_derivative_as_relu": {
        "mistake": "the leaky ReLU derivative copied from ReLU: 0 instead of alpha for z <= 0",
        "patch": {
            "    return np.where(z > 0, 1.0, alpha).astype(z.dtype)\n":
                "    return (z > 0).astype(z.dtype)\n",
        },
        "feedback names": "alpha",
        "caught by": "leaky_relu_derivative on random inputs of several shapes and dtypes",
    },
    "leaky_relu_derivative_one_at_zero": {
        "mistake": "the leaky ReLU derivative is 1 at z = 0 (z >= 0 used)",
        "patch": {
            "    return np.where(z > 0, 1.0, alpha).astype(z.dtype)\n":
                "    return np.where(z >= 0, 1.0, alpha).astype(z.dtype)\n",
        },
        "feedback names": "z = 0",
    },
    "sigmoid_derivative_squared": {
        "mistake": "the sigmoid derivative as σ(z)²·(1 - σ(z)): one factor too many",
        "patch": {"return s * (1 - s)": "return s * s * (1 - s)"},
        "feedback names": "σ(z)·(1 - σ(z))",
        "caught by": "sigmoid_derivative on random inputs of several shapes and dtypes",
    },
    "tanh_derivative_cosh": {
        "mistake": "the tanh derivative as 1 / cosh(z): the square of sech forgotten",
        "patch": {"return 1 - np.tanh(z) ** 2": "return 1 / np.cosh(z)"},
        "feedback names": "tanh(z)^2",
        "caught by": "tanh_derivative on random inputs of several shapes and dtypes",
    },
    "relu_abs": {
        "mistake": "ReLU as |z|: negative inputs come out positive",
        "patch": {"return np.maximum(z, 0)": "return np.abs(z)"},
        "feedback names": "np.maximum",
        "caught by": "relu on random inputs of several shapes and dtypes",
    },
    "leaky_relu_alpha_everywhere": {
        "mistake": "leaky ReLU multiplies every value by alpha, positive ones too",
        "patch": {"return np.where(z > 0, z, alpha * z)": "return alpha * z"},
        "feedback names": "alpha",
        "caught by": "leaky_relu on random inputs of several shapes and dtypes",
    },
    "leaky_relu_derivative_alpha_default": {
        "mistake": "the leaky ReLU derivative uses 0.01 whatever alpha is given",
        "patch": {
            "return np.where(z > 0, 1.0, alpha).astype(z.dtype)":
                "return np.where(z > 0, 1.0, 0.01).astype(z.dtype)",
        },
        "feedback names": "alpha",
        "caught by": "leaky ReLU uses its alpha argument",
    },
    "sigmoid_derivative_clipped": {
        "mistake": "the sigmoid derivative of z clipped to ±15: 3e-7 instead of 0 far out",
        "code": '''
            def sigmoid_derivative(z):
                s = 1 / (1 + np.exp(-np.clip(_as_float_array(z), -15, 15)))
                return s * (1 - s)
        ''',
        "feedback names": "σ(z)·(1 - σ(z))",
        "caught by": "derivative of the sigmoid is stable for large |z|",
    },
}

ALTERNATIVES = {
    "logaddexp_and_masks": {
        "differs": "sigmoid via np.logaddexp, tanh via the sigmoid, masks instead of np.where",
        "code": '''
            def sigmoid(z):
                z = _as_float_array(z)
                return np.exp(-np.logaddexp(0, -z))

            def sigmoid_derivative(z):
                z = _as_float_array(z)
                t = np.exp(-np.abs(z))
                return t / (1 + t) ** 2

            def tanh(z):
                z = _as_float_array(z)
                return 2 * sigmoid(2 * z) - 1

            def tanh_derivative(z):
                z = _as_float_array(z)
                with np.errstate(over="ignore"):
                    return 1 / np.cosh(z) ** 2

            def relu(z):
                z = _as_float_array(z)
                return z * (z > 0)

            def relu_derivative(z):
                z = _as_float_array(z)
                return np.heaviside(z, 0)

            def leaky_relu(z, alpha=0.01):
                z = _as_float_array(z)
                return np.maximum(alpha * z, z)

            def leaky_relu_derivative(z, alpha=0.01):
                z = _as_float_array(z)
                return (z > 0) + alpha * (z <= 0)
        ''',
    },
    "private_copies_float32": {
        "differs": "works in place on private copies; float32 arithmetic kept in float32",
        "code": '''
            def sigmoid(z):
                z = _as_float_array(z)
                return 0.5 * (1 + np.tanh(0.5 * z))

            def sigmoid_derivative(z):
                s = sigmoid(z)
                out = s.copy()
                out *= 1 - s
                return out

            def tanh(z):
                z = _as_float_array(z)
                out = np.array(z, copy=True)
                np.tanh(out, out=out)
                return out

            def tanh_derivative(z):
                out = tanh(z)
                out **= 2
                return 1 - out

            def relu(z):
                out = np.array(_as_float_array(z), copy=True)
                out[out < 0] = 0
                return out

            def relu_derivative(z):
                z = _as_float_array(z)
                out = np.zeros_like(z)
                out[z > 0] = 1
                return out

            def leaky_relu(z, alpha=0.01):
                out = np.array(_as_float_array(z), copy=True)
                out[out <= 0] *= alpha
                return out

            def leaky_relu_derivative(z, alpha=0.01):
                z = _as_float_array(z)
                out = np.full_like(z, alpha)
                out[z > 0] = 1
                return out
        ''',
    },
    "textbook_np_where": {
        "differs": "the textbook stable sigmoid with np.where: every value right, the unused branch warns",
        "code": '''
            def sigmoid(z):
                z = np.asarray(z, dtype=float)
                return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
        ''',
    },
    "naive_sigmoid": {
        "differs": "1 / (1 + e^(-z)): e^(-z) overflows to inf for z < -709, and 1 / inf is the right 0",
        "code": '''
            def sigmoid(z):
                z = _as_float_array(z)
                return 1 / (1 + np.exp(-z))
        ''',
    },
    "float32_alpha": {
        "differs": "leaky ReLU with alpha kept as float32, as tf.nn.leaky_relu(z, alpha=alpha) does (2e-8 off)",
        "patch": {
            "    return np.where(z > 0, z, alpha * z)\n":
                "    return np.where(z > 0, z, z * np.float32(alpha)).astype(z.dtype)\n",
        },
    },
}
