"""Mutants of the activation functions."""

from autograder.mutants.variant import variants

MUTANTS = variants("activations", [
    ("sigmoid_ratio", "sigmoid as e^z / (1 + e^z): inf / inf = nan for z = 1000", "overflow", '''
        def sigmoid(z):
            z = _as_float_array(z)
            return np.exp(z) / (1 + np.exp(z))
    '''),
    ("sigmoid_textbook", "sigmoid as 1 / (1 + e^(-z)): e^(-z) overflows (with a warning) for z < -709",
     "overflow", '''
        def sigmoid(z):
            z = _as_float_array(z)
            return 1 / (1 + np.exp(-z))
    '''),
    ("sigmoid_sign", "sigmoid as 1 / (1 + e^z), the minus sign in the exponent lost", "e^(-z)", '''
        def sigmoid(z):
            z = _as_float_array(z)
            with np.errstate(over="ignore"):
                return 1 / (1 + np.exp(z))
    '''),
    ("sigmoid_derivative_of_z", "the sigmoid derivative applied to z instead of sigmoid(z): z·(1 - z)",
     "apply sigmoid to z first", '''
        def sigmoid_derivative(z):
            z = _as_float_array(z)
            return z * (1 - z)
    '''),
    ("sigmoid_derivative_exp", "the sigmoid derivative as e^(-z) / (1 + e^(-z))^2: inf / inf = nan for z = -1e4",
     "stable sigmoid", '''
        def sigmoid_derivative(z):
            z = _as_float_array(z)
            return np.exp(-z) / (1 + np.exp(-z)) ** 2
    '''),
    ("tanh_exp_formula", "tanh written out with e^z: inf / inf = nan for z = 1000", "np.tanh", '''
        def tanh(z):
            z = _as_float_array(z)
            return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    '''),
    ("tanh_as_two_sigmoid", "tanh as 2·sigmoid(z) - 1 (the identity is 2·sigmoid(2z) - 1)", "np.tanh", '''
        def tanh(z):
            z = _as_float_array(z)
            return 2 * sigmoid(z) - 1
    '''),
    ("tanh_derivative_of_z", "the tanh derivative as 1 - z^2 (applied to z instead of tanh(z))",
     "apply tanh to z first", '''
        def tanh_derivative(z):
            z = _as_float_array(z)
            return 1 - z ** 2
    '''),
    ("tanh_derivative_no_square", "the tanh derivative as 1 - tanh(z), the square forgotten", "tanh(z)^2", '''
        def tanh_derivative(z):
            z = _as_float_array(z)
            return 1 - np.tanh(z)
    '''),
    ("relu_identity", "ReLU returns z unchanged (negative values kept)", "np.maximum", '''
        def relu(z):
            z = _as_float_array(z)
            return z * 1.0
    '''),
    ("relu_python_max", "ReLU with Python's max(0, z), which cannot compare a whole array", "np.maximum", '''
        def relu(z):
            z = _as_float_array(z)
            return max(0, z)
    '''),
    ("relu_in_place", "ReLU zeroes the negative entries of the caller's array in place", "copy", '''
        def relu(z):
            z = _as_float_array(z)
            z[z < 0] = 0
            return z
    '''),
    ("relu_derivative_one_at_zero", "the ReLU derivative uses z >= 0, so it is 1 at z = 0", "z = 0", '''
        def relu_derivative(z):
            z = _as_float_array(z)
            return (z >= 0).astype(z.dtype)
    '''),
    ("relu_derivative_bool", "the ReLU derivative returns the boolean mask z > 0 instead of floats", "float", '''
        def relu_derivative(z):
            z = _as_float_array(z)
            return z > 0
    '''),
    ("leaky_relu_fixed_alpha", "leaky ReLU ignores its alpha argument and always uses 0.01", "alpha", '''
        def leaky_relu(z, alpha=0.01):
            z = _as_float_array(z)
            return np.where(z > 0, z, 0.01 * z)
    '''),
    ("leaky_relu_max_alpha", "leaky ReLU as np.maximum(alpha, z) instead of np.maximum(alpha * z, z)",
     "alpha·z", '''
        def leaky_relu(z, alpha=0.01):
            z = _as_float_array(z)
            return np.maximum(alpha, z)
    '''),
    ("leaky_relu_derivative_as_relu", "the leaky ReLU derivative copied from ReLU: 0 instead of alpha for z <= 0",
     "alpha", '''
        def leaky_relu_derivative(z, alpha=0.01):
            z = _as_float_array(z)
            return (z > 0).astype(z.dtype)
    '''),
    ("leaky_relu_derivative_one_at_zero", "the leaky ReLU derivative is 1 at z = 0 (z >= 0 used)", "z = 0", '''
        def leaky_relu_derivative(z, alpha=0.01):
            z = _as_float_array(z)
            return np.where(z >= 0, 1.0, alpha).astype(z.dtype)
    '''),
])
