"""Keep secrets out of feedback, whatever student code manages to read.

Student code can put any text into an exception message. Before such text
reaches a report, every line of the reference solution regions, of the hidden
checks and the course secret itself are cut out of it. This backs up the
worker's file permissions; it does not replace them.
"""

from __future__ import annotations

from pathlib import Path

from autograder.checks.core import hidden_part
from autograder.rules import MIN_QUOTE, quoted, solution_lines

MIN_LINE = MIN_QUOTE  # one threshold for feedback, hints and the kit (autograder/rules.py)


def secret_lines(solutions: Path, checks: Path | None) -> set[str]:
    """The solution regions' lines, and with ``checks`` (``autograder/checks``) the lines of
    its hidden checks (below each file's hidden-checks mark), of :data:`MIN_LINE`+ characters."""
    lines: set[str] = set(solution_lines(solutions))
    if checks is not None and checks.is_dir():
        for path in sorted(checks.glob("*.py")):
            lines.update(_fingerprints(hidden_part(path.read_text(encoding="utf-8"))))
    return lines


def _fingerprints(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if len(line.strip()) >= MIN_LINE}


class Redactor:
    def __init__(self, lines: set[str], secret: bytes = b""):
        self.lines = sorted(lines, key=len, reverse=True)
        self.secret = secret.decode(errors="replace") if len(secret) >= 8 else ""

    def __call__(self, text: str) -> str:
        if self.secret and self.secret in text:
            text = text.replace(self.secret, "[hidden]")
        if quoted(text, self.lines):
            return "(this message quoted grader files and was withheld)"
        return text
