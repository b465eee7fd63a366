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

import nbformat
import pytest

from conftest import ROOT, SOLUTIONS
from autograder.checks.core import hidden_part, load_checks
from autograder.exercises import NAMES
from autograder.release import kit, leaks
from autograder.release.notebooks import lesson_files, notebook_of

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
    assert len([f for f in files if f.startswith("notebooks/") and f.endswith(".ipynb")]) == len(lesson_files())


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
    path = planted / "notebooks" / notebook_of("softmax")
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    hidden = hidden_part((ROOT / "autograder" / "checks" / "softmax.py").read_text()).splitlines()
    line = next(text for text in hidden if "def _softmax_close" in text)
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [f"{line}\n"]}]
    path.write_text(json.dumps(nb, indent=1))
    found = [str(leak) for leak in leaks.scan_kit(planted, prints)]
    assert any(re.match(rf"notebooks/{re.escape(notebook_of('softmax'))}:\d+: matches the secret line "
                        r"autograder/checks/softmax.py:\d+", leak) for leak in found), found
    assert any("has outputs" in leak for leak in found), found


def test_an_answer_in_notebook_metadata_is_caught(planted, prints):
    path = planted / "notebooks" / notebook_of("quiz")
    nb = json.loads(path.read_text())
    nb["metadata"]["answers"] = answer("q06")
    path.write_text(json.dumps(nb, indent=1))
    found = leaks.scan_kit(planted, prints)
    assert [leak.path for leak in found] == [f"notebooks/{notebook_of('quiz')}"] and found[0].line > 0


def test_secret_and_junk_files_are_caught(planted, prints):
    shutil.copy(ROOT / "autograder" / "checks" / "softmax.py", planted / "autograder" / "checks")  # hidden checks too
    (planted / "exercises" / "__pycache__").mkdir()
    (planted / "exercises" / "__pycache__" / "softmax.cpython-311.pyc").write_bytes(b"\x00\x01")
    shutil.copy(SOLUTIONS / "softmax.py", planted / "softmax_solution.py")
    found = leaks.scan_kit(planted, prints)
    paths = {leak.path for leak in found}
    assert "autograder/checks/softmax.py" in paths
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


def fresh_venv(home: Path) -> tuple[str, dict]:
    """A new venv that sees this environment's packages (through a .pth) but not this repository."""
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], home, os.environ)
    Path(site.stdout.strip(), "parent-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NN101_", "PYTEST", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return str(python), env


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
    python, env = fresh_venv(home)
    venv = Path(python).parent.parent
    result = run([str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", "-e", "."],
                 folder, env)
    assert result.returncode == 0, result.stdout + result.stderr
    # The `pytest` command pip would have installed with pytest (here pytest comes from the parent environment).
    script = venv / "bin" / "pytest"
    script.write_text(f"#!{python}\nimport sys\nimport pytest\nsys.exit(pytest.console_main())\n")
    script.chmod(0o755)
    return {"folder": folder, "python": str(python), "nn101": str(venv / "bin" / "nn101"), "env": env}


def test_the_installed_kit_uses_its_own_files(installed):
    result = run([installed["python"], "-c", "import autograder; print(autograder.__file__)"],
                 installed["folder"], installed["env"])
    assert Path(result.stdout.strip()).resolve().is_relative_to(installed["folder"].resolve()), result.stderr
    result = run([installed["nn101"], "--help"], installed["folder"], installed["env"])
    assert "grade" in result.stdout and "release" not in result.stdout and "audit" not in result.stdout


def test_the_readmes_linux_commands_run_on_the_untouched_kit(installed, built):
    """The README's Linux (and macOS: the same) block, after its set-up lines, run verbatim by bash."""
    from test_kit_readme import readme_blocks

    lines = readme_blocks(built[0] / "README.md")["linux"]
    run_lines = [line for line in lines if line.split()[0] in ("pytest", "nn101")]
    assert run_lines == ["pytest exercises", "nn101 grade"]
    n_visible = sum(len(load_checks(name, hidden=False)) for name in NAMES)
    folder, env = installed["folder"], installed["env"]
    activate = f"source {Path(installed['python']).parent / 'activate'}"
    result = run(["bash", "-c", f"{activate} && {run_lines[0]} -q"], folder, env)
    assert counts(result.stdout) == {"failed": n_visible}, result.stdout[-3000:] + result.stderr[-2000:]
    result = run(["bash", "-c", f"{activate} && {run_lines[1]}"], folder, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"^total\s+0 / \d+$", result.stdout, re.M), result.stdout
    assert re.search(r"^quiz\s+0 of 1 checks passed \(no points here\)$", result.stdout, re.M), result.stdout
    assert "21 of 21 answers cannot be graded yet" in result.stdout and " 0 / 0" not in result.stdout


def test_visible_tests_pass_on_the_solutions(installed):
    n_visible = sum(len(load_checks(name, hidden=False)) for name in NAMES)
    folder, env = installed["folder"], installed["env"]
    for path in SOLUTIONS.glob("*.py"):  # the student pastes in the right answers
        shutil.copy(path, folder / "exercises" / path.name)
    result = run([installed["python"], "-m", "pytest", "exercises", "-q"], folder, env)
    assert result.returncode == 0 and counts(result.stdout) == {"passed": n_visible}, result.stdout[-3000:]


def test_nn101_grade_shows_a_visible_score(installed):
    result = run([installed["nn101"], "grade", "--only", "perceptron,softmax,quiz"], installed["folder"],
                 installed["env"])
    assert result.returncode == 0, result.stderr
    assert re.search(r"^total\s+\d+ / \d+$", result.stdout, re.M), result.stdout
    assert re.search(r"^quiz\s+1 of 1 checks passed \(no points here\)$", result.stdout, re.M), result.stdout
    assert "Only the visible checks ran" in result.stdout


def test_the_workflow_summary_command_writes_the_score_as_markdown(installed):
    summary = installed["folder"] / "summary.md"
    env = dict(installed["env"], GITHUB_STEP_SUMMARY=str(summary))
    result = run(["bash", "-c", f'{installed["nn101"]} grade exercises --only perceptron --format markdown '
                  '>> "$GITHUB_STEP_SUMMARY"'], installed["folder"], env)
    assert result.returncode == 0, result.stderr
    text = summary.read_text()
    assert text.startswith("## nn101: ") and "| perceptron |" in text
    assert "Only the visible checks ran" in text


# ---- the wheel, for notebooks anywhere (Colab, JupyterHub): %pip install <wheel> ----

RUN_NOTEBOOK = """
import sys, nbclient, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=True,
                        resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


@pytest.fixture(scope="module")
def wheel(built, tmp_path_factory):
    return kit.build_wheel(built[0], tmp_path_factory.mktemp("wheel"))


def test_the_wheel_is_the_kits_package_and_leaks_nothing(built, wheel, prints, tmp_path):
    assert wheel.name == "nn101_student_kit-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zipped:
        names = set(zipped.namelist())
        metadata = zipped.read("nn101_student_kit-0.1.0.dist-info/METADATA").decode()
    assert {n for n in names if n.startswith("autograder/")} == {n for n in files_of(built[0]) if n.startswith("autograder/")}
    assert "Requires-Python: <3.14,>=3.11" in metadata
    assert leaks.scan_wheel(wheel, prints) == []
    planted = shutil.copy(wheel, tmp_path / wheel.name)  # the same wheel with a hidden suite in it is caught
    with zipfile.ZipFile(planted, "a") as zipped:
        zipped.writestr("autograder/checks/softmax_all.py", (ROOT / "autograder/checks/softmax.py").read_text())
    assert f"{wheel.name}!autograder/checks/softmax_all.py" in {leak.path for leak in leaks.scan_wheel(planted, prints)}


def solved(release_notebook: Path, source_notebook: Path) -> nbformat.NotebookNode:
    """The released notebook with the solution cells of the source notebook: a student who got it right."""
    nb = nbformat.read(release_notebook, as_version=4)
    answers = {c["id"]: c["source"] for c in nbformat.read(source_notebook, as_version=4).cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        cell["source"] = answers.get(cell.get("id"), cell["source"])
    return nb


def cell_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", "") + "".join(output.get("data", {}).get("text/plain", "")))
        parts += [output.get("ename", ""), output.get("evalue", "")] + output.get("traceback", [])
    return "\n".join(parts)


def test_the_wheel_installs_into_a_fresh_venv_and_a_notebooks_visible_cells_run(built, wheel, tmp_path):
    """One kernel, as on Colab: a visible cell before the kit is there, ``%pip install`` the wheel, the notebook."""
    python, env = fresh_venv(tmp_path)
    work = tmp_path / "colab"
    work.mkdir()
    notebook = solved(built[0] / "notebooks" / notebook_of("perceptron"), ROOT / "source" / "nn101" / notebook_of("perceptron"))
    visible_cell = next(c for c in notebook.cells if c.get("id") == "perceptron-visible")
    # The wheel's dependencies are in this environment already: nothing is downloaded.
    install = f"%pip install --no-deps --no-index -q {wheel}"
    notebook.cells[:0] = [nbformat.v4.new_code_cell(visible_cell["source"], id="before-install"),
                          nbformat.v4.new_code_cell(install, id="install")]
    nbformat.write(notebook, work / "in.ipynb")
    result = run([python, "-c", RUN_NOTEBOOK, str(work / "in.ipynb"), str(work / "out.ipynb"), str(work)], work, env)
    assert result.returncode == 0, result.stderr[-2000:]
    cells = {c.get("id"): c for c in nbformat.read(work / "out.ipynb", as_version=4).cells}

    # Before the install: one line says what is missing and what to do; no traceback.
    errors = [o for o in cells["before-install"]["outputs"] if o["output_type"] == "error"]
    assert [e["ename"] for e in errors] == ["SystemExit"], cell_text(cells["before-install"])
    assert errors[0]["evalue"].startswith("The nn101 kit is not installed here (autograder is missing): install it")
    assert not re.search(r"Traceback|File \S+, line|----> ", cell_text(cells["before-install"]))

    # After it: the solved notebook's visible cell scores every visible point, and nothing raises.
    visible = sum(c.points for c in load_checks("perceptron", hidden=False))
    text = cell_text(cells["perceptron-visible"])
    assert f"perceptron, visible checks: {visible:g} of {visible:g} points" in text and "✗" not in text, text
    del cells["before-install"]
    assert not [o for c in cells.values() for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_every_release_notebook_starts_by_saying_how_to_install_the_kit(built):
    for path in sorted((built[0] / "notebooks").glob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first["cell_type"] == "markdown", path.name
        assert "%pip install nn101_student_kit-0.1.0-py3-none-any.whl" in first["source"], path.name
