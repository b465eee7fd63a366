"""Mutants of the perceptron exercise."""

from autograder.mutants.variant import aimed, patched, variants

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

# Mistakes issue 11 found passing, each aimed at the check that names it.
MUTANTS += variants("perceptron", [
    ("int_truncation", "the weighted sum converts x and w to integers first: 0.7 becomes 0", "integer",
     patched("perceptron", ("    x = np.asarray(x)\n    w = np.asarray(w)\n    ### BEGIN SOLUTION\n    z = x @ w + b",
                            "    x = np.asarray(x)\n    w = np.asarray(w)\n    ### BEGIN SOLUTION\n"
                            "    z = x.astype(int) @ w.astype(int) + b")),
     "weighted sum of one sample"),
    ("lists_not_converted", "the weighted sum multiplies Python lists without np.asarray", "np.asarray", '''
        def weighted_sum(x, w, b):
            if isinstance(x, list):
                return sum(xi * wi for xi, wi in zip(x, w)) + b
            x, w = np.asarray(x), np.asarray(w)
            z = x @ w + b
            return float(z) if np.ndim(z) == 0 else z
    ''', "weighted sum accepts Python lists"),
    ("one_sample_array", "one sample gives an array [1] instead of the number 1", "one number", '''
        def perceptron_output(x, w, b):
            z = np.atleast_1d(weighted_sum(x, w, b))
            return (z > 0).astype(int)
    ''', "one sample gives a single 0 or 1"),
    ("batch_first_row_only", "a batch of samples gives the output of the first row only", "row", '''
        def perceptron_output(x, w, b):
            z = weighted_sum(x, w, b)
            return int(np.ravel(z)[0] > 0)
    ''', "a batch computes the NAND gate"),
])

# The check each of the mistakes above is aimed at (the audit verifies that it fails them).
MUTANTS = aimed(MUTANTS, {
    'bias_ignored': 'snack example: weighted sum',
    'sign_output': 'snack example: stay on the couch',
    'batch_summed': 'weighted sum of a batch',
    'fires_at_zero': 'output is 0 exactly at the threshold z = 0',
    'returns_z': 'outputs of random batches',
    'product_in_place': 'inputs are not modified',
})
