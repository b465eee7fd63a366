"""Assertions for checks, each failing with a message a beginner can act on.

Every helper takes ``what``, the call as the student would write it (e.g.
``"softmax([1000, 1001])"`` or ``"softmax(z) for large logits"``), and an
optional ``hint``. Expected and returned values go into ``Fail.shown``, which
only visible checks print.
"""

from __future__ import annotations

import numbers
from contextlib import contextmanager

import numpy as np

from autograder import models
from autograder.checks import tolerance
from autograder.checks.core import Fail
from autograder.submission import StudentError


def show(value, limit: int = 160) -> str:
    """A short printable form of a value."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=12, edgeitems=3):
            text = np.array2string(value, separator=", ")
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def kind_of(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def plural(n: int, word: str) -> str:
    """``plural(1, "sample")`` is "1 sample", ``plural(3, "sample")`` is "3 samples"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


RETURN_HINT = "end the function with `return` and the result; without it, Python returns None."


def array(value, what: str, hint: str = "") -> np.ndarray:
    """The value as an ndarray; fail if it is not one (a list or None is a mistake)."""
    if isinstance(value, np.ndarray):
        return value
    raise Fail(f"{what} should return a NumPy array, but it returned {kind_of(value)}.",
               hint=RETURN_HINT if value is None else
               hint or "wrap the result with np.asarray(...) or build it from NumPy operations.")


def number(value, what: str, hint: str = "") -> float:
    """The value as a float; a Python or NumPy scalar or a 0-d array counts."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "biuf":
        return float(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise Fail(f"{what} should return a single number, but it returned {kind_of(value)}.",
               hint=RETURN_HINT if value is None else
               hint or "reduce to one number, e.g. with np.sum or np.mean, and return it.")


def shape(got: np.ndarray, want: tuple, what: str, hint: str = "") -> None:
    if tuple(got.shape) != tuple(want):
        raise Fail(f"{what} returned an array of shape {tuple(got.shape)}; shape {tuple(want)} was expected.",
                   hint=hint or "check which axis you reduce or index over.")


def floating(got: np.ndarray, what: str, hint: str = "") -> None:
    if got.dtype.kind != "f":
        default = ("a comparison such as z > 0 gives booleans: convert them to floats with .astype(float)."
                   if got.dtype.kind == "b" else
                   "integer arithmetic truncates: make sure the result is computed in floats.")
        raise Fail(f"{what} returned an array of dtype {got.dtype}; a float array was expected.",
                   hint=hint or default)


def finite(got, what: str, hint: str = "") -> None:
    values = np.asarray(got, dtype=float)
    if not np.all(np.isfinite(values)):
        bad = "nan" if np.any(np.isnan(values)) else "inf"
        raise Fail(f"{what} returned {bad} values.", shown=f"Got {show(got)}.", hint=hint)


def close(got, want, what: str, rtol: float = 0.0, atol: float = 0.0, hint: str = "") -> None:
    """``got`` matches ``want`` within ``atol + rtol * |want|``, elementwise, same shape.

    The tolerance is the table's for ``want``'s dtype (:mod:`autograder.checks.tolerance`);
    ``rtol``/``atol`` may loosen it, never tighten it.
    """
    tol = tolerance.for_value(want).at_least(rtol, atol)
    want = np.asarray(want)
    if want.shape and _is_scalar(got):
        raise Fail(f"{what} returned a single number; an array of shape {want.shape} was expected.", hint=hint)
    if isinstance(got, np.ndarray) or want.shape:
        got = array(got, what)
        shape(got, want.shape, what)
        if got.dtype.kind not in "biuf":
            raise Fail(f"{what} returned an array of dtype {got.dtype}; numbers were expected.")
    else:
        got = number(got, what)
    got_f = np.asarray(got, dtype=np.float64)
    want_f = np.asarray(want, dtype=np.float64)
    if np.any(np.isnan(got_f) & ~np.isnan(want_f)) or np.any(np.isinf(got_f) & ~np.isinf(want_f)):
        finite(got, what, hint)
    if not np.allclose(got_f, want_f, rtol=tol.rtol, atol=tol.atol, equal_nan=True):
        raise Fail(f"{what} returned wrong values.", shown=f"Expected {show(want)}, got {show(got)}.", hint=hint)


def equal(got, want, what: str, hint: str = "") -> None:
    """Exact equality of numbers or arrays (integer outputs, labels)."""
    want = np.asarray(want)
    if want.shape:
        got = array(got, what)
        shape(got, want.shape, what)
    else:
        got = number(got, what)
    if not np.array_equal(np.asarray(got), want):
        raise Fail(f"{what} returned wrong values.", shown=f"Expected {show(want)}, got {show(got)}.", hint=hint)


def binary(got, want, what: str, hint: str = "") -> None:
    """0/1 outputs: ints, bools or floats holding exactly 0 and 1 all count (``True == 1``)."""
    want = np.asarray(want)
    returned = got
    if want.shape and _is_scalar(got):
        raise Fail(f"{what} returned a single number; an array of shape {want.shape} was expected.", hint=hint)
    if want.shape:
        got = array(got, what)
        shape(got, want.shape, what)
    elif isinstance(got, (bool, np.bool_)) or (isinstance(got, np.ndarray) and got.shape == ()):
        got = np.asarray(got)
    else:
        got = number(got, what)
    if np.asarray(got).dtype.kind not in "biuf":
        raise Fail(f"{what} returned an array of dtype {np.asarray(got).dtype}; 0s and 1s were expected.")
    if not np.array_equal(np.asarray(got, dtype=np.float64), want):
        raise Fail(f"{what} returned wrong values.", shown=f"Expected {show(want)}, got {show(returned)}.", hint=hint)


def _is_scalar(value) -> bool:
    return isinstance(value, (numbers.Number, np.generic)) or (isinstance(value, np.ndarray) and value.shape == ())


@contextmanager
def hinting(hint: str):
    """Add ``hint`` to the message when the student's code raises inside the block.

    The student's own exception (type, message, line in their file) stays first.
    """
    try:
        yield
    except StudentError as error:
        if error.status != models.ERROR or not error.exception or "Hint:" in error.message or error.importing:
            raise
        raise StudentError(error.status, f"{error.message.rstrip()} Hint: {hint}", error.exception,
                           f"{error.hidden_message.rstrip()} Hint: {hint}") from None


def unchanged(before, after, what: str) -> None:
    """The arguments after the call equal those sent (the function did not modify its inputs)."""
    for i, (a, b) in enumerate(zip(before, after)):
        if isinstance(a, np.ndarray) and not (isinstance(b, np.ndarray) and np.array_equal(a, b, equal_nan=True)):
            raise Fail(f"{what} changed the array passed as argument {i + 1}.",
                       hint="work on a copy (e.g. z = np.array(z, dtype=float)) or build a new array; "
                            "never assign into the caller's array.")
        if isinstance(a, dict) and not _same_dict(a, b):
            raise Fail(f"{what} changed the dict passed as argument {i + 1}.",
                       hint="build and return a new dict instead of updating the one you were given.")


def _same_dict(a: dict, b) -> bool:
    if not isinstance(b, dict) or a.keys() != b.keys():
        return False
    return all(np.array_equal(np.asarray(a[k]), np.asarray(b[k]), equal_nan=True) for k in a)
