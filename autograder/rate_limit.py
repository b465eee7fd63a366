"""A limit on graded Gradescope submissions per time window (``--rate-limit N/HOURS``).

Gradescope documents the scheme ("Submission Metadata", gradescope-autograders.readthedocs.io):
``/autograder/submission_metadata.json`` holds this submission's ``created_at`` and the student's
``previous_submissions``, each ``{"submission_time", "score", "results"}``; count those within the
window before ``created_at`` (never the clock, so a regrade decides the same way), and over the
limit merge a message into the previous submission's results, so the student keeps the last score.

Each results.json nn101 writes says in ``extra_data["nn101"]["kind"]`` what it was: only
``graded`` ones count toward the limit (a rate-limited try or a grader failure costs nothing), and
the kept results are those of the newest ``graded`` or ``rate_limited`` one. Previous results
without that mark (another autograder) count, and are kept, as graded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from autograder.errors import UsageError

GRADED, RATE_LIMITED, GRADER_ERROR = "graded", "rate_limited", "grader_error"


@dataclass(frozen=True)
class RateLimit:
    """At most ``submissions`` graded submissions in any ``hours`` hours."""

    submissions: int
    hours: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``"3/24"`` -> 3 graded submissions per 24 hours; a :class:`UsageError` otherwise."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", text or "")
        if not match or int(match[1]) < 1 or float(match[2]) <= 0:
            raise UsageError(f"--rate-limit takes N/HOURS with N >= 1 and HOURS > 0, e.g. 3/24 "
                             f"(3 graded submissions per 24 hours); got {text!r}")
        return cls(int(match[1]), float(match[2]))

    def __str__(self) -> str:
        return f"{self.submissions}/{self.hours:g}"


@dataclass(frozen=True)
class Verdict:
    """What the limit says about this submission."""

    graded_before: int
    """Graded submissions in the window before this one."""
    next_graded_at: datetime | None = None
    """When a submission will be graded again; None if this one is graded."""
    kept_results: dict | None = None
    """The previous results.json to keep when this submission is not graded."""

    @property
    def limited(self) -> bool:
        return self.next_graded_at is not None


def check(limit: RateLimit, metadata: dict) -> Verdict | None:
    """Apply ``limit`` to Gradescope's submission metadata; None when it cannot tell (then grade).

    Without a readable ``created_at``, or with nothing to keep, the submission is graded: a problem
    with the metadata never costs the student a graded try.
    """
    now = _time(metadata.get("created_at")) if isinstance(metadata, dict) else None
    if now is None:
        return None
    window = timedelta(hours=limit.hours)
    previous = _previous(metadata, now)
    counted = [time for time, entry in previous if now - window < time and kind(entry) == GRADED]
    kept = last_results(metadata)
    if len(counted) < limit.submissions or kept is None:
        return Verdict(len(counted))
    return Verdict(len(counted), counted[len(counted) - limit.submissions] + window, kept)


def last_results(metadata: dict) -> dict | None:
    """The results.json of the newest previous submission that was graded or kept a graded one."""
    now = _time(metadata.get("created_at")) if isinstance(metadata, dict) else None
    return next((entry["results"] for _, entry in reversed(_previous(metadata, now))
                 if kind(entry) in (GRADED, RATE_LIMITED) and isinstance(entry.get("results"), dict)), None)


def _previous(metadata: dict, now: datetime | None) -> list[tuple[datetime, dict]]:
    """Previous submissions with a readable time (before ``now``, if known), oldest first."""
    entries = metadata.get("previous_submissions") if isinstance(metadata, dict) else None
    pairs = [(time, entry) for entry in (entries if isinstance(entries, list) else ())
             if isinstance(entry, dict) and (time := _time(entry.get("submission_time")))
             and (now is None or time <= now)]
    return sorted(pairs, key=lambda pair: pair[0])


def kind(entry: dict) -> str:
    """``graded``, ``rate_limited`` or ``grader_error``, from a previous submission's results."""
    results = entry.get("results")
    mark = results.get("extra_data", {}) if isinstance(results, dict) else {}
    mark = mark.get("nn101", {}) if isinstance(mark, dict) else {}
    value = mark.get("kind") if isinstance(mark, dict) else None
    return value if value in (RATE_LIMITED, GRADER_ERROR) else GRADED


def _time(value) -> datetime | None:
    """An ISO 8601 time with its UTC offset (as Gradescope writes them); None otherwise."""
    try:
        time = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return time if time.tzinfo is not None else None
