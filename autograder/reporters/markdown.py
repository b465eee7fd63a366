"""Markdown, for a CI job summary (e.g. GitHub Actions' $GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from autograder.models import Results
from autograder.reporters import clean


MARKUP = str.maketrans({**{c: "\\" + c for c in "\\`*_[]()!#|~{}"}, "<": "&lt;", ">": "&gt;", "&": "&amp;"})
"""Markdown's and HTML's special characters, made literal: a student's printed output or error
message must not become a heading, a link, an image or a tag in the job summary."""


def _cell(text: str) -> str:
    """``text`` on one line, every character shown as it is (none starts Markdown or HTML)."""
    return " ".join(text.split()).translate(MARKUP)


def render(results: Results) -> str:
    results = clean.results(results)
    lines = [f"## nn101: {results.points:g} / {results.max_points:g} points", "",
             "| exercise | points | failed checks |", "|---|---|---|"]
    for exercise in results.exercises:
        failed = "; ".join(c.name for c in exercise.failed) or "none"
        name = exercise.name + (f" (`{_cell(exercise.source).replace('`', '')}`)" if exercise.source else "")
        lines.append(f"| {name} | {exercise.score_text} | {_cell(failed)} |")
    failures = [c for c in results.checks if not c.passed and c.message]
    if failures:
        lines += ["", "<details><summary>What went wrong, with hints</summary>", ""]
        lines += [f"- **{_cell(c.title)}** ({c.status}): {_cell(c.message)}" for c in failures]
        lines += ["", "</details>"]
    lines += ["", f"_Isolation: {_cell(results.isolation_text)}._"]
    if not results.hidden:
        lines += ["", "_Only the visible checks ran; the final grade also uses hidden checks._"]
    return "\n".join(lines) + "\n"
