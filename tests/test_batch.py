"""``nn101 grade-all``: a batch killed mid-run resumes, bad input is reported, zips are unpacked safely."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from autograder import batch, cli, exercises, reaper
from autograder.batch import intake
from autograder.batch.discover import Entry, Problem, discover, prepare
from autograder.batch.store import Store
from autograder.checks.core import load_checks
from autograder.commands import UsageError

ROOT = Path(__file__).resolve().parent.parent
ONLY = "perceptron,softmax"
FULL = sum(c.points for name in ONLY.split(",") for c in load_checks(name))  # a correct submission
STUB = 0.0  # an untouched one
SLOW_IMPORT = "\nimport time\ntime.sleep(1)  # a slow submission, so the batch can be killed mid-run\n"
WRONG_SOFTMAX = "\ndef softmax(z, axis=-1):\n    return np.exp(z) / np.sum(np.exp(z))\n"


def make_class(folder: Path) -> dict[str, float | None]:
    """Six submissions (folders and a zip) and the score each must get (None: not known up front)."""
    expected = {}
    for student, source, extra, score in [
        ("ada", "solutions", "", FULL), ("ben", "exercises", "", STUB), ("cai", "solutions", WRONG_SOFTMAX, None),
        ("dee", "solutions", "", FULL), ("eve", "exercises", "", STUB), ("fay", "solutions", "", FULL),
    ]:
        target = folder / student
        target.mkdir(parents=True)
        for name in ONLY.split(","):
            shutil.copyfile(ROOT / source / f"{name}.py", target / f"{name}.py")
        with open(target / "softmax.py", "a") as module:
            module.write(SLOW_IMPORT + extra)
        expected[student] = score
    with zipfile.ZipFile(folder / "dee.zip", "w") as archive:  # a zip with the modules one folder down
        for path in sorted((folder / "dee").iterdir()):
            archive.write(path, f"dee-submission/{path.name}")
    shutil.rmtree(folder / "dee")
    return expected


def nn101(*args: str, **popen) -> subprocess.Popen:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "autograder", *args], env=env, text=True, **popen)


def test_a_batch_killed_mid_run_resumes_with_only_what_is_missing(tmp_path):
    expected = make_class(tmp_path / "submissions")
    out = tmp_path / "out" / "grades.csv"
    args = ("grade-all", str(tmp_path / "submissions"), "--output", str(out), "--only", ONLY, "--jobs", "2")

    scratch_before = set(Path(tempfile.gettempdir()).glob("nn101-*-*-*"))
    first = nn101(*args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((tmp_path / "out" / "grades").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    while _group_alive(first.pid) and time.monotonic() < deadline:  # its grading processes die with it
        time.sleep(0.05)
    kept = {p.stem: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "out" / "grades").glob("*.json")}
    assert 1 <= len(kept) < len(expected), "the batch was not killed mid-run"
    for name in kept:  # written atomically: complete, or not there at all
        assert json.loads((tmp_path / "out" / "grades" / f"{name}.json").read_text())["student_id"] == name

    left_behind = [p for p in set(Path(tempfile.gettempdir()).glob("nn101-*-*-*")) - scratch_before
                   if _owner_is_dead(p)]
    assert left_behind, "a batch killed mid-grading leaves scratch folders: the test should see some"

    second = nn101(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    graded_again = {line.rsplit("(", 1)[1].split(":")[0] for line in stderr.splitlines() if line.startswith("[")}
    assert graded_again == set(expected) - set(kept)
    for name, (inode, mtime) in kept.items():
        info = (tmp_path / "out" / "grades" / f"{name}.json").stat()
        assert (info.st_ino, info.st_mtime_ns) == (inode, mtime), f"{name} was graded twice"

    rows = {row["student_id"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == set(expected)
    for student, score in expected.items():
        record = json.loads((tmp_path / "out" / "grades" / f"{student}.json").read_text())
        assert record["error"] == "" and record["max_score"] == FULL
        assert float(rows[student]["score"]) == record["score"]
        for exercise in record["exercises"]:
            assert float(rows[student][exercise["name"]]) == exercise["score"]
        if score is not None:
            assert record["score"] == score, student
    assert 0 < float(rows["cai"]["score"]) < FULL
    assert "students, mean score" in stdout and out.with_suffix(".png").is_file()
    assert not [p for p in left_behind if p.exists()], "the killed run's scratch folders were not cleaned up"


def _group_alive(group: int) -> bool:
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:  # state, ppid, process group
            return True
    return False


def _owner_is_dead(scratch: Path) -> bool:
    """For ``nn101-batch-<pid>-...`` and ``nn101-worker-<pid>-...``: has that grading process ended?"""
    kind, pid = scratch.name.split("-")[1:3]
    return kind in ("batch", "worker") and pid.isdigit() and not reaper.alive(int(pid))


def grade_or_die(entry: Entry, settings: batch.Settings) -> dict:
    """A stand-in for grade_one whose process dies on one student (spawned pools import it from here)."""
    if entry.student_id == "mallory":
        os._exit(1)
    return {"student_id": entry.student_id, "score": 1.0, "max_score": 1.0, "exercises": [], "error": "",
            "batch": settings.stamp(entry)}


def test_a_grading_process_that_dies_costs_only_its_own_row(tmp_path):
    for student in ("alice", "mallory", "zoe"):
        (tmp_path / "submissions" / student).mkdir(parents=True)
        (tmp_path / "submissions" / student / "softmax.py").write_text("")
    entries, _ = discover(tmp_path / "submissions")
    settings = batch.Settings(exercises.select("softmax"), b"secret")
    outcome = batch.run(entries, Store(tmp_path / "grades.csv"), settings, jobs=2, stream=open(os.devnull, "w"),
                        grade=grade_or_die)
    by_id = {r["student_id"]: r for r in outcome.records}
    assert set(by_id) == {"alice", "mallory", "zoe"}
    assert by_id["alice"]["error"] == by_id["zoe"]["error"] == ""
    assert by_id["mallory"]["error"] == "the grading process died while grading it"
    assert batch.grader_fault(by_id["mallory"]) and not batch.grader_fault(by_id["alice"])


# ---- bad input -------------------------------------------------------------------------------

def run_cli(*args: str) -> int:
    return cli.main(["grade-all", *args])


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no such directory"),
    (lambda d: d.write_text("x"), "is not a directory"),
    (lambda d: d.mkdir(), "no submissions in"),
])
def test_bad_batch_input_is_one_clear_line_and_exit_2(tmp_path, capsys, setup, message):
    setup(tmp_path / "submissions")
    assert run_cli(str(tmp_path / "submissions"), "--output", str(tmp_path / "g.csv")) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("nn101: error: ")


def test_grade_book_may_not_live_inside_the_submissions(tmp_path, capsys):
    (tmp_path / "alice").mkdir()
    assert run_cli(str(tmp_path), "--output", str(tmp_path / "grades.csv")) == 2
    assert "outside" in capsys.readouterr().err


def test_one_bad_submission_becomes_its_row_and_the_batch_goes_on(tmp_path, capsys):
    subs = tmp_path / "submissions"
    (subs / "ann").mkdir(parents=True)
    (subs / "ann" / "quiz.py").write_bytes((ROOT / "solutions" / "quiz.py").read_bytes())
    (subs / "bad.zip").write_text("this is not a zip")
    (subs / "empty").mkdir()
    (subs / "empty" / "notes.txt").write_text("I did not do it")
    (subs / "readme.md").write_text("not a submission")
    assert run_cli(str(subs), "--output", str(tmp_path / "grades.csv"), "--only", "quiz", "--jobs", "1") == 0
    err = capsys.readouterr().err
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert rows["ann"]["status"] == "graded" and float(rows["ann"]["score"]) == float(rows["ann"]["max_score"]) > 0
    assert rows["bad"]["status"] == "error" and rows["bad"]["note"] == "bad.zip is not a zip file"
    assert rows["empty"]["status"] == "error" and "holds no exercise module" in rows["empty"]["note"]
    assert "skipping readme.md: not a folder or a .zip" in err and "nn101: bad: bad.zip is not a zip file" in err


def test_an_unreadable_module_is_named(tmp_path, monkeypatch):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "softmax.py").write_text("")
    real_open = intake.os.open

    def deny(path, flags, *args, **kwargs):  # root can read anything: pretend it cannot
        if str(path) == "softmax.py":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(intake.os, "open", deny)
    with pytest.raises(Problem, match=r"skipped softmax.py: cannot be read \(permission denied\)"):
        prepare(Entry("ann", tmp_path / "ann"), tmp_path)


# ---- zips ------------------------------------------------------------------------------------

def zipped(path: Path, members: dict[str, bytes], links: dict[str, str] = {}) -> Entry:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in links.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, target)
    return Entry(path.stem, path)


@pytest.mark.parametrize("name", ["../softmax.py", "/tmp/softmax.py", "a/../../softmax.py", "C:\\softmax.py",
                                  "..\\softmax.py"])
def test_zip_paths_outside_the_archive_are_refused(tmp_path, name):
    entry = zipped(tmp_path / "eve.zip", {name: b"x = 1\n", "quiz.py": b""})
    with pytest.raises(Problem, match="outside its own folder"):
        prepare(entry, tmp_path)
    assert not (tmp_path.parent / "softmax.py").exists()


def test_zip_links_and_other_files_are_not_unpacked(tmp_path):
    entry = zipped(tmp_path / "eve.zip", {"eve/quiz.py": b"q01 = 'a'\n", "eve/data.csv": b"1,2\n"},
                   links={"eve/softmax.py": str(ROOT / "solutions" / "softmax.py")})
    prepared = prepare(entry, tmp_path)
    assert sorted(p.name for p in prepared.folder.iterdir()) == ["quiz.py"]
    assert prepared.sources == {"quiz": "eve/quiz.py"} and "eve/softmax.py: a link" in " ".join(prepared.notes)


def test_zip_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_BYTES", 2**20)
    bomb = zipped(tmp_path / "bomb.zip", {"softmax.py": b"#" * (2 * 2**20)})  # compresses to a few KiB
    with pytest.raises(Problem, match="unpacks to more than 1 MiB"):
        prepare(bomb, tmp_path)
    monkeypatch.setattr(intake, "MAX_MODULE_BYTES", 1000)
    big = zipped(tmp_path / "big.zip", {"softmax.py": b"#" * 5000})
    with pytest.raises(Problem, match="larger than"):
        prepare(big, tmp_path)


def test_a_damaged_zip_is_reported(tmp_path):
    good = zipped(tmp_path / "eve.zip", {"softmax.py": random.Random(0).randbytes(5000)})
    data = bytearray(good.path.read_bytes())
    data[100:300] = b"\0" * 200  # the compressed data, not the directory at the end
    good.path.write_bytes(bytes(data))
    with pytest.raises(Problem, match="eve.zip is damaged"):
        prepare(good, tmp_path)


def test_usage_errors_come_from_discover_not_from_grading(tmp_path):
    with pytest.raises(UsageError):
        discover(tmp_path / "missing")


def test_the_resume_check_sees_a_batch_that_regrades_everyone(tmp_path):
    # sensitivity twin of the resume test: a run that regrades (here --force) is caught by its own measure
    expected = make_class(tmp_path / "submissions")
    out = tmp_path / "out" / "grades.csv"
    args = ("grade-all", str(tmp_path / "submissions"), "--output", str(out), "--only", ONLY, "--jobs", "2")
    assert nn101(*args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).wait(timeout=300) == 0
    second = nn101(*args, "--force", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, stderr = second.communicate(timeout=300)
    graded_again = {line.rsplit("(", 1)[1].split(":")[0] for line in stderr.splitlines() if line.startswith("[")}
    assert graded_again == set(expected)  # what the resume test would report as "graded twice"
    third = nn101(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, stderr = third.communicate(timeout=300)
    assert not [line for line in stderr.splitlines() if line.startswith("[")]  # nothing left: nobody regraded
