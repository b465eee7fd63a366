"""Correct activation functions written differently from the reference."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("activations", [
    ("logaddexp_and_masks", "sigmoid via np.logaddexp, tanh via the sigmoid, masks instead of np.where", '''
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
    '''),
    ("private_copies_float32", "works in place on private copies; float32 arithmetic kept in float32", '''
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
    '''),
])

# Issue 11: right values graded as right, whatever NumPy warns or rounds.
ALTERNATIVES += variants("activations", [
    ("textbook_np_where", "the textbook stable sigmoid with np.where: every value right, the unused branch warns", '''
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
    '''),
    ("naive_sigmoid", "1 / (1 + e^(-z)): e^(-z) overflows to inf for z < -709, and 1 / inf is the right 0", '''
        def sigmoid(z):
            z = _as_float_array(z)
            return 1 / (1 + np.exp(-z))
    '''),
    ("float32_alpha", "leaky ReLU with alpha kept as float32, as tf.nn.leaky_relu(z, alpha=alpha) does (2e-8 off)", '''
        def leaky_relu(z, alpha=0.01):
            z = _as_float_array(z)
            return np.where(z > 0, z, z * np.float32(alpha)).astype(z.dtype)
    '''),
])
