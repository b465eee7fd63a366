"""Leave nothing behind: kill every process a worker started and remove the files it left.

Used by :mod:`autograder.sandbox` when a worker closes, and by a batch on start-up to sweep
what a killed run left in the temporary folder.
"""

from __future__ import annotations

import ctypes
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time

# World-writable places a worker of the uid level (no namespaces) can leave files in.
SCRATCH_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock", "/dev/mqueue")
IPC_TABLES = {"shm": "shmid", "msg": "msqid", "sem": "semid"}  # /proc/sysvipc/<table>: its id column
IPC_RMID = 0
CLONE_NEWNS, MS_REC, MS_PRIVATE = 0x00020000, 0x4000, 1 << 18
SWEEP_SECONDS = 10.0
WALK_TTL = 300.0
_world_writable: tuple[list[str], float] = ([], 0.0)
_reported: set[str] = set()


def kill_all(process, uid: int | None) -> None:
    """Kill the worker (its whole PID namespace, when confined) and everything ``uid`` still runs."""
    process.kill()
    if uid is not None:  # catch processes that left the group: kill everything that uid runs
        for _ in range(50):
            kill_as(uid)
            if not live_pids_of(uid):
                break
    process.wait()


def kill_as(uid: int) -> None:
    """``kill(-1, SIGKILL)`` as ``uid``: one atomic sweep, which a fork bomb cannot outrun."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def readable_as(uid: int, paths: list[str], enter: bool = False) -> str:
    """The first of ``paths`` that ``uid`` can read (a folder: list; with ``enter``, also enter),
    or ``""``; checked as that uid."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            found = ""
            for path in paths:
                try:
                    if os.path.isdir(path):
                        if enter and os.access(path, os.X_OK):  # as the uid: its real uid is ours now
                            found = path
                            break
                        os.listdir(path)
                    else:
                        with open(path, "rb") as file:
                            file.read(1)
                    found = path
                    break
                except OSError:
                    continue
            os.write(write_end, found.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        found = answer.read().decode()
    os.waitpid(pid, 0)
    return found


def live_pids_of(uid: int) -> list[int]:
    """Processes (not zombies) with ``uid`` as real, effective, saved or file-system uid."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue  # gone meanwhile
        if str(uid) in fields.get("Uid", "").split() and not fields.get("State", "").strip().startswith("Z"):
            pids.append(int(name))
    return pids


def remove_tree(path: str) -> None:
    """Remove ``path`` and everything below it, however deep, without following links out of it.

    ``rm`` walks the tree without recursion (a student can make one 10,000 folders deep);
    a failure is reported once on stderr and costs nobody a point.
    """
    if not os.path.lexists(path):
        return
    args = ["rm", "-rf", "--one-file-system", "--", path] if sys.platform.startswith("linux") else ["rm", "-rf", "--", path]
    try:
        done = subprocess.run(args, capture_output=True, timeout=120)
        failed = done.returncode != 0 and os.path.lexists(path)
    except (OSError, subprocess.TimeoutExpired):
        failed = True
    if failed and path not in _reported:
        _reported.add(path)
        print(f"nn101: could not remove {path}; remove it by hand", file=sys.stderr)


def remove_ipc_of(uid: int) -> None:
    """Remove the SysV shared memory, message queues and semaphores owned or created by ``uid``."""
    libc = ctypes.CDLL(None, use_errno=True)
    remove = {"shm": lambda i: libc.shmctl(i, IPC_RMID, None), "msg": lambda i: libc.msgctl(i, IPC_RMID, None),
              "sem": lambda i: libc.semctl(i, 0, IPC_RMID)}
    for table, id_column in IPC_TABLES.items():
        try:
            with open(f"/proc/sysvipc/{table}") as rows:
                header, *entries = [line.split() for line in rows]
        except (OSError, ValueError):
            continue  # not Linux, or no such table
        ident, owners = header.index(id_column), [header.index("uid"), header.index("cuid")]
        for entry in entries:
            if any(entry[i] == str(uid) for i in owners):
                remove[table](int(entry[ident]))


def remove_files_of(uid: int) -> None:
    """Remove what ``uid`` left in the scratch folders, at any depth (e.g. ``/tmp/.X11-unix``).

    ``uid`` (no groups, owner of nothing else) can make files only in folders every user may
    write, or in its own folders: the entries it owns in each :func:`world_writable` folder go,
    its folders whole. A failure is reported once on stderr and costs nobody a point. Its POSIX
    message queues go too (:func:`remove_mqueues_of`).
    """
    for folder in world_writable():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    remove_tree(entry.path)
                else:
                    os.unlink(entry.path)
            except OSError as error:
                _report(f"could not remove what a worker left in {folder} ({error.strerror}); remove it by hand")
    remove_mqueues_of(uid)


def world_writable(seconds: float = SWEEP_SECONDS) -> list[str]:
    """The scratch folders and every folder below them that all users may enter and write.

    Found by one walk (links not followed, one file system each, at most ``seconds``, cut short
    with a note), kept for :data:`WALK_TTL` seconds: walking /tmp takes seconds on a busy machine.
    """
    global _world_writable
    found, stamp = _world_writable
    if found and time.monotonic() - stamp < WALK_TTL:
        return found
    deadline = time.monotonic() + seconds
    found = [d for d in SCRATCH_DIRS if os.path.isdir(d) and not os.path.islink(d)]
    todo = list(found)
    while todo:
        if time.monotonic() > deadline:
            _report(f"the walk for world-writable folders ran out of time in {todo[-1]}; "
                    "files a worker leaves below it may stay")
            break
        folder = todo.pop()
        try:
            device, entries = os.lstat(folder).st_dev, list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IXOTH and info.st_dev == device:
                todo.append(entry.path)  # others may enter it: a world-writable folder may lie below
                if info.st_mode & stat.S_IWOTH:
                    found.append(entry.path)
    _world_writable = (found, time.monotonic())
    return found


def remove_mqueues_of(uid: int) -> None:
    """Remove the POSIX message queues ``uid`` owns (they outlive it, in the host's IPC namespace).

    Listing them needs the mqueue file system: a private mount in a throw-away child (root,
    with ``CAP_SYS_ADMIN``); where that is refused and ``/dev/mqueue`` is not mounted, this is
    reported once.
    """
    if not sys.platform.startswith("linux") or os.path.isdir("/dev/mqueue") and os.path.ismount("/dev/mqueue"):
        return  # /dev/mqueue is one of the scratch folders: swept above
    place = tempfile.mkdtemp(prefix="nn101-mqueue-")  # the mount point: root's alone (0700)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            code = _remove_mqueues_in_private_mount(uid, place)
        finally:
            os._exit(code)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    os.rmdir(place)
    if code != 0:
        _report("cannot list POSIX message queues (no private mount of the mqueue file system here): "
                "a worker's queues may outlive it")


def _remove_mqueues_in_private_mount(uid: int, place: str) -> int:
    """In a throw-away child: a private mount namespace, the mqueue file system at ``place``."""
    libc = ctypes.CDLL(None, use_errno=True)
    if (libc.unshare(CLONE_NEWNS) != 0 or libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0
            or libc.mount(b"mqueue", place.encode(), b"mqueue", 0, None) != 0):
        return 1
    for entry in os.scandir(place):
        if entry.stat(follow_symlinks=False).st_uid == uid:
            os.unlink(entry.path)
    return 0  # the mount ends with this child's namespace


def _report(message: str) -> None:
    if message not in _reported:
        _reported.add(message)
        print(f"nn101: {message}", file=sys.stderr)


def sweep_stale(prefix: str) -> None:
    """Remove ``<tmp>/<prefix><pid>-*`` folders whose grading process is gone (killed mid-run)."""
    for entry in os.scandir(tempfile.gettempdir()):
        pid = entry.name.removeprefix(prefix).split("-", 1)[0]
        if entry.name.startswith(prefix) and pid.isdigit() and not alive(int(pid)):
            remove_tree(entry.path)


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as stat_file:
            return stat_file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (not Linux): kill() said it exists
