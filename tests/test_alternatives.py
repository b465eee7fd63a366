"""No false fails: correct implementations written differently from the reference keep full marks.

Graded in the session's shared audit (see test_audit.py), each alternative in every
exercise its worker grades, so modules that import it (losses uses softmax) must pass too.
"""

from __future__ import annotations

import ast

import pytest

from autograder import alternatives, audit
from autograder.exercises import NAMES
from autograder.references import solutions_dir

CATALOG = alternatives.catalog()


@pytest.fixture(scope="session")
def report():
    return audit.audit_once(NAMES, jobs=2)


def _names(source: str) -> set[str]:
    """Functions and variables a piece of code defines at module level."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


@pytest.mark.parametrize("exercise", NAMES)
def test_every_exercise_has_two_alternatives_that_replace_part_of_its_api(exercise):
    own = [v for v in CATALOG if v.exercise == exercise]
    assert len(own) >= 2, exercise
    api = _names((solutions_dir() / f"{exercise}.py").read_text(encoding="utf-8"))
    for variant in own:
        assert variant.description and "\n" not in variant.description
        assert _names(variant.code) & api, f"{variant.id} replaces nothing of {exercise}"


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
