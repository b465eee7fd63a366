"""``grade-all --scheduler``: a class graded on a real Dask cluster equals a local run, even when a worker dies.

The cluster is a ``dask scheduler`` and two ``dask worker`` processes on
127.0.0.1, each in its own session: they stop by themselves (``--lifetime``,
``--idle-timeout``) and are killed in teardown.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from autograder import batch, exercises  # noqa: E402
from autograder import distributed as dask_grading  # noqa: E402
from autograder.batch.discover import discover, read  # noqa: E402
from autograder.commands import UsageError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ONLY = "softmax,activations"
SLOW = "slow"  # the student whose task is running when its worker is killed
SLOW_IMPORT = "\nimport time\ntime.sleep(4)  # keeps the task busy long enough to kill its worker\n"
WRONG_SOFTMAX = "\ndef softmax(z, axis=-1):\n    return np.exp(z) / np.sum(np.exp(z))\n"
LIFETIME = "240s"


def make_class(folder: Path) -> None:
    """Seven submissions: references, stubs, a mistake, a zip, and one slow to import."""
    for student, source, extra in [("ada", "solutions", ""), ("ben", "exercises", ""), ("cai", "solutions", WRONG_SOFTMAX),
                                   ("dee", "solutions", ""), ("eve", "exercises", ""), ("fay", "solutions", ""),
                                   (SLOW, "solutions", SLOW_IMPORT)]:
        target = folder / student
        target.mkdir(parents=True)
        for name in ONLY.split(","):
            shutil.copyfile(ROOT / source / f"{name}.py", target / f"{name}.py")
        with open(target / "softmax.py", "a") as module:
            module.write(extra)
    with zipfile.ZipFile(folder / "dee.zip", "w") as archive:  # a zip with the modules one folder down
        for path in sorted((folder / "dee").iterdir()):
            archive.write(path, f"dee-submission/{path.name}")
    shutil.rmtree(folder / "dee")


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, {pid of each worker's process group: Popen}) of a loopback cluster."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    logs = open(folder / "cluster.log", "w")
    started = [subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(scheduler_file), "--idle-timeout", LIFETIME],
        cwd=folder, env=_env(), stdout=logs, stderr=logs, start_new_session=True)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        workers = {}
        for index in range(2):
            worker = subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--host", "127.0.0.1", "--lifetime", LIFETIME, "--name", f"w{index}"],
                cwd=folder, env=_env(), stdout=logs, stderr=logs, start_new_session=True)
            started.append(worker)
            workers[worker.pid] = worker
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=90)
        yield address, workers
    finally:
        for process in started:
            _kill_group(process)
        logs.close()


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def nn101(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], env=_env(), capture_output=True,
                          text=True, timeout=300)


def test_a_class_graded_on_dask_with_a_worker_killed_matches_a_local_run(cluster, tmp_path):
    address, workers = cluster
    make_class(tmp_path / "submissions")
    (tmp_path / "course.secret").write_text("a course secret\n")
    common = (str(tmp_path / "submissions"), "--only", ONLY, "--secret-file", str(tmp_path / "course.secret"))
    dask_csv = tmp_path / "dask" / "grades.csv"

    grading = subprocess.Popen([sys.executable, "-m", "autograder", "grade-all", *common, "--output", str(dask_csv),
                              "--scheduler", address], env=_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    with distributed.Client(address, timeout=30) as client:
        holder = _worker_running(client, SLOW, deadline=time.monotonic() + 120)
        assert holder, "the slow submission never ran"
        pid = client.run(os.getpid, workers=[holder])[holder]
        done_before = len(list(dask_csv.with_suffix("").glob("*.json")))
        _kill_group(workers[os.getpgid(pid)])  # the worker and its nanny: a machine lost mid-task
    out, err = grading.communicate(timeout=300)
    assert grading.returncode == 0, err
    assert done_before < 7, "the batch had finished before the worker was killed"

    local_csv = tmp_path / "local" / "grades.csv"
    local = nn101("grade-all", *common, "--output", str(local_csv), "--jobs", "2")
    assert local.returncode == 0, local.stderr
    assert dask_csv.read_text() == local_csv.read_text()
    names = sorted(p.name for p in local_csv.with_suffix("").glob("*.json"))
    assert names == sorted(p.name for p in dask_csv.with_suffix("").glob("*.json")) and len(names) == 7
    for name in names:  # every record, message for message; only the time it was stored differs
        assert _record(dask_csv.with_suffix("") / name) == _record(local_csv.with_suffix("") / name)
    rows = {line.split(",")[0]: line.split(",")[1] for line in dask_csv.read_text().splitlines()[1:]}
    assert rows[SLOW] == rows["ada"] != rows["ben"]  # the rerun task graded the slow student in full

    again = nn101("grade-all", *common, "--output", str(dask_csv), "--scheduler", address)
    assert again.returncode == 0 and "0 graded now" in again.stdout  # resumable like a local run


def test_the_client_stops_on_ctrl_c_and_a_rerun_grades_only_the_rest(cluster, tmp_path):
    address, _ = cluster
    for index in range(6):  # slow submissions, so Ctrl-C lands mid-batch
        (tmp_path / "class" / f"s{index}").mkdir(parents=True)
        (tmp_path / "class" / f"s{index}" / "softmax.py").write_text(
            (ROOT / "solutions" / "softmax.py").read_text() + SLOW_IMPORT.replace("sleep(4)", "sleep(1.5)"))
    command = [sys.executable, "-m", "autograder", "grade-all", str(tmp_path / "class"), "--only", "softmax",
               "--output", str(tmp_path / "out" / "grades.csv"), "--scheduler", address]
    grading = subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list((tmp_path / "out" / "grades").glob("*.json"))) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    grading.send_signal(signal.SIGINT)
    _, err = grading.communicate(timeout=60)
    assert grading.returncode == 130 and "run the same command again" in err
    done = len(list((tmp_path / "out" / "grades").glob("*.json")))
    assert 1 <= done < 6, "the batch was not interrupted mid-run"
    again = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and f"{6 - done} graded now" in again.stdout


def _record(path: Path) -> dict:
    record = json.loads(path.read_text())
    assert record.pop("graded_at") > 0
    return record


def _worker_running(client, student: str, deadline: float) -> str | None:
    while time.monotonic() < deadline:
        for worker, keys in client.processing().items():
            if any(str(k).startswith(f"nn101-grade-{student}-") for k in keys):
                return worker
        time.sleep(0.05)
    return None


def test_an_unreachable_scheduler_is_a_usage_error():
    with pytest.raises(UsageError, match="cannot reach a Dask scheduler"):
        dask_grading.connect("tcp://127.0.0.1:9", timeout=1)


def test_a_worker_with_other_grader_code_refuses_the_task():
    entry = dask_grading.Shipped("ada", Path("ada"), shown="ada/")
    with pytest.raises(dask_grading.GraderMismatch, match="same nn101"):
        dask_grading.grade_payload(entry, None, settings=None, digest="not-this-code")


def test_a_submission_read_by_the_client_grades_as_it_does_locally(tmp_path):
    """What a worker does with the bytes the client read equals grade_one on the files (minus the stamp)."""
    make_class(tmp_path / "class")
    entries, _ = discover(tmp_path / "class")
    settings = batch.Settings(exercises.select("softmax"), b"secret")
    for entry in [e for e in entries if e.student_id in ("cai", "dee")]:  # a folder, and a nested zip
        shipped = dask_grading.Shipped(entry.student_id, Path("elsewhere"), entry.files, entry.conflict, entry.label)
        remote = dask_grading.grade_payload(shipped, read(entry), settings, dask_grading.code_digest())
        local = batch.grade_one(entry, settings)
        assert {**remote, "batch": None} == {**local, "batch": None}
        assert local["exercises"][0]["checks"]  # it was graded, not refused
