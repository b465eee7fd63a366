"""What the feedback of a hidden check may say about the student's own error.

A hidden check calls the student's code with inputs the student must not learn. An
exception's message is text the student's code wrote, so it can carry those inputs
(``raise ValueError(repr(z))``); so can an exception class or a code object made at run
time with any name, or a call to ``exit`` with any text. Hidden-check feedback is
therefore built only from an allowlist: the kind of failure, the exception's type if
it is a built-in or well-known one, and "file, line N" if the file is one of the
exercise modules. Visible checks show the full message (their inputs are public).
"""

from __future__ import annotations

import builtins
import re

from autograder.exercises import NAMES

KNOWN_EXCEPTIONS = frozenset(
    {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)}
    | {"LinAlgError", "AxisError", "UFuncTypeError", "InvalidArgumentError", "ResourceExhaustedError",
       "NotFoundError", "UnimplementedError", "FailedPreconditionError", "OperatorNotAllowedInGraphError"})
WHERE = re.compile(r"([a-z_][a-z0-9_]*)\.py, line ([0-9]{1,6})\b")
NOT_SHOWN = "(its message is not shown for hidden checks)"


def exception_type(name) -> str:
    """``name`` if it is a known exception type, else a neutral phrase."""
    return name if name in KNOWN_EXCEPTIONS else "an exception of its own type"


def location(where) -> str:
    """``" (softmax.py, line 12)"`` from the worker's "file, line N: code", or "" if it is not that."""
    match = WHERE.match(where) if type(where) is str else None
    if match is None or match.group(1) not in NAMES:
        return ""
    return f" ({match.group(1)}.py, line {int(match.group(2))})"


def message(kind: str, what: str, exception: str = "", where: str = "") -> str:
    """The hidden check's message for a failure of ``kind`` (see :func:`submission.student_error`)."""
    if kind == "exit":
        return f"{what} stopped the program (it called exit). Return a value instead."
    if kind == "bad_return":
        return f"{what} returned something that cannot be graded. Return a NumPy array or a plain number."
    if kind == "missing":
        return f"{what} is missing from your module. Keep the function names of the exercise."
    return f"{what} raised {exception_type(exception)}{location(where)} {NOT_SHOWN}."
