"""The portable backend: one freshly spawned interpreter per worker, over its standard pipes.

Used where the zygote cannot be (:func:`needed`): no ``os.fork``, no ``resource`` module or no
Unix sockets (Windows), and macOS, where forking after TensorFlow's import is unsafe (Python's
own documentation calls fork there unsafe). Each worker is ``python -I -c BOOT CONFIG``
(:func:`autograder.worker.run_spawned`): it pays the imports itself, speaks the same framed
plain data on stdin/stdout, and applies the limits the system has; the grader keeps the wall
clock. Pipes are read and written by threads, since Windows cannot wait on a pipe with
:mod:`selectors`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

BOOT = "import sys; sys.path.insert(0, {root!r}); from autograder.worker import run_spawned; run_spawned(sys.argv[1])"


def needed() -> bool:
    """Whether this system needs the portable backend (see the module's docstring)."""
    try:
        import resource  # noqa: F401
    except ImportError:
        return True
    return not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX") or sys.platform == "darwin"


class TimedOut(Exception):
    """The deadline passed before the pipe was ready."""


class Closed(Exception):
    """The worker closed its end of the pipe (or exited)."""


class SpawnedProcess:
    """A spawned worker: ``pid``, ``poll()``, ``wait()``, ``kill()``, and deadline-bound pipe I/O."""

    def __init__(self, config: dict, root: str, log) -> None:
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        self._popen = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", BOOT.format(root=root), json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=config["home"],
            env=config["env"], creationflags=flags, start_new_session=hasattr(os, "setsid"))
        self.pid = self._popen.pid
        self._buffer = bytearray()
        self._eof = False
        self._ready = threading.Condition()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        stream = self._popen.stdout
        while True:
            try:
                chunk = stream.read1(1 << 20)
            except (OSError, ValueError):  # closed by kill()
                chunk = b""
            with self._ready:
                if not chunk:
                    self._eof = True
                else:
                    self._buffer += chunk
                self._ready.notify_all()
            if not chunk:
                return

    def read(self, n: int, deadline: float) -> bytes:
        with self._ready:
            while len(self._buffer) < n:
                if self._eof:
                    raise Closed()
                left = deadline - time.monotonic()
                if left <= 0 or not self._ready.wait(left):
                    if len(self._buffer) < n:
                        raise TimedOut()
            data = bytes(self._buffer[:n])
            del self._buffer[:n]
            return data

    def write(self, data: bytes, deadline: float) -> None:
        failed: list[BaseException] = []

        def send():
            try:
                self._popen.stdin.write(data)
                self._popen.stdin.flush()
            except (OSError, ValueError) as error:
                failed.append(error)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        sender.join(max(0.0, deadline - time.monotonic()))
        if sender.is_alive():
            raise TimedOut()
        if failed:
            raise Closed()

    def poll(self) -> int | None:
        return self._popen.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self._popen.wait(timeout)

    def kill(self) -> None:
        """Kill the worker and, where there are process groups, everything it started."""
        if hasattr(os, "killpg"):
            try:
                os.killpg(self.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass
        if self._popen.poll() is None:
            self._popen.kill()
        for stream in (self._popen.stdin, self._popen.stdout):
            try:
                stream.close()
            except OSError:
                pass
