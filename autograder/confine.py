"""A private view for one worker, taken inside the bubblewrap sandbox (namespace level).

The zygote forks a keeper per submission; the keeper (:func:`enter`) takes new mount, IPC
and PID namespaces, mounts empty private ``/tmp``, ``/dev/shm`` and ``/submission``
(size-limited tmpfs, gone with the worker) and writes the submission's files, sent as data
by the trusted side, into ``/submission``. It then forks the worker, the first process of the
new PID namespace: when the worker dies, the kernel kills everything it started, and its
SysV IPC objects and files vanish with its namespaces. The worker (:func:`settle`) mounts
its own ``/proc`` and caps SysV shared memory before it drops every privilege
(:func:`drop_capabilities`, or :func:`autograder.worker.isolate` to a uid of its own).
"""

from __future__ import annotations

import base64
import ctypes
import os

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID = 0x00020000, 0x08000000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
O_PATH = getattr(os, "O_PATH", 0o10000000)
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE = 24, 38, 4
HOME = "/submission"
SCRATCH = ("/tmp", "/dev/shm")
TMPFS_MB = 64
"""Size of each private tmpfs (home, /tmp, /dev/shm): what a worker can write is bounded."""
SHM_BYTES = 64 * 1024 * 1024
"""SysV shared memory a worker may create in all (its namespace's shmall/shmmax)."""



class _Libc:
    """The C library, opened on first use (this module is imported on every system)."""

    def __getattr__(self, name):
        return getattr(ctypes.CDLL(None, use_errno=True), name)


_libc = _Libc()


class ConfineError(Exception):
    """A namespace or mount call failed: the sandbox is not as it must be; never grade then."""


def _check(result: int, what: str) -> None:
    if result != 0:
        raise ConfineError(f"{what}: {os.strerror(ctypes.get_errno())}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                       flags, data.encode() or None), f"mount {target}")


def enter(files: dict[str, str], uid: int, scratch=SCRATCH, keep=()) -> None:
    """In the keeper: new namespaces, private tmpfs folders, the submission's files in HOME.

    ``files``: file name -> base64 of its bytes; ``uid``: the worker's, owner of the folders;
    ``scratch``: the folders that get an empty tmpfs of the worker's own besides HOME; ``keep``:
    folders inside them that must stay visible (an interpreter or venv that lives under /tmp),
    bound back read-only over the new tmpfs.
    """
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID), "unshare")
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    options = f"size={TMPFS_MB}m,uid={uid},gid={uid}"
    for folder in (HOME, *scratch):
        if not os.path.isdir(folder):
            continue
        kept = {path: os.open(path, O_PATH) for path in keep if path.startswith(folder.rstrip("/") + "/")}
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"{options},mode={'0755' if kept else '0700'}")
        for path, fd in kept.items():
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
            _mount("none", path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)  # keep the locked flags
            os.close(fd)
    for name, data in files.items():
        if "/" in name or name.startswith("."):
            continue  # the trusted side sends plain file names only; never write elsewhere
        with open(os.path.join(HOME, name), "wb") as file:
            file.write(base64.b64decode(data))


def settle() -> None:
    """In the worker (first process of its PID namespace): its own /proc, capped SysV memory."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name, value in (("shmmax", SHM_BYTES), ("shmall", SHM_BYTES // os.sysconf("SC_PAGE_SIZE"))):
        try:
            with open(f"/proc/sys/kernel/{name}", "w") as file:
                file.write(str(value))
        except OSError:
            pass  # read-only where the kernel shares it; the namespace still dies with the worker


def drop_capabilities() -> None:
    """Give up every capability for good (same uid: an ordinary user's user namespace)."""
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()
    _check(_libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")
    no_new_privileges()


def no_new_privileges() -> None:
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
