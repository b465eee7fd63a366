"""Correct softmax implementations written differently from the reference."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("softmax", [
    ("log_sum_exp", "exp(z - logsumexp(z)), the log-sum-exp written out", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            m = np.max(z, axis=axis, keepdims=True)
            log_norm = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
            return np.exp(z - log_norm)
    '''),
    ("moveaxis_private_copy", "moves the class axis last and works in place on a private float copy", '''
        def softmax(z, axis=-1):
            z = np.asarray(z)
            dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
            p = np.moveaxis(np.array(z, dtype=dtype, copy=True), axis, -1)
            p -= p.max(axis=-1)[..., None]
            np.exp(p, out=p)
            p /= p.sum(axis=-1)[..., None]
            return np.moveaxis(p, -1, axis)
    '''),
])
