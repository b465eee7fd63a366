"""Leave nothing behind: kill every process a worker started and remove the files it left.

Used by :mod:`autograder.sandbox` when a worker closes, and by a batch on start-up to sweep
what a killed run left in the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile

SCRATCH_DIRS = ("/tmp", "/var/tmp", "/dev/shm")  # world-writable: cleaned of a worker's leftovers


def kill_all(process, uid: int | None) -> None:
    """Kill the worker's process group and, given its uid, everything that uid still runs."""
    for kill in (os.kill, os.killpg):  # the worker itself, even before it leads its own group
        try:
            kill(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
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


def remove_files_of(uid: int) -> None:
    """Remove what ``uid`` left at the top of the world-writable scratch folders."""
    for folder in SCRATCH_DIRS:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


def sweep_stale(prefix: str) -> None:
    """Remove ``<tmp>/<prefix><pid>-*`` folders whose grading process is gone (killed mid-run)."""
    for entry in os.scandir(tempfile.gettempdir()):
        pid = entry.name.removeprefix(prefix).split("-", 1)[0]
        if entry.name.startswith(prefix) and pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


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
