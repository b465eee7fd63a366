"""Grade a class on a Dask cluster: each submission is one task that runs the ordinary grader.

``nn101 grade-all SUBMISSIONS --scheduler tcp://HOST:PORT`` hands :func:`pool` to
:func:`autograder.batch.run` in place of the local process pool; everything else
(the resumable store, the CSV, the JSON, the plot) is the local run's. Workers are
machines with the same nn101 installed, started with ``dask worker ADDRESS
--nthreads 1``; each task grades one submission there with the usual sandbox and
limits, and returns the plain JSON record.

- The submission travels with its task: the client reads it as a local run does
  (:func:`autograder.batch.discover.read`: no link followed, sizes capped) and the worker
  grades those bytes, so workers need no shared file system and records are identical.
- A worker killed mid-task: Dask runs the task again on another worker. A task
  lost that way too often (Dask's ``KilledWorker``) counts as a grading process
  that died; ``batch.run`` retries it once, then records a grader fault.
- Each task has a key made of the student id and the submission's fingerprint, and
  the client keeps the first record that arrives for it, written once (atomically)
  by the store. Grading is deterministic (hidden inputs come from the course secret
  and the student id), so a rerun gives the same record.
- Every task checks that its worker grades with the same checks, references and
  grader code as the client (a digest); a worker that differs fails the task as a
  grader fault, never as the student's.

The course secret travels to the workers inside each task (they need it to draw
the hidden inputs): on a network you do not trust, use a ``tls://`` scheduler
address with Dask's TLS settings.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.batch.discover import Entry
from autograder.errors import UsageError

CONNECT_SECONDS = 10
POLL_SECONDS = 0.05  # how often the client looks for finished tasks and for a Ctrl-C
_ONE_AT_A_TIME = threading.Lock()  # the sandbox's worker bookkeeping is per process, not per thread


@dataclass(frozen=True)
class Shipped(Entry):
    """An entry as a worker sees it: its files travel as data, so its label is the client's."""

    shown: str = ""

    @property
    def label(self) -> str:
        return self.shown


class GraderMismatch(RuntimeError):
    """A worker grades with other checks, references or grader code than the client."""


def connect(address: str, timeout: float = CONNECT_SECONDS, weak_isolation: bool = False):
    """A ``distributed.Client`` for ``address``; UsageError if Dask is missing, nobody answers, or a
    worker differs from this machine's nn101 or (unless ``weak_isolation``) cannot isolate at the
    namespace level."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'nn101[distributed]'") from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"--scheduler {address}: cannot reach a Dask scheduler there ({error}); "
                         "start one with `dask scheduler` and give the address it prints") from None
    try:
        digests = client.run(code_digest)  # every worker connected now; a task checks late-comers
    except Exception as error:  # noqa: BLE001 - e.g. a worker without nn101
        client.close()
        raise UsageError(f"--scheduler {address}: a worker cannot load nn101 ({type(error).__name__}: "
                         f"{error}); install the same nn101 on every worker") from None
    others = sorted(worker for worker, digest in digests.items() if digest != code_digest())
    if not digests or others:
        client.close()
        raise UsageError(f"--scheduler {address}: " + (
            f"worker {', '.join(others)} grades with other checks, references or grader code than this "
            "machine; install the same nn101 on every worker and restart them" if others else
            f"the scheduler has no workers; start some with `dask worker {address} --nthreads 1`"))
    weak = sorted(f"{worker} ({level})" for worker, level in client.run(isolation_level).items() if level != "namespace")
    if weak and not weak_isolation:
        client.close()
        raise UsageError(f"--scheduler {address}: worker {', '.join(weak)} cannot grade at the namespace level "
                         "(bubblewrap): install bubblewrap there, or pass --allow-weak-isolation")
    return client


def isolation_level() -> str:
    """This worker's isolation level (see :mod:`autograder.sandbox`), or why it has none."""
    from autograder import sandbox

    try:
        return sandbox.isolation_level()
    except Exception as error:  # noqa: BLE001 - reported to the client, which refuses the worker
        return f"unusable: {error}"


def pool(client):
    """A replacement for the local pool of ``batch.run``: grade entries as tasks on ``client``'s cluster.

    The returned callable takes ``(entries, settings, jobs, grade, finish, stop)``, calls
    ``finish(record)`` once per entry it grades, stops waiting when ``stop`` is set (Ctrl-C)
    and returns the entries lost to workers that kept dying. ``jobs`` and ``grade`` are the
    local pool's and unused: the cluster's workers set the parallelism, and the task is
    always :func:`grade_payload`.
    """
    def grade_on_cluster(entries, settings, jobs, grade, finish, stop) -> list:
        from distributed.scheduler import KilledWorker

        from autograder.batch import failed_record
        from autograder.batch.discover import Problem, read

        digest, futures, lost = code_digest(), {}, []
        for entry in entries:
            try:  # read here, safely, as a local run reads it; the worker gets the files as data
                found = None if entry.conflict else read(entry)
            except Problem as problem:
                finish(failed_record(entry, settings, str(problem)))
                continue
            shipped = Shipped(entry.student_id, entry.path, entry.files, entry.conflict, entry.label)
            key = f"nn101-grade-{entry.student_id}-{settings.stamp(entry)['submission']}"
            futures[client.submit(grade_payload, shipped, found, settings, digest, key=key)] = entry
        pending = set(futures)
        try:
            while pending and not stop.is_set():
                finished = {f for f in pending if f.done()}
                if not finished:
                    time.sleep(POLL_SECONDS)
                    continue
                pending -= finished
                for future in sorted(finished, key=lambda f: futures[f].student_id):
                    entry = futures[future]
                    try:
                        record = future.result()
                    except KilledWorker:
                        lost.append(entry)
                        continue
                    except Exception as error:  # noqa: BLE001 - the grader's failure, never the student's
                        record = failed_record(entry, settings, "the grader failed on a Dask worker: "
                                                                f"{type(error).__name__}: {error}", True)
                    finish(_checked(record, entry, settings))
        finally:
            client.cancel([f for f in futures if not f.done()])
        return lost

    return grade_on_cluster


def _checked(record, entry, settings) -> dict:
    from autograder.batch import failed_record

    if type(record) is not dict or record.get("student_id") != entry.student_id:
        return failed_record(entry, settings, "a Dask worker returned a malformed record", True)
    record["batch"] = settings.stamp(entry)  # the client's stamp: the worker saw a copy of the files
    return record


def grade_payload(entry: Shipped, found, settings, digest: str) -> dict:
    """The Dask task: grade one submission (``found``: its files, read by the client) on this worker."""
    from autograder import reaper
    from autograder.batch import SCRATCH_PREFIX, grade_one

    if code_digest() != digest:
        raise GraderMismatch(f"worker {os.uname().nodename} grades with other checks or references than "
                             "the client: install the same nn101 on every worker")
    with _ONE_AT_A_TIME:
        reaper.sweep_stale(SCRATCH_PREFIX)  # left by a worker killed mid-task
        return grade_one(entry, settings, found)


@functools.lru_cache(maxsize=None)
def code_digest() -> str:
    """A digest of what decides a grade here: the grader's code, the checks and the references."""
    from autograder.references import solutions_dir

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for root in (package, solutions_dir()):
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]
