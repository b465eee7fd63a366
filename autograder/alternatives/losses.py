"""Correct loss functions written differently from the reference."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("losses", [
    ("row_means", "per-sample losses first, then np.mean; take_along_axis for the sparse case", '''
        def quadratic_cost(y_true, y_pred):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            return 0.5 * np.mean(np.sum(np.square(y_true - y_pred), axis=1))

        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            return np.mean(-np.sum(y_true * np.log(np.clip(y_pred, eps, 1 - eps)), axis=1))

        def sparse_cross_entropy(labels, y_pred, eps=1e-7):
            labels = np.atleast_1d(labels)
            y_pred = np.atleast_2d(y_pred)
            picked = np.take_along_axis(y_pred, labels.reshape(-1, 1), axis=1)
            return -np.mean(np.log(np.clip(picked, eps, 1 - eps)))

        def softmax_cross_entropy_gradient(logits, y_true):
            logits = np.asarray(logits)
            y_true = np.asarray(y_true)
            e = np.exp(logits - logits.max(axis=-1, keepdims=True))
            p = e / e.sum(axis=-1, keepdims=True)
            return (p - y_true) / len(np.atleast_2d(logits))
    '''),
    ("loops_and_lower_clip", "Python loops over the samples, clipping only below (np.maximum), one-hot reuse", '''
        import math

        def quadratic_cost(y_true, y_pred):
            y_true = np.atleast_2d(y_true).tolist()
            y_pred = np.atleast_2d(y_pred).tolist()
            total = sum((a - b) ** 2 for row_t, row_p in zip(y_true, y_pred) for a, b in zip(row_t, row_p))
            return total / (2 * len(y_true))

        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.maximum(np.atleast_2d(y_pred), eps)
            total = 0.0
            for row_t, row_p in zip(y_true, y_pred):
                total -= sum(t * math.log(p) for t, p in zip(row_t, row_p) if t != 0)
            return total / len(y_true)

        def sparse_cross_entropy(labels, y_pred, eps=1e-7):
            y_pred = np.atleast_2d(y_pred)
            labels = np.atleast_1d(labels)
            return cross_entropy(np.eye(y_pred.shape[1])[labels], y_pred, eps)

        def softmax_cross_entropy_gradient(logits, y_true):
            logits = np.atleast_2d(logits)
            grad = (softmax(logits) - np.atleast_2d(y_true)) / logits.shape[0]
            return grad.reshape(np.shape(y_true))
    '''),
    ("eps_added", "ln(ŷ + eps) instead of clipping; einsum sums; NumPy scalars returned", '''
        def cross_entropy(y_true, y_pred, eps=1e-7):
            y_true = np.atleast_2d(y_true)
            y_pred = np.atleast_2d(y_pred)
            return -np.einsum("nc,nc->", y_true, np.log(y_pred + eps)) / len(y_pred)

        def sparse_cross_entropy(labels, y_pred, eps=1e-7):
            labels = np.atleast_1d(labels)
            y_pred = np.atleast_2d(y_pred)
            return float(-np.mean(np.log(y_pred[np.arange(len(y_pred)), labels] + eps)))

        def quadratic_cost(y_true, y_pred):
            diff = np.atleast_2d(y_pred) - np.atleast_2d(y_true)
            return np.einsum("nc,nc->", diff, diff) / (2 * len(diff))
    '''),
])
