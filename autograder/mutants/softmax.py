"""Mutants of softmax."""

from autograder.mutants.variant import aimed, patched, variants

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

# Mistakes issue 11 found passing, each aimed at the check that names it.
MUTANTS += variants("softmax", [
    ("row_min_shift", "softmax subtracts each row's minimum instead of its maximum: [0, 1000] gives [0, nan]",
     "maximum", patched("softmax", ("np.max(z, axis=axis", "np.min(z, axis=axis")), "large logits stay finite"),
    ("uniform", "softmax returns 1/n everywhere (the exponentials forgotten): rows sum to 1 but carry nothing",
     "exponentiate", '''
        def softmax(z, axis=-1):
            z = np.asarray(z, dtype=float)
            return np.ones_like(z) / z.shape[axis]
    ''', "the lesson's example [5, 2.5, 0.5]"),
    ("float64_no_shift", "softmax upcasts to float64 and skips the shift: float32 logits above 709 overflow",
     "maximum", '''
        def softmax(z, axis=-1):
            e = np.exp(np.asarray(z, dtype=np.float64))
            return e / np.sum(e, axis=axis, keepdims=True)
    ''', "float32 logits"),
    ("abs_max_shift", "softmax subtracts the largest |z| instead of the largest z: all-negative rows underflow to 0/0",
     "maximum", patched("softmax", ("np.max(z, axis=axis, keepdims=True)", "np.max(np.abs(z), axis=axis, keepdims=True)")),
     "very negative logits stay finite"),
    ("clipped_exponent", "softmax clips the logits into [-700, 700] instead of shifting them: large rows flatten",
     "maximum", '''
        def softmax(z, axis=-1):
            e = np.exp(np.clip(np.asarray(z, dtype=float), -700, 700))
            return e / np.sum(e, axis=axis, keepdims=True)
    ''', "adding a constant to every logit changes nothing"),
    ("sum_over_everything", "softmax divides by the sum of the whole batch, not of each row", "keepdims", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            e = np.exp(z - np.max(z, axis=axis, keepdims=True))
            return e / np.sum(e)
    ''', "each row of a batch sums to 1"),
])

# The check each of the mistakes above is aimed at (the audit verifies that it fails them).
MUTANTS = aimed(MUTANTS, {
    'wrong_axis': 'random logits, one sample and batches',
    'axis_ignored': 'the axis argument',
    'overwrites_input': 'the logits are not modified',
    'no_max_shift': "the docstring's example [1000, 1001]",
})
