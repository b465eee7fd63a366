"""The worker: the only process that imports and runs student code.

Forked for one submission by a zygote (:mod:`autograder.zygote`) that has already
imported what student code may use (:func:`preload`), it applies its limits,
leaves the network and (as root) becomes an unprivileged user, then answers
requests from the grader on a private pipe: import a module, call a function,
run a probe.
Everything it sends back is plain data (:mod:`autograder.codec`); the grader
trusts none of it beyond that.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import io
import json
import os
import signal
import sys
import traceback

try:
    import resource
except ImportError:  # Windows: the portable backend's wall-clock limits only
    resource = None

from autograder import codec, probes

CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
# What student code may import after the privilege drop (the interpreter's own files may be
# unreadable to the unprivileged user, so everything is loaded beforehand).
STDLIB_PRELOAD = tuple((
    "math random itertools functools collections collections.abc typing dataclasses copy numbers "
    "operator statistics warnings re json time string textwrap enum abc decimal fractions "
    "heapq bisect contextlib traceback linecache fileinput pkgutil unicodedata"
).split())
NUMPY_PRELOAD = ("numpy", "numpy.linalg", "numpy.random", "numpy.testing", "numpy.lib.stride_tricks")
KERAS_PRELOAD = ("tensorflow", "keras")


def run(config: dict, req_fd: int, resp_fd: int) -> None:
    """Become the worker: limits, isolation, then answer requests on the two pipes.

    Runs in a child the zygote just forked (:mod:`autograder.zygote`), in the
    submission's folder, with its environment set and every other descriptor closed.
    """
    zygote = os.getppid()
    set_limits(config["limits"], config.get("uid"))
    network_isolated = isolate(config.get("uid"), config.get("level") == "namespace")
    if os.getppid() != zygote:  # the zygote died before we could ask to die with it
        os._exit(1)
    unreadable = unreadable_stdlib()
    sys.path[:] = [os.getcwd()] + [p for p in sys.path if p and p != config["root"]]
    # A process the student forks must not answer in the worker's place.
    os.register_at_fork(after_in_child=lambda: _close(req_fd, resp_fd))
    responses = os.fdopen(resp_fd, "wb", buffering=0)
    requests = os.fdopen(req_fd, "rb", buffering=0)
    hide_grader_modules()
    responses.write(codec.pack({"ready": True, "network_isolated": network_isolated, "unreadable": unreadable}))
    serve(requests, responses, answer, _packed)


def run_spawned(config_text: str) -> None:
    """Become the worker in a freshly spawned interpreter: the portable backend.

    Where there is no fork, no ``resource`` module or no Unix sockets (Windows), and on macOS
    (where forking after TensorFlow's import is unsafe), :mod:`autograder.spawned` starts
    ``python -I -c ...`` per submission. Requests come on standard input and answers go to
    standard output; the same limits apply where the system has them, the same plain data
    crosses, and the reports say "process": no isolation beyond that.
    """
    config = json.loads(config_text)
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    responses = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    os.chdir(config["home"])
    os.environ.clear()
    os.environ.update(config["env"])
    if config.get("kind") == "keras":
        preload("keras")
    if resource is not None:
        set_limits(config["limits"], None)
    os.dup2(devnull, 2)  # until here, a start-up failure shows on stderr, which the grader keeps
    sys.path[:] = [os.getcwd()] + [p for p in sys.path if p and p != config["root"]]
    hide_grader_modules()
    responses.write(codec.pack({"ready": True, "network_isolated": False, "unreadable": ""}))
    serve(requests, responses, answer, _packed)


def hide_grader_modules() -> None:
    """Take nn101's own modules out of ``sys.modules`` (and off ``sys.path``, see :func:`run`), so
    that student code cannot import them to patch how the worker answers. The worker keeps its
    references; this raises the bar, it is no proof: see README, "What the worker reports"."""
    for name in [n for n in sys.modules if n == "autograder" or n.startswith("autograder.")]:
        del sys.modules[name]


def die_with(parent: int | None) -> None:
    """Be killed when our parent dies; exit now if it is not ``parent`` (None: any parent)."""
    _libc("prctl", PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def unreadable_stdlib() -> str:
    """The first file of the standard library that we cannot read now, or ``""``.

    A Python installed under a private home folder (pyenv's, ``uv python install``'s) is not
    readable to the worker's uid: every import not done in advance would then fail and be
    charged to the student. The grader turns a non-empty answer into its own error.
    """
    stdlib = os.path.dirname(os.__file__)
    for name in ("gzip.py", "pydoc.py", os.path.join("json", "__init__.py")):
        path = os.path.join(stdlib, name)
        try:
            with open(path, "rb") as file:
                file.read(1)
        except OSError:
            return path
    return ""


def _close(*fds: int) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def preload(kind: str) -> None:
    names = STDLIB_PRELOAD + NUMPY_PRELOAD + (KERAS_PRELOAD if kind == "keras" else ())
    for name in names:
        importlib.import_module(name)


def set_limits(limits: dict, uid: int | None) -> None:
    """CPU time, address space, file size, no core dumps and a process cap, each where the system
    has it (macOS has no enforced RLIMIT_AS, for instance): the wall clock is the grader's."""
    mib = 1024 * 1024
    cpu = int(limits["cpu_seconds"])
    _limit("RLIMIT_CPU", cpu, cpu + 1)
    memory = int(limits["memory_mb"]) * mib
    _limit("RLIMIT_AS", memory)
    size = int(limits["file_mb"]) * mib
    _limit("RLIMIT_FSIZE", size)
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead of killing us
    _limit("RLIMIT_CORE", 0)
    # RLIMIT_NPROC counts every process and thread of the user: a fresh uid starts at zero.
    base = 0 if uid is not None else _count_own_tasks()
    if base is not None:
        nproc = base + int(limits["processes"])
        _limit("RLIMIT_NPROC", nproc)


def _limit(name: str, soft: int, hard: int | None = None) -> None:
    which = getattr(resource, name, None)
    if which is None:
        return
    try:
        resource.setrlimit(which, (soft, soft if hard is None else hard))
    except (ValueError, OSError):
        if name != "RLIMIT_AS":  # the one limit some systems do not enforce; the others must hold
            raise


def _count_own_tasks() -> int | None:
    """Processes and threads of this user, or None where there is no /proc to count them."""
    if not os.path.isdir("/proc/self/task"):
        return None
    uid, count = os.getuid(), 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat(f"/proc/{pid}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{pid}/task"))
            except OSError:
                pass
    return count


def isolate(uid: int | None, namespaced: bool = False) -> bool:
    """Silence stdio, leave the network and, as root, drop to ``uid``.

    Returns whether the network is gone: unsharing it needs root (or CAP_SYS_ADMIN)
    and a kernel/container that permits it; elsewhere the worker keeps the network.
    ``namespaced``: inside bubblewrap, where the network is gone already and an ordinary
    user's worker gives up the capabilities its user namespace gave it.
    """
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if devnull > 2:
        os.close(devnull)
    if uid is None:
        if namespaced:
            from autograder import confine

            confine.drop_capabilities()
        _libc("prctl", PR_SET_PDEATHSIG, signal.SIGKILL)
        return namespaced
    network_isolated = _libc("unshare", CLONE_NEWNET) == 0 or namespaced
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid or os.getegid() != uid:
        raise RuntimeError("the worker could not drop its privileges")
    _libc("prctl", 38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS: nothing it runs can gain any back
    # Die with the grader (the kernel clears this on a uid change, so set it after the drop).
    _libc("prctl", PR_SET_PDEATHSIG, signal.SIGKILL)
    os.environ["HOME"] = os.getcwd()
    return network_isolated


def _libc(name: str, *args) -> int:
    """Call a Linux-only libc function; -1 where it does not exist (e.g. macOS, Windows)."""
    try:
        library = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # Windows has no C library to open by None
        return -1
    function = getattr(library, name, None)
    return function(*args) if function is not None else -1


def serve(requests, responses, answer, packed) -> None:
    """Answer requests until told to exit. ``answer`` and ``packed`` are bound here, before any
    student code runs: a module that replaces ``autograder.worker.answer`` changes nothing."""
    while True:
        header = _read_exactly(requests, codec.HEADER.size)
        if header is None:
            return
        request = codec.unpack_body(_read_exactly(requests, codec.unpack_header(header)))
        if request.get("op") == "exit":
            return
        responses.write(packed(answer(request), request.get("id")))


def _packed(response: dict, request_id) -> bytes:
    """The answer, tagged with its request's id; a fixed error if it cannot be sent."""
    try:
        return codec.pack({**response, "id": request_id})
    except BaseException:  # noqa: BLE001 - e.g. an exception whose name or message is not text
        return codec.pack({**_error("exception", "its answer could not be sent back"), "id": request_id})


def _read_exactly(stream, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


PRINTED_CAP = 4000
"""Characters of what the student's code printed during one request, kept from the end."""


class _Tail(io.TextIOBase):
    """A text stream that keeps only the last :data:`PRINTED_CAP` characters written to it."""

    def __init__(self):
        self.text = ""

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        self.text = (self.text + str(text))[-PRINTED_CAP:]
        return len(text)


def answer(request: dict, resolve=importlib.import_module) -> dict:
    """Run one request; every outcome, even a student's SystemExit, becomes a response.

    ``resolve`` maps a module name to the student's module (or any namespace holding
    the functions, e.g. a notebook's globals for in-process grading). What the student's
    code prints (``print``, ``sys.stdout``) comes back as ``printed``: beginners debug with
    print, and a failed visible check shows its tail.
    """
    tail = _Tail()
    with contextlib.redirect_stdout(tail):  # not stderr: library warnings are not the student's prints
        response = _answer(request, resolve)
    if tail.text:
        response["printed"] = tail.text
    return response


def _answer(request: dict, resolve) -> dict:
    try:
        module = resolve(request["module"])
        if request["op"] == "import":
            return {"ok": True}
        args = codec.decode(request["args"])
        kwargs = codec.decode(request["kwargs"])
        if request["op"] == "probe":
            probe = getattr(probes, request["name"])
            return {"ok": True, "value": codec.encode(probe(module, *args, **kwargs))}
        function = getattr(module, request["func"], None)
        if not callable(function):
            return _error("missing", f"{request['module']}.py has no function {request['func']}()")
        value = function(*args, **kwargs)
        return {"ok": True, "value": codec.encode(value), "args": codec.encode(args)}
    except codec.NotPlainData as exc:
        return _error("bad_return", f"it returned {exc}")
    except KeyboardInterrupt:  # only in process (a notebook): the person at the keyboard wants out
        raise
    except BaseException as exc:  # noqa: BLE001 - the student's code may raise anything
        try:
            return _describe(exc)
        except BaseException:  # noqa: BLE001 - an exception built to break its own description
            return _error("exception", "(the error could not be described)")


def _describe(exc: BaseException) -> dict:
    if isinstance(exc, NotImplementedError):
        return _error("not_implemented", "")
    if isinstance(exc, MemoryError):
        return _error("memory", "")
    if isinstance(exc, SystemExit):
        return _error("exit", f"it called exit({exc.code!r})")
    where = _student_frame(exc)
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f"{os.path.basename(exc.filename)}, line {exc.lineno}"
    try:
        message = str(exc)[:300]
    except BaseException:  # noqa: BLE001 - a hostile __str__
        message = "(the error message could not be shown)"
    return _error("exception", message, type(exc).__name__, where)


def _student_frame(exc: BaseException) -> str:
    here = os.getcwd()
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(here)]
    except BaseException:  # noqa: BLE001
        return ""
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or "").strip()[:120]
    return f"{os.path.basename(frame.filename)}, line {frame.lineno}" + (f": {line}" if line else "")


def _error(kind: str, message: str, type_name: str = "", where: str = "") -> dict:
    return {"ok": False, "kind": kind, "message": message, "type": type_name, "where": where}
