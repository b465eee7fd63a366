"""Mutants of the perceptron exercise."""

from autograder.mutants.variant import variants

MUTANTS = variants("perceptron", [
    ("fires_at_zero", "the step uses z >= 0, so z == 0 outputs 1 instead of 0", "z == 0", '''
        def perceptron_output(x, w, b):
            z = weighted_sum(x, w, b)
            if np.ndim(z) == 0:
                return int(z >= 0)
            return (z >= 0).astype(int)
    '''),
    ("bias_ignored", "the weighted sum forgets the bias b", "bias", '''
        def weighted_sum(x, w, b):
            x = np.asarray(x)
            w = np.asarray(w)
            z = x @ w
            return float(z) if np.ndim(z) == 0 else z
    '''),
    ("bias_subtracted", "the bias is subtracted (threshold form w·x > b mixed up with w·x + b)", "bias", '''
        def weighted_sum(x, w, b):
            x = np.asarray(x)
            w = np.asarray(w)
            z = x @ w - b
            return float(z) if np.ndim(z) == 0 else z
    '''),
    ("batch_summed", "np.sum(x * w) sums over the whole batch, giving one number for n samples", "row", '''
        def weighted_sum(x, w, b):
            x = np.asarray(x)
            w = np.asarray(w)
            return float(np.sum(x * w) + b)
    '''),
    ("sign_output", "the output is np.sign(z) (-1, 0 or 1) instead of 0 or 1", "0 or 1", '''
        def perceptron_output(x, w, b):
            z = weighted_sum(x, w, b)
            return np.sign(z).astype(int) if np.ndim(z) else int(np.sign(z))
    '''),
    ("returns_z", "the step is forgotten: the output is the weighted sum itself", "0 or 1", '''
        def perceptron_output(x, w, b):
            return weighted_sum(x, w, b)
    '''),
    ("product_in_place", "the weighted sum multiplies the caller's x by w in place (x *= w) before summing",
     "copy", '''
        def weighted_sum(x, w, b):
            x = np.asarray(x)
            w = np.asarray(w)
            x *= w
            z = np.sum(x, axis=-1) + b
            return float(z) if np.ndim(z) == 0 else z
    '''),
])
