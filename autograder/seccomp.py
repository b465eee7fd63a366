"""The system calls no worker needs and a hostile one could use, refused by a seccomp filter.

Namespaces hide the host's files, processes and IPC; some kernel interfaces stay shared all the
same. Kernel keyrings belong to a uid, not to a namespace, and outlive the worker (a later
student under the same uid could read them); a new user namespace would give the worker
capabilities back inside it; io_uring, bpf and perf widen the kernel's attack surface. The
filter, built with libseccomp (through ``pyseccomp``) and handed to bubblewrap (``--seccomp``),
makes each of these fail with EPERM; ``clone3``, whose flags a filter cannot read, fails with
ENOSYS so that the C library falls back to ``clone``. The zygote runs under the same filter and
needs none of them.
"""

from __future__ import annotations

import errno
import functools
import sys
from pathlib import Path

REFUSED = (
    "add_key", "keyctl", "request_key",                               # keyrings outlive the worker
    "io_uring_setup", "io_uring_enter", "io_uring_register",          # kernel attack surface
    "bpf", "perf_event_open", "userfaultfd", "ptrace", "process_vm_readv", "process_vm_writev",
    "setns", "name_to_handle_at", "open_by_handle_at", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module", "acct", "swapon", "swapoff", "syslog", "reboot",
)
CLONE_NEWUSER = 0x10000000


@functools.lru_cache(maxsize=None)
def available() -> bool:
    """Whether libseccomp can be used here (Linux with libseccomp2)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import pyseccomp

        pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    except Exception:  # noqa: BLE001 - no package, or no libseccomp.so.2
        return False
    return True


def write_filter(path: Path) -> Path:
    """Write the compiled filter (BPF, for this machine's architecture) to ``path``."""
    import pyseccomp as seccomp

    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EPERM)
    for name in REFUSED:
        _add(rules, refuse, name)
    new_user = seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)
    for name in ("unshare", "clone"):
        _add(rules, refuse, name, new_user)
    _add(rules, seccomp.ERRNO(errno.ENOSYS), "clone3")
    with open(path, "wb") as file:
        rules.export_bpf(file)
    return path


def _add(rules, action, name: str, *args) -> None:
    try:
        rules.add_rule(action, name, *args)
    except (ValueError, RuntimeError, OSError):
        pass  # not a system call on this architecture
