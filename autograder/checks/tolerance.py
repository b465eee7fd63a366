"""The tolerance table: how close a float answer must be, one entry per dtype.

Every comparison of floats in the checks goes through :func:`autograder.checks.expect.close`,
which looks the tolerance up here from the dtype of the expected value (the reference's
answer on the same inputs) and never uses a tighter one: a check may ask for a *looser*
tolerance where a correct formula really differs more (it says why), never a tighter one.

A value ``got`` passes when ``|got - want| <= atol + rtol * |want|`` elementwise
(:func:`numpy.allclose`).

- float64: rtol 1e-6, atol 1e-8. Two correct float64 formulas agree to ~1e-12 relative
  or better almost everywhere; where a result is tiny (1 - tanh(z)² against 1/cosh(z)²
  near |z| = 20) they agree to the atol. A mixed-precision answer (``tf.nn.leaky_relu``
  with a float32 ``alpha``, 2e-8 relative off) passes; every mistake in the mutant catalog
  is off by far more (the audit shows it).
- float32: rtol 1e-5, atol 1e-6: float32 carries ~7 significant digits; a few roundings
  accumulate to a few 1e-7 relative.
- float16: rtol 1e-3, atol 1e-4 (~3 significant digits).

Integers, booleans and labels are compared exactly (:func:`expect.equal`, :func:`expect.binary`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    """``|got - want| <= atol + rtol * |want|``."""

    rtol: float
    atol: float

    def at_least(self, rtol: float = 0.0, atol: float = 0.0) -> "Tolerance":
        """This tolerance, loosened to ``rtol``/``atol`` where those are looser (never tightened)."""
        return Tolerance(max(self.rtol, rtol), max(self.atol, atol))


TABLE = {
    np.dtype(np.float64): Tolerance(rtol=1e-6, atol=1e-8),
    np.dtype(np.float32): Tolerance(rtol=1e-5, atol=1e-6),
    np.dtype(np.float16): Tolerance(rtol=1e-3, atol=1e-4),
}
DEFAULT = TABLE[np.dtype(np.float64)]
"""For expected values that are not float arrays (Python floats, integers): float64."""


def for_dtype(dtype) -> Tolerance:
    """The table's tolerance for ``dtype`` (float64's for anything that is not a float type)."""
    try:
        return TABLE.get(np.dtype(dtype), DEFAULT)
    except TypeError:
        return DEFAULT


def for_value(want) -> Tolerance:
    """The tolerance for comparing with the expected value ``want``: by its dtype."""
    return for_dtype(want.dtype) if isinstance(want, (np.ndarray, np.generic)) else DEFAULT
