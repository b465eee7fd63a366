"""The student kit: what it holds, that the leak checker catches planted leaks, that it installs.

The kit is built once per module from the committed release. The install test unzips it into
an empty folder, makes a fresh venv that sees this environment's packages (TensorFlow is not
downloaded again) but not this repository, installs the kit from its own files, and follows
its README: ``pytest exercises`` on the stubs and on pasted-in solutions, then ``nn101 grade``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SOLUTIONS
from autograder.checks.core import load_checks
from autograder.exercises import NAMES
from autograder.release import kit, leaks

KIT = kit.KIT_NAME


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder, archive = kit.build_kit(ROOT, ROOT / "release" / "nn101", tmp_path_factory.mktemp("dist"))
    return folder, archive


@pytest.fixture(scope="module")
def prints():
    return leaks.fingerprints(ROOT)


def line_of(path: Path, text: str) -> str:
    """``"solutions/x.py:N"`` for the first line of ``path`` that contains ``text``."""
    number = next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)
    return f"{path.relative_to(ROOT).as_posix()}:{number}"


def answer(qid: str) -> str:
    """The reference answer line of a quiz question, e.g. ``q05 = 2410``."""
    return next(line for line in (SOLUTIONS / "quiz.py").read_text().splitlines() if line.startswith(f"{qid} ="))


def files_of(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_kit_holds_what_students_need(built):
    files = files_of(built[0])
    assert {"README.md", "pyproject.toml", "autograder/cli.py", "autograder/visible.py",
            "autograder/notebook.py", "exercises/tests/conftest.py"} <= files
    assert {f"exercises/{name}.py" for name in NAMES} <= files
    assert {f"exercises/tests/test_{name}.py" for name in NAMES} <= files
    assert len([f for f in files if f.startswith("notebooks/") and f.endswith(".ipynb")]) == 6


def test_the_kit_leaves_out_everything_secret(built):
    files = files_of(built[0])
    assert not [f for f in files if f.split("/")[0] in ("solutions", "source", "release", "dist")]
    assert not [f for f in files if re.match(r"autograder/(hidden|mutants|alternatives|release|batch)/", f)]
    assert not {"autograder/commands/release.py", "autograder/commands/audit.py",
                "autograder/commands/gradescope.py", "autograder/commands/grade_all.py", "autograder/commands/merge.py",
                "autograder/commands/similarity.py", "autograder/commands/export.py", "autograder/distributed.py"} & files
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc") or "checkpoint" in f]


def test_the_zip_holds_the_kit_folder(built):
    folder, archive = built
    with zipfile.ZipFile(archive) as zipped:
        names = {n.removeprefix(f"{KIT}/") for n in zipped.namelist()}
    assert names == files_of(folder)


def test_the_built_kit_leaks_nothing(built, prints):
    folder, archive = built
    assert leaks.scan_kit(folder, prints) == []
    assert leaks.scan_zip(archive, prints) == []


@pytest.fixture
def planted(built, tmp_path):
    copy = tmp_path / KIT
    shutil.copytree(built[0], copy)
    return copy


def test_a_solution_line_is_caught_with_file_and_line(planted, prints):
    stub = planted / "exercises" / "softmax.py"
    stub.write_text(stub.read_text() + "\n# found online:\n#   shifted = z - np.max(z, axis=axis, keepdims=True)\n")
    found = leaks.scan_kit(planted, prints)
    line = len(stub.read_text().splitlines())
    origin = line_of(SOLUTIONS / "softmax.py", "shifted = z - np.max")
    assert [str(leak) for leak in found] == [f"exercises/softmax.py:{line}: matches the secret line {origin}"]


def test_a_quiz_answer_is_caught(planted, prints):
    quiz = planted / "exercises" / "quiz.py"
    quiz.write_text(quiz.read_text().replace("q05 = None", answer("q05"), 1))
    found = leaks.scan_kit(planted, prints)
    origin = line_of(SOLUTIONS / "quiz.py", answer("q05"))
    assert [(leak.path, leak.what.split()[-1]) for leak in found] == [("exercises/quiz.py", origin)]


def test_hidden_test_code_in_a_notebook_output_is_caught(planted, prints):
    path = planted / "notebooks" / "3_softmax_and_losses.ipynb"
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    hidden = (ROOT / "autograder" / "hidden" / "softmax.py").read_text().splitlines()
    line = next(text for text in hidden if "def _softmax_close" in text)
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [f"{line}\n"]}]
    path.write_text(json.dumps(nb, indent=1))
    found = [str(leak) for leak in leaks.scan_kit(planted, prints)]
    assert any(re.match(r"notebooks/3_softmax_and_losses.ipynb:\d+: matches the secret line "
                        r"autograder/hidden/softmax.py:\d+", leak) for leak in found), found
    assert any("has outputs" in leak for leak in found), found


def test_an_answer_in_notebook_metadata_is_caught(planted, prints):
    path = planted / "notebooks" / "6_quiz.ipynb"
    nb = json.loads(path.read_text())
    nb["metadata"]["answers"] = answer("q06")
    path.write_text(json.dumps(nb, indent=1))
    found = leaks.scan_kit(planted, prints)
    assert [leak.path for leak in found] == ["notebooks/6_quiz.ipynb"] and found[0].line > 0


def test_secret_and_junk_files_are_caught(planted, prints):
    shutil.copytree(ROOT / "autograder" / "hidden", planted / "autograder" / "hidden")
    (planted / "exercises" / "__pycache__").mkdir()
    (planted / "exercises" / "__pycache__" / "softmax.cpython-311.pyc").write_bytes(b"\x00\x01")
    shutil.copy(SOLUTIONS / "softmax.py", planted / "softmax_solution.py")
    found = leaks.scan_kit(planted, prints)
    paths = {leak.path for leak in found}
    assert "autograder/hidden/softmax.py" in paths
    assert "exercises/__pycache__/softmax.cpython-311.pyc" in paths
    assert any(leak.path == "softmax_solution.py" and leak.line > 0 for leak in found)


def test_a_leak_inside_the_zip_is_caught(built, tmp_path, prints):
    archive = tmp_path / "kit.zip"
    shutil.copy(built[1], archive)
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr(f"{KIT}/notes.txt", answer("q19") + "\n")
    assert [str(leak) for leak in leaks.scan_zip(archive, prints)] == [
        f"kit.zip!notes.txt:1: matches the secret line {line_of(SOLUTIONS / 'quiz.py', 'q19 = ')}"]


def run(command: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def counts(output: str) -> dict[str, int]:
    summary = output.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|error)", summary)}


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory):
    """The zipped kit, unzipped in an empty folder and installed from its own files into a new venv."""
    home = tmp_path_factory.mktemp("student")
    with zipfile.ZipFile(built[1]) as zipped:
        zipped.extractall(home)
    folder = home / KIT
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], home, os.environ)
    # This environment's packages (TensorFlow, pytest, pip) without this repository's own install.
    Path(site.stdout.strip(), "parent-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NN101_", "PYTEST", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = run([str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", "-e", "."],
                 folder, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return {"folder": folder, "python": str(python), "nn101": str(venv / "bin" / "nn101"), "env": env}


def test_the_installed_kit_uses_its_own_files(installed):
    result = run([installed["python"], "-c", "import autograder; print(autograder.__file__)"],
                 installed["folder"], installed["env"])
    assert Path(result.stdout.strip()).resolve().is_relative_to(installed["folder"].resolve()), result.stderr
    result = run([installed["nn101"], "--help"], installed["folder"], installed["env"])
    assert "grade" in result.stdout and "release" not in result.stdout and "audit" not in result.stdout


def test_visible_tests_fail_on_the_stubs_and_pass_on_the_solutions(installed):
    n_visible = sum(len(load_checks(name, hidden=False)) for name in NAMES)
    folder, env = installed["folder"], installed["env"]
    result = run([installed["python"], "-m", "pytest", "exercises", "-q"], folder, env)
    assert counts(result.stdout) == {"failed": n_visible}, result.stdout[-3000:] + result.stderr[-2000:]
    for path in SOLUTIONS.glob("*.py"):  # the student pastes in the right answers
        shutil.copy(path, folder / "exercises" / path.name)
    result = run([installed["python"], "-m", "pytest", "exercises", "-q"], folder, env)
    assert result.returncode == 0 and counts(result.stdout) == {"passed": n_visible}, result.stdout[-3000:]


def test_nn101_grade_shows_a_visible_score(installed):
    result = run([installed["nn101"], "grade", "--only", "perceptron,softmax"], installed["folder"], installed["env"])
    assert result.returncode == 0, result.stderr
    assert re.search(r"^total\s+\d+ / \d+$", result.stdout, re.M), result.stdout
    assert "Only the visible checks ran" in result.stdout


def test_the_kit_carries_a_github_workflow_that_runs_the_tests_and_grades(built):
    import yaml

    workflow = yaml.safe_load((built[0] / ".github" / "workflows" / "nn101.yml").read_text())
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["grade"]["steps"])
    assert "pip install -e ." in runs and "pytest exercises" in runs
    assert 'nn101 grade exercises --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "--format junit" in runs


def test_the_workflow_summary_command_writes_the_score_as_markdown(installed):
    summary = installed["folder"] / "summary.md"
    env = dict(installed["env"], GITHUB_STEP_SUMMARY=str(summary))
    result = run(["bash", "-c", f'{installed["nn101"]} grade exercises --only perceptron --format markdown '
                  '>> "$GITHUB_STEP_SUMMARY"'], installed["folder"], env)
    assert result.returncode == 0, result.stderr
    text = summary.read_text()
    assert text.startswith("## nn101: ") and "| perceptron |" in text
    assert "Only the visible checks ran" in text
