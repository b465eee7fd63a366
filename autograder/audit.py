"""The audit: grade every mutant and alternative, and see what the suites catch.

A mutant is *caught* when it loses points in its own exercise; it *leaks* when it
loses points in another one. An alternative (a correct implementation written
differently) and the reference must keep full marks. A hidden check that no mutant
fails is *silent* unless it states an ``uncaught_reason``.

Grading goes through :func:`autograder.runner.grade`, one worker per submission,
exactly as for students. A NumPy variant is graded on every NumPy exercise (to see
leaks); a Keras variant only on the Keras exercise, which no other module imports.
"""

from __future__ import annotations

import functools
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from autograder import alternatives, idscan, models, mutants, runner, seeding
from autograder.checks.core import Check, load_checks
from autograder.exercises import EXERCISES, NAMES
from autograder.idscan import IdScan
from autograder.mutants.variant import Variant, materialise
from autograder.references import reference, solutions_dir


@dataclass(frozen=True)
class Outcome:
    """The grading of one variant (or of the reference, ``variant=None``)."""

    variant: Variant | None
    results: models.Results

    @property
    def name(self) -> str:
        return self.variant.id if self.variant else "reference"

    def lost(self, exercise: str) -> float:
        """Points lost in ``exercise`` (0 when it was not graded)."""
        return sum(e.max_points - e.points for e in self.results.exercises if e.name == exercise)

    @property
    def lost_by_exercise(self) -> dict[str, float]:
        return {e.name: e.max_points - e.points for e in self.results.exercises if e.points < e.max_points}

    @property
    def caught_by(self) -> tuple[models.CheckResult, ...]:
        """The failed checks of the variant's own exercise."""
        own = self.variant.exercise if self.variant else None
        return tuple(c for c in self.results.checks if c.exercise == own and not c.passed)

    @property
    def names_its_mistake(self) -> bool:
        """Whether a hint of a failed check names the mutant's misconception (``Variant.keyword``,
        the entry's ``"feedback names"``): in the hint, not the summary, which repeats the call."""
        hints = [c.message.split("Hint:", 1)[1].lower() for c in self.caught_by if "Hint:" in c.message]
        return not self.variant or any(self.variant.keyword.lower() in h for h in hints)

    @property
    def hintless(self) -> tuple[models.CheckResult, ...]:
        """Failed checks (wrong answers, not errors) whose message gives the student no hint."""
        return tuple(c for c in self.caught_by if c.status == models.FAILED and "Hint: " not in c.message)

    @property
    def leaks(self) -> tuple[str, ...]:
        """Other exercises in which the variant lost points."""
        own = self.variant.exercise if self.variant else None
        return tuple(name for name in self.lost_by_exercise if name != own)


@dataclass(frozen=True)
class AuditReport:
    """Everything the audit found out."""

    reference: Outcome
    mutants: tuple[Outcome, ...]
    alternatives: tuple[Outcome, ...]
    hidden_checks: tuple[Check, ...]
    """The hidden checks of the audited exercises."""
    all_checks: tuple[Check, ...] = ()
    """Every check (visible and hidden) of the audited exercises."""
    id_scan: IdScan | None = None
    """The reference and alternatives graded for many student ids (``--ids``), if asked."""

    @property
    def missed(self) -> tuple[Outcome, ...]:
        """Mutants that lost no points in their own exercise."""
        return tuple(m for m in self.mutants if m.lost(m.variant.exercise) == 0)

    @property
    def leaking(self) -> tuple[Outcome, ...]:
        return tuple(m for m in self.mutants if m.leaks)

    @property
    def false_fails(self) -> tuple[Outcome, ...]:
        """The reference and alternatives that lost any points."""
        return tuple(o for o in (self.reference, *self.alternatives) if o.lost_by_exercise)

    @property
    def grader_errors(self) -> tuple[tuple[str, models.CheckResult], ...]:
        outcomes = (self.reference, *self.mutants, *self.alternatives)
        return tuple((o.name, c) for o in outcomes for c in o.results.grader_errors)

    def catchers(self, check: Check) -> tuple[str, ...]:
        """Ids of the mutants that fail ``check``."""
        return tuple(m.name for m in self.mutants
                     if any(c.title == check.title for c in m.caught_by))

    @property
    def silent_checks(self) -> tuple[Check, ...]:
        """Hidden checks that catch no mutant and give no reason why."""
        return tuple(c for c in self.hidden_checks if not c.uncaught_reason and not self.catchers(c))

    @property
    def explained_checks(self) -> tuple[Check, ...]:
        """Hidden checks that catch no mutant, with their stated reason."""
        return tuple(c for c in self.hidden_checks if c.uncaught_reason and not self.catchers(c))

    def aimed_catchers(self, check: Check) -> tuple[str, ...]:
        """Ids of the mutants aimed at ``check`` (``Variant.check``) that fail it: proof that the
        check fails for the reason it names."""
        return tuple(m.name for m in self.mutants if m.variant.exercise == check.exercise
                     and m.variant.check == check.name and any(c.title == check.title for c in m.caught_by))

    @property
    def unproven_checks(self) -> tuple[Check, ...]:
        """Checks (visible or hidden) that no mutant aimed at them fails, with no stated reason."""
        return tuple(c for c in self.all_checks if not c.uncaught_reason and not self.aimed_catchers(c))

    @property
    def misaimed(self) -> tuple[Outcome, ...]:
        """Mutants aimed at a check that they do not fail (or that does not exist)."""
        return tuple(m for m in self.mutants if m.variant.check and not any(
            c.name == m.variant.check for c in m.caught_by))

    @property
    def unnamed(self) -> tuple[Outcome, ...]:
        """Caught mutants whose feedback never names their misconception, or lacks a hint."""
        return tuple(m for m in self.mutants if m.caught_by and (not m.names_its_mistake or m.hintless))

    @property
    def ok(self) -> bool:
        scan_ok = self.id_scan is None or self.id_scan.ok
        return scan_ok and not (self.missed or self.leaking or self.false_fails or self.grader_errors
                                or self.silent_checks or self.unproven_checks or self.misaimed or self.unnamed)

    @property
    def return_code(self) -> int:
        """0 when every mutant is caught in its own exercise only and nothing correct lost points."""
        return 0 if self.ok else 1


def run_audit(only: tuple[str, ...] = NAMES, student_id: str = "", secret: bytes | None = None,
              jobs: int = 1, ids: int = 0) -> AuditReport:
    """Grade the reference, every mutant and every alternative of the exercises ``only``.

    With ``ids``, also grade the reference and the alternatives of the NumPy exercises for
    that many student ids (:mod:`autograder.idscan`): any point lost there fails the audit.
    """
    secret = seeding.DEFAULT_SECRET if secret is None else secret
    mutant_list, alternative_list = mutants.catalog(only), alternatives.catalog(only)
    kinds = {e.kind for e in EXERCISES if e.name in only}
    jobs_list = [(None, _exercises_for(kinds), False)]
    jobs_list += [(v, _exercises_for({v.kind}), True) for v in mutant_list]
    jobs_list += [(v, _exercises_for({v.kind}), False) for v in alternative_list]
    grade = functools.partial(_grade, student_id=student_id, secret=secret)
    outcomes = _map(grade, jobs_list, jobs)
    n = len(mutant_list)
    every = tuple(c for name in only for c in load_checks(name))
    hidden = tuple(c for c in every if not c.visible)
    id_scan = idscan.scan(ids, only, secret, jobs=jobs) if ids > 0 else None
    return AuditReport(outcomes[0], tuple(outcomes[1:1 + n]), tuple(outcomes[1 + n:]), hidden,
                       all_checks=every, id_scan=id_scan)


@functools.lru_cache(maxsize=None)
def audit_once(only: tuple[str, ...] = NAMES, jobs: int = 1) -> AuditReport:
    """One audit per process for given options: the kit's tests share it between files."""
    return run_audit(only, jobs=jobs)


def _exercises_for(kinds: set[str]) -> tuple:
    return tuple(e for e in EXERCISES if e.kind in kinds)


def _grade(job, student_id: str, secret: bytes) -> Outcome:
    variant, exercises, shield = job
    with tempfile.TemporaryDirectory(prefix="nn101-audit-") as folder:
        path = materialise(variant, solutions_dir(), Path(folder) / "submission", shield)
        results = runner.grade(path, exercises, student_id=student_id, secret=secret)
    return Outcome(variant, results)


def _map(function, items: list, jobs: int) -> list:
    _warm_up()
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    # Processes, not threads: each grading process gets worker uids of its own.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(function, items))


def _warm_up() -> None:
    """Load every check and NumPy reference once, before any fork (TensorFlow stays in the workers)."""
    for exercise in EXERCISES:
        load_checks(exercise.name)
        if exercise.kind == "numpy":
            reference(exercise.name)
