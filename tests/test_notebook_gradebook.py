"""``nn101 grade-all --nbgrader COURSE_DIR ASSIGNMENT`` on a small nbgrader course (issue #12).

generate_assignment (nbgrader's API) -> three students in submitted/ -> nn101 grades them
in the sandbox and writes nbgrader's gradebook -> nbgrader export and generate_feedback
show nn101's scores. No kernel runs: the Keras notebook is not handed in, and the graded
exercises are the NumPy ones and the quiz.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import warnings

import nbformat
import pytest

from autograder.checks.core import load_checks
from conftest import ROOT
from notebook_cases import notebooks_of, modules_of
from autograder import cli, exercises, runner
from autograder.gradebook import opened
from autograder.release import assignment, leaks
from autograder.release.notebooks import notebook_of

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

ASSIGNMENT = "nn101"
GRADED = "softmax,losses,quiz"  # perceptron's grade cells stay nbgrader's: nn101 leaves them alone
NB = [notebook_of("perceptron"), notebook_of("softmax"), notebook_of("quiz")]
CHEAT = ("def softmax(z, axis=-1):\n    return np.zeros(np.shape(z))\n\n"
         "import autograder.notebook as _nb\n_nb.check_exercise = lambda *args, **kwargs: 11.0\n")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    for name in NB:  # the notebooks nn101 grades here: a smaller course, a faster generate_assignment
        shutil.copyfile(ROOT / "source" / ASSIGNMENT / name, course / "source" / ASSIGNMENT / name)
    shutil.copyfile(ROOT / assignment.CONFIG_FILE, course / assignment.CONFIG_FILE)
    api = assignment.api(course / assignment.CONFIG_FILE, course)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assignment.run("generate_assignment", api.generate_assignment(ASSIGNMENT))
    submitted = course / "submitted"
    notebooks_of(submitted / "alice" / ASSIGNMENT, {}, NB)
    notebooks_of(submitted / "bob" / ASSIGNMENT, {"softmax": CHEAT}, NB)
    carol = notebooks_of(submitted / "carol" / ASSIGNMENT, {}, NB)
    (carol / notebook_of("softmax")).write_text("{ not json", encoding="utf-8")
    (carol / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC", encoding="utf-8")
    status = cli.main(["grade-all", "--nbgrader", str(course), ASSIGNMENT, "--only", GRADED, "--jobs", "1",
                       "--output", str(course / "nn101.csv")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for student in ("alice", "bob", "carol"):
            assignment.run("generate_feedback", api.generate_feedback(ASSIGNMENT, student))
    return {"path": course, "status": status, "api": api}


def cell_grades(course, student: str) -> dict[str, float | None]:
    with opened(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {grade.name: grade.auto_score for nb in gradebook.find_submission(ASSIGNMENT, student).notebooks
                for grade in nb.grades}


def nn101_points(tmp_path, student: str, code: dict) -> dict[str, float]:
    """grade cell -> points, from the module route (the equivalent .py files)."""
    results = runner.grade(modules_of(tmp_path / student, code), exercises.select(GRADED), student_id=student)
    return {f"{e.name}-{kind}": float(sum(c.points for c in e.checks if c.visible is (kind == "visible")))
            for e in results.exercises for kind in ("visible", "hidden")}


def test_the_gradebook_holds_nn101s_scores_per_grade_cell(course, tmp_path):
    assert course["status"] == 0
    for student, code in (("alice", {}), ("bob", {"softmax": CHEAT})):
        grades = cell_grades(course["path"], student)
        expected = nn101_points(tmp_path, student, code)
        assert {k: v for k, v in grades.items() if k in expected} == {k: v for k, v in expected.items() if k in grades}
        assert len(set(grades) & set(expected)) == 5, student  # quiz has no visible grade cell


def test_the_kernel_patch_gains_nothing_in_the_gradebook(course):
    grades = cell_grades(course["path"], "bob")
    assert grades["softmax-visible"] < 2 and grades["softmax-hidden"] < 5


def test_grade_cells_of_exercises_not_graded_are_left_alone(course):
    grades = cell_grades(course["path"], "alice")
    assert grades["perceptron-visible"] is None and grades["perceptron-hidden"] is None


def test_a_notebook_that_is_not_json_scores_zero_and_the_rest_is_graded(course):
    grades = cell_grades(course["path"], "carol")
    assert grades["softmax-visible"] == grades["softmax-hidden"] == grades["losses-hidden"] == 0
    assert grades["quiz-hidden"] == 21


def test_nbgrader_export_writes_nn101s_scores(course, tmp_path):
    from nbgrader.plugins import CsvExportPlugin

    out = tmp_path / "export.csv"
    with opened(f"sqlite:///{course['path'] / 'gradebook.db'}") as gradebook:
        CsvExportPlugin(to=str(out)).export(gradebook)
    rows = {row["student_id"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == {"alice", "bob", "carol"}
    for student in rows:
        assert float(rows[student]["score"]) == sum(v or 0 for v in cell_grades(course["path"], student).values())
    full = sum(c.points for n in ("softmax", "losses", "quiz") for c in load_checks(n))  # alice: full marks
    assert float(rows["alice"]["score"]) == full
    assert rows["carol"]["timestamp"].startswith("2026-11-20 10:00:00")


def test_feedback_shows_nn101s_lines_and_no_hidden_test_code(course):
    prints = leaks.fingerprints(ROOT, hidden_only=True)
    pages = sorted((course["path"] / "feedback").rglob("*.html"))
    assert len(pages) == 3 + 3 + 3
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert "HIDDEN TESTS" not in text and "hidden=True" not in text, page
        for number, line in enumerate(text.splitlines(), start=1):
            assert prints.find(line) is None, f"{page}:{number}: {line[:200]}"
    bob = html.unescape(re.sub(r"<[^>]+>", "", (course["path"] / "feedback" / "bob" / ASSIGNMENT /
                                                notebook_of("softmax").replace(".ipynb", ".html")).read_text(encoding="utf-8")))
    assert "softmax, hidden checks:" in bob and "losses, hidden checks:" in bob
    carol = (course["path"] / "feedback" / "carol" / ASSIGNMENT / notebook_of("softmax").replace(".ipynb", ".html")).read_text(encoding="utf-8")
    assert "not valid JSON" in carol


def test_autograded_notebooks_restore_locked_cells(course):
    nb = nbformat.read(course["path"] / "autograded" / "bob" / ASSIGNMENT / notebook_of("softmax"), as_version=4)
    hidden = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "softmax-hidden")
    assert "BEGIN HIDDEN TESTS" not in hidden.source and hidden.outputs


def test_the_whole_course_root_is_closed_before_anyone_is_graded(course, monkeypatch):
    """Attack finding 3: autograded/ and feedback/ hold the classmates' notebooks; at the uid level
    nbgrader's whole course root is closed to workers (and proved closed), not only submitted/."""
    from autograder import sandbox

    asked = []
    monkeypatch.setattr(sandbox, "protect", lambda paths: asked.append(("protect", [str(p) for p in paths])))
    monkeypatch.setattr(sandbox, "verify_unreadable", lambda paths: asked.append(("verify", [str(p) for p in paths])))
    status = cli.main(["grade-all", "--nbgrader", str(course["path"]), ASSIGNMENT, "--only", GRADED, "--jobs", "1",
                       "--output", str(course["path"] / "nn101.csv")])  # all graded already: nothing regraded
    assert status == 0
    assert [step for step, _ in asked[:2]] == ["protect", "verify"]
    assert all(str(course["path"]) in paths for _, paths in asked[:2])


def test_usage_errors_are_one_line(course, tmp_path, capsys):
    assert cli.main(["grade-all", "--nbgrader", str(course["path"]), "nope"]) == 2
    assert cli.main(["grade-all", "--nbgrader", str(tmp_path), ASSIGNMENT]) == 2
    assert cli.main(["grade-all"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("nn101: error: ") for line in lines), lines


def released_notebook(course, exercise="softmax"):
    return nbformat.read(course / "release" / ASSIGNMENT / notebook_of(exercise), as_version=4)


def checksum_changes(course, nb, step_class) -> list[tuple[str, str]]:
    """The cells nbgrader autograde's OverwriteCells step reports as changed in ``nb``."""
    config = assignment.load_config(course / assignment.CONFIG_FILE, course)
    step = step_class(config=config)
    changes = []
    step.report_change = lambda name, attr, old, new: changes.append((name, attr))
    resources = {"nbgrader": {"notebook": notebook_of("softmax").removesuffix(".ipynb"), "assignment": ASSIGNMENT,
                              "db_url": f"sqlite:///{course / 'gradebook.db'}"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        step.preprocess(nb, resources)
    return changes


def test_autograde_reports_a_changed_checksum_only_for_cells_a_student_changed(course):
    from nbgrader.preprocessors import OverwriteCells

    from autograder.release.nbgrader_plugins import OverwriteReleasedCells

    assert ("softmax-hidden", "checksum") in checksum_changes(course["path"], released_notebook(course["path"]),
                                                              OverwriteCells)  # plain nbgrader: for everyone
    untouched = released_notebook(course["path"])
    assert checksum_changes(course["path"], untouched, OverwriteReleasedCells) == []
    hidden = next(c for c in untouched.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "softmax-hidden")
    assert "### BEGIN HIDDEN TESTS" in hidden.source  # put back, to run
    tampered = released_notebook(course["path"])
    visible = next(c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "softmax-visible")
    visible.source = "2.0"
    assert checksum_changes(course["path"], tampered, OverwriteReleasedCells) == [("softmax-visible", "checksum")]
    assert "check_exercise" in visible.source


def test_nbgrader_restores_deleted_test_cells():
    from autograder.release.nbgrader_plugins import OverwriteReleasedCells

    config = assignment.load_config(ROOT / assignment.CONFIG_FILE, ROOT)
    assert OverwriteReleasedCells(config=config).add_missing_cells is True


def test_the_first_nbgrader_command_works_from_a_venv_that_is_not_activated(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / ASSIGNMENT / notebook_of("perceptron"), tmp_path / "source" / ASSIGNMENT / notebook_of("perceptron"))
    shutil.copyfile(ROOT / assignment.CONFIG_FILE, tmp_path / assignment.CONFIG_FILE)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # no .venv/bin on PATH
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "release" / ASSIGNMENT / notebook_of("perceptron")).is_file()
    assert os.path.dirname(sys.executable) not in env["PATH"]
