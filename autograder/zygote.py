"""The zygote: a clean interpreter that imports NumPy (or TensorFlow) once and forks workers.

Started by :mod:`autograder.forkserver` as ``python -I -c BOOT CONFIG``, once per grading
process and kind. It pre-imports what workers of its kind need (the slow part: about
5 s and 650 MB for TensorFlow) and then only forks: for each request on its control
socket it forks a child that becomes a fresh worker (:func:`autograder.worker.run`)
for one submission. The child shares the imported modules copy-on-write; everything
else is its own: a new session, its own folder, environment, limits and uid.

The zygote never runs student code and never holds anything secret: it starts from a
clean environment (not forked from the grader), imports only what a worker imports,
and each child closes every descriptor but its own pipes before it drops privileges.
It must stay single-threaded (forking a threaded process can copy a held lock), which
the thread caps in its environment ensure; it refuses to fork otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys

from autograder import codec, confine, worker

MESSAGE_BYTES = 256 << 20  # a spawn request carries the submission's files
MAX_FDS = 4


def main(config_text: str) -> None:
    config = json.loads(config_text)
    control = socket.socket(fileno=config["control"])
    worker.die_with(config["grader"])  # None under bwrap, whose --die-with-parent does this
    worker.preload(config["kind"])
    send(control, {"ready": True, "threads": _threads()})
    serve(control)
    os._exit(0)  # nothing to flush; tearing down TensorFlow's modules would take over a second


def serve(control: socket.socket) -> None:
    """Answer spawn and poll requests until the grader says exit or goes away."""
    while True:
        try:
            request, fds = receive(control)
        except (OSError, ValueError):
            return
        if request is None or request.get("op") == "exit":
            return
        if request["op"] == "spawn":
            reply = spawn(request["config"], fds, control)
        elif request["op"] == "kill":
            reply = {"status": kill(request["pid"])}  # None: poll for the exit status
        else:
            reply = {"status": poll(request["pid"])}
        for fd in fds:
            os.close(fd)
        send(control, reply)


# ---- the control socket: framed messages (codec.pack), descriptors on the first byte -------------
# A stream socket, because that is what every Unix has (macOS has no SOCK_SEQPACKET for AF_UNIX);
# grader and zygote take turns, so at most one message is ever on its way in each direction.

def send(control: socket.socket, message: dict, fds=()) -> None:
    data = codec.pack(message)
    sent = socket.send_fds(control, [data], list(fds))
    if sent < len(data):
        control.sendall(data[sent:])


def receive(control: socket.socket) -> tuple[dict | None, list[int]]:
    """The next message and the descriptors sent with it; ``None`` once the other side has closed."""
    header, fds = _read(control, codec.HEADER.size, fds=True)
    size = codec.unpack_header(header) if header is not None else 0
    if header is None or size > MESSAGE_BYTES:
        return None, fds
    body, _ = _read(control, size)
    message = codec.unpack_body(body) if body is not None else None
    return (message if type(message) is dict else None), fds


def _read(control: socket.socket, n: int, fds: bool = False) -> tuple[bytes | None, list[int]]:
    chunks, received, left = [], [], n
    while left:
        if fds:
            data, more, _, _ = socket.recv_fds(control, left, MAX_FDS)
            received += more
        else:
            data = control.recv(left)
        if not data:
            return None, received
        chunks.append(data)
        left -= len(data)
    return b"".join(chunks), received


def spawn(config: dict, fds: list[int], control: socket.socket) -> dict:
    """Fork a worker for one submission; the child never returns here."""
    if len(fds) != 4:
        return {"error": f"expected 4 descriptors, got {len(fds)}"}
    if _threads() != 1:
        return {"error": f"the zygote has {_threads()} threads; it forks only when single-threaded"}
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; measured through the worker tests
        code = 1
        try:
            control.close()
            code = keep(config, *fds) if config.get("level") == "namespace" else become_worker(config, *fds[:3])
        finally:
            os._exit(code)
    return {"pid": pid}


def keep(config: dict, req_fd: int, resp_fd: int, log_fd: int, files_fd: int) -> int:
    """The keeper (namespace level): a private view, then an init and the worker in a new PID namespace.

    The worker is not the namespace's first process, whose default signal actions the kernel
    ignores (a CPU-limit SIGXCPU among them); :func:`init` is. Killing the keeper kills the init
    (its parent-death signal), and the init's end kills everything the worker started.
    """
    os.setsid()
    os.dup2(log_fd, 2)
    uid = config["uid"] if config.get("uid") is not None else os.getuid()
    with os.fdopen(files_fd, "rb") as bundle:  # read here, after the fork: never in the zygote's memory
        files = codec.unpack_body(bundle.read())
    confine.enter(files, uid, config.get("scratch", confine.SCRATCH), config.get("keep", ()))
    return _wait_and_mirror(_fork(lambda: init(config, req_fd, resp_fd, log_fd)), (req_fd, resp_fd, log_fd))


def init(config: dict, req_fd: int, resp_fd: int, log_fd: int) -> int:
    """The first process of the worker's PID namespace: mounts its /proc, runs and waits for the worker."""
    worker.die_with(None)
    confine.settle()
    pid = _fork(lambda: become_worker(config, req_fd, resp_fd, log_fd))
    code = _wait_and_mirror(pid, (req_fd, resp_fd, log_fd), mirror_signal=False)
    return code if code >= 0 else 128 - code  # a signal can't end an init: its number, as a shell says it


def _fork(child) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            code = child()
        finally:
            os._exit(code)
    return pid


def _wait_and_mirror(pid: int, fds, mirror_signal: bool = True) -> int:
    """Close ``fds``, wait for ``pid`` and return its exit code; die by its signal (as 128+N too)."""
    for fd in fds:
        os.close(fd)
    while True:
        try:
            code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            break
        except InterruptedError:
            continue
    if mirror_signal and code > 128:
        code = -(code - 128)
    if mirror_signal and code < 0:  # so the grader can tell a CPU limit from a crash
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if -code not in (signal.SIGKILL, signal.SIGSTOP):  # their handlers cannot be set (nor changed)
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def kill(pid: int) -> None:
    """Kill a keeper (or worker) of ours; its worker dies with it. Until polled, the pid stays ours."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def become_worker(config: dict, req_fd: int, resp_fd: int, log_fd: int) -> int:
    """In the child: keep only the worker's pipes, then run the worker."""
    os.setsid()  # its own process group, which the grader kills as one
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(log_fd, 2)  # until the worker is ready; then it points stderr at /dev/null
    close_all_but(req_fd, resp_fd)  # devnull, log_fd, the control socket, whatever the imports opened
    os.chdir(config["home"])
    os.environ.clear()
    os.environ.update(config["env"])
    worker.run(config, req_fd, resp_fd)
    return 0


def poll(pid: int) -> int | None:
    """The child's exit code as :class:`subprocess.Popen` gives it (-N: killed by signal N)."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return -signal.SIGKILL  # not ours, or reaped already: gone either way
    return os.waitstatus_to_exitcode(status) if done else None


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1  # no /proc (not Linux): nothing to count with


def close_all_but(*keep: int) -> None:
    """Close every descriptor above stderr except ``keep`` (the control socket among them)."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


if __name__ == "__main__":  # pragma: no cover - started through forkserver.BOOT
    main(sys.argv[1])
