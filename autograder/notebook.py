"""What the test cells of the nbgrader notebooks call.

A notebook defines the exercise's functions in its own kernel; a test cell grades them
with the same checks as ``nn101 grade``, run in this process::

    check_exercise(name, globals())               # the visible checks of exercise `name`
    check_exercise(name, globals(), hidden=True)  # its hidden checks (in the graded copy only)

It prints one line per check (what failed and a hint) and evaluates to the points earned.
nbgrader reads a number left by a test cell as partial credit, so every cell scores what
``nn101 grade`` gives the same functions for the same checks, and a failed check never
raises. Anything the student's code prints, warns or logs while a check runs is kept out
of the cell: nbgrader gives 0 points to a test cell that wrote to stderr.

There is no sandbox here: a notebook kernel is the student's own process. Grade through
``nn101 grade`` where that matters.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import tempfile
import warnings
from pathlib import Path

from autograder import models, seeding
from autograder.checks.core import hidden_suites_available, load_checks
from autograder.runner import run_check
from autograder.submission import InProcessSubmission, ModuleProxy

STUDENT_ID_ENV = "NN101_STUDENT_ID"
MARK = {True: "✓", False: "✗"}


def check_exercise(exercise: str, namespace, hidden: bool = False) -> float:
    """Run the visible (or hidden) checks of ``exercise`` on ``namespace``; return the points earned."""
    checks = [c for c in load_checks(exercise, hidden) if c.visible != hidden]
    kind = "hidden" if hidden else "visible"
    if not checks:
        print(f"{exercise}: no {kind} checks here"
              + (" (they run when your notebook is graded)." if hidden and not hidden_suites_available() else "."))
        return 0.0
    submission = InProcessSubmission({exercise: namespace})
    if hidden:
        submission.redact = _redactor()
    proxy = ModuleProxy(submission, exercise)
    secret, student = seeding.load_secret(), student_id()
    results = []
    for check in checks:
        with _silenced():
            results.append(run_check(check, proxy, seeding.check_rng(secret, student, check.title)))
    print(report(exercise, kind, results))
    return float(sum(r.points for r in results))


def report(exercise: str, kind: str, results: list[models.CheckResult]) -> str:
    """One line per check, then the score."""
    lines = []
    for result in results:
        line = f"{MARK[result.passed]} {result.name}"
        if not result.passed:
            message = result.message.replace(f"{exercise}.py has no", "this notebook has no")
            line += f" [{result.status}]: {message}"
        lines.append(line)
    earned, possible = sum(r.points for r in results), sum(r.max_points for r in results)
    if possible:
        lines.append(f"{exercise}, {kind} checks: {earned:g} of {possible:g} points")
    else:
        passed = sum(r.passed for r in results)
        lines.append(f"{exercise}, {kind} checks: {passed} of {len(results)} passed (they carry no points)")
    return "\n".join(lines)


def student_id() -> str:
    """$NN101_STUDENT_ID, or the student folder of nbgrader's ``autograded/<student>/<assignment>``."""
    if os.environ.get(STUDENT_ID_ENV):
        return os.environ[STUDENT_ID_ENV]
    here = Path.cwd()
    return here.parent.name if here.parent.parent.name == "autograded" else ""


def _redactor():
    from autograder.redact import Redactor, secret_lines
    from autograder.references import solutions_dir
    from autograder.checks.core import CHECKS_DIR

    return Redactor(secret_lines(solutions_dir(), CHECKS_DIR), seeding.load_secret())


@contextlib.contextmanager
def _silenced():
    """Swallow prints, warnings, log records and C-level log lines made while a check runs."""
    with tempfile.TemporaryFile() as sink, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved, logging_level = _redirect_fds(sink), logging.root.manager.disable
        logging.disable(logging.CRITICAL)  # TensorFlow's Python logger holds the kernel's own streams
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                yield
        finally:
            logging.disable(logging_level)
            _restore_fds(saved)


def _redirect_fds(sink) -> dict[int, int]:
    saved = {}
    for fd in (1, 2):
        try:
            for stream in (sys.__stdout__, sys.__stderr__):
                if stream is not None:
                    stream.flush()
            saved[fd] = os.dup(fd)
            os.dup2(sink.fileno(), fd)
        except OSError:
            pass
    return saved


def _restore_fds(saved: dict[int, int]) -> None:
    for fd, copy in saved.items():
        os.dup2(copy, fd)
        os.close(copy)
