"""Mutants of the loss functions."""

from autograder.mutants.variant import variants

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
