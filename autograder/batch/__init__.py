"""Grade a class: every submission in its own workers, several at a time, resumable.

``run`` grades the submissions that have no valid stored result yet, in a pool of
grading processes (each student still gets fresh worker processes for their
code), and saves each result the moment it arrives (``store``). Whatever goes
wrong with one submission becomes that student's row with a note: a bad zip, no
module, an exception in the grader, even a grading process that dies (the
submissions it held are retried one by one, then recorded as failed).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from autograder import reaper
from autograder.batch.discover import Entry, Problem, fingerprint, modules_folder
from autograder.batch.progress import Progress
from autograder.batch.store import Store
from autograder.exercises import Exercise
from autograder.limits import Limits

PR_SET_PDEATHSIG = 1
SCRATCH_PREFIX = "nn101-batch-"
ATTEMPTS = 2  # grading processes a submission may see die before it is recorded as failed


@dataclass(frozen=True)
class Settings:
    """How every submission of the batch is graded."""

    exercises: tuple[Exercise, ...]
    secret: bytes
    hidden: bool = True
    limits: dict[str, Limits] | None = None

    def stamp(self, entry: Entry) -> dict:
        """What a stored result must match to be reused."""
        return {"exercises": [e.name for e in self.exercises], "hidden": self.hidden,
                "submission": fingerprint(entry)}


@dataclass(frozen=True)
class Outcome:
    records: tuple[dict, ...]
    """Every student's result, stored or new, sorted by student id."""
    graded: int
    """How many were graded in this run (the others were already done)."""

    @property
    def failed(self) -> tuple[dict, ...]:
        return tuple(r for r in self.records if r.get("error"))


def grade_one(entry: Entry, settings: Settings) -> dict:
    """Grade one submission in this process's workers; never raises."""
    from autograder import runner
    from autograder.reporters import json_report

    try:
        with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
            folder = modules_folder(entry, Path(scratch))
            results = runner.grade(folder, settings.exercises, student_id=entry.student_id,
                                   secret=settings.secret, hidden=settings.hidden, limits=settings.limits)
        record = json_report.as_dict(results)
        record.update(submission=entry.path.name, error="")
    except Problem as problem:
        record = failed_record(entry, settings, str(problem))
    except Exception as error:  # noqa: BLE001 - one submission must never stop the batch
        record = failed_record(entry, settings, f"the grader failed: {type(error).__name__}: {error}", True)
    record["batch"] = settings.stamp(entry)
    return record


def failed_record(entry: Entry, settings: Settings, message: str, grader_fault: bool = False) -> dict:
    """A zero-score result saying why ``entry`` could not be graded, and whose fault that was."""
    from autograder.checks.core import load_checks

    possible = sum(c.points for e in settings.exercises for c in load_checks(e.name, settings.hidden))
    return {"submission": entry.path.name, "student_id": entry.student_id, "score": 0.0,
            "max_score": possible, "exercises": [], "error": message, "grader_fault": grader_fault,
            "batch": settings.stamp(entry)}


def grader_fault(record: dict) -> bool:
    """Whether the grader (not the submission) failed somewhere in ``record``."""
    return bool(record.get("grader_fault")) or any(
        c["status"] == "grader error" for e in record.get("exercises", []) for c in e["checks"])


def run(entries: list[Entry], store: Store, settings: Settings, jobs: int, force: bool = False,
        stream=None, grade: Callable[[Entry, Settings], dict] = grade_one) -> Outcome:
    """Grade what is missing (everything with ``force``); keep ``store`` and its CSV up to date."""
    reaper.sweep_stale(SCRATCH_PREFIX)  # unpacked zips of a batch that was killed
    names = [e.name for e in settings.exercises]
    done = {} if force else {e.student_id: r for e in entries if (r := store.load(e.student_id, settings.stamp(e)))}
    todo = [e for e in entries if e.student_id not in done]
    progress = Progress(len(entries), list(done.values()), stream)
    store.write_csv(list(done.values()), names)

    def finish(record: dict) -> None:
        store.save(record)
        done[record["student_id"]] = record
        store.write_csv(list(done.values()), names)
        progress.update(record)

    try:
        deaths: dict[str, int] = {}
        broken = _grade_in_pool(todo, settings, jobs, grade, finish)
        while broken:  # a grading process died: retry its submissions alone, so only the culprit fails
            retry = []
            for entry in broken:
                deaths[entry.student_id] = deaths.get(entry.student_id, 0) + 1
                if deaths[entry.student_id] >= ATTEMPTS:
                    finish(failed_record(entry, settings, "the grading process died while grading it", True))
                else:
                    retry.append(entry)
            broken = [e for entry in retry for e in _grade_in_pool([entry], settings, 1, grade, finish)]
    finally:
        progress.close()
    return Outcome(tuple(done[e.student_id] for e in entries if e.student_id in done), len(todo))


def _grade_in_pool(entries: list[Entry], settings: Settings, jobs: int, grade, finish) -> list[Entry]:
    """Grade ``entries``; return those lost to a grading process that died."""
    if not entries:
        return []
    lost = []
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(entries))),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_die_with, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(grade, entry, settings): entry for entry in entries}
        for future in as_completed(futures):
            entry = futures[future]
            try:
                record = future.result()
            except BrokenProcessPool:
                lost.append(entry)
                continue
            except Exception as error:  # noqa: BLE001 - e.g. a result that could not be sent back
                record = failed_record(entry, settings, f"the grader failed: {type(error).__name__}: {error}", True)
            finish(record)
    finally:
        pool.shutdown(wait=not lost, cancel_futures=True)
    return lost


def _die_with(parent: int) -> None:
    """Pool initializer: end this grading process (and so its workers) when the batch is killed."""
    prctl = getattr(ctypes.CDLL(None), "prctl", None)
    if prctl is None:
        return  # not Linux: the pool ends when it notices its parent is gone
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
