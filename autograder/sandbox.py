"""Start, talk to and kill one worker process (the grader's side of the boundary).

A :class:`Worker` runs one submission's code at the machine's isolation level
(:mod:`autograder.isolation`). It is forked by this grading process's zygote of its kind
(:mod:`autograder.forkserver`), so NumPy or TensorFlow is imported once per grading process,
not once per worker; where there can be no zygote it is a freshly spawned interpreter
(:mod:`autograder.spawned`). Either way only plain data (:mod:`autograder.codec`) comes back.
"""

from __future__ import annotations

import base64
import itertools
import os
import selectors
import signal
import stat
import subprocess
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

from autograder import bwrap, codec, container, forkserver, isolation, reaper, spawned
from autograder.isolation import (  # noqa: F401 - the sandbox's public names, as before
    LEVELS, QUIET_ENV, ROOT, UID_BASE, is_root, isolation_level, protect, verify_unreadable, warm_up)
from autograder.errors import WorkerStartError
from autograder.exercises import NAMES
from autograder.models import GRADER_ERROR
from autograder.limits import MiB, Limits

WORKER_PREFIX = "nn101-worker-"
_swept = False
_request_ids = itertools.count(1)
_held_uids: set[int] = set()  # of long-lived workers (the verifier): the uid cycle skips them


class WorkerGone(Exception):
    """The worker stopped answering; ``status`` is a models status, ``detail`` says why."""

    def __init__(self, status: str, detail: str, out_of_memory: bool = False, free_mb: int | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.out_of_memory = out_of_memory
        """The kernel's OOM killer ended a process in the container while the worker ran."""
        self.free_mb = free_mb
        """Memory that was free in the container when the worker was ready (None: unknown)."""


def read_submission(source: Path, max_bytes: int = 4 * MiB, total_bytes: int = 24 * MiB) -> dict[str, bytes]:
    """The top-level ``.py`` files of a submission (nothing else is needed to grade).

    Only regular files are read: a link to a reference solution or to a file only
    root may read must not become the student's module. At most ``max_bytes`` a file and
    ``total_bytes`` in all (the worker's folder holds 64 MiB): files past that are left out,
    so an oversized submission is graded on what fits, never a failure of the grader.
    """
    files: dict[str, bytes] = {}
    for path in sorted(source.glob("*.py"), key=lambda p: (p.stem not in NAMES, p.name)):  # exercises first
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue  # a symlink, or unreadable: graded as missing
        info = os.fstat(fd)
        used = sum(map(len, files.values()))
        if not stat.S_ISREG(info.st_mode) or info.st_size > min(max_bytes, total_bytes - used):
            os.close(fd)
            continue
        with open(fd, "rb") as file:
            files[path.name] = file.read(max_bytes)
    return files


def copy_submission(source: Path, target: Path, max_bytes: int = 4 * MiB) -> None:
    """Copy :func:`read_submission`'s files into ``target``."""
    for name, data in read_submission(source, max_bytes).items():
        (target / name).write_bytes(data)


class Worker:
    """One worker process for one submission, serving requests until :meth:`close`."""

    def __init__(self, submission: Path, limits: Limits, kind: str = "numpy", long_lived: bool = False):
        """``long_lived``: it outlives many workers (:mod:`autograder.verifier`): none gets its uid."""
        if kind == "numpy":  # under the container's memory: a huge array is the student's MemoryError
            limits = replace(limits, memory_mb=container.address_space_mb(limits.memory_mb))
        self.limits = limits
        self._oom_kills = container.oom_kills()
        self._free_mb: int | None = None
        self.level = isolation.isolation_level()
        fresh = (uid for uid in iter(isolation.fresh_uid, None) if uid not in _held_uids)  # lazy: as root only
        self.uid = next(fresh) if isolation.is_root() else None
        if long_lived and self.uid is not None:
            _held_uids.add(self.uid)
        self.network_isolated = False
        self._closed = False
        self.process = None
        self.home: Path | None = None
        self._log_tail = ""
        files = read_submission(Path(submission))
        # In the sandbox the files travel as data, through a descriptor that only the worker's keeper
        # reads: the zygote, whose memory every later worker copies, never holds a student's code.
        self._bundle = tempfile.TemporaryFile()
        if not _swept:  # at any level: a killed uid-level run's folders must not wait for the next one
            _sweep_once()
        if self.level == "namespace":
            home = Path("/submission")
            self._bundle.write(codec.pack({n: base64.b64encode(d).decode() for n, d in files.items()})[codec.HEADER.size:])
            self._bundle.seek(0)
        else:
            self.home = home = Path(tempfile.mkdtemp(prefix=f"{WORKER_PREFIX}{os.getpid()}-"))
            for name, data in files.items():
                (home / name).write_bytes(data)
            if self.uid is not None:
                for path in [home, *home.iterdir()]:
                    os.chown(path, self.uid, self.uid)
        self._log = tempfile.TemporaryFile()  # its stderr until it is ready
        self._req_w = self._resp_r = None
        if spawned.needed():  # the portable backend: a fresh interpreter on its standard pipes
            self._bundle.close()
            config = {"home": str(home), "env": dict(QUIET_ENV, HOME=str(home)), "limits": asdict(limits),
                      "root": ROOT, "kind": kind}
            self.process = spawned.SpawnedProcess(config, ROOT, self._log)
            return
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        os.set_blocking(self._req_w, False)  # a worker that stops reading must not block us
        try:
            prefix, root = isolation.zygote_command()
            config = {
                "home": str(home),
                "env": dict(QUIET_ENV, HOME=str(home)),
                "limits": asdict(limits),
                "uid": self.uid,
                "root": root,
                "level": self.level,
                "scratch": list(bwrap.SCRATCH_DIRS) if self.level == "namespace" else [],
                "keep": bwrap.kept_in_scratch() if self.level == "namespace" else [],
            }
            server = forkserver.server_for(kind, root, QUIET_ENV, prefix)
            fds = (req_r, resp_w, self._log.fileno(), self._bundle.fileno())
            self.process = server.spawn(config, fds, limits.start_seconds)
        except forkserver.ForkServerError as error:
            self.close()
            raise WorkerStartError(f"the grading worker did not start{self._memory_note()}: {error}") from None
        except WorkerStartError:
            self.close()
            raise
        finally:
            os.close(req_r)
            os.close(resp_w)
            self._bundle.close()

    def wait_ready(self, seconds: float) -> None:
        """Wait for the worker's hello; raise WorkerStartError with its last words if none comes."""
        try:
            size = codec.unpack_header(self._read(codec.HEADER.size, time.monotonic() + seconds))
            hello = codec.unpack_body(self._read(size, time.monotonic() + 5))
            if type(hello) is dict and hello.get("ready") is True:
                self.network_isolated = hello.get("network_isolated") is True
                self._free_mb = container.free_mb()  # its zygote's imports are in memory by now
                if self.level == "uid" and not self.network_isolated:  # the level's promise: fail closed
                    self.close()
                    raise WorkerStartError("the worker kept the network at the uid level: refusing to grade")
                if hello.get("unreadable"):  # the environment's fault: never charge a student for it
                    self.close()
                    raise WorkerStartError(
                        f"the worker cannot read the Python standard library ({hello['unreadable']}): "
                        "install Python where every user can read it, or install bubblewrap")
                return
        except (WorkerGone, ValueError):
            pass
        self.close()
        raise WorkerStartError(f"the grading worker did not start{self._memory_note()}: {self._log_tail or 'no output'}")

    def request(self, message: dict, seconds: float) -> dict:
        """Send one request and wait up to ``seconds`` for its answer (a dict, unchecked)."""
        request_id = next(_request_ids)
        deadline = time.monotonic() + seconds
        self._write(codec.pack({**message, "id": request_id}), deadline)
        size = codec.unpack_header(self._read(codec.HEADER.size, deadline))
        if size > self.limits.output_mb * MiB:
            self.close()
            raise WorkerGone("error", f"it returned more than {self.limits.output_mb} MiB of data")
        body = self._read(size, deadline)
        try:
            response = codec.unpack_body(body)
        except ValueError:
            response = None
        if type(response) is not dict or response.get("id") != request_id:
            self.close()  # out of step with our requests: nothing more it says can be trusted
            raise WorkerGone("error", "the worker sent an unreadable answer")
        return response

    def _wait(self, selector: selectors.BaseSelector, deadline: float) -> None:
        """Wait until the pipe is ready; past ``deadline`` kill the worker and say so."""
        timeout = deadline - time.monotonic()
        if timeout <= 0 or not selector.select(timeout):
            self.close()
            raise WorkerGone("time limit exceeded", "it ran out of time")

    def _write(self, data: bytes, deadline: float) -> None:
        if isinstance(self.process, spawned.SpawnedProcess):
            return self._spawned_io(self.process.write, data, deadline)
        view = memoryview(data)
        with selectors.DefaultSelector() as selector:
            selector.register(self._req_w, selectors.EVENT_WRITE)
            while view:
                self._wait(selector, deadline)
                try:
                    view = view[os.write(self._req_w, view):]
                except BlockingIOError:
                    continue
                except OSError:
                    raise self._gone() from None

    def _read(self, n: int, deadline: float) -> bytes:
        if isinstance(self.process, spawned.SpawnedProcess):
            return self._spawned_io(self.process.read, n, deadline)
        chunks, left = [], n
        with selectors.DefaultSelector() as selector:
            selector.register(self._resp_r, selectors.EVENT_READ)
            while left:
                self._wait(selector, deadline)
                chunk = os.read(self._resp_r, min(left, 1 << 20))
                if not chunk:
                    raise self._gone()
                chunks.append(chunk)
                left -= len(chunk)
        return b"".join(chunks)

    def _spawned_io(self, operation, argument, deadline: float):
        try:
            return operation(argument, deadline)
        except spawned.TimedOut:
            self.close()
            raise WorkerGone("time limit exceeded", "it ran out of time") from None
        except spawned.Closed:
            raise self._gone() from None

    def _memory_note(self) -> str:
        """``" (out of memory: ...)"`` when the OOM killer ended a process since this worker began."""
        if container.oom_kills() <= self._oom_kills:
            return ""
        limit = container.memory_limit_mb()
        return f" (the machine ran out of memory{f': its container has {limit} MiB' if limit else ''})"

    def _gone(self) -> WorkerGone:
        try:
            code = self.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:  # alive, but it closed its end of the pipe
            code = None
        self.close()
        if container.oom_kills() > self._oom_kills:
            # the kernel ended a process in the container meanwhile: the machine's fault, unless what ran
            # in this worker needs little memory and had room (IsolatedSubmission decides, by exercise)
            limit = container.memory_limit_mb()
            return WorkerGone(GRADER_ERROR, "the grading machine ran out of memory"
                              + (f" (its container has {limit} MiB)" if limit else "")
                              + "; your instructor has been notified", out_of_memory=True, free_mb=self._free_mb)
        if code == -signal.SIGXCPU:
            return WorkerGone("time limit exceeded", "it used up its CPU time")
        if code == -signal.SIGSEGV:
            return WorkerGone("crashed", "the Python process crashed (often a runaway recursion)")
        if code is None:
            return WorkerGone("crashed", "the Python process running it stopped answering")
        return WorkerGone("crashed", f"the Python process running it stopped (exit status {code})")

    def close(self) -> None:
        """Kill the worker and everything it started; remove its files. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self.process is not None:
            if self.process.poll() is None and self._req_w is not None:
                try:
                    os.write(self._req_w, codec.pack({"op": "exit"}))
                except OSError:
                    pass
            reaper.kill_all(self.process, self.uid)
        for fd in (self._req_w, self._resp_r):
            if fd is not None:
                os.close(fd)
        if self.home is not None:
            reaper.remove_tree(str(self.home))
        if self.uid is not None and self.level != "namespace":
            reaper.remove_files_of(self.uid)
            reaper.remove_ipc_of(self.uid)
        _held_uids.discard(self.uid)  # a no-op but for a long-lived worker: no other has a held uid
        self._log.seek(0)
        self._log_tail = self._log.read()[-2000:].decode(errors="replace").strip()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _sweep_once() -> None:
    """Remove the scratch folders of grading processes that were killed (once per process)."""
    global _swept
    _swept = True
    reaper.sweep_stale(WORKER_PREFIX)
