"""The mutant catalog: known-wrong implementations, one real student mistake each.

Instructor-side, like ``autograder/hidden``: never shipped to students. Each module
``autograder/mutants/<exercise>.py`` lists ``MUTANTS`` built with
:func:`~autograder.mutants.variant.variants`; ``nn101 audit`` grades every one of them.
"""

from __future__ import annotations

from autograder.exercises import NAMES
from autograder.mutants.variant import Variant, load


def catalog(exercises=NAMES) -> tuple[Variant, ...]:
    """Every mutant of ``exercises``, in teaching order."""
    return load(__name__, "MUTANTS", exercises)
