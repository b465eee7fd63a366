"""Which isolation level this machine gives, and what each level needs before grading.

Three levels, strongest first; every report names the one it graded under:

``namespace``  the zygote runs under bubblewrap (:mod:`autograder.bwrap`): the worker sees the
               interpreter, its own copy of the submission and empty private scratch folders,
               nothing else of the host (an allowlist); no network, its own PID and IPC
               namespaces, a system-call filter (:mod:`autograder.seccomp`), no capabilities;
               as root, a uid of its own too.
``uid``        root without namespaces (a container that forbids them): a uid of its own and
               no network, but the host's file system is shared, so :func:`protect` takes
               access to the course material away (in place), :func:`verify_unreadable` checks
               it as the worker's uid before any student code runs, and what the uid left
               (files, SysV IPC objects) is removed afterwards.
``process``    an ordinary user without namespaces, and the portable backend
               (:mod:`autograder.spawned`: Windows, macOS): limits only. Fine for students
               checking their own work, never for grading other people's.

``NN101_ISOLATION=uid`` (or ``process``) forces a weaker level, e.g. to test it.
"""

from __future__ import annotations

import atexit
import os
import stat
import sys
import tempfile
from pathlib import Path

from autograder import bwrap, forkserver, reaper, seccomp, spawned
from autograder.errors import WorkerStartError

ROOT = str(Path(__file__).resolve().parent.parent)
UID_BASE = 200_000  # uids above any real account, one per worker alive on this machine
# Under ROOT: every version of the hidden suites and references (git), the notebooks with their
# solutions, and the audit's correct alternatives and mutants (which tell what hidden checks probe).
ALWAYS_PROTECTED = (".git", "source", "autograder/alternatives", "autograder/mutants")
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
        best = "process" if spawned.needed() else "namespace" if bwrap.works() else "uid" if is_root() else "process"
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
        reaper.sweep_stale(RUN_PREFIX)  # those of grading processes that were killed (their pid is gone)
        _run_root = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
        atexit.register(reaper.remove_tree, str(_run_root))
    return _run_root


def zygote_command() -> tuple[tuple[str, ...], str]:
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
    uid = fresh_uid()
    readable = reaper.readable_as(uid, [str(p) for p in paths if Path(p).exists()])
    if readable:
        raise WorkerStartError(f"{readable} is readable to the worker's uid: refusing to grade "
                               "(install bubblewrap, or make it unreadable to other users)")


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
