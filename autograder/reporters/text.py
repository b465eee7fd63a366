"""A readable table for a terminal: exercise, points, and what failed with the hint."""

from __future__ import annotations

import textwrap

from autograder.models import Results


def _points(value: float) -> str:
    return f"{value:g}"


def render(results: Results) -> str:
    width = max([len(e.name) for e in results.exercises] + [8])
    lines = [f"nn101 grade: {results.submission}" + (f" (student {results.student_id})" if results.student_id else ""), ""]
    lines.append(f"{'exercise':<{width}}  points")
    lines.append(f"{'-' * width}  ------")
    for exercise in results.exercises:
        lines.append(f"{exercise.name:<{width}}  {_points(exercise.points)} / {_points(exercise.max_points)}")
        for check in exercise.failed:
            head = f"  x {check.name} [{check.status}]"
            lines.append(head)
            if check.message:
                lines.extend(textwrap.wrap(check.message, 96, initial_indent="      ", subsequent_indent="      "))
    lines.append(f"{'-' * width}  ------")
    lines.append(f"{'total':<{width}}  {_points(results.points)} / {_points(results.max_points)}")
    if not results.hidden:
        lines.append("")
        lines.append("Only the visible checks ran; your final grade also uses hidden checks.")
    for warning in results.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines) + "\n"
