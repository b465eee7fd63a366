"""Result models: what grading produces, independent of how it is shown.

Scores are derived from the check results, never stored twice. Reporters
(``autograder/reporters``) turn a :class:`Results` into text, JSON, Gradescope
or JUnit; nothing here knows about any platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASSED = "passed"
FAILED = "failed"
ERROR = "error"  # the student's code raised, or returned something unusable
NOT_ATTEMPTED = "not attempted"  # the stub still raises NotImplementedError
TIMEOUT = "time limit exceeded"
MEMORY = "memory limit exceeded"
CRASHED = "crashed"  # the worker process died under the student's code
GRADER_ERROR = "grader error"  # a bug on our side: flagged, never blamed on the student

STATUSES = (PASSED, FAILED, ERROR, NOT_ATTEMPTED, TIMEOUT, MEMORY, CRASHED, GRADER_ERROR)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one submission."""

    exercise: str
    """Module name of the exercise, e.g. ``"softmax"``."""
    name: str
    """Human-readable check name, e.g. ``"large logits stay finite"``."""
    max_points: float
    """Points the check is worth."""
    status: str
    """One of :data:`STATUSES`."""
    message: str = ""
    """Feedback for the student; when passed, empty or a note (right values, but NumPy warned)."""
    visible: bool = True
    """Whether students see this check in their own kit (hidden checks are not shipped)."""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def points(self) -> float:
        return self.max_points if self.passed else 0.0

    @property
    def title(self) -> str:
        """``"<exercise>: <name>"``: the name every reporter uses."""
        return f"{self.exercise}: {self.name}"


@dataclass(frozen=True)
class ExerciseResult:
    """All check results of one exercise (one module)."""

    name: str
    checks: tuple[CheckResult, ...]
    source: str = ""
    """The file graded for this exercise, relative to the submission (e.g. ``my_work/softmax.py``);
    empty when the submission was graded as given (``nn101 grade``) or held no such file."""

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.checks)

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.passed)

    @property
    def scored(self) -> bool:
        """False when none of its checks carries points (the quiz in the student kit: form only)."""
        return self.max_points > 0

    @property
    def score_text(self) -> str:
        """``"7 / 9"``, or for an exercise without points ``"1 of 1 checks passed (no points here)"``."""
        if self.scored:
            return f"{self.points:g} / {self.max_points:g}"
        return f"{len(self.checks) - len(self.failed)} of {len(self.checks)} checks passed (no points here)"


ISOLATION = {
    "namespace": "namespace (bubblewrap: only the interpreter and the submission are visible)",
    "uid": "uid (a user of its own on the shared file system, no network; course files closed)",
    "process": "process (limits only, network open: for checking your own work, not for grading others')",
}
"""Isolation levels, strongest first, as reports describe them (see autograder.sandbox)."""


@dataclass(frozen=True)
class Results:
    """Everything grading found out about one submission."""

    submission: str
    """The submission's path or name, as given."""
    exercises: tuple[ExerciseResult, ...]
    student_id: str = ""
    """Identity used for per-student inputs; empty for local runs."""
    hidden: bool = True
    """Whether hidden checks were run (False in the student kit)."""
    warnings: tuple[str, ...] = field(default=())
    """Notes for the person grading (e.g. an unexpected file), not score-relevant."""
    isolation: str = ""
    """The isolation level student code ran under (a key of :data:`ISOLATION`); empty in process."""

    @property
    def isolation_text(self) -> str:
        return ISOLATION.get(self.isolation, "none: in this process (a notebook's own functions)")

    @property
    def checks(self) -> tuple[CheckResult, ...]:
        return tuple(c for e in self.exercises for c in e.checks)

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def max_points(self) -> float:
        return sum(e.max_points for e in self.exercises)

    @property
    def grader_errors(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.status == GRADER_ERROR)

    @property
    def return_code(self) -> int:
        """0 whenever grading ran, whatever the score; 3 if the grader itself failed a check."""
        return 3 if self.grader_errors else 0

    def exercise(self, name: str) -> ExerciseResult:
        for e in self.exercises:
            if e.name == name:
                return e
        raise KeyError(name)
