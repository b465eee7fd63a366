"""Resource limits for the worker process that runs student code.

Each exercise runs under a :class:`Limits`; the defaults below suit NumPy
exercises and the Keras exercise. ``--limit NAME=VALUE`` on the command line
overrides them (see :func:`parse_overrides`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from autograder.errors import UsageError

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-worker limits; a check that hits one scores 0 and the others still run."""

    call_seconds: float = 5.0
    """Wall time for one call into student code (one check may make several calls)."""
    import_seconds: float = 10.0
    """Wall time for importing one student module."""
    start_seconds: float = 30.0
    """Wall time for the worker to start; the first of a grading process waits for its zygote
    to import NumPy, or TensorFlow for Keras (:mod:`autograder.forkserver`)."""
    cpu_seconds: int = 60
    """CPU time for the whole worker (RLIMIT_CPU); the imports done by the zygote do not count."""
    memory_mb: int = 2048
    """Address space of the worker (RLIMIT_AS), in MiB."""
    processes: int = 32
    """Extra processes/threads the worker may start (RLIMIT_NPROC above its start)."""
    file_mb: int = 16
    """Largest file the worker may write (RLIMIT_FSIZE), in MiB."""
    output_mb: int = 16
    """Largest answer the worker may send back, in MiB."""


NUMPY_LIMITS = Limits()
KERAS_LIMITS = Limits(
    call_seconds=300.0,
    import_seconds=60.0,
    start_seconds=180.0,
    cpu_seconds=1200,
    memory_mb=16384,
    processes=512,
)


def parse_overrides(items: list[str]) -> dict[str, float]:
    """Parse ``["call_seconds=2", "memory_mb=512"]``; raise UsageError naming the bad item."""
    names = {f.name: f.type for f in fields(Limits)}
    overrides: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or name not in names:
            raise UsageError(f"--limit {item!r}: expected NAME=VALUE with NAME one of {', '.join(names)}")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"--limit {item!r}: {text!r} is not a number") from None
        if value <= 0:
            raise UsageError(f"--limit {item!r}: the value must be positive")
        overrides[name] = value
    return overrides


def apply_overrides(limits: Limits, overrides: dict[str, float]) -> Limits:
    typed = {k: (v if k.endswith("_seconds") and k != "cpu_seconds" else int(v)) for k, v in overrides.items()}
    return replace(limits, **typed)
