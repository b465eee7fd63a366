"""The memory of the container the grader runs in (Linux control groups, v1 and v2).

Gradescope gives each submission a container (768 MiB at 0.5 CPU today, 384 MiB for years);
when a process in it needs more, the kernel's OOM killer ends one. The grader tells such an
end apart by the cgroup's count of OOM kills and names memory
(:meth:`autograder.sandbox.Worker._gone`): the machine's error, unless the worker ran a NumPy
exercise and started with :data:`FAIR_ROOM_MB` free, so that the student's code (or what it
forked) took the memory (:meth:`autograder.submission.IsolatedSubmission._gone_error`). NumPy
workers also get an address-space limit under the container's memory, so a student's huge
array fails as the student's MemoryError first.

Sources: the kernel's cgroup-v2 documentation (``memory.max``, ``memory.events``: ``oom_kill``)
and cgroup-v1 memory documentation (``memory.limit_in_bytes``, ``memory.oom_control``).
"""

from __future__ import annotations

from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
UNLIMITED = 1 << 60
FAIR_ROOM_MB = 256
"""Free memory that a NumPy exercise's worker never needs (its reference needs a few MiB); twice
this with TensorFlow imported (in the zygote's memory already, but its runtime grows per worker)."""


def _own_cgroup() -> tuple[Path, str] | None:
    """(folder of this process's memory cgroup, "v1" or "v2"), or None where there is none."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return CGROUP_ROOT / "memory" / path.lstrip("/"), "v1"
    for line in lines:
        if line.startswith("0::"):
            return CGROUP_ROOT / line[3:].lstrip("/"), "v2"
    return None


def _limited() -> tuple[Path, str, int] | None:
    """(folder, version, limit in bytes) of the first memory cgroup with a limit on the way up."""
    found = _own_cgroup()
    if found is None:
        return None
    folder, version = found
    name = "memory.max" if version == "v2" else "memory.limit_in_bytes"
    for place in (folder, *folder.parents):
        try:
            text = (place / name).read_text().strip()
        except OSError:
            continue
        if text != "max" and int(text) < UNLIMITED:
            return place, version, int(text)
        if place == CGROUP_ROOT or place == CGROUP_ROOT / "memory":
            break
    return None


def memory_limit_mb() -> int | None:
    """The container's memory limit in MiB, or None when it has none (or it cannot be read)."""
    limited = _limited()
    return None if limited is None else limited[2] // (1024 * 1024)


def free_mb() -> int | None:
    """Memory left in the container (its limit less what it uses now), in MiB; None without a limit."""
    limited = _limited()
    if limited is None:
        return None
    place, version, limit = limited
    try:
        used = int((place / ("memory.current" if version == "v2" else "memory.usage_in_bytes")).read_text())
    except (OSError, ValueError):
        return None
    return (limit - used) // (1024 * 1024)


def oom_kills() -> int:
    """How many processes the OOM killer has ended in this container so far (0 if unknown)."""
    found = _own_cgroup()
    if found is None:
        return 0
    folder, version = found
    name = "memory.events" if version == "v2" else "memory.oom_control"
    try:
        lines = (folder / name).read_text().splitlines()
    except OSError:
        return 0
    counts = dict(line.split() for line in lines if len(line.split()) == 2)
    return int(counts.get("oom_kill", 0))


def address_space_mb(configured: int) -> int:
    """A NumPy worker's address-space limit: the configured one, under the container's memory."""
    limit = memory_limit_mb()
    return configured if limit is None else max(128, min(configured, limit * 3 // 4))
