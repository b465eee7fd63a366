"""The Gradescope zip: run_autograder on a fake /autograder tree writes a valid results.json."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import EXERCISES, SOLUTIONS
from autograder.batch.discover import richest_folder
from autograder.gradescope import build_zip


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    secret = tmp_path_factory.mktemp("secret") / "secret"
    secret.write_text("course secret for the Gradescope test\n")
    return build_zip(tmp_path_factory.mktemp("zip") / "autograder.zip", secret)


def fake_autograder(tmp_path, autograder_zip, submission, users=({"id": 4242, "name": "Ada"},)):
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    os.chmod(root / "run_autograder", 0o755)
    shutil.copytree(submission, root / "submission" / "my work")  # students nest their files
    (root / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": list(users)}))
    return root


def run_autograder(root, *args):
    env = dict(os.environ, NN101_AUTOGRADER_ROOT=str(root), NN101_PYTHON=sys.executable)
    subprocess.run([str(root / "run_autograder"), *args], env=env, check=True, timeout=600,
                   capture_output=True)
    return json.loads((root / "results" / "results.json").read_text())


def validate_schema(results):
    assert isinstance(results["score"], (int, float))
    for test in results["tests"]:
        assert isinstance(test["name"], str) and ": " in test["name"]
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert isinstance(test["output"], str)
        assert test.get("visibility", "visible") in ("hidden", "after_due_date", "after_published", "visible")
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))


def test_zip_has_the_entry_points_at_its_root_and_no_student_only_files(autograder_zip):
    names = zipfile.ZipFile(autograder_zip).namelist()
    assert {"setup.sh", "run_autograder", "secret", "pyproject.toml"} <= set(names)
    assert any(n.startswith("autograder/hidden/") for n in names)
    assert any(n.startswith("solutions/") for n in names)
    assert not any("__pycache__" in n for n in names)


def test_run_autograder_gives_full_marks_to_the_references(tmp_path, autograder_zip):
    root = fake_autograder(tmp_path, autograder_zip, SOLUTIONS)
    results = run_autograder(root, "--only", "softmax,losses,quiz")
    validate_schema(results)
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0


def test_run_autograder_gives_zero_to_the_stubs_with_messages(tmp_path, autograder_zip):
    root = fake_autograder(tmp_path, autograder_zip, EXERCISES)
    results = run_autograder(root, "--only", "softmax")
    validate_schema(results)
    assert results["score"] == 0
    assert all("NotImplementedError" in t["output"] for t in results["tests"])


def test_an_empty_submission_still_gets_a_results_file(tmp_path, autograder_zip):
    empty = tmp_path / "empty"
    empty.mkdir()
    results = run_autograder(fake_autograder(tmp_path, autograder_zip, empty), "--only", "perceptron")
    validate_schema(results)
    assert results["score"] == 0 and "no .py files" in results["output"]


def test_find_modules_picks_the_nested_folder(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("softmax", "losses"):
        (tmp_path / "a" / "b" / f"{name}.py").write_text("")
    (tmp_path / "notes.py").write_text("")
    assert richest_folder(tmp_path) == tmp_path / "a" / "b"
