"""Start, talk to and kill one worker process (the grader's side of the boundary).

A :class:`Worker` gets a private copy of the submission in a fresh temporary
directory, a minimal environment, and its limits. As root it also runs under
a uid of its own, so that everything it starts can be killed at the end and
nothing the grader protects (see :func:`protect`) is readable to it.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from autograder import codec
from autograder.limits import MiB, Limits

ROOT = str(Path(__file__).resolve().parent.parent)
BOOT = "import sys; sys.path.insert(0, {root!r}); from autograder.worker import main; main(sys.argv[1])"
UID_BASE = 200_000  # uids above any real account, one per worker alive on this machine
_worker_count = 0
QUIET_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "KERAS_BACKEND": "tensorflow",
    "MPLBACKEND": "Agg",
}


class WorkerStartError(Exception):
    """The worker failed before any student code ran: the grader's problem, not the student's."""


class WorkerGone(Exception):
    """The worker stopped answering; ``status`` is a models status, ``detail`` says why."""

    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def is_root() -> bool:
    return os.geteuid() == 0


def protect(paths) -> None:
    """As root, make ``paths`` unreadable to other users (the worker's uid among them)."""
    if not is_root():
        return
    for path in paths:
        path = Path(path)
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & 0o700)


def copy_submission(source: Path, target: Path, max_bytes: int = 4 * MiB) -> None:
    """Copy the top-level ``.py`` files of a submission (nothing else is needed to grade)."""
    for path in sorted(source.glob("*.py")):
        if path.is_file() and path.stat().st_size <= max_bytes:
            shutil.copyfile(path, target / path.name)


class Worker:
    """One worker process, serving requests until :meth:`close`."""

    def __init__(self, submission: Path, limits: Limits, kind: str = "numpy"):
        self.limits = limits
        self.uid = _fresh_uid() if is_root() else None
        self.home = Path(tempfile.mkdtemp(prefix="nn101-worker-"))
        copy_submission(Path(submission), self.home)
        if self.uid is not None:
            for path in [self.home, *self.home.iterdir()]:
                os.chown(path, self.uid, self.uid)
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        config = {
            "fds": [req_r, resp_w],
            "preload": kind,
            "limits": asdict(limits),
            "uid": self.uid,
            "root": ROOT,
        }
        env = dict(QUIET_ENV, HOME=str(self.home))
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", BOOT.format(root=ROOT), json.dumps(config)],
            pass_fds=(req_r, resp_w),
            cwd=self.home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,  # until the worker is ready; then it points stderr at /dev/null
            start_new_session=True,
        )
        os.close(req_r)
        os.close(resp_w)

    def wait_ready(self, seconds: float) -> None:
        """Wait for the worker's hello; raise WorkerStartError with its last words if none comes."""
        try:
            size = codec.unpack_header(self._read(codec.HEADER.size, time.monotonic() + seconds))
            if codec.unpack_body(self._read(size, time.monotonic() + 5)) == {"ready": True}:
                return
        except WorkerGone:
            pass
        self.close()
        self._log.seek(0)
        tail = self._log.read()[-2000:].decode(errors="replace").strip()
        raise WorkerStartError(f"the grading worker did not start: {tail or 'no output'}")

    def request(self, message: dict, seconds: float) -> dict:
        """Send one request and wait up to ``seconds`` for the answer."""
        try:
            os.write(self._req_w, codec.pack(message))
        except OSError:
            raise self._gone() from None
        deadline = time.monotonic() + seconds
        header = self._read(codec.HEADER.size, deadline)
        size = codec.unpack_header(header)
        if size > self.limits.output_mb * MiB:
            self.close()
            raise WorkerGone("error", f"it returned more than {self.limits.output_mb} MiB of data")
        body = self._read(size, deadline)
        try:
            return codec.unpack_body(body)
        except (ValueError, UnicodeDecodeError):
            raise WorkerGone("error", "the worker sent an unreadable answer") from None

    def _read(self, n: int, deadline: float) -> bytes:
        chunks, left = [], n
        with selectors.DefaultSelector() as selector:
            selector.register(self._resp_r, selectors.EVENT_READ)
            while left:
                timeout = deadline - time.monotonic()
                if timeout <= 0 or not selector.select(timeout):
                    self.close()
                    raise WorkerGone("time limit exceeded", "it ran out of time")
                chunk = os.read(self._resp_r, min(left, 1 << 20))
                if not chunk:
                    raise self._gone()
                chunks.append(chunk)
                left -= len(chunk)
        return b"".join(chunks)

    def _gone(self) -> WorkerGone:
        code = self.process.wait()
        self.close()
        if code == -signal.SIGXCPU:
            return WorkerGone("time limit exceeded", "it used up its CPU time")
        if code == -signal.SIGSEGV:
            return WorkerGone("crashed", "the Python process crashed (often a runaway recursion)")
        return WorkerGone("crashed", f"the Python process running it stopped (exit status {code})")

    def close(self) -> None:
        """Kill the worker and everything it started; remove its files."""
        if self.process.poll() is None:
            try:
                os.write(self._req_w, codec.pack({"op": "exit"}))
            except OSError:
                pass
        _kill_all(self.process, self.uid)
        for fd in (self._req_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.home, ignore_errors=True)
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _fresh_uid() -> int:
    """A uid no other live worker has: 16 per grading process, keyed by its pid."""
    global _worker_count
    _worker_count += 1
    return UID_BASE + os.getpid() * 16 + _worker_count % 16


def _kill_all(process: subprocess.Popen, uid: int | None) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if uid is not None:  # catch processes that left the group: kill everything that uid owns
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    process.wait()
