"""The full results as JSON: one object per check, plus totals."""

from __future__ import annotations

import json

from autograder.models import Results
from autograder.reporters import clean


def as_dict(results: Results) -> dict:
    results = clean.results(results)
    return {
        "submission": results.submission,
        "student_id": results.student_id,
        "score": results.points,
        "max_score": results.max_points,
        "hidden_checks_ran": results.hidden,
        "isolation": results.isolation,
        "exercises": [
            {
                "name": e.name,
                "source": e.source,
                "score": e.points,
                "max_score": e.max_points,
                "checks": [
                    {"name": c.name, "status": c.status, "score": c.points, "max_score": c.max_points,
                     "visible": c.visible, "message": c.message}
                    for c in e.checks
                ],
            }
            for e in results.exercises
        ],
        "warnings": list(results.warnings),
    }


def render(results: Results) -> str:
    return json.dumps(as_dict(results), indent=2) + "\n"
