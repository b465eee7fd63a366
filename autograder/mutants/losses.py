"""Mutants of the loss functions."""

from autograder.mutants.variant import aimed, patched, variants

MUTANTS = variants("losses", [
    ("quadratic_no_half", "quadratic cost without the ½: divided by n instead of 2n", "2n", '''
        def quadratic_cost(y_true, y_pred):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            return float(np.sum((y_true - y_pred) ** 2) / y_pred.shape[0])
    '''),
    ("quadratic_mean_all", "quadratic cost with np.mean over every entry: divided by n·C instead of n",
     "samples", '''
        def quadratic_cost(y_true, y_pred):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            return float(np.mean((y_true - y_pred) ** 2) / 2)
    '''),
    ("ce_mean_over_classes", "cross-entropy averaged over every entry (samples and classes) instead of samples",
     "samples", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.clip(np.atleast_2d(y_pred), eps, 1 - eps)
            return float(-np.mean(y_true * np.log(y_pred)))
    '''),
    ("ce_summed", "cross-entropy summed over the batch, not averaged", "average", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.clip(np.atleast_2d(y_pred), eps, 1 - eps)
            return float(-np.sum(y_true * np.log(y_pred)))
    '''),
    ("ce_no_minus", "cross-entropy without the minus sign: a negative loss", "minus", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.clip(np.atleast_2d(y_pred), eps, 1 - eps)
            return float(np.sum(y_true * np.log(y_pred)) / y_pred.shape[0])
    '''),
    ("ce_log10", "cross-entropy with log10 instead of the natural log", "natural log", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.clip(np.atleast_2d(y_pred), eps, 1 - eps)
            return float(-np.sum(y_true * np.log10(y_pred)) / y_pred.shape[0])
    '''),
    ("ce_no_clip", "cross-entropy without clipping: ln(0) = -inf, and 0·(-inf) = nan", "clip", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            return float(-np.sum(y_true * np.log(y_pred)) / y_pred.shape[0])
    '''),
    ("ce_fixed_eps", "cross-entropy clips with a hard-coded 1e-7 and ignores the eps argument", "eps", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.clip(np.atleast_2d(y_pred), 1e-7, 1 - 1e-7)
            return float(-np.sum(y_true * np.log(y_pred)) / y_pred.shape[0])
    '''),
    ("ce_clip_in_place", "cross-entropy clips the caller's predictions in place (np.clip with out=y_pred)",
     "copy", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            np.clip(y_pred, eps, 1 - eps, out=y_pred)
            return float(-np.sum(y_true * np.log(y_pred)) / y_pred.shape[0])
    '''),
    ("sparse_all_labels", "sparse cross-entropy indexed as y_pred[:, labels]: every row gets every label",
     "np.arange(n)", '''
        def sparse_cross_entropy(labels, y_pred, eps=1e-7):
            labels = np.atleast_1d(labels)
            y_pred = np.clip(np.atleast_2d(y_pred), eps, 1 - eps)
            return float(-np.sum(np.log(y_pred[:, labels])) / y_pred.shape[0])
    '''),
    ("sparse_no_clip", "sparse cross-entropy without clipping: ln(0) = -inf for a zero probability", "clip", '''
        def sparse_cross_entropy(labels, y_pred, eps=1e-7):
            labels = np.atleast_1d(labels)
            y_pred = np.atleast_2d(y_pred)
            n = y_pred.shape[0]
            return float(-np.sum(np.log(y_pred[np.arange(n), labels])) / n)
    '''),
    ("gradient_not_divided", "the softmax cross-entropy gradient not divided by the number of samples n",
     "number of samples", '''
        def softmax_cross_entropy_gradient(logits, y_true):
            logits = np.asarray(logits)
            y_true = np.asarray(y_true)
            return softmax(logits) - y_true
    '''),
    ("gradient_sign", "the gradient as (y - softmax(logits)) / n: the sign flipped", "softmax(logits) - y", '''
        def softmax_cross_entropy_gradient(logits, y_true):
            logits = np.asarray(logits)
            y_true = np.asarray(y_true)
            n = 1 if logits.ndim == 1 else logits.shape[0]
            return (y_true - softmax(logits)) / n
    '''),
    ("gradient_n_from_shape", "n = logits.shape[0] also for one 1-D sample, so it divides by the classes",
     "1-D", '''
        def softmax_cross_entropy_gradient(logits, y_true):
            logits = np.asarray(logits)
            y_true = np.asarray(y_true)
            return (softmax(logits) - y_true) / logits.shape[0]
    '''),
])

# Mistakes issue 11 found passing, each aimed at the check that names it.
MUTANTS += variants("losses", [
    ("sparse_fixed_eps", "sparse cross-entropy clips with a hard-coded 1e-7 and ignores its eps argument", "eps",
     patched("losses", ("p_true = np.clip(p_true, eps, 1 - eps)", "p_true = np.clip(p_true, 1e-7, 1 - 1e-7)")),
     "sparse cross-entropy of one sample and of zeros"),
    ("sparse_argmax", "sparse cross-entropy takes each row's largest probability instead of its label's",
     "label", patched("losses", ("p_true = y_pred[np.arange(n), labels]", "p_true = y_pred.max(axis=1)")),
     "sparse cross-entropy of random batches"),
    ("sparse_clip_in_place", "sparse cross-entropy clips the caller's predictions in place (np.clip with out=)",
     "copy", patched("losses", ("    p_true = y_pred[np.arange(n), labels]\n",
                                "    np.clip(y_pred, eps, 1 - eps, out=y_pred)\n    p_true = y_pred[np.arange(n), labels]\n")),
     "inputs are not modified"),
    ("gradient_no_softmax", "the gradient uses the logits themselves instead of softmax(logits): (z - y) / n",
     "softmax", patched("losses", ("return (softmax(logits) - y_true) / n", "return (logits - y_true) / n")),
     "gradient of softmax cross-entropy"),
    ("quadratic_abs", "the quadratic cost with |y - ŷ| instead of the square", "square",
     patched("losses", ("np.sum((y_true - y_pred) ** 2)", "np.sum(np.abs(y_true - y_pred))")),
     "quadratic cost of random batches"),
    ("ce_plus_eps", "cross-entropy as ln(ŷ + 0.1): a large constant added inside the log", "clip",
     patched("losses", ("y_pred = np.clip(y_pred, eps, 1 - eps)\n    return float(-np.sum(y_true * np.log(y_pred)) / n)",
                        "return float(-np.sum(y_true * np.log(y_pred + 0.1)) / n)")),
     "cross-entropy of random batches"),
    ("ce_lesson_log2", "cross-entropy with log base 2", "natural log",
     patched("losses", ("np.sum(y_true * np.log(y_pred))", "np.sum(y_true * np.log2(y_pred))")),
     "cross-entropy of the lesson's example"),
])

# The check each of the mistakes above is aimed at (the audit verifies that it fails them).
MUTANTS = aimed(MUTANTS, {
    'quadratic_no_half': "quadratic cost of the lesson's example",
    'sparse_all_labels': 'sparse cross-entropy of a small batch',
    'ce_no_clip': 'cross-entropy with probabilities of exactly 0 and 1',
})
