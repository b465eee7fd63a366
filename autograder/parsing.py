"""Parse a student's source on the trusted side: one place, every failure the student's.

The trusted side reads student code without running it (which packages it imports, the
library-function policy, whether a file is still the stub, a notebook's cells). Python's
parser fails on more than syntax: null bytes raise ValueError, and deep nesting
(``x = ----...1`` with 200,000 minus signs) raises MemoryError or RecursionError in
CPython 3.11. Whatever the parser raises on a student's text is the student's problem,
never the grader's: :func:`parse` turns all of it into :class:`Unreadable`, whose message
says what to fix.
"""

from __future__ import annotations

import ast

from autograder.limits import MiB

MAX_SOURCE_BYTES = 4 * MiB
"""Longer source is not parsed (a module of the lesson is a few KiB)."""

DEEP = ("an expression is nested too deeply for Python's parser (thousands of brackets or operators in a "
        "row); write it in several steps")


class Unreadable(ValueError):
    """Student source that the parser cannot read; ``reason`` is one line for the student
    (``"<file> cannot be read: <reason>"``); ``lineno`` is set for a syntax error."""

    def __init__(self, reason: str, lineno: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.lineno = lineno


def parse(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """The syntax tree of ``source``; raises :class:`Unreadable` (never anything else the parser raises)."""
    if len(source) > MAX_SOURCE_BYTES:
        raise Unreadable(f"it is larger than {MAX_SOURCE_BYTES // MiB} MiB; a module of the lesson needs a few KiB")
    try:
        return ast.parse(source, filename)
    except SyntaxError as error:
        raise Unreadable(f"{error.msg} (line {error.lineno})", error.lineno) from None
    except ValueError as error:  # null bytes, an undecodable encoding declaration
        raise Unreadable(str(error)) from None
    except (RecursionError, MemoryError):  # nesting deeper than the parser can take
        raise Unreadable(DEEP) from None
