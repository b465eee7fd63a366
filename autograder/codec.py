"""Plain data across the process boundary, and nothing else.

Values travel as JSON. NumPy arrays of numeric dtype become
``{"__nd__": dtype, "shape": [...], "b64": ...}``; tuples ``{"__tuple__": [...]}``;
NumPy scalars ``{"__np__": dtype, "v": ...}``. Decoding is the security boundary:
it builds fresh, genuine objects from a strict schema, so no student-made
object (odd ``__eq__``, ndarray subclass, object array, pickle) ever reaches
the trusted side.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct

import numpy as np

NUMERIC_DTYPES = frozenset(
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64".split()
)
MAX_DEPTH = 20
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
"""Integers cross as int64 does: a larger one (``10**400``) is the student's unconvertible answer."""
HEADER = struct.Struct("!Q")


class NotPlainData(TypeError):
    """A value that may not cross the boundary; the message says what it was."""


def encode(value, depth: int = 0):
    """Turn plain data into JSON-ready structures; raise NotPlainData otherwise."""
    if depth > MAX_DEPTH:
        raise NotPlainData("a structure nested too deeply")
    kind = type(value)
    if kind is int and not INT_MIN <= value <= INT_MAX:
        raise NotPlainData(f"an integer too large to be graded as a number ({_digits(value)} digits)")
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if kind is np.ndarray:
        return _encode_array(value)
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.name not in NUMERIC_DTYPES:
            raise NotPlainData(f"a NumPy scalar of dtype {value.dtype.name}")
        return {"__np__": value.dtype.name, "v": encode(value.item(), depth + 1)}
    if kind is list:
        return [encode(v, depth + 1) for v in value]
    if kind is tuple:
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotPlainData("a dict whose keys are not all strings")
        return {"__dict__": {k: encode(v, depth + 1) for k, v in value.items()}}
    raise NotPlainData(describe_type(value))


def _encode_array(a: np.ndarray):
    if a.dtype.name not in NUMERIC_DTYPES:
        raise NotPlainData(f"a NumPy array of dtype {a.dtype.name!r} (numbers were expected)")
    data = np.ascontiguousarray(a).tobytes()
    return {"__nd__": a.dtype.name, "shape": list(a.shape), "b64": base64.b64encode(data).decode()}


def _digits(value: int) -> int:
    return int(abs(value).bit_length() * 0.30103) + 1


def decode(data, depth: int = 0):
    """Rebuild values from :func:`encode`'s output; reject anything off-schema."""
    if depth > MAX_DEPTH:
        raise NotPlainData("a structure nested too deeply")
    kind = type(data)
    if kind is int and not INT_MIN <= data <= INT_MAX:
        raise NotPlainData("an integer too large to be graded as a number")
    if data is None or kind in (bool, int, float, str):
        return data
    if kind is list:
        return [decode(v, depth + 1) for v in data]
    if kind is not dict or len(data) == 0:
        raise NotPlainData(f"unexpected {kind.__name__}")
    if "__tuple__" in data:
        return tuple(decode(v, depth + 1) for v in _field(data, "__tuple__", list))
    if "__dict__" in data:
        return {str(k): decode(v, depth + 1) for k, v in _field(data, "__dict__", dict).items()}
    if "__float__" in data:
        text = _field(data, "__float__", str)
        if text not in ("nan", "inf", "-inf"):
            raise NotPlainData("a malformed float")
        return float(text)
    if "__np__" in data:
        dtype = _dtype(_field(data, "__np__", str))
        value = decode(data.get("v"), depth + 1)
        if type(value) not in (bool, int, float):
            raise NotPlainData("a malformed NumPy scalar")
        try:
            return dtype.type(value)
        except (OverflowError, ValueError):
            raise NotPlainData(f"a NumPy scalar that does not fit dtype {dtype.name}") from None
    if "__nd__" in data:
        return _decode_array(data)
    raise NotPlainData("an unknown structure")


def _decode_array(data) -> np.ndarray:
    dtype = _dtype(_field(data, "__nd__", str))
    shape = _field(data, "shape", list)
    if not all(type(s) is int and 0 <= s < 2**40 for s in shape) or len(shape) > 32:
        raise NotPlainData("an array with a malformed shape")
    try:
        raw = base64.b64decode(_field(data, "b64", str), validate=True)
    except binascii.Error:
        raise NotPlainData("an array with malformed data") from None
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise NotPlainData("an array whose data does not match its shape")
    try:
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    except (ValueError, MemoryError):  # e.g. an empty array whose dimensions overflow a size
        raise NotPlainData("an array with a malformed shape") from None


def _dtype(name: str) -> np.dtype:
    if name not in NUMERIC_DTYPES:
        raise NotPlainData(f"dtype {name!r}")
    return np.dtype(name)


def _field(data: dict, key: str, kind: type):
    value = data.get(key)
    if type(value) is not kind:
        raise NotPlainData(f"a malformed {key} field")
    return value


def describe_type(value) -> str:
    """A short beginner-readable description of a value's type."""
    kind = type(value)
    if isinstance(value, np.ndarray):
        return f"an instance of {kind.__name__} (a subclass of numpy.ndarray; return a plain array)"
    module = kind.__module__
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    return f"an object of type {name}"


# ---- framing: 8-byte length, then UTF-8 JSON ---------------------------------------------

def pack(message) -> bytes:
    body = json.dumps(message, allow_nan=False, separators=(",", ":")).encode()
    return HEADER.pack(len(body)) + body


def unpack_header(header: bytes) -> int:
    return HEADER.unpack(header)[0]


def unpack_body(body: bytes):
    """The message in ``body``; ValueError for anything that is not well-formed JSON."""
    try:
        return json.loads(body.decode("utf-8"))
    except RecursionError:  # e.g. a million nested lists written by hand into the pipe
        raise ValueError("the message is nested too deeply") from None
