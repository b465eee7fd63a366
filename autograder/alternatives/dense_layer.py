"""Correct dense layers and parameter counts written differently from the reference."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("dense_layer", [
    ("einsum_and_table", "np.einsum for x·W, a table of activations, (D + 1)·H per layer", '''
        def dense_forward(x, W, b, activation="relu"):
            x = np.asarray(x, dtype=float)
            W = np.asarray(W, dtype=float)
            b = np.asarray(b, dtype=float)
            table = {"relu": lambda z: z * (z > 0), "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                     "tanh": np.tanh, "linear": lambda z: z}
            if activation not in table:
                raise ValueError(activation)
            return table[activation](np.einsum("...d,dh->...h", x, W) + b)

        def count_parameters(layer_sizes):
            total = 0
            for i in range(1, len(layer_sizes)):
                total += (layer_sizes[i - 1] + 1) * layer_sizes[i]
            return total
    '''),
    ("rows_one_by_one", "a loop over the samples of a batch, np.where for ReLU, NumPy for the count", '''
        def dense_forward(x, W, b, activation="relu"):
            x = np.asarray(x, dtype=float)
            W = np.asarray(W, dtype=float)
            b = np.asarray(b, dtype=float)
            if x.ndim == 2:
                return np.array([dense_forward(row, W, b, activation) for row in x]).reshape(-1, W.shape[1])
            z = np.dot(W.T, x) + b
            if activation == "relu":
                return np.where(z > 0, z, 0.0)
            if activation == "sigmoid":
                return np.exp(-np.logaddexp(0, -z))
            if activation == "tanh":
                return 2 / (1 + np.exp(-2 * z)) - 1
            return z.copy()

        def count_parameters(layer_sizes):
            sizes = np.array(layer_sizes, dtype=np.int64)
            return int(np.sum(sizes[:-1] * sizes[1:]) + np.sum(sizes[1:]))
    '''),
])
