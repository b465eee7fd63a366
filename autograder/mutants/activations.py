"""Mutants of the activation functions."""

from autograder.mutants.variant import aimed, patched, variants

MUTANTS = variants("activations", [
    ("sigmoid_ratio", "sigmoid as e^z / (1 + e^z): inf / inf = nan for z = 1000", "overflow", '''
        def sigmoid(z):
            z = _as_float_array(z)
            return np.exp(z) / (1 + np.exp(z))
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

# Mistakes issue 11 found passing, each aimed at the check that names it.
MUTANTS += variants("activations", [
    ("sigmoid_derivative_squared", "the sigmoid derivative as σ(z)²·(1 - σ(z)): one factor too many",
     "σ(z)·(1 - σ(z))", patched("activations", ("return s * (1 - s)", "return s * s * (1 - s)")),
     "sigmoid_derivative on random inputs of several shapes and dtypes"),
    ("tanh_derivative_cosh", "the tanh derivative as 1 / cosh(z): the square of sech forgotten", "tanh(z)^2",
     patched("activations", ("return 1 - np.tanh(z) ** 2", "return 1 / np.cosh(z)")),
     "tanh_derivative on random inputs of several shapes and dtypes"),
    ("relu_abs", "ReLU as |z|: negative inputs come out positive", "np.maximum",
     patched("activations", ("return np.maximum(z, 0)", "return np.abs(z)")),
     "relu on random inputs of several shapes and dtypes"),
    ("leaky_relu_alpha_everywhere", "leaky ReLU multiplies every value by alpha, positive ones too", "alpha",
     patched("activations", ("return np.where(z > 0, z, alpha * z)", "return alpha * z")),
     "leaky_relu on random inputs of several shapes and dtypes"),
    ("leaky_relu_derivative_alpha_default", "the leaky ReLU derivative uses 0.01 whatever alpha is given",
     "alpha", patched("activations", ("return np.where(z > 0, 1.0, alpha).astype(z.dtype)",
                                      "return np.where(z > 0, 1.0, 0.01).astype(z.dtype)")),
     "leaky ReLU uses its alpha argument"),
    ("sigmoid_derivative_clipped", "the sigmoid derivative of z clipped to ±15: 3e-7 instead of 0 far out",
     "σ(z)·(1 - σ(z))", '''
        def sigmoid_derivative(z):
            s = 1 / (1 + np.exp(-np.clip(_as_float_array(z), -15, 15)))
            return s * (1 - s)
    ''', "derivative of the sigmoid is stable for large |z|"),
])

# The check each of the mistakes above is aimed at (the audit verifies that it fails them).
MUTANTS = aimed(MUTANTS, {
    'tanh_as_two_sigmoid': 'tanh on random inputs of several shapes and dtypes',
    'relu_identity': 'values at -2, 0 and 3',
    'sigmoid_derivative_of_z': 'derivatives at -2, 0 and 3',
    'sigmoid_sign': 'sigmoid on random inputs of several shapes and dtypes',
    'relu_derivative_bool': 'relu_derivative on random inputs of several shapes and dtypes',
    'leaky_relu_derivative_as_relu': 'leaky_relu_derivative on random inputs of several shapes and dtypes',
    'sigmoid_ratio': 'sigmoid is stable for very large |z|',
    'tanh_exp_formula': 'every function stays finite for very large |z|',
    'relu_derivative_one_at_zero': 'ReLU and leaky ReLU switch exactly at z = 0',
    'relu_in_place': 'inputs are not modified',
})
