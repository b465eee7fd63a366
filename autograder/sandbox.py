"""Start, talk to and kill one worker process (the grader's side of the boundary).

A :class:`Worker` runs one submission's code at one of three isolation levels
(:func:`isolation_level`), the best the machine allows, and every report names it:

``namespace``  the zygote runs under bubblewrap (:mod:`autograder.bwrap`): the worker sees the
               interpreter, its own copy of the submission and empty private scratch folders,
               nothing else of the host (an allowlist); no network, its own PID and IPC
               namespaces, no capabilities; as root, a uid of its own too.
``uid``        root without namespaces (a container that forbids them): a uid of its own and
               no network, but the host's file system is shared, so :func:`protect` takes
               access to the course material away (in place), :func:`verify_unreadable` checks
               it as the worker's uid before any student code runs, and what the uid left
               (files, SysV IPC objects) is removed afterwards.
``process``    an ordinary user without namespaces: limits only. Fine for students checking
               their own work, never for grading other people's.

``NN101_ISOLATION=uid`` (or ``process``) forces a weaker level, e.g. to test it. The process is
forked by this grading process's zygote of its kind (:mod:`autograder.forkserver`), so NumPy or
TensorFlow is imported once per grading process, not once per worker.
"""

from __future__ import annotations

import atexit
import base64
import itertools
import os
import pwd
import selectors
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

from autograder import bwrap, codec, container, forkserver, reaper, seccomp
from autograder.errors import WorkerStartError
from autograder.exercises import NAMES
from autograder.models import GRADER_ERROR
from autograder.limits import MiB, Limits

ROOT = str(Path(__file__).resolve().parent.parent)
UID_BASE = 200_000  # uids above any real account, one per worker alive on this machine
# Under ROOT: every version of the hidden suites and references (git), the notebooks with their
# solutions, and the audit's correct alternatives and mutants (which tell what hidden checks probe).
ALWAYS_PROTECTED = (".git", "source", "autograder/alternatives", "autograder/mutants")
WORKER_PREFIX = "nn101-worker-"
RUN_PREFIX = "nn101-run-"
LEVELS = ("namespace", "uid", "process")
LEVEL_ENV = "NN101_ISOLATION"
_worker_count = 0
_run_root: Path | None = None
_level: str | None = None
_swept = False
_request_ids = itertools.count(1)
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
    # One TensorFlow thread per worker: the models are tiny, and with a worker per core in a batch
    # more threads only contend (measured on 2 cores: a Keras submission took 8.5 s instead of 11 s
    # with two graders in parallel, and no longer alone).
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "KERAS_BACKEND": "tensorflow",
    "MPLBACKEND": "Agg",
}


class WorkerGone(Exception):
    """The worker stopped answering; ``status`` is a models status, ``detail`` says why."""

    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def is_root() -> bool:
    return os.geteuid() == 0


def isolation_level() -> str:
    """The best level this machine gives (see the module's docstring), or the forced one.

    Raises WorkerStartError when ``NN101_ISOLATION`` asks for a level the machine lacks.
    """
    global _level
    if _level is None:
        forced = os.environ.get(LEVEL_ENV, "")
        best = "namespace" if bwrap.works() else "uid" if is_root() else "process"
        if forced and forced not in LEVELS:
            raise WorkerStartError(f"{LEVEL_ENV}={forced!r}: choose one of {', '.join(LEVELS)}")
        if forced and LEVELS.index(forced) < LEVELS.index(best):
            raise WorkerStartError(f"{LEVEL_ENV}={forced}: this machine offers only the {best} level")
        if forced == "uid" and not is_root():
            raise WorkerStartError(f"{LEVEL_ENV}=uid needs root")
        _level = forced or best
    return _level


def run_root() -> Path:
    """This grading process's own scratch folder (removed at exit): one run's leftovers reach no other."""
    global _run_root
    if _run_root is None:
        _run_root = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
        atexit.register(reaper.remove_tree, str(_run_root))
    return _run_root


def _zygote_command() -> tuple[tuple[str, ...], str]:
    """(confining prefix, root to import nn101 from) for this process's zygotes."""
    if isolation_level() != "namespace":
        return (), ROOT
    runtime = run_root() / "runtime"
    if not runtime.exists():
        bwrap.install_runtime(runtime)
    seccomp_filter = runtime.parent / "seccomp.bpf"
    if seccomp.available() and not seccomp_filter.exists():
        seccomp.write_filter(seccomp_filter)
    elif not seccomp.available():
        _say_once("libseccomp is missing: the sandbox runs without its system-call filter")
    try:
        prefix = bwrap.command(runtime, [Path(ROOT)], seccomp_filter=seccomp_filter if seccomp.available() else None)
    except ValueError as error:
        raise WorkerStartError(f"the sandbox would expose the course: {error}") from None
    return tuple(prefix), bwrap.RUNTIME


_said: set[str] = set()


def _say_once(message: str) -> None:
    if message not in _said:
        _said.add(message)
        print(f"nn101: {message}", file=sys.stderr)


def protect(paths) -> None:
    """At the uid level, make ``paths`` (and :data:`ALWAYS_PROTECTED`) unreadable to other users.

    The namespace level needs none of this: nothing of the host is visible to a worker there.
    """
    if not is_root() or isolation_level() == "namespace":
        return
    for path in [*map(Path, paths), *(Path(ROOT) / p for p in ALWAYS_PROTECTED)]:
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & 0o700)


def verify_unreadable(paths) -> None:
    """At the uid level, prove as a worker's uid that none of ``paths`` can be read; fail closed.

    Raises WorkerStartError naming the first readable one (then nobody is graded).
    """
    if not is_root() or isolation_level() != "uid":
        return
    uid = _fresh_uid()
    readable = reaper.readable_as(uid, [str(p) for p in paths if Path(p).exists()])
    if readable:
        raise WorkerStartError(f"{readable} is readable to the worker's uid: refusing to grade "
                               "(install bubblewrap, or make it unreadable to other users)")


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


def warm_up(kinds) -> None:
    """Start the zygotes of ``kinds`` now, so that importing TensorFlow overlaps other work."""
    prefix, root = _zygote_command()
    for kind in sorted(set(kinds)):
        forkserver.server_for(kind, root, QUIET_ENV, prefix)


class Worker:
    """One worker process for one submission, serving requests until :meth:`close`."""

    def __init__(self, submission: Path, limits: Limits, kind: str = "numpy"):
        if kind == "numpy":  # under the container's memory: a huge array is the student's MemoryError
            limits = replace(limits, memory_mb=container.address_space_mb(limits.memory_mb))
        self.limits = limits
        self._oom_kills = container.oom_kills()
        self.level = isolation_level()
        self.uid = _fresh_uid() if is_root() else None
        self.network_isolated = False
        self._closed = False
        self.process = None
        self.home: Path | None = None
        self._log_tail = ""
        files = read_submission(Path(submission))
        # In the sandbox the files travel as data, through a descriptor that only the worker's keeper
        # reads: the zygote, whose memory every later worker copies, never holds a student's code.
        self._bundle = tempfile.TemporaryFile()
        if self.level == "namespace":
            home = Path("/submission")
            self._bundle.write(codec.pack({n: base64.b64encode(d).decode() for n, d in files.items()})[codec.HEADER.size:])
            self._bundle.seek(0)
        else:
            if not _swept:
                _sweep_once()
            self.home = home = Path(tempfile.mkdtemp(prefix=f"{WORKER_PREFIX}{os.getpid()}-"))
            for name, data in files.items():
                (home / name).write_bytes(data)
            if self.uid is not None:
                for path in [home, *home.iterdir()]:
                    os.chown(path, self.uid, self.uid)
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        os.set_blocking(self._req_w, False)  # a worker that stops reading must not block us
        self._log = tempfile.TemporaryFile()  # its stderr until it is ready
        try:
            prefix, root = _zygote_command()
            config = {
                "home": str(home),
                "env": dict(QUIET_ENV, HOME=str(home)),
                "limits": asdict(limits),
                "uid": self.uid,
                "root": root,
                "level": self.level,
                "scratch": bwrap.private_scratch() if self.level == "namespace" else [],
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
        if container.oom_kills() > self._oom_kills:  # the kernel ended it: the machine's fault, not the student's
            limit = container.memory_limit_mb()
            return WorkerGone(GRADER_ERROR, "the grading machine ran out of memory"
                              + (f" (its container has {limit} MiB)" if limit else "")
                              + "; your instructor has been notified")
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
            if self.process.poll() is None:
                try:
                    os.write(self._req_w, codec.pack({"op": "exit"}))
                except OSError:
                    pass
            reaper.kill_all(self.process, self.uid)
        for fd in (self._req_w, self._resp_r):
            os.close(fd)
        if self.home is not None:
            reaper.remove_tree(str(self.home))
        if self.uid is not None and self.level != "namespace":
            reaper.remove_files_of(self.uid)
            reaper.remove_ipc_of(self.uid)
        self._log.seek(0)
        self._log_tail = self._log.read()[-2000:].decode(errors="replace").strip()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _fresh_uid() -> int:
    """A uid no other live worker has (16 per grading process, keyed by its pid) and no account has."""
    global _worker_count
    for _ in range(16):
        _worker_count += 1
        uid = UID_BASE + os.getpid() * 16 + _worker_count % 16
        try:
            pwd.getpwuid(uid)  # a real account (local or from a directory): never act as it
        except KeyError:
            return uid
    raise WorkerStartError(f"every worker uid of this process ({UID_BASE + os.getpid() * 16}+) belongs to an account")


def _sweep_once() -> None:
    """Remove the scratch folders of grading processes that were killed (once per process)."""
    global _swept
    _swept = True
    reaper.sweep_stale(WORKER_PREFIX)
