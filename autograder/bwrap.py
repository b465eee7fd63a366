"""The sandbox's command line: what a zygote (and so every worker) may see, as an allowlist.

A zygote of the namespace level runs under bubblewrap (``bwrap``, the sandbox Flatpak uses):
it starts from an empty root file system and *adds* what Python needs, read-only. Nothing
else of the host exists inside: no course folder, no ``dist/``, no secret, no other student,
no network, no host processes or IPC objects. Each worker then takes a private view of its own
submission (:mod:`autograder.confine`).

Read :func:`command` line by line to review the allowlist.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

RUNTIME = "/nn101"
"""Where the worker-side modules of nn101 (a copy, see :data:`WORKER_MODULES`) appear inside."""
WORKER_MODULES = ("__init__", "codec", "probes", "keras_verify", "worker", "zygote", "confine")
"""The only modules of nn101 a worker can see: no check, no reference, no hidden suite."""
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
SCRATCH_DIRS = ("/tmp", "/dev/shm")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf")
# Capabilities the zygote keeps (root only): a new mount, IPC and PID namespace per worker,
# and the change to the worker's own uid. Workers drop every capability before student code.
ZYGOTE_CAPS = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_KILL")


def executable() -> str | None:
    """The bwrap program, or None where it is not installed."""
    return shutil.which("bwrap") or next((p for p in ("/usr/bin/bwrap",) if os.path.exists(p)), None)


def python_paths(python: str = sys.executable) -> list[str]:
    """Folders the interpreter reads: its prefix, base prefix and ``sys.path`` entries (``-I``)."""
    return _python_paths(python)


@functools.lru_cache(maxsize=None)
def _python_paths(python: str) -> list[str]:
    script = "import sys, os; print('\\n'.join([sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path]))"
    out = subprocess.run([python, "-I", "-c", script], capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin"}).stdout
    paths = {os.path.realpath(p) for p in out.splitlines() if p and os.path.isdir(p)}
    paths.add(os.path.dirname(os.path.realpath(python)))
    paths.add(os.path.dirname(os.path.abspath(python)))  # a venv's bin/, whose python is a link
    return _outermost(paths)


def _outermost(paths) -> list[str]:
    """Drop paths inside others of the set (one bind covers them)."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return sorted(kept)


def command(runtime: Path, forbidden: list[Path], python: str = sys.executable,
            as_root: bool | None = None, seccomp_filter: Path | None = None) -> list[str]:
    """``bwrap`` arguments (ending in ``--``) for a zygote that reads nn101 from ``runtime``.

    ``seccomp_filter``: a compiled filter (:mod:`autograder.seccomp`) that the zygote and every
    worker run under; ``@fd:PATH`` is opened by :class:`autograder.forkserver.ForkServer`.
    ``forbidden``: files and folders that must not be visible (the course folder). An
    interpreter path that contains one (e.g. a legacy editable install that put the course
    folder on ``sys.path``) makes this raise ValueError, so a misconfigured machine fails
    closed; a path inside one (a venv in the course folder) is bound alone, without its
    siblings.
    """
    as_root = os.geteuid() == 0 if as_root is None else as_root
    args = [executable() or "bwrap", "--die-with-parent", "--new-session",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if seccomp_filter is not None:  # autograder.seccomp: system calls refused to everything inside
        args += ["--seccomp", f"@fd:{seccomp_filter}"]
    if as_root:  # no user namespace: workers get uids of their own, with no rights outside
        for cap in ZYGOTE_CAPS:
            args += ["--cap-add", cap]
    else:  # an ordinary user: a user namespace gives the zygote what it needs inside only
        args += ["--unshare-user", *[a for cap in ZYGOTE_CAPS for a in ("--cap-add", cap)]]
    for folder in SYSTEM_DIRS:
        args += _system_entry(folder)
    for path in ETC_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]  # before the binds: a venv may live in /tmp
    binds = [p for p in python_paths(python) if not p.startswith("/usr/")]
    for parent in _parents([*binds, RUNTIME]):  # bwrap would make them 0700: unreadable to a worker's uid
        args += ["--perms", "0755", "--dir", parent]
    for path in python_paths(python):
        for secret in forbidden:
            secret = os.path.realpath(secret)
            if secret == path or secret.startswith(path.rstrip("/") + "/"):
                raise ValueError(f"the interpreter's path {path} contains {secret}")
        if not path.startswith("/usr/"):
            args += ["--ro-bind", path, path]
    package = str(Path(__file__).resolve().parent)
    if any(package.startswith(p.rstrip("/") + "/") for p in python_paths(python)):
        args += ["--tmpfs", package]  # nn101 installed into site-packages: hide its checks
    args += ["--ro-bind", str(runtime), RUNTIME, "--dir", "/submission", "--chdir", "/", "--"]
    return args


def kept_in_scratch(python: str = sys.executable) -> list[str]:
    """Parts of the interpreter that live in a scratch folder (a venv under /tmp): each worker's
    private tmpfs there gets them bound back, read-only (:func:`autograder.confine.enter`)."""
    return [p for p in python_paths(python) if any(p.startswith(d + "/") for d in SCRATCH_DIRS)]


def _parents(paths) -> list[str]:
    """Every folder above ``paths`` (not ``/``, not the system folders), parents first."""
    found: list[str] = []
    for path in paths:
        parent = os.path.dirname(path)
        chain = []
        while parent not in ("/", "") and parent not in SYSTEM_DIRS:
            chain.append(parent)
            parent = os.path.dirname(parent)
        found += [p for p in reversed(chain) if p not in found]
    return found


def _system_entry(folder: str) -> list[str]:
    if os.path.islink(folder):  # merged /usr: /lib -> usr/lib
        return ["--symlink", os.readlink(folder), folder]
    if os.path.isdir(folder):
        return ["--ro-bind", folder, folder]
    return []


def install_runtime(target: Path) -> Path:
    """Copy :data:`WORKER_MODULES` into ``target/autograder``; return ``target``."""
    package = Path(__file__).resolve().parent
    (target / "autograder").mkdir(parents=True, exist_ok=True)
    for name in WORKER_MODULES:
        shutil.copyfile(package / f"{name}.py", target / "autograder" / f"{name}.py")
    return target


@functools.lru_cache(maxsize=None)
def works(python: str = sys.executable) -> bool:
    """Whether bwrap can start this interpreter here (a container may forbid namespaces)."""
    if executable() is None:
        return False
    import tempfile

    with tempfile.TemporaryDirectory(prefix="nn101-bwrap-probe-") as empty:
        try:
            args = command(Path(empty), [], python)
            done = subprocess.run([*args, python, "-I", "-c", "pass"], capture_output=True, timeout=30,
                                  env={"PATH": "/usr/bin:/bin"})
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return False
    return done.returncode == 0
