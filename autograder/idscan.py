"""The id scan: grade the reference and every alternative for many student ids.

Hidden inputs are drawn per student (:mod:`autograder.seeding`), so a check that passes
the reference for one id may fail it for another (a training run that lands at 0.87
accuracy on one draw of clusters). The scan grades every correct implementation for
``n`` ids and reports each (variant, id, check) that lost a point.

The reference and the alternatives are the instructors' own code, so the scan grades
them in this process (:class:`~autograder.submission.InProcessSubmission`) through the
very same checks: no worker per id, so 1,000 ids take seconds, not hours. A check that
never draws from its generator gets the same inputs for every id; it is run for the
first id only (its generator's state tells).
"""

from __future__ import annotations

import ast
import importlib
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder import alternatives, seeding
from autograder.checks.core import load_checks
from autograder.exercises import EXERCISES, NAMES
from autograder.mutants.variant import Variant, materialise
from autograder.references import solutions_dir
from autograder.runner import run_check
from autograder.submission import InProcessSubmission, ModuleProxy

ID_FORMAT = "student{:04d}"
NUMPY_NAMES = tuple(e.name for e in EXERCISES if e.kind == "numpy")


@dataclass(frozen=True)
class LostPoint:
    """One check that a correct implementation failed for one student id."""

    variant: str
    """``"reference"`` or the alternative's id."""
    student_id: str
    check: str
    """The check's title, ``"<exercise>: <name>"``."""
    status: str
    message: str


@dataclass(frozen=True)
class IdScan:
    """What the scan found: how much it graded and every point lost."""

    ids: int
    variants: tuple[str, ...]
    checks_run: int
    lost: tuple[LostPoint, ...]

    @property
    def ok(self) -> bool:
        return not self.lost


def student_ids(n: int) -> list[str]:
    """The ids scanned: ``student0000``, ``student0001``, ... (the form real ids take)."""
    return [ID_FORMAT.format(i) for i in range(n)]


def load_folder(folder: Path, names=NAMES) -> dict[str, object]:
    """Import the modules ``names`` found in ``folder`` under their plain names, in process.

    They are taken out of ``sys.modules`` again afterwards (as the references are), so two
    folders never share a module. Only for the instructors' own code.
    """
    saved = {n: sys.modules.pop(n) for n in NAMES if n in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        return {n: importlib.import_module(n) for n in names if (folder / f"{n}.py").is_file()}
    finally:
        sys.path.remove(str(folder))
        for n in NAMES:
            sys.modules.pop(n, None)
        sys.modules.update(saved)


def affected_by(exercise: str) -> set[str]:
    """``exercise`` and every exercise whose reference imports it, directly or not.

    An alternative changes only its own module, so only these can grade differently.
    """
    imports = {name: _imported_exercises(name) for name in NUMPY_NAMES}
    found, frontier = {exercise}, [exercise]
    while frontier:
        current = frontier.pop()
        for name, used in imports.items():
            if current in used and name not in found:
                found.add(name)
                frontier.append(name)
    return found


def _imported_exercises(name: str) -> set[str]:
    tree = ast.parse((solutions_dir() / f"{name}.py").read_text(encoding="utf-8"))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in NAMES:
            used.add(node.module)
        elif isinstance(node, ast.Import):
            used.update(a.name for a in node.names if a.name in NAMES)
    return used


def scan(n: int, only: tuple[str, ...] = NAMES, secret: bytes | None = None,
         variants: tuple[Variant, ...] | None = None, jobs: int = 1) -> IdScan:
    """Grade the reference and the alternatives of ``only`` (NumPy exercises) for ``n`` ids.

    ``jobs`` processes share the work (each takes every ``jobs``-th id of every variant).
    """
    secret = seeding.DEFAULT_SECRET if secret is None else secret
    names = tuple(e.name for e in EXERCISES if e.name in only and e.kind == "numpy")
    if variants is None:
        variants = alternatives.catalog(names)
    ids = student_ids(n)
    jobs = max(1, min(jobs, n))
    work = [(variant, tuple(ids[k::jobs]), names, secret) for variant in (None, *variants) for k in range(jobs)]
    if jobs == 1:
        parts = [_scan_variant(item) for item in work]
    else:
        for name in names:  # load once, before the fork
            load_checks(name)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            parts = list(pool.map(_scan_variant, work))
    lost = tuple(p for found, _ in parts for p in found)
    labels = tuple(v.id if v else "reference" for v in (None, *variants))
    return IdScan(n, labels, sum(runs for _, runs in parts), lost)


def _scan_variant(item) -> tuple[list[LostPoint], int]:
    """Grade one variant (None: the reference) for the ids given, in this process."""
    variant, ids, names, secret = item
    label = variant.id if variant else "reference"
    with tempfile.TemporaryDirectory(prefix="nn101-idscan-") as folder:
        path = materialise(variant, solutions_dir(), Path(folder) / "submission", shield=False)
        modules = load_folder(path, NUMPY_NAMES)
    submission = InProcessSubmission(modules)
    affected = affected_by(variant.exercise) if variant else set(names)
    lost, runs = [], 0
    for name in (n for n in names if n in affected):
        proxy = ModuleProxy(submission, name)
        for check in load_checks(name):
            found, count = _scan_check(check, proxy, ids, secret, label)
            lost += found
            runs += count
    return lost, runs


def _scan_check(check, proxy, ids, secret, label) -> tuple[list[LostPoint], int]:
    lost = []
    for count, student_id in enumerate(ids, start=1):
        rng = seeding.check_rng(secret, student_id, check.title)
        before = rng.bit_generator.state
        result = run_check(check, proxy, rng)
        if not result.passed:
            lost.append(LostPoint(label, student_id, check.title, result.status, result.message))
        if rng.bit_generator.state == before:  # drew nothing: every id gets these same inputs
            return lost, count
    return lost, len(ids)


def render(report: IdScan) -> str:
    """A short text report: what was scanned, then every lost point (one line each)."""
    lines = [f"id scan: {len(report.variants)} correct implementations x {report.ids} student ids, "
             f"{report.checks_run} check runs; {len(report.lost)} lost points."]
    for item in report.lost[:50]:
        lines.append(f"  LOST {item.variant} / {item.student_id} / {item.check} [{item.status}]: "
                     f"{item.message[:200]}")
    if len(report.lost) > 50:
        lines.append(f"  ... and {len(report.lost) - 50} more")
    return "\n".join(lines) + "\n"


def counts_by_check(report: IdScan) -> dict[str, int]:
    """How many (variant, id) pairs lost points on each check."""
    titles, counts = np.unique([p.check for p in report.lost] or [""], return_counts=True)
    return {str(t): int(c) for t, c in zip(titles, counts) if t}
