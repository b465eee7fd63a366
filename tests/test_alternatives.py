"""No false fails: correct implementations written differently from the reference keep full marks.

Graded in the session's shared audit (see test_audit.py), each alternative in every
exercise its worker grades, so modules that import it (losses uses softmax) must pass too.
"""

from __future__ import annotations

import pytest

from conftest import ROOT
from autograder import alternatives, audit, rules
from autograder.exercises import EXERCISES, NAMES

CATALOG = alternatives.catalog()


@pytest.fixture(scope="session")
def report():
    return audit.audit_once(NAMES, jobs=2)


@pytest.mark.parametrize("exercise", NAMES)
def test_every_exercise_has_two_alternatives_that_replace_part_of_its_api(exercise):
    """The rule (autograder/rules.py) that nn101 audit and release --check apply, and its numbers."""
    assert rules.variants(ROOT, [e for e in EXERCISES if e.name == exercise]) == []
    own = [v for v in CATALOG if v.exercise == exercise]
    assert len(own) >= rules.MIN_ALTERNATIVES == 2, exercise
    assert all(v.description and "\n" not in v.description for v in own)


@pytest.mark.parametrize("variant_id", [v.id for v in CATALOG])
def test_an_alternative_keeps_full_marks_everywhere(report, variant_id):
    outcome = next(o for o in report.alternatives if o.name == variant_id)
    failed = [f"{c.title} [{c.status}]: {c.message}" for c in outcome.results.checks if not c.passed]
    assert not failed, failed
    assert outcome.results.points == outcome.results.max_points > 0


def test_the_alternatives_together_use_the_promised_variety():
    code = "\n".join(v.code for v in CATALOG)
    for idea in ("np.logaddexp", "np.heaviside", "keras.Model(inputs", "float32", ".tolist()", "copy=True",
                 '"B."', "rng.shuffle", "keras.layers.Softmax()"):
        assert idea in code, idea
