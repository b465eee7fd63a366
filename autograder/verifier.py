"""The grading process's clean worker for :mod:`autograder.keras_verify`, kept for its batch.

The Keras checks confirm what a student's worker reported by recomputing it in a worker
that never imported student code (:meth:`autograder.submission.Submission.verify`). That
worker only ever receives plain data from the trusted side (a spec read through the
allowlist, float32 weights, the grader's own digits) and runs only nn101's code, so one
is safely shared by every submission a grading process grades: it starts once, and
TensorFlow's first-use set-up (about 0.1 s of CPU) and its start and stop are paid once
per grading process instead of once per submission. Its answers do not depend on what
it computed before (each recomputation builds its model afresh and seeds what is random;
``tests/test_keras_trust.py`` checks it bit for bit).

It holds its worker uid while it lives (``Worker(long_lived=True)``): a student's worker
started later never gets it, so it can neither signal nor trace the verifier, even at the
uid level. A verifier that stops (a crash, a limit, the machine) is replaced and the request asked
again once: a recomputation on plain data can be repeated. If a fresh verifier fails too,
that is the grader's error (:class:`VerifierGone`), never the student's. After
:data:`RECYCLE_AFTER` requests a verifier is replaced anyway, so that its CPU-time limit
and memory never build up over a long batch.
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import shutil
import tempfile
import threading
from pathlib import Path

from autograder.limits import Limits
from autograder.sandbox import Worker, WorkerGone

RECYCLE_AFTER = 400
"""Requests one verifier answers before it is replaced (about 6 per Keras submission)."""
_lock = threading.Lock()
_shared: "Verifier | None" = None


class VerifierGone(Exception):
    """A fresh verifier stopped too: ``detail`` says why (the grader's error)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Verifier:
    """One worker of kind ``keras`` forked on an empty folder, answering verify requests."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.requests = 0
        self.pid = os.getpid()
        """The grading process it belongs to (a forked child must not share its pipes)."""
        self._home = tempfile.mkdtemp(prefix="nn101-verify-")
        try:
            self._worker = Worker(Path(self._home), limits, "keras", long_lived=True)
            self._worker.wait_ready(limits.start_seconds)  # closes the worker if it raises
        except BaseException:
            shutil.rmtree(self._home, ignore_errors=True)
            raise

    def request(self, request: dict) -> dict:
        self.requests += 1
        return self._worker.request(request, self.limits.call_seconds)

    def close(self) -> None:
        self._worker.close()
        shutil.rmtree(self._home, ignore_errors=True)  # empty: the worker's files live in its own home


def verify(request: dict, limits: Limits) -> dict:
    """The shared verifier's answer to ``request`` (a ``probes.verify`` probe request), unchecked.

    Raises :class:`VerifierGone` when a fresh verifier stops too, and
    :class:`autograder.errors.WorkerStartError` when none starts.
    """
    global _shared
    with _lock:  # one request at a time: the pipes carry one conversation
        if _shared is not None and _shared.pid != os.getpid():
            _shared = None  # inherited through a fork: its parent's, which the parent closes
        for attempt in range(2):
            if _shared is not None and (_shared.limits != limits or _shared.requests >= RECYCLE_AFTER):
                close()
            fresh = _shared is None
            if fresh:
                _shared = Verifier(limits)
            try:
                return _shared.request(request)
            except WorkerGone as gone:
                close()
                if fresh or attempt:
                    raise VerifierGone(gone.detail) from None
    raise AssertionError("unreachable")  # pragma: no cover


def close() -> None:
    """Stop this process's verifier, if it has one (it starts again when next needed)."""
    global _shared
    verifier, _shared = _shared, None
    if verifier is not None and verifier.pid == os.getpid():
        verifier.close()


atexit.register(close)
# a grading process of a batch pool ends through multiprocessing, which runs its finalizers, not atexit
multiprocessing.util.Finalize(None, close, exitpriority=10)
