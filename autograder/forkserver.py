"""The grader's side of the zygotes: start one per kind, ask it to fork workers, reap them.

Starting Python and importing TensorFlow costs seconds; forking a process that has
already done so costs milliseconds. Each grading process therefore keeps one zygote
(:mod:`autograder.zygote`) per kind of worker, started on first use (or ahead of
time with :func:`warm_up`) and reused for every submission it grades, while each
submission still gets a fresh worker process of its own.

A worker is the zygote's child, not ours, so :class:`ForkedProcess` asks the zygote
for its exit status; it offers the part of :class:`subprocess.Popen` the sandbox uses.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from autograder import zygote

BOOT = "import sys; sys.path.insert(0, {root!r}); from autograder.zygote import main; main(sys.argv[1])"
POLL_INTERVAL = 0.01
FILE_ARG = "@fd:"
"""In a confining prefix, ``@fd:PATH`` becomes the number of a descriptor open on PATH (bwrap's
``--seccomp FD`` reads its filter from one)."""
_servers: dict[str, "ForkServer"] = {}


class ForkServerError(Exception):
    """The zygote could not start or stopped answering; says why, with its last words."""


class ForkServer:
    """One zygote process of one kind."""

    def __init__(self, kind: str, root: str, env: dict[str, str], prefix: tuple[str, ...] = ()):
        """``prefix``: a command that confines the zygote (bwrap's, :mod:`autograder.bwrap`);
        its workers' pids are then the sandbox's own, so only the zygote can signal them."""
        self.kind = kind
        self.confined = bool(prefix)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket = ours
        self._log = tempfile.TemporaryFile()
        self._ready = False
        self._closed = False
        self.threads = 0
        """Threads of the zygote once it is ready (it forks only while this is 1)."""
        grader = None if prefix else os.getpid()
        config = json.dumps({"kind": kind, "grader": grader, "control": theirs.fileno()})
        opened = [open(arg[len(FILE_ARG):], "rb") for arg in prefix if arg.startswith(FILE_ARG)]
        numbers = iter(str(f.fileno()) for f in opened)
        command = [next(numbers) if arg.startswith(FILE_ARG) else arg for arg in prefix]
        with theirs:
            self.process = subprocess.Popen(
                [*command, sys.executable, "-I", "-B", "-c", BOOT.format(root=root), config],
                pass_fds=(theirs.fileno(), *(f.fileno() for f in opened)), cwd="/", env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True,
            )
        for file in opened:
            file.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, seconds: float) -> None:
        if self._ready:
            return
        hello = self._receive(seconds, "start")
        if hello.get("ready") is not True:
            self._fail("start", "it sent no hello")
        self.threads = hello.get("threads")
        self._ready = True

    def spawn(self, config: dict, fds: tuple[int, int, int, int], seconds: float) -> "ForkedProcess":
        """Fork a worker that runs with ``config`` on ``fds``: request and response pipes, its log,
        and the submission's files (read only by the forked child, see :func:`zygote.keep`)."""
        self.wait_ready(seconds)
        self._send({"op": "spawn", "config": config}, fds)
        reply = self._receive(seconds, "fork a worker")
        if type(reply.get("pid")) is not int:
            self._fail("fork a worker", str(reply.get("error", "no pid in its answer")))
        return ForkedProcess(self, reply["pid"])

    def poll(self, pid: int) -> int | None:
        """The exit code of worker ``pid``, None while it runs; a dead zygote's workers are dead."""
        if self._closed:
            return -signal.SIGKILL
        try:
            self._send({"op": "poll", "pid": pid})
            status = self._receive(5, "report on a worker").get("status")
        except ForkServerError:
            return -signal.SIGKILL  # its workers died with it (they are set to)
        return status if status is None or type(status) is int else -signal.SIGKILL

    def kill(self, pid: int) -> None:
        """Kill worker ``pid`` (and so, confined, everything it started) through the zygote."""
        if self._closed:
            return
        try:
            self._send({"op": "kill", "pid": pid})
            self._receive(5, "kill a worker")
        except ForkServerError:
            pass  # it is gone, and its workers with it

    def close(self) -> None:
        """Ask the zygote to exit (kill it if it does not); its workers die with it."""
        if self._closed:
            return
        self._closed = True
        if self.alive():
            try:
                zygote.send(self._socket, {"op": "exit"})
                self.process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._socket.close()
        self._log.close()

    def _send(self, message: dict, fds=()) -> None:
        try:
            self._socket.settimeout(5)
            zygote.send(self._socket, message, fds)
        except OSError as error:
            self._fail("take a request", str(error))

    def _receive(self, seconds: float, doing: str) -> dict:
        self._socket.settimeout(seconds)
        try:
            message, fds = zygote.receive(self._socket)
        except TimeoutError:
            self._fail(doing, f"no answer within {seconds:g} s")
        except (OSError, ValueError) as error:
            self._fail(doing, str(error))
        for fd in fds:  # it sends none; never keep one open by mistake
            os.close(fd)
        if message is None:
            self._fail(doing, "it exited")
        return message

    def _fail(self, doing: str, why: str):
        """Give up on this zygote (a message may be half read): stop it and say why, with its last words."""
        tail = ""
        if not self._closed:
            self._log.seek(0)
            tail = self._log.read()[-2000:].decode(errors="replace").strip()
            self.close()
        raise ForkServerError(f"the {self.kind} zygote could not {doing}: {why}" + (f"\n{tail}" if tail else ""))


class ForkedProcess:
    """A worker forked by a zygote: ``pid``, ``poll()`` and ``wait()`` as in subprocess.Popen."""

    def __init__(self, server: ForkServer, pid: int):
        self.server = server
        self.pid = pid
        self.returncode: int | None = None

    def kill(self) -> None:
        """SIGKILL the worker; a confined one only through its zygote (its pid is the sandbox's)."""
        if self.server.confined:
            self.server.kill(self.pid)
            return
        for kill in (os.kill, os.killpg):  # the worker itself, even before it leads its own group
            try:
                kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.poll(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(POLL_INTERVAL)
        return self.returncode


def server_for(kind: str, root: str, env: dict[str, str], prefix: tuple[str, ...] = ()) -> ForkServer:
    """This process's zygote of ``kind`` (confined by ``prefix``); a new one if there is none or it died."""
    key = f"{kind}:{' '.join(prefix)}"
    server = _servers.get(key)
    if server is None or not server.alive():
        if server is not None:
            server.close()
        server = _servers[key] = ForkServer(kind, root, env, prefix)
    return server


def close_all() -> None:
    """Stop every zygote of this process (they would also die with it)."""
    while _servers:
        _servers.popitem()[1].close()


atexit.register(close_all)  # stop and reap them at exit: their memory then counts as ours
