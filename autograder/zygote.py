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

from autograder import worker

MESSAGE_BYTES = 1 << 16


def main(config_text: str) -> None:
    config = json.loads(config_text)
    control = socket.socket(fileno=config["control"])
    worker.die_with(config["grader"])
    worker.preload(config["kind"])
    control.send(json.dumps({"ready": True, "threads": _threads()}).encode())
    serve(control)


def serve(control: socket.socket) -> None:
    """Answer spawn and poll requests until the grader says exit or goes away."""
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, MESSAGE_BYTES, 3)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
        if request["op"] == "exit":
            return
        if request["op"] == "spawn":
            reply = spawn(request["config"], fds, control)
        else:
            reply = {"status": poll(request["pid"])}
        for fd in fds:
            os.close(fd)
        control.send(json.dumps(reply).encode())


def spawn(config: dict, fds: list[int], control: socket.socket) -> dict:
    """Fork a worker for one submission; the child never returns here."""
    if len(fds) != 3:
        return {"error": f"expected 3 descriptors, got {len(fds)}"}
    if _threads() != 1:
        return {"error": f"the zygote has {_threads()} threads; it forks only when single-threaded"}
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; measured through the worker tests
        code = 1
        try:
            control.close()
            code = become_worker(config, *fds)
        finally:
            os._exit(code)
    return {"pid": pid}


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
