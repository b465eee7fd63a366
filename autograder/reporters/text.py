"""A readable table for a terminal: exercise, points, and what failed with the hint."""

from __future__ import annotations

import textwrap

from autograder.models import Results
from autograder.reporters import clean


def _points(value: float) -> str:
    return f"{value:g}"


def _grouped(checks) -> list[tuple[tuple[str, str], list[str]]]:
    """Failed checks with the same status and message, in order: one message, many names."""
    groups: dict[tuple[str, str], list[str]] = {}
    for check in checks:
        groups.setdefault((check.status, check.message), []).append(check.name)
    return list(groups.items())


def render(results: Results) -> str:
    results = clean.results(results)
    width = max([len(e.name) for e in results.exercises] + [8])
    lines = [f"nn101 grade: {results.submission}" + (f" (student {results.student_id})" if results.student_id else ""),
             f"isolation: {results.isolation_text}", ""]
    lines.append(f"{'exercise':<{width}}  points")
    lines.append(f"{'-' * width}  ------")
    for exercise in results.exercises:
        source = f"  ({exercise.source})" if exercise.source else ""
        lines.append(f"{exercise.name:<{width}}  {exercise.score_text}{source}")
        for (status, message), names in _grouped(exercise.failed):
            head = names[0] if len(names) == 1 else f"{len(names)} checks ({'; '.join(names)})"
            lines.extend(textwrap.wrap(f"x {head} [{status}]", 96, initial_indent="  ", subsequent_indent="      "))
            if message:
                lines.extend(textwrap.wrap(message, 96, initial_indent="      ", subsequent_indent="      "))
        for check in (c for c in exercise.checks if c.passed and c.message):  # full points, with a note
            lines.extend(textwrap.wrap(f"note ({check.name}): {check.message}", 96, initial_indent="  ",
                                       subsequent_indent="      "))
    lines.append(f"{'-' * width}  ------")
    lines.append(f"{'total':<{width}}  {_points(results.points)} / {_points(results.max_points)}")
    if not results.hidden:
        lines.append("")
        lines.append("Only the visible checks ran; your final grade also uses hidden checks.")
    for warning in results.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines) + "\n"
