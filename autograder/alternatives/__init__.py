"""Alternative correct implementations: written differently from the reference, full marks.

Each reference declares its own as ``ALTERNATIVES`` below its audit mark
(:mod:`autograder.mutants.variant` gives the format). They guard against false fails: a
check that fails one of them is too strict or too narrow. Instructor-side, never shipped.
"""

from __future__ import annotations

from autograder.exercises import NAMES
from autograder.mutants.variant import Variant, load


def catalog(exercises=NAMES) -> tuple[Variant, ...]:
    """Every alternative of ``exercises``, in teaching order."""
    return load("ALTERNATIVES", exercises)
