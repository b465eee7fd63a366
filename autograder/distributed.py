"""Grade a class on a Dask cluster: each submission is one task that runs the ordinary grader.

``nn101 grade-all SUBMISSIONS --scheduler tcp://HOST:PORT`` hands :func:`pool` to
:func:`autograder.batch.run` in place of the local process pool; everything else
(the resumable store, the CSV, the JSON, the plot) is the local run's. Workers are
machines with the same nn101 installed, started with ``dask worker ADDRESS
--nthreads 1``; each task grades one submission there with the usual sandbox and
limits, and returns the plain JSON record.

- The submission travels with its task (its ``.py`` files, read on the client), so
  workers need no shared file system.
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
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

SCRATCH_PREFIX = "nn101-dask-"
CONNECT_SECONDS = 10
_ONE_AT_A_TIME = threading.Lock()  # the sandbox's worker bookkeeping is per process, not per thread


@dataclass(frozen=True)
class Payload:
    """One submission as plain data: its id, its file name, and its ``.py`` files or zip bytes."""

    student_id: str
    name: str
    """The folder or zip name in SUBMISSIONS_DIR (it appears in the record and in messages)."""
    zip_bytes: bytes | None
    files: tuple[tuple[str, bytes], ...] = ()
    """For a folder: (posix path inside the folder, content) of each regular ``.py`` file."""


class GraderMismatch(RuntimeError):
    """A worker grades with other checks, references or grader code than the client."""


def connect(address: str, timeout: float = CONNECT_SECONDS):
    """A ``distributed.Client`` for ``address``; UsageError if Dask is missing or nobody answers."""
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
    return client


def pool(client):
    """A replacement for the local pool of ``batch.run``: grade entries as tasks on ``client``'s cluster.

    The returned callable takes ``(entries, settings, jobs, grade, finish)``, calls
    ``finish(record)`` once per entry it grades and returns the entries lost to
    workers that kept dying (``jobs`` and ``grade`` are the local pool's and unused:
    the cluster's workers set the parallelism, and the task is always
    :func:`grade_payload`).
    """
    def grade_on_cluster(entries, settings, jobs, grade, finish) -> list:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        from autograder.batch import failed_record
        from autograder.batch.discover import Problem

        digest, futures, lost = code_digest(), {}, []
        for entry in entries:
            try:
                payload = pack(entry)
            except Problem as problem:
                finish(failed_record(entry, settings, str(problem)))
                continue
            key = f"nn101-grade-{entry.student_id}-{settings.stamp(entry)['submission']}"
            futures[client.submit(grade_payload, payload, settings, digest, key=key)] = entry
        try:
            for future in as_completed(futures, loop=client.loop):
                entry = futures[future]
                try:
                    record = future.result()
                except KilledWorker:
                    lost.append(entry)
                    continue
                except Exception as error:  # noqa: BLE001 - the grader's failure, never the student's
                    record = failed_record(entry, settings, f"the grader failed on a Dask worker: "
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


def pack(entry) -> Payload:
    """Read ``entry`` into a :class:`Payload`; raise ``Problem`` if it is too large or unreadable."""
    from autograder.batch.discover import MAX_MODULE_BYTES, MAX_ZIP_BYTES, Problem
    from autograder.limits import MiB

    try:
        if entry.path.is_file():
            if entry.path.stat().st_size > MAX_ZIP_BYTES:
                raise Problem(f"{entry.path.name} is larger than {MAX_ZIP_BYTES // MiB} MiB")
            return Payload(entry.student_id, entry.path.name, entry.path.read_bytes())
        files, total = [], 0
        for path in sorted(entry.path.rglob("*.py")):
            if path.is_symlink() or not path.is_file():
                continue  # a link could point at any file on the client's machine
            size = path.stat().st_size
            total += size
            if size > MAX_MODULE_BYTES or total > MAX_ZIP_BYTES:
                raise Problem(f"{entry.label}: {path.name} is larger than the grader accepts")
            files.append((path.relative_to(entry.path).as_posix(), path.read_bytes()))
    except PermissionError as error:
        raise Problem(f"{entry.label}: {Path(error.filename or '').name} cannot be read "
                      "(permission denied)") from None
    return Payload(entry.student_id, entry.path.name, None, tuple(files))


def unpack(payload: Payload, scratch: Path) -> Path:
    """Lay ``payload`` out under ``scratch`` as the folder or zip it was on the client."""
    target = scratch / payload.name
    if payload.zip_bytes is not None:
        target.write_bytes(payload.zip_bytes)
        return target
    for relative, content in payload.files:
        path = (target / relative).resolve()
        if not path.is_relative_to(target.resolve()):
            raise ValueError(f"{payload.name}: {relative} lies outside the submission")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    target.mkdir(exist_ok=True)
    return target


def grade_payload(payload: Payload, settings, digest: str) -> dict:
    """The Dask task: grade one submission on this worker; the record as ``batch.grade_one`` makes it."""
    from autograder import reaper
    from autograder.batch import grade_one
    from autograder.batch.discover import Entry

    if code_digest() != digest:
        raise GraderMismatch(f"worker {os.uname().nodename} grades with other checks or references than "
                             "the client: install the same nn101 on every worker")
    reaper.sweep_stale(SCRATCH_PREFIX)  # left by a worker killed mid-task
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        return grade_one(Entry(payload.student_id, unpack(payload, Path(scratch))), settings)


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
