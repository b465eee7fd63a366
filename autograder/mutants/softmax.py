"""Mutants of softmax."""

from autograder.mutants.variant import variants

MUTANTS = variants("softmax", [
    ("no_max_shift", "softmax without subtracting the maximum: e^1000 overflows, inf / inf = nan", "maximum", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            e = np.exp(z)
            return e / np.sum(e, axis=axis, keepdims=True)
    '''),
    ("wrong_axis", "softmax normalised over axis 0 (the samples) instead of the classes", "axis", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            e = np.exp(z - np.max(z, axis=0, keepdims=True))
            return e / np.sum(e, axis=0, keepdims=True)
    '''),
    ("axis_ignored", "softmax always normalises the last axis, whatever axis is given", "axis", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            e = np.exp(z - np.max(z, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
    '''),
    ("global_max_shift", "softmax subtracts the maximum of the whole batch, so rows far below it become 0 / 0",
     "along the axis", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            e = np.exp(z - np.max(z))
            return e / np.sum(e, axis=axis, keepdims=True)
    '''),
    ("no_keepdims", "the sum drops the class axis (no keepdims), so a batch cannot be divided by it",
     "keepdims", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            e = np.exp(z - np.max(z, axis=axis, keepdims=True))
            return e / np.sum(e, axis=axis)
    '''),
    ("overwrites_input", "softmax works in place on the caller's logits (z -= max, exp with out=z)", "copy", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            z -= np.max(z, axis=axis, keepdims=True)
            np.exp(z, out=z)
            z /= np.sum(z, axis=axis, keepdims=True)
            return z
    '''),
])
