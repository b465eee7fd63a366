"""Grading as a pipeline of small steps: select checks, run each, collect results.

``grade(path)`` grades a submission folder through worker processes;
``grade_submission(submission)`` does the same for any
:class:`~autograder.submission.Submission` (e.g. a notebook's functions,
in process). Whatever the student's code does, every check yields a
:class:`~autograder.models.CheckResult`; nothing here raises on their behalf.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import sys
import time
import traceback
from pathlib import Path

import numpy as np

from autograder import dependencies, models, policy, sandbox, seeding, withheld
from autograder.checks.core import CHECKS_DIR, Check, Fail, load_checks, prepare_checks
from autograder.exercises import EXERCISES, Exercise
from autograder.limits import Limits
from autograder.redact import Redactor, secret_lines
from autograder.references import reference, solutions_dir
from autograder.sandbox import WorkerStartError
from autograder.submission import (BUDGET_MESSAGE, InProcessSubmission, IsolatedSubmission, ModuleProxy,
                                   StudentError, Submission, VerificationError)

UNREADABLE_HINT = ("return what the docstring asks for: a NumPy array of the shape given (not a list of rows "
                   "of different lengths), or a single number.")


def grade(path: str | Path, exercises: tuple[Exercise, ...] = EXERCISES, student_id: str = "",
          secret: bytes | None = None, hidden: bool = True,
          limits: dict[str, Limits] | None = None, budget: float | None = None) -> models.Results:
    """Grade the submission folder ``path`` (modules named after the exercises).

    ``budget``: seconds for the whole submission; checks that start after it score 0, and no
    call into student code may run past it.
    """
    deadline = None if budget is None else time.monotonic() + budget
    secret = seeding.load_secret() if secret is None else secret
    course = [solutions_dir(), CHECKS_DIR, *_secret_paths()]  # the hidden checks live in CHECKS_DIR
    sandbox.protect(course)
    sandbox.verify_unreadable(course)  # the uid level: prove it, as a worker would, or grade nobody
    redact = Redactor(secret_lines(solutions_dir(), CHECKS_DIR if hidden else None), secret)
    kinds = {e.name: e.kind for e in exercises}
    sandbox.warm_up(kinds.values())  # import TensorFlow meanwhile, if a Keras exercise is graded
    with IsolatedSubmission(Path(path), kinds, limits, redact) as submission:
        for exercise in exercises:  # while the workers start
            prepare_checks(exercise.name, hidden)
        results = grade_submission(submission, str(path), exercises, student_id, secret, hidden, deadline)

    def regrade(folder: Path, names: tuple[str, ...]) -> models.Results:
        with IsolatedSubmission(folder, kinds, limits, redact) as again:
            chosen = tuple(e for e in exercises if e.name in names)
            # a stand-in (working code) sits beside the student's code: show none of its text
            return grade_submission(again, str(path), chosen, student_id, secret, hidden, deadline, shown=False)

    # one broken module costs only its own points (a stand-in replaces it for the others)
    if hidden:
        results = dependencies.regrade_broken_imports(results, Path(path), regrade)
    return dataclasses.replace(results, isolation=sandbox.isolation_level())


def grade_submission(submission: Submission, name: str, exercises: tuple[Exercise, ...] = EXERCISES,
                     student_id: str = "", secret: bytes | None = None,
                     hidden: bool = True, deadline: float | None = None, shown: bool = True) -> models.Results:
    """Run every check of ``exercises``; those starting after ``deadline`` (``time.monotonic``) score 0.

    ``shown=False`` words every check's feedback as a hidden check's: nothing the student's code
    wrote or printed, no expected values (the visible flag of each result stays as it is).
    """
    secret = seeding.load_secret() if secret is None else secret
    submission.deadline = deadline  # each call gets at most the time left
    chosen = {e.name: load_checks(e.name, hidden) for e in exercises}
    proxies = {module: ModuleProxy(submission, module) for module in chosen}
    done: dict[tuple[str, str], models.CheckResult] = {}
    # Every visible check of every exercise first, then the hidden ones: a module that records the
    # inputs it is called with cannot show a hidden check's (per-student) inputs in visible feedback.
    for visible in (True, False):
        for module, checks in chosen.items():
            for c in checks:
                if c.visible == visible:
                    done[module, c.name] = (over_budget(c) if deadline is not None and time.monotonic() > deadline
                                            else _run(c, proxies[module],
                                                      seeding.check_rng(secret, student_id, c.title), shown))
    results = tuple(models.ExerciseResult(module, tuple(done[module, c.name] for c in checks))
                    for module, checks in chosen.items())
    any_hidden = any(not c.visible for checks in chosen.values() for c in checks)
    return models.Results(name, results, student_id=student_id, hidden=any_hidden)


def _run(check: Check, proxy: ModuleProxy, rng: np.random.Generator, shown: bool) -> models.CheckResult:
    if shown or not check.visible:
        return run_check(check, proxy, rng)
    result = run_check(dataclasses.replace(check, visible=False), proxy, rng)
    message = result.message.replace(withheld.NOT_SHOWN, "(its message is not shown: the grader's own code ran beside yours)")
    return dataclasses.replace(result, message=message, visible=True)


def run_check(check: Check, proxy: ModuleProxy, rng: np.random.Generator) -> models.CheckResult:
    """Run one check; turn every outcome into a result."""
    def result(status: str, message: str = "") -> models.CheckResult:
        printed = getattr(proxy.submission, "printed", "")
        if check.visible and status != models.PASSED and printed:  # beginners debug with print
            message = f"{message} Your code printed (last lines): {printed.strip()}"
        return models.CheckResult(check.exercise, check.name, check.points, status, message, check.visible)

    proxy.calls, proxy.submission.printed = [], ""
    draws = copy.deepcopy(rng)  # the same inputs, should the check have to run again on the reference
    try:
        with np.errstate(all="ignore"):
            note = check.function(proxy, rng)  # a passed check may return a note for the student
    except Fail as fail:
        return result(models.FAILED, fail.render(check.visible))
    except StudentError as error:  # a hidden check never echoes what the student's code wrote
        return result(error.status, error.message if check.visible else error.hidden_message)
    except WorkerStartError as error:
        print(f"nn101: {error}", file=sys.stderr)
        return result(models.GRADER_ERROR, "The grader could not run your code; your instructor has been notified.")
    except Exception as error:  # noqa: BLE001 - the check raised: whose fault is it?
        if proxy.calls and not isinstance(error, VerificationError) and passes_on_reference(check, draws):
            return result(models.FAILED, _unreadable(error, proxy, check.visible))  # the student's answer did it
        print(f"nn101: internal error in check {check.title!r}:\n{traceback.format_exc()}", file=sys.stderr)
        return result(models.GRADER_ERROR, "The grader failed on this check; your instructor has been notified.")
    banned = policy.violation_reached(proxy)
    if banned is not None:  # whatever the values: the library did the exercise
        return result(models.FAILED, banned)
    return result(models.PASSED, note if isinstance(note, str) else "")


def passes_on_reference(check: Check, rng: np.random.Generator) -> bool:
    """Whether ``check`` passes with the reference solution in place of the student's, in process,
    on the same draws (NumPy exercises only: a Keras run here would take minutes)."""
    if next((e.kind for e in EXERCISES if e.name == check.exercise), "") != "numpy":
        return False
    try:
        submission = InProcessSubmission({check.exercise: reference(check.exercise)})
        with np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
            check.function(ModuleProxy(submission, check.exercise), rng)
    except Exception:  # noqa: BLE001 - any failure here means the check itself is at fault
        return False
    return True


def _unreadable(error: Exception, proxy: ModuleProxy, visible: bool) -> str:
    """The student's message for an answer that made the check raise (it passes on the reference)."""
    kind, name = proxy.calls[-1][:2]
    what = f"{name}()" if kind == "call" else f"Your {proxy.module}.py"
    detail = f"{type(error).__name__}: {str(error)[:200]}" if visible else type(error).__name__
    detail = proxy.submission.redact(detail)  # the text may hold what the student's code returned
    return f"{what} returned something the check could not read ({detail}). Hint: {UNREADABLE_HINT}"


def over_budget(check: Check) -> models.CheckResult:
    return models.CheckResult(check.exercise, check.name, check.points, models.TIMEOUT, BUDGET_MESSAGE, check.visible)


def _secret_paths() -> list[Path]:
    return seeding.secret_paths()  # $NN101_SECRET_FILE and any --secret-file loaded
