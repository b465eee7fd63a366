"""The environment's faults are never charged to a student (issue #11's environment catalog).

A small container, a Python the worker cannot read (see test_isolation's self-test), an answer
that cannot be converted, other libraries imported in a NumPy module: each gets the grade a
correct student deserves, or the grader's own error, never a student's status.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import exercises, models, runner

from conftest import ROOT, SOLUTIONS

STUDENT_STATUSES = {models.FAILED, models.ERROR, models.TIMEOUT, models.MEMORY, models.CRASHED}
CGROUP_V1 = Path("/sys/fs/cgroup/memory")


def _submission(tmp_path: Path, module: str, prefix: str = "", replace: str = "") -> Path:
    folder = tmp_path / "submission"
    shutil.copytree(SOLUTIONS, folder)
    path = folder / f"{module}.py"
    path.write_text(prefix + path.read_text() + replace)
    return folder


@pytest.mark.parametrize("line", [
    "import matplotlib.pyplot as plt\nplt.plot([0, 1]); plt.show()\n",
    "from scipy.special import expit\n",
    "import sklearn.preprocessing\n",
    "import tensorflow as tf\n",
])
def test_other_libraries_in_a_numpy_module_are_graded_normally(tmp_path, line):
    folder = _submission(tmp_path, "softmax", prefix=line)
    results = runner.grade(folder, exercises.select("softmax,losses"))
    assert results.points == results.max_points, [c for c in results.checks if not c.passed]


def test_an_unconvertible_answer_is_the_students_error(tmp_path):
    folder = _submission(tmp_path, "losses", replace="\n\ndef quadratic_cost(y_true, y_pred):\n    return 10**400\n")
    results = runner.grade(folder, exercises.select("losses"))
    reached = [c for c in results.checks if "quadratic" in c.name.lower() or "mse" in c.name.lower()]
    assert reached and all(c.status == models.ERROR for c in reached), reached
    assert all("too large" in c.message for c in reached if c.visible)  # hidden ones withhold the detail
    assert any(c.visible for c in reached)
    assert results.return_code == 0 and not results.grader_errors


def _in_memory_cgroup(limit_mb: int, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    group = CGROUP_V1 / f"nn101-test-{os.getpid()}-{limit_mb}"
    group.mkdir()
    try:
        (group / "memory.limit_in_bytes").write_text(str(limit_mb * 1024 * 1024))
        script = f'echo $$ > {group}/cgroup.procs && exec "$@"'
        return subprocess.run(["sh", "-c", script, "sh", sys.executable, "-m", "autograder", *args],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    finally:
        group.rmdir()


needs_cgroup = pytest.mark.skipif(
    not (os.geteuid() == 0 and os.access(CGROUP_V1, os.W_OK)),
    reason="needs root and a writable cgroup-v1 memory controller to make a small container")


@needs_cgroup
def test_a_384_mib_container_never_charges_a_correct_student(tmp_path):
    # Gradescope's default for years: NumPy work fits; TensorFlow does not, and that is the machine's fault
    result = _in_memory_cgroup(384, ["grade", str(SOLUTIONS), "--only", "softmax,keras_model", "--format", "json"],
                               tmp_path)
    report = json.loads(result.stdout)
    checks = {e["name"]: e["checks"] for e in report["exercises"]}
    assert all(c["status"] == models.PASSED for c in checks["softmax"])
    statuses = {c["status"] for c in checks["keras_model"]}
    assert not statuses & STUDENT_STATUSES, statuses
    failed = [c for c in checks["keras_model"] if c["status"] != models.PASSED]
    assert all("memory" in c["message"] for c in failed)
    assert result.returncode == (3 if failed else 0)


FORKED_HOGS = """
import os as _os


def softmax(z, axis=-1):
    children = []
    for _ in range(4):  # each under the worker's address-space limit; together more than the container
        pid = _os.fork()
        if pid == 0:
            _block = np.ones(300 * 2**20 // 8)
            _os._exit(0)
        children.append(pid)
    for pid in children:
        _os.waitpid(pid, 0)
    _os._exit(1)  # the machine's fault, it used to say
"""
OWN_HOG = """
import os as _os
import time as _time


def softmax(z, axis=-1):
    if _os.fork() == 0:
        _block = np.ones(300 * 2**20 // 8)
        _time.sleep(30)
        _os._exit(0)
    _time.sleep(1)
    _block = np.ones(400 * 2**20 // 8)  # then the largest process: the one the OOM killer ends
    _time.sleep(5)
    return z
"""


@needs_cgroup
@pytest.mark.parametrize("tail", [FORKED_HOGS, OWN_HOG], ids=["forked children", "the worker itself"])
def test_memory_taken_by_a_numpy_workers_own_processes_is_the_students(tmp_path, tail):
    """Finding 10.2: an OOM kill in the container used to be the grader's error whoever took the memory."""
    folder = _submission(tmp_path, "softmax", replace=tail)
    result = _in_memory_cgroup(700, ["grade", str(folder), "--only", "softmax", "--format", "json",
                                     "--limit", "call_seconds=20"], tmp_path)
    checks = json.loads(result.stdout)["exercises"][0]["checks"]
    assert {c["status"] for c in checks} == {models.MEMORY}, checks[0]
    assert "MiB were free" in checks[0]["message"] and result.returncode == 0
