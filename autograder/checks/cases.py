"""Seeded inputs for checks: several shapes and dtypes, with the values that break naive code."""

from __future__ import annotations

import numpy as np

SHAPES = ((), (7,), (4, 5), (2, 3, 4))

def values(rng: np.random.Generator, shape: tuple, dtype=np.float64, scale: float = 3.0) -> np.ndarray:
    """Random values of ``shape`` that include exact zeros and both signs."""
    z = rng.normal(0.0, scale, size=shape)
    if z.size >= 3:
        flat = z.reshape(-1)
        flat[rng.choice(flat.size, size=max(1, flat.size // 6), replace=False)] = 0.0
    return np.asarray(z, dtype=dtype)


def activation_inputs(rng: np.random.Generator):
    """(label, z) pairs: every shape in float64, two in float32, and an int array.

    The values include exact zeros (where ReLU-like functions switch) and both signs.
    """
    cases = [(f"shape {shape} float64", values(rng, shape)) for shape in SHAPES]
    cases += [(f"shape {shape} float32", values(rng, shape, np.float32)) for shape in SHAPES[1:3]]
    cases.append(("integers", rng.integers(-5, 6, size=(3, 4))))
    return cases


def probabilities(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """Rows of random class probabilities, shape (n, c), each row summing to 1."""
    p = rng.random((n, c)) + 0.05
    return p / p.sum(axis=1, keepdims=True)


def one_hot(labels: np.ndarray, c: int) -> np.ndarray:
    return np.eye(c)[labels]


def labels(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """n integer labels in [0, c) that use at least two classes when n > 1."""
    y = rng.integers(0, c, size=n)
    if n > 1 and np.all(y == y[0]):
        y[-1] = (y[0] + 1) % c
    return y
