"""Correct perceptrons written differently from the reference."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("perceptron", [
    ("dot_and_heaviside", "np.dot for the sum (a NumPy scalar for one sample); np.heaviside step giving floats", '''
        def weighted_sum(x, w, b):
            return np.dot(np.asarray(x), np.asarray(w)) + b

        def perceptron_output(x, w, b):
            return np.heaviside(weighted_sum(x, w, b), 0.0)
    '''),
    ("lists_and_bools", "converts Python lists itself, sums with einsum, returns booleans", '''
        def weighted_sum(x, w, b):
            x = np.array(x, dtype=np.result_type(np.asarray(x), np.asarray(w), 1.0))
            z = np.einsum("...d,d->...", x, np.asarray(w, dtype=x.dtype)) + b
            return z.item() if z.ndim == 0 else z

        def perceptron_output(x, w, b):
            return weighted_sum(x, w, b) > 0
    '''),
    ("row_loop", "a Python loop over the samples of a batch; np.where for the step", '''
        def weighted_sum(x, w, b):
            x = np.asarray(x, dtype=float)
            w = np.asarray(w, dtype=float)
            if x.ndim == 1:
                return float(sum(xi * wi for xi, wi in zip(x, w)) + b)
            return np.array([weighted_sum(row, w, b) for row in x])

        def perceptron_output(x, w, b):
            return np.where(np.asarray(weighted_sum(x, w, b)) > 0, 1, 0)
    '''),
])
