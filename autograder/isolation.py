"""Which isolation level this machine gives, and what each level needs before grading.

Three levels, strongest first; every report names the one it graded under:

``namespace``  the zygote runs under bubblewrap (:mod:`autograder.bwrap`): the worker sees the
               interpreter, its own copy of the submission and empty private scratch folders,
               nothing else of the host (an allowlist); no network, its own PID and IPC
               namespaces, a system-call filter (:mod:`autograder.seccomp`), no capabilities;
               as root, a uid of its own too.
``uid``        root without namespaces for the sandbox, where the network can still be taken
               away (``unshare(CLONE_NEWNET)``, probed on the trusted side): a uid of its own
               and no network, but the host's file system is shared, so :func:`protect` takes
               other users' access away from the course repository and the class's folders
               (in place) except an allowlist (the interpreter's folders), and
               :func:`verify_unreadable` proves it as a worker's uid before any student code
               runs (fail closed); what the uid left (processes, files in world-writable
               folders, SysV IPC objects, POSIX message queues) is removed afterwards.
``process``    an ordinary user without namespaces, root where not even the network can be
               taken away (Docker's default seccomp profile), and the portable backend
               (:mod:`autograder.spawned`: Windows, macOS): limits only (as root, still a uid of
               its own and the same protected files), the network open. Fine for students
               checking their own work, never for grading other people's.

``NN101_ISOLATION=uid`` (or ``process``) forces a weaker level, e.g. to test it.
"""

from __future__ import annotations

import atexit
import ctypes
import functools
import os
import stat
import sys
import tempfile
from pathlib import Path

from autograder import bwrap, forkserver, reaper, seccomp, seeding, spawned
from autograder.errors import WorkerStartError

ROOT = str(Path(__file__).resolve().parent.parent)
UID_BASE = 200_000  # uids above any real account, one per worker alive on this machine
CLONE_NEWNET = 0x40000000
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
"""The whole environment of a zygote and its workers (plus ``HOME``): nothing of the grader's."""
RUN_PREFIX = "nn101-run-"
LEVELS = ("namespace", "uid", "process")
LEVEL_ENV = "NN101_ISOLATION"
_worker_count = 0
_run_root: Path | None = None
_level: str | None = None


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and not spawned.needed()


def isolation_level() -> str:
    """The best level this machine gives (see the module's docstring), or the forced one.

    Raises WorkerStartError when ``NN101_ISOLATION`` asks for a level the machine lacks.
    """
    global _level
    if _level is None:
        forced = os.environ.get(LEVEL_ENV, "")
        best = ("process" if spawned.needed() else "namespace" if bwrap.works()
                else "uid" if is_root() and network_closable() else "process")
        if forced and forced not in LEVELS:
            raise WorkerStartError(f"{LEVEL_ENV}={forced!r}: choose one of {', '.join(LEVELS)}")
        if forced == "uid" and not is_root():
            raise WorkerStartError(f"{LEVEL_ENV}=uid needs root")
        if forced == "uid" and not network_closable():
            raise WorkerStartError(f"{LEVEL_ENV}=uid: a worker here would keep the network (unshare(CLONE_NEWNET) "
                                   "is refused): allow namespaces, or force the process level to grade anyway")
        if forced and LEVELS.index(forced) < LEVELS.index(best):
            raise WorkerStartError(f"{LEVEL_ENV}={forced}: this machine offers only the {best} level")
        _level = forced or best
    return _level


@functools.lru_cache(maxsize=None)
def network_closable() -> bool:
    """Whether a child of this (root) process can leave the network: the uid level's promise.

    Probed here, on the trusted side, in a throw-away child; a worker's hello says the same
    for itself (and :class:`autograder.sandbox.Worker` refuses one that kept the network).
    """
    if not hasattr(os, "fork") or not is_root():
        return False
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            code = 0 if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) == 0 else 1
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def run_root() -> Path:
    """This grading process's own scratch folder (removed at exit): one run's leftovers reach no other."""
    global _run_root
    if _run_root is None:
        reaper.sweep_stale(RUN_PREFIX)  # those of grading processes that were killed (their pid is gone)
        _run_root = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
        atexit.register(reaper.remove_tree, str(_run_root))
    return _run_root


def zygote_command() -> tuple[tuple[str, ...], str]:
    """(confining prefix, root to import nn101 from) for this process's zygotes.

    Either way the zygote imports nn101 from a copy of the worker's modules in the run folder
    (:data:`autograder.bwrap.WORKER_MODULES`): at the uid level the course folder is closed
    to workers, and its path is not on the zygote's command line either.
    """
    runtime = run_root() / "runtime"
    if not runtime.exists():
        bwrap.install_runtime(runtime)
    if isolation_level() != "namespace":
        return (), str(runtime)
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
    """Below the namespace level as root, take other users' access away from the course: the
    repository (:func:`course_roots`), ``paths`` (e.g. a class folder, nbgrader's course root)
    and the course secret (:func:`autograder.seeding.secret_paths`), everything but the
    allowlist (:func:`allowed_paths`). Raises WorkerStartError if the allowlist would open one.

    The namespace level needs none of this: nothing of the host is visible to a worker there.
    """
    if not _guarded():
        return
    closed, passed = _closed_and_passed(paths)
    for path in closed:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    for path in passed:  # on the way to the interpreter: enter, never list
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        if mode & 0o077 != 0o011:
            os.chmod(path, mode & 0o700 | 0o011)


def verify_unreadable(paths) -> None:
    """Below the namespace level as root, prove as a worker's uid that nothing :func:`protect`
    closes (the course repository, ``paths``, the secret) can be read, listed or entered, and
    that the folders on the way to the interpreter cannot be listed; fail closed.

    Raises WorkerStartError naming the first open one (then nobody is graded).
    """
    if not _guarded():
        return
    closed, passed = _closed_and_passed(paths)
    uid = fresh_uid()
    found = reaper.readable_as(uid, closed, enter=True) or reaper.readable_as(uid, passed)
    if found:
        raise WorkerStartError(f"{found} is readable to the worker's uid: refusing to grade "
                               "(install bubblewrap, or make it unreadable to other users)")


def _guarded() -> bool:
    return is_root() and isolation_level() != "namespace"


def course_roots() -> list[Path]:
    """The course repository; installed into site-packages, nn101's own package folder instead."""
    root = Path(ROOT)
    return [root / "autograder" if str(root) in allowed_paths() else root]


def allowed_paths() -> list[str]:
    """What a worker must read: the interpreter's folders (prefix, venv, ``sys.path``) outside /usr."""
    return [p for p in bwrap.python_paths(sys.executable) if not p.startswith("/usr/")]


def _closed_and_passed(paths) -> tuple[list[str], list[str]]:
    """(entries to close wholesale, folders to pass through) for the course and ``paths``.

    A path with no allowed path inside is closed; one holding an allowed path is passed
    through, and each of its entries is judged the same way (links are never followed, and
    closing a folder closes everything below it). A protected path that is an allowed one
    raises WorkerStartError: the interpreter would expose the course.
    """
    allowed = allowed_paths()
    todo = [os.path.realpath(p) for p in [*course_roots(), *paths, *seeding.secret_paths()] if os.path.lexists(p)]
    scratch = os.path.realpath(tempfile.gettempdir())
    for path in todo:
        if path in allowed:
            raise WorkerStartError(f"the interpreter's folder {path} must be closed to student code: "
                                   "install Python (or nn101) outside the course folder")
        if scratch == path or scratch.startswith(path.rstrip("/") + "/"):
            raise WorkerStartError(f"{path} holds the temporary folder {scratch}, where workers live: "
                                   "keep the course and the class's submissions in a folder of their own")
    closed: list[str] = []
    passed: list[str] = []
    while todo:
        path = todo.pop()
        if path in closed or path in passed:
            continue
        if not any(a.startswith(path.rstrip("/") + "/") for a in allowed):
            closed.append(path)
            continue
        passed.append(path)
        try:
            entries = list(os.scandir(path))
        except OSError as error:
            raise WorkerStartError(f"cannot list {path} to protect it: {error.strerror}") from None
        todo += [e.path for e in entries if e.path not in allowed and not e.is_symlink()]
    return closed, passed


def warm_up(kinds) -> None:
    """Start the zygotes of ``kinds`` now, so that importing TensorFlow overlaps other work."""
    if spawned.needed():
        return  # no zygotes: each spawned worker imports for itself
    prefix, root = zygote_command()
    for kind in sorted(set(kinds)):
        forkserver.server_for(kind, root, QUIET_ENV, prefix)


def fresh_uid() -> int:
    """A uid no other live worker has (16 per grading process, keyed by its pid) and no account has."""
    global _worker_count
    for _ in range(16):
        _worker_count += 1
        uid = UID_BASE + os.getpid() * 16 + _worker_count % 16
        try:
            import pwd  # POSIX only, like the uid level

            pwd.getpwuid(uid)  # a real account (local or from a directory): never act as it
        except KeyError:
            return uid
    raise WorkerStartError(f"every worker uid of this process ({UID_BASE + os.getpid() * 16}+) belongs to an account")
