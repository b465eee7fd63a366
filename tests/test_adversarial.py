"""The hostile submission catalog (tests/adversarial/catalog.py), graded as a grader would.

For every case: grading never raises and reports no grader error; every check the
case reaches gets the stated status and 0 points, every other check of the module
and the quiz (graded after it) get full marks; no report quotes the reference
solutions, the hidden checks or the course secret; the results file and the
references are untouched, and the grader can still write its results.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from autograder import exercises, models, runner, sandbox, seeding
from autograder.checks.core import CHECKS_DIR
from autograder.commands import write_atomically
from autograder.limits import KERAS_LIMITS
from autograder.redact import secret_lines
from autograder.references import solutions_dir
from autograder.reporters import FORMATS

from adversarial.build import LIMITS, build, reached
from adversarial.catalog import CASES, DENIED, PASSED

ENV_SECRET = "env-secret-8c1f0e2a-do-not-print"
FILE_SECRET = "file-secret-5b9d3e77-do-not-print"
OPTION_SECRET = "option-secret-0d4c9e11-do-not-print"
CANARY = '{"score": 0, "written by": "the grader, before this submission ran"}'


@dataclass(frozen=True)
class Arena:
    """Where a Gradescope-like grader keeps its files, open to be looked at like /autograder."""

    results_file: Path
    secret_file: Path
    option_secret: Path
    """A secret file given with --secret-file, not through the environment."""

    @property
    def places(self) -> dict[str, str]:
        some_line = max(sorted(secret_lines(solutions_dir(), None)), key=len)
        return {"__RESULTS_FILE__": str(self.results_file), "__SECRET_FILE__": str(self.secret_file),
                "__OPTION_SECRET__": str(self.option_secret), "__GRADER_PID__": str(os.getpid()),
                "__SOLUTIONS__": str(solutions_dir()), "__CHECKS__": str(CHECKS_DIR), "__ROOT__": sandbox.ROOT,
                "__REFERENCE_LINE__": some_line}


@pytest.fixture(scope="module")
def arena():
    folder = Path(tempfile.mkdtemp(prefix="nn101-arena-"))
    (folder / "results").mkdir()
    for path in (folder, folder / "results"):
        path.chmod(0o755)
    results_file, secret_file = folder / "results" / "results.json", folder / "secret.txt"
    option_secret = folder / "course.secret"
    results_file.write_text(CANARY)
    secret_file.write_text(FILE_SECRET)
    option_secret.write_text(OPTION_SECRET)
    for path in (results_file, secret_file, option_secret):
        path.chmod(0o644)
    seeding.load_secret(option_secret)  # as `nn101 grade --secret-file` does: the uid level protects it
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NN101_SECRET", ENV_SECRET)
        env.setenv("NN101_SECRET_FILE", str(secret_file))
        yield Arena(results_file, secret_file, option_secret)
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def secrets() -> list[str]:
    """Text that no report may contain."""
    return [ENV_SECRET, FILE_SECRET, OPTION_SECRET, OPTION_SECRET.encode().hex(), "### BEGIN SOLUTION", *sorted(secret_lines(solutions_dir(), CHECKS_DIR))]


def _digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.known_gap)] if c.known_gap else [])
    for c in CASES
])
def test_hostile_submission_is_graded_as_stated(case, arena, secrets, tmp_path):
    if case.root_only and not sandbox.is_root():
        pytest.skip("holds only when grading as root")
    level = sandbox.isolation_level()
    if case.uid_gap and level != "namespace":
        pytest.skip(f"at the {level} level: {case.uid_gap}")
    message = case.message.replace(DENIED, "FileNotFoundError" if level == "namespace" else "PermissionError")
    before_ipc, before_scratch = _ipc_objects(), _scratch_entries()
    folder = build(case, tmp_path / "submission", arena.places)
    guarded = [solutions_dir() / f"{case.module}.py", CHECKS_DIR / f"{case.module}.py"]
    before = _digest(guarded)

    results = runner.grade(folder, exercises.select(f"{case.module},quiz"), student_id="mallory",
                           limits={"numpy": replace(LIMITS, **case.limits), "keras": KERAS_LIMITS})

    reach = reached(case) if case.status != PASSED else set()
    assert case.status == PASSED or reach, "the case reaches no check: it proves nothing"
    for check in results.exercise(case.module).checks:
        if check.title in reach:
            assert (check.status, check.points) == (case.status, 0.0), check
            # hidden checks never echo what the student's code said (autograder.withheld)
            assert message in check.message or not check.visible, check
        else:
            assert check.passed, check
    assert all(c.passed for c in results.exercise("quiz").checks)
    assert results.return_code == 0 and not results.grader_errors

    for name, render in FORMATS.items():
        report = render(results)
        leaked = [s for s in secrets if s in report]
        assert not leaked, f"the {name} report quotes {leaked[0]!r}"

    assert results.isolation == level
    _assert_nothing_left(before_ipc, before_scratch)
    assert arena.results_file.read_text() == CANARY
    assert sorted(os.listdir(arena.results_file.parent)) == ["results.json"]
    assert _digest(guarded) == before
    report = FORMATS["gradescope"](results)
    write_atomically(arena.results_file, report)  # the grader writes its results ...
    assert json.loads(arena.results_file.read_text())["score"] == results.points  # ... and they stay
    write_atomically(arena.results_file, CANARY)


def _ipc_objects() -> set[str]:
    rows = set()
    for table in ("shm", "msg", "sem"):
        with open(f"/proc/sysvipc/{table}") as lines:
            rows |= {f"{table} {line.split()[1]}" for line in list(lines)[1:]}
    return rows


SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")


def _scratch_entries() -> set[str]:
    """What this process's workers own at the top of the host's scratch folders, and host mounts."""
    found = {os.path.join(d, n) for d in SCRATCH if os.path.isdir(d) for n in os.listdir(d)
             if _ours(os.path.join(d, n))}
    with open("/proc/self/mountinfo") as mounts:
        return found | {f"mount {line.split()[4]}" for line in mounts}


def _ours(path: str) -> bool:
    try:
        return 0 <= os.lstat(path).st_uid - OUR_UIDS < 16
    except OSError:
        return False


def _assert_nothing_left(before_ipc: set[str], before_scratch: set[str]) -> None:
    """No process of a worker's uid, no new SysV IPC object, nothing new in the scratch folders
    but this run's own scratch root (removed at exit)."""
    time.sleep(0.2)
    assert not _worker_processes(), "a process of a worker is still running"
    assert _ipc_objects() <= before_ipc, "a SysV IPC object was left"
    left = _scratch_entries() - before_scratch
    assert not left, f"left behind: {sorted(left)}"


OUR_UIDS = sandbox.UID_BASE + os.getpid() * 16  # see isolation.fresh_uid


def _worker_processes() -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if 0 <= os.stat(f"/proc/{name}").st_uid - OUR_UIDS < 16:  # this grading process's workers
                    state = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":  # a zombie has ended; whoever adopted it reaps it
                        found.append(int(name))
            except OSError:
                pass
    return found


def test_the_catalog_covers_the_issue():
    """At least 20 cases, and every status a hostile submission can earn."""
    assert len(CASES) >= 20
    assert {c.status for c in CASES} >= {models.ERROR, models.FAILED, models.PASSED, models.CRASHED,
                                         models.TIMEOUT, models.MEMORY}
    assert len({c.name for c in CASES}) == len(CASES)
