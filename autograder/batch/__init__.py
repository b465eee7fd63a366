"""Grade a class: every submission in its own workers, several at a time, resumable.

``run`` grades the submissions that have no valid stored result yet, in a pool of
grading processes (each student still gets fresh worker processes for their
code), and saves each result the moment it arrives (``store``). Whatever goes
wrong with one submission becomes that student's row with a note: a bad zip, no
module, an exception in the grader, even a grading process that dies (the
submissions it held are retried one by one, then recorded as failed).

Ctrl-C (once or twice) stops the batch within a second: the grading processes are
killed, every result already saved stays, and :attr:`Outcome.interrupted` is set.
Each stored result carries a stamp of what produced it (:meth:`Settings.stamp`), so
a rerun regrades exactly what a change made stale and says why.
"""

from __future__ import annotations

import ctypes
import dataclasses
import hashlib
import hmac
import multiprocessing
import os
import signal
import threading
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from autograder import __version__, reaper
from autograder.batch.discover import Entry, Prepared, Problem, fingerprint, prepare
from autograder.batch.progress import Progress
from autograder.batch.scratch import SCRATCH_PREFIX, remove_tree, scratch_folder  # noqa: F401
from autograder.batch.store import Store
from autograder.exercises import Exercise
from autograder.limits import Limits
from autograder.reporters import clean

PR_SET_PDEATHSIG = 1
ATTEMPTS = 2  # grading processes a submission may see die before it is recorded as failed
DEFAULT_BUDGET = 300.0  # seconds per submission, all exercises (a correct one takes ~10 s, Keras included)
POLL_SECONDS = 0.2  # how often the batch looks for a Ctrl-C while it waits for results
ROOT = Path(__file__).resolve().parents[2]
CHECKS_SOURCES = ("autograder/checks", "autograder/references.py", "solutions")


@dataclass(frozen=True)
class Settings:
    """How every submission of the batch is graded."""

    exercises: tuple[Exercise, ...]
    secret: bytes
    hidden: bool = True
    limits: dict[str, Limits] | None = None
    budget: float | None = DEFAULT_BUDGET
    """Seconds for all the checks of one submission; later checks score 0 (None: no budget)."""

    def stamp(self, entry: Entry) -> dict:
        """What a stored result must match to be reused (see ``store.STALE_BECAUSE``)."""
        limits = {kind: dataclasses.asdict(value) for kind, value in sorted((self.limits or {}).items())}
        return {"exercises": [e.name for e in self.exercises], "hidden": self.hidden,
                "submission": fingerprint(entry), "secret": secret_tag(self.secret),
                "checks": checks_fingerprint(), "limits": {**limits, "budget": self.budget},
                "version": __version__}


def secret_tag(secret: bytes) -> str:
    """Tells course secrets apart without revealing anything about them (a keyed hash)."""
    return hmac.new(secret, b"nn101 batch stamp", hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=1)
def checks_fingerprint() -> str:
    """A hash of the checks, hidden checks and references: a change to any of them makes results stale."""
    digest = hashlib.sha256()
    for name in CHECKS_SOURCES:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(f"{file.relative_to(ROOT)}\0".encode() + file.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Outcome:
    records: tuple[dict, ...]
    """Every student's result, stored or new, sorted by student id."""
    graded: int
    """How many were graded in this run (the others were already done)."""
    interrupted: bool = False
    """Ctrl-C stopped the run: ``records`` holds what was done by then."""

    @property
    def failed(self) -> tuple[dict, ...]:
        return tuple(r for r in self.records if r.get("error"))


def grade_one(entry: Entry, settings: Settings, found=None) -> dict:
    """Grade one submission in this process's workers; never raises.

    ``found``: the submission already read (``discover.read``), e.g. on a Dask worker."""
    from autograder import notebook_grading, runner
    from autograder.reporters import json_report

    try:
        with scratch_folder() as scratch:
            prepared = prepare(entry, scratch, [e.name for e in settings.exercises], found)
            results = runner.grade(prepared.folder, settings.exercises, student_id=entry.student_id,
                                   secret=settings.secret, hidden=settings.hidden, limits=settings.limits,
                                   budget=settings.budget)
            results = notebook_grading.relabel(results, prepared.conversion, with_notes=False)
        record = json_report.as_dict(_with_sources(results, prepared, entry))
        record.update(error="")
    except Problem as problem:
        record = failed_record(entry, settings, str(problem))
    except Exception as error:  # noqa: BLE001 - one submission must never stop the batch
        record = failed_record(entry, settings, f"the grader failed: {type(error).__name__}: {error}", True)
    record["batch"] = settings.stamp(entry)
    return record


def _with_sources(results, prepared: Prepared, entry: Entry):
    """``results`` named after the submission, with the file graded per exercise and the intake notes."""
    exercises = tuple(dataclasses.replace(e, source=prepared.sources.get(e.name, "")) for e in results.exercises)
    return dataclasses.replace(results, submission=entry.label, exercises=exercises,
                               warnings=(*results.warnings, *prepared.notes))


def failed_record(entry: Entry, settings: Settings, message: str, grader_fault: bool = False) -> dict:
    """A zero-score result saying why ``entry`` could not be graded, and whose fault that was."""
    from autograder.checks.core import load_checks

    possible = sum(c.points for e in settings.exercises for c in load_checks(e.name, settings.hidden))
    return {"submission": clean.line(entry.label), "student_id": entry.student_id, "score": 0.0,
            "max_score": possible, "exercises": [], "error": clean.line(message), "grader_fault": grader_fault,
            "warnings": [], "batch": settings.stamp(entry)}


def grader_fault(record: dict) -> bool:
    """Whether the grader (not the submission) failed somewhere in ``record``."""
    return bool(record.get("grader_fault")) or any(
        c["status"] == "grader error" for e in record.get("exercises", []) for c in e["checks"])


def run(entries: list[Entry], store: Store, settings: Settings, jobs: int, force: bool = False,
        stream=None, grade: Callable[[Entry, Settings], dict] = grade_one, pool=None) -> Outcome:
    """Grade what is missing or stale (everything with ``force``); keep ``store`` and its CSV up to date.

    ``pool`` grades a list of entries like :func:`_grade_in_pool` (the default, local grading
    processes); :func:`autograder.distributed.pool` grades them on a Dask cluster."""
    pool = pool or _grade_in_pool
    reaper.sweep_stale(SCRATCH_PREFIX)  # unpacked zips of a batch that was killed
    if force:
        store.force()
    names = [e.name for e in settings.exercises]
    done, stale, why = {}, {}, Counter()
    for entry in entries:
        record, reason = store.lookup(entry.student_id, settings.stamp(entry))
        if record:
            done[entry.student_id] = record
        else:
            why[reason] += 1
            if previous := store.previous(entry.student_id):  # shown, marked, until it is regraded
                stale[entry.student_id] = {**previous, "stale": reason}
    todo = [e for e in entries if e.student_id not in done]
    progress = Progress(len(entries), list(done.values()), stream)
    if todo:
        reasons = ", ".join(f"{reason} ({count})" for reason, count in why.most_common())
        progress.say(f"nn101: grading {len(todo)} of {len(entries)} submissions: {reasons}")
    store.write_csv(list({**stale, **done}.values()), names)

    def finish(record: dict) -> None:
        store.save(record)
        done[record["student_id"]] = record
        store.write_csv(list({**stale, **done}.values()), names)
        progress.update(record)

    stop = threading.Event()
    with _stop_on_sigint(stop):
        try:
            deaths: dict[str, int] = {}
            broken = pool(todo, settings, jobs, grade, finish, stop)
            while broken and not stop.is_set():  # a grading process died: retry alone, so only the culprit fails
                retry = []
                for entry in broken:
                    deaths[entry.student_id] = deaths.get(entry.student_id, 0) + 1
                    if deaths[entry.student_id] >= ATTEMPTS:
                        finish(failed_record(entry, settings, "the grading process died while grading it", True))
                    else:
                        retry.append(entry)
                broken = [e for entry in retry for e in pool([entry], settings, 1, grade, finish, stop)]
        finally:
            progress.close()
    graded_now = sum(e.student_id in done for e in todo)
    return Outcome(tuple(done[e.student_id] for e in entries if e.student_id in done), graded_now, stop.is_set())


@contextmanager
def _stop_on_sigint(stop: threading.Event):
    """While grading, Ctrl-C sets ``stop`` (a second one is ignored: the batch is already stopping)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop.set()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _grade_in_pool(entries: list[Entry], settings: Settings, jobs: int, grade, finish,
                   stop: threading.Event) -> list[Entry]:
    """Grade ``entries``; return those lost to a grading process that died."""
    if not entries or stop.is_set():
        return []
    lost = []
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(entries))),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_grading_process, initargs=(os.getpid(),))
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # the processes start deaf to Ctrl-C
        try:
            futures = {pool.submit(grade, entry, settings): entry for entry in entries}
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        pending = set(futures)
        while pending and not stop.is_set():
            finished, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                entry = futures[future]
                try:
                    record = future.result()
                except BrokenProcessPool:
                    lost.append(entry)
                    continue
                except Exception as error:  # noqa: BLE001 - e.g. a result that could not be sent back
                    record = failed_record(entry, settings, f"the grader failed: {type(error).__name__}: {error}",
                                           True)
                finish(record)
    finally:
        if stop.is_set():
            for process in list((pool._processes or {}).values()):  # noqa: SLF001 - no public way to kill them
                process.kill()
        pool.shutdown(wait=not lost and not stop.is_set(), cancel_futures=True)
    return lost


def _grading_process(parent: int) -> None:
    """Pool initializer: ignore Ctrl-C (the batch decides), and die when the batch is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prctl = getattr(ctypes.CDLL(None), "prctl", None)
    if prctl is None:
        return  # not Linux: the pool ends when it notices its parent is gone
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
