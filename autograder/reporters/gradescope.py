"""Gradescope's results.json: top-level score, one test per check named "<module>: <check>"."""

from __future__ import annotations

import json

from autograder.models import Results
from autograder.reporters import clean


def as_dict(results: Results) -> dict:
    results = clean.results(results)
    sources = {e.name: e.source for e in results.exercises if e.source}
    tests = []
    for check in results.checks:
        output = "Passed." if check.passed else f"{check.status}: {check.message}".strip()
        tests.append({
            "name": check.title,
            "score": check.points,
            "max_score": check.max_points,
            "status": "passed" if check.passed else "failed",
            "output": output,
            "visibility": "visible",
        })
    graded = ", ".join(f"{name}: {path}" for name, path in sources.items())
    return {"score": results.points, "tests": tests, "visibility": "visible", "stdout_visibility": "hidden",
            "output": f"Isolation: {results.isolation_text}." + (f" Graded {graded}." if graded else ""),
            "extra_data": {"isolation": results.isolation}}


def render(results: Results) -> str:
    return json.dumps(as_dict(results), indent=2) + "\n"
