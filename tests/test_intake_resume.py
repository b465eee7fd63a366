"""``nn101 grade-all`` under interruption and change: Ctrl-C twice stops it within 2 s with status 130
and keeps what was graded, an interrupted ``--force`` still regrades on resume, and a rerun regrades
exactly what a change (secret, checks, limits, version) made stale, saying why."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from autograder import batch, exercises
from autograder.batch.discover import Entry, discover
from autograder.batch.store import Store
from test_intake import put, solution

ROOT = Path(__file__).resolve().parent.parent
SLOW = b"\nimport time\ntime.sleep(1.0)  # slow to import: the batch is still running when Ctrl-C comes\n"
STUDENTS = ("ann", "ben", "cai")


def nn101(*args: str, **popen) -> subprocess.Popen:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "autograder", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def _group_alive(group: int) -> list[str]:
    alive = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:  # state, ppid, process group
            alive.append(stat_file.parent.name)
    return alive


def test_ctrl_c_twice_stops_within_2_seconds_keeps_results_and_resume_honours_force(tmp_path):
    for student in STUDENTS:
        put(tmp_path / "subs" / student, {"quiz.py": (ROOT / "solutions" / "quiz.py").read_bytes() + SLOW})
    out = tmp_path / "out" / "grades.csv"
    args = ("grade-all", str(tmp_path / "subs"), "--output", str(out), "--only", "quiz", "--jobs", "1")
    first = nn101(*args)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    old = {s: json.loads((tmp_path / "out" / "grades" / f"{s}.json").read_text())["graded_at"] for s in STUDENTS}

    forced = nn101(*args, "--force", start_new_session=True)  # its own group, as a terminal's job
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
            json.loads(p.read_text())["graded_at"] > old[p.stem] for p in (tmp_path / "out" / "grades").glob("*.json")):
        time.sleep(0.05)
    os.killpg(forced.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    time.sleep(0.1)
    os.killpg(forced.pid, signal.SIGINT)
    sent = time.monotonic()
    status = forced.wait(timeout=10)
    took = time.monotonic() - sent
    stderr = forced.stderr.read()
    assert status == 130 and took < 2, (status, took, stderr)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert len([line for line in stderr.splitlines() if "interrupted" in line]) == 1, stderr
    deadline = time.monotonic() + 5
    while _group_alive(forced.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(forced.pid), "the batch's processes outlived it"

    regraded = {s for s in STUDENTS if json.loads((tmp_path / "out" / "grades" / f"{s}.json").read_text())[
        "graded_at"] > old[s]}
    assert 1 <= len(regraded) < len(STUDENTS), "Ctrl-C came too late or too early for this test"
    rows = {row["student_id"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == set(STUDENTS), "the grade book lost results"
    for student in STUDENTS:
        assert ("not yet regraded: --force was given" in rows[student]["note"]) == (student not in regraded)

    resumed = nn101(*args)
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert f"grading {len(STUDENTS) - len(regraded)} of {len(STUDENTS)} submissions: --force was given" in stderr
    for student in STUDENTS:  # after the resume, every result is newer than the force
        record = json.loads((tmp_path / "out" / "grades" / f"{student}.json").read_text())
        assert record["graded_at"] > old[student] and record["score"] == record["max_score"] > 0


def quick_grade(entry: Entry, settings: batch.Settings) -> dict:
    """A stand-in for grade_one (spawned pools import it from here): full marks, no workers."""
    return {"student_id": entry.student_id, "score": 1.0, "max_score": 1.0, "exercises": [], "error": "",
            "warnings": [], "batch": settings.stamp(entry)}


def test_a_rerun_regrades_what_a_change_made_stale_and_says_why(tmp_path, monkeypatch):
    put(tmp_path / "subs" / "ann", {"quiz.py": solution("quiz")})
    entries, _ = discover(tmp_path / "subs")
    store = Store(tmp_path / "grades.csv")
    plain = batch.Settings(exercises.select("quiz"), b"")

    def rerun(settings: batch.Settings) -> str:
        log = tmp_path / "log.txt"
        with open(log, "w") as stream:
            outcome = batch.run(entries, store, settings, jobs=1, stream=stream, grade=quick_grade)
        assert len(outcome.records) == 1
        return log.read_text()

    assert "not graded yet (1)" in rerun(plain)
    assert "grading" not in rerun(plain)  # nothing changed: nothing graded
    assert "the course secret changed (1)" in rerun(batch.Settings(plain.exercises, b"course secret"))
    assert "the worker limits or time budget changed" in rerun(batch.Settings(plain.exercises, b"course secret",
                                                                             budget=10))
    monkeypatch.setattr(batch, "__version__", "99.0")
    assert "nn101 was updated" in rerun(batch.Settings(plain.exercises, b"course secret", budget=10))
    batch.checks_fingerprint.cache_clear()
    monkeypatch.setattr(batch, "CHECKS_SOURCES", ("autograder/checks",))
    assert "the checks or references changed" in rerun(batch.Settings(plain.exercises, b"course secret", budget=10))
    batch.checks_fingerprint.cache_clear()
    record = json.loads((tmp_path / "grades" / "ann.json").read_text())
    assert b"course secret".hex() not in json.dumps(record)  # the stamp tells secrets apart, reveals nothing
