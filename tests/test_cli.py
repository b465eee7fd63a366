"""The nn101 command: exit codes, formats, bad usage."""

import json
import os
import subprocess
import sys

from conftest import ROOT, SOLUTIONS


def nn101(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_grade_prints_a_table_and_exits_0_whatever_the_score():
    result = nn101("grade", "exercises", "--only", "softmax,perceptron")
    assert result.returncode == 0
    assert "softmax" in result.stdout and "total" in result.stdout
    assert "0 / " in result.stdout.splitlines()[-1]


def test_gradescope_output_file(tmp_path):
    out = tmp_path / "results" / "results.json"
    result = nn101("grade", str(SOLUTIONS), "--only", "softmax", "--format", "gradescope", "--output", str(out))
    assert result.returncode == 0 and result.stdout == ""
    data = json.loads(out.read_text())
    assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 0
    assert all(t["name"].startswith("softmax: ") for t in data["tests"])


def test_missing_directory_is_a_one_line_usage_error(tmp_path):
    result = nn101("grade", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"nn101: error: no such directory: {tmp_path / 'nope'}"


def test_unknown_module_is_a_usage_error():
    result = nn101("grade", "--only", "softmax,convolution")
    assert result.returncode == 2
    assert "unknown exercise convolution" in result.stderr and "Traceback" not in result.stderr


def test_a_file_instead_of_a_directory_is_a_usage_error():
    result = nn101("grade", "pyproject.toml")
    assert result.returncode == 2 and "not a directory" in result.stderr


def test_bad_limit_is_a_usage_error():
    result = nn101("grade", "--limit", "call_seconds=fast")
    assert result.returncode == 2 and "is not a number" in result.stderr


def test_an_empty_folder_grades_to_zero_with_a_clear_message(tmp_path):
    result = nn101("grade", str(tmp_path), "--only", "softmax")
    assert result.returncode == 0
    assert "There is no softmax.py in the submission" in result.stdout


def test_grade_all_refuses_a_class_below_the_namespace_level(tmp_path):
    (tmp_path / "subs" / "ann").mkdir(parents=True)
    env = dict(os.environ, NN101_ISOLATION="process")
    result = subprocess.run([sys.executable, "-m", "autograder", "grade-all", str(tmp_path / "subs"), "--output",
                             str(tmp_path / "g.csv")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "--allow-weak-isolation" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "g.csv").exists()


def test_every_report_names_its_isolation_level():
    result = nn101("grade", str(SOLUTIONS), "--only", "perceptron", "--format", "json")
    assert json.loads(result.stdout)["isolation"] in ("namespace", "uid", "process")
    text = nn101("grade", str(SOLUTIONS), "--only", "perceptron")
    assert "isolation: " in text.stdout.splitlines()[1]
