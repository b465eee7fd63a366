"""Alternative correct implementations: written differently from the reference, full marks.

Instructor-side, never shipped to students. Each module
``autograder/alternatives/<exercise>.py`` lists ``ALTERNATIVES`` built with
:func:`~autograder.mutants.variant.variants`. They guard against false fails: a check
that fails one of them is too strict or too narrow.
"""

from __future__ import annotations

from autograder.exercises import NAMES
from autograder.mutants.variant import Variant, load


def catalog(exercises=NAMES) -> tuple[Variant, ...]:
    """Every alternative of ``exercises``, in teaching order."""
    return load(__name__, "ALTERNATIVES", exercises)
