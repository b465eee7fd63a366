"""Text that is safe to print or write: no control characters, no lone surrogates.

Student ids (folder names), file names and the messages of student exceptions all
reach reports and terminals. An ESC sequence there repaints the grader's terminal,
a control character makes JUnit XML unparseable (XML 1.0 allows only tab, newline
and carriage return below U+0020), a bidirectional override hides text, and a lone
surrogate (``"\\ud800"``) cannot be encoded as UTF-8 at all.
"""

from __future__ import annotations

import dataclasses
import re

from autograder.models import CheckResult, ExerciseResult, Results

# C0 (except tab and newline), DEL, C1, bidi overrides/isolates, U+FFFE/U+FFFF, lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def text(value: str) -> str:
    """``value`` with every unsafe character replaced by U+FFFD; tab and newline are kept."""
    return _UNSAFE.sub(REPLACEMENT, str(value))


def line(value: str) -> str:
    """``value`` as one line: like :func:`text`, and newlines and tabs become spaces."""
    return text(value).replace("\n", " ").replace("\t", " ")


def results(value: Results) -> Results:
    """A copy of ``value`` whose every string is safe to show (scores are untouched)."""
    return dataclasses.replace(
        value, submission=line(value.submission), student_id=line(value.student_id),
        warnings=tuple(line(w) for w in value.warnings),
        exercises=tuple(_exercise(e) for e in value.exercises))


def _exercise(value: ExerciseResult) -> ExerciseResult:
    return dataclasses.replace(value, name=line(value.name), source=line(value.source),
                               checks=tuple(_check(c) for c in value.checks))


def _check(value: CheckResult) -> CheckResult:
    return dataclasses.replace(value, exercise=line(value.exercise), name=line(value.name),
                               status=line(value.status), message=text(value.message))
