"""The nbgrader pipeline, end to end, in a temporary course directory.

generate_assignment -> three students submit -> autograde -> generate_feedback:
- alice hands in the source notebooks (the solutions): every notebook runs top to bottom,
  every test cell scores full marks, and nothing reaches stderr (TensorFlow's logs included).
  This is the one run of the Keras notebook in the test suite.
- bob makes classic mistakes, carol's code crashes: their notebooks are built from the same
  mutated modules that ``nn101 grade`` grades, and both give the same points per exercise.
- The feedback of all three shows no hidden test code, not even in a traceback.
"""

from __future__ import annotations

import html
import re
import shutil
import warnings
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SOLUTIONS
from autograder import exercises, runner
from autograder.checks.core import load_checks
from autograder.release import assignment, leaks, notebooks
from autograder.release.nbgrader_plugins import WITHHELD
from autograder.release.notebooks import notebook_of

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

ASSIGNMENT = "nn101"
MISTAKES = {  # module -> [(reference text, wrong text)]: each a classic beginner's mistake
    "perceptron": [("return (z > 0).astype(int)", "return (z >= 0).astype(int)"),
                   ("return int(z > 0)", "return int(z >= 0)")],
    "softmax": [("shifted = z - np.max(z, axis=axis, keepdims=True)", "shifted = z")],
    "losses": [("return float(np.sum((y_true - y_pred) ** 2) / (2 * n))",
                "return float(np.sum((y_true - y_pred) ** 2) / n)")],
}


def wrong_answers(*qids: str) -> list[tuple[str, str]]:
    """Replace the reference answers of ``qids`` by wrong ones (another letter, or 0)."""
    lines = (SOLUTIONS / "quiz.py").read_text(encoding="utf-8").splitlines()
    changes = []
    for qid in qids:
        line = next(text for text in lines if text.startswith(f"{qid} ="))
        value = line.split("=", 1)[1].strip()
        wrong = ('"a"' if value != '"a"' else '"b"') if value.startswith('"') else "0"
        changes.append((line, f"{qid} = {wrong}"))
    return changes


MISTAKES["quiz"] = wrong_answers("q03", "q05", "q12")
CRASHES = {
    "perceptron": [("z = x @ w + b", "z = x @ w + b + 1 / 0"),
                   ("z = weighted_sum(x, w, b)", "import sys; sys.exit(3)")],
    "activations": [("return np.tanh(z)", "raise RuntimeError('tanh is broken')")],
}
# A student cell that makes the test cells after it raise, so their tracebacks quote them.
SABOTAGE = "def globals():\n    raise RuntimeError('no globals today')"


def mutated_solutions(folder: Path, changes: dict[str, list[tuple[str, str]]]) -> Path:
    folder.mkdir(parents=True)
    for path in SOLUTIONS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for old, new in changes.get(path.stem, []):
            assert old in text, f"{path.name} no longer contains {old!r}"
            text = text.replace(old, new)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def submit(course: Path, student: str, modules: Path, names: list[str]) -> None:
    """Hand in the notebooks ``names`` as built from the modules in ``modules``."""
    built = notebooks.expected_notebooks(modules)
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text(built[name], encoding="utf-8")


def sabotage(course: Path, student: str, name: str, before_grade_id: str) -> None:
    path = course / "submitted" / student / ASSIGNMENT / name
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.get("id") == before_grade_id)
    nb.cells.insert(index, nbformat.v4.new_code_cell(SABOTAGE, id="student-extra"))
    nbformat.write(nb, path)


def grades(course: Path, student: str) -> dict[str, dict[str, float]]:
    """grade_id -> {"score", "max"}, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT) as gradebook:
        warnings.simplefilter("ignore")
        for submission in gradebook.find_submission(ASSIGNMENT, student).notebooks:
            for grade in submission.grades:
                found[grade.name] = {"score": grade.score, "max": grade.max_score}
    return found


def per_exercise(cell_grades: dict) -> dict[str, float]:
    points: dict[str, float] = {}
    for grade_id, grade in cell_grades.items():
        exercise = grade_id.rsplit("-", 1)[0]
        points[exercise] = points.get(exercise, 0.0) + grade["score"]
    return points


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    api = assignment.api(ROOT / assignment.CONFIG_FILE, course)
    assignment.run("generate_assignment", api.generate_assignment(ASSIGNMENT))
    all_notebooks = sorted(p.name for p in (course / "source" / ASSIGNMENT).glob("*.ipynb"))
    submit(course, "alice", SOLUTIONS, all_notebooks)
    bob = mutated_solutions(course / "modules-bob", MISTAKES)
    submit(course, "bob", bob, [notebook_of("perceptron"), notebook_of("softmax"), notebook_of("quiz")])
    carol = mutated_solutions(course / "modules-carol", CRASHES)
    submit(course, "carol", carol, [notebook_of("perceptron"), notebook_of("activations")])
    sabotage(course, "carol", notebook_of("activations"), "activations-visible")
    for student in ("alice", "bob", "carol"):
        assignment.run("autograde", api.autograde(ASSIGNMENT, student))
        assignment.run("generate_feedback", api.generate_feedback(ASSIGNMENT, student))
    return {"path": course, "modules": {"bob": bob, "carol": carol}}


def max_points() -> dict[str, float]:
    return {name: sum(c.points for c in load_checks(name)) for name in exercises.NAMES}


def test_the_release_made_here_is_the_committed_release(course):
    for path in sorted((ROOT / "release" / ASSIGNMENT).glob("*.ipynb")):
        made = course["path"] / "release" / ASSIGNMENT / path.name
        assert made.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


def test_the_solutions_get_full_marks_in_every_notebook(course):
    cell_grades = grades(course["path"], "alice")
    assert per_exercise(cell_grades) == max_points()
    assert all(g["max"] == sum(c.points for c in load_checks(gid.rsplit("-", 1)[0])
                               if c.visible == gid.endswith("-visible"))
               for gid, g in cell_grades.items())


def test_every_source_notebook_runs_top_to_bottom_without_stderr_or_tensorflow_logs(course):
    for path in sorted((course["path"] / "autograded" / "alice" / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                assert output.output_type != "error", f"{path.name} cell {index}: {output.get('evalue')}"
                assert output.get("name") != "stderr", f"{path.name} cell {index} wrote to stderr: {output.text[:300]}"
                text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
                assert "tensorflow" not in text.lower(), f"{path.name} cell {index} shows a TensorFlow log line"


def test_plots_are_drawn_in_the_lesson_notebooks(course):
    folder = course["path"] / "autograded" / "alice" / ASSIGNMENT
    for name in (notebook_of("activations"), notebook_of("gradient_descent"), notebook_of("keras_model")):
        outputs = [o for c in nbformat.read(folder / name, as_version=4).cells for o in c.get("outputs", [])]
        assert any("image/png" in o.get("data", {}) for o in outputs), name


@pytest.mark.parametrize("student, compared", [("bob", "perceptron,softmax,losses,quiz"), ("carol", "perceptron")])
def test_notebook_points_equal_nn101_grade_points(course, student, compared):
    graded = {name: points for name, points in per_exercise(grades(course["path"], student)).items()
              if name in compared.split(",")}
    results = runner.grade(course["modules"][student], exercises.select(compared), student_id=student)
    assert graded == {e.name: e.points for e in results.exercises}


def test_mistakes_and_crashes_lose_points(course):
    bob = per_exercise(grades(course["path"], "bob"))
    carol = per_exercise(grades(course["path"], "carol"))
    full = max_points()
    assert all(bob[name] < full[name] for name in ("perceptron", "softmax", "losses"))
    assert bob["quiz"] < full["quiz"]
    assert carol["perceptron"] == 0 and carol["activations"] < full["activations"]
    assert bob["gradient_descent"] == 0  # a notebook not handed in scores nothing


def test_feedback_shows_no_hidden_test_code(course):
    prints = leaks.fingerprints(ROOT, hidden_only=True)  # alice's own code is the solution
    pages = sorted((course["path"] / "feedback").rglob("*.html"))
    handed_in = {student: len(list((course["path"] / "submitted" / student / ASSIGNMENT).glob("*.ipynb")))
                 for student in ("alice", "bob", "carol")}
    assert handed_in == {"alice": len(notebooks.lesson_files()), "bob": 3, "carol": 2}
    assert len(pages) == sum(handed_in.values())
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert "HIDDEN TESTS" not in text and "hidden=True" not in text, page
        for number, line in enumerate(text.splitlines(), start=1):
            assert prints.find(line) is None, f"{page}:{number}: {line[:200]}"


def test_tracebacks_of_hidden_test_cells_are_withheld_in_feedback(course):
    page = course["path"] / "feedback" / "carol" / ASSIGNMENT / notebook_of("activations").replace(".ipynb", ".html")
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "no globals today" in text  # the visible cell's traceback stays
    assert WITHHELD in text
    cell_grades = grades(course["path"], "carol")
    assert cell_grades["activations-visible"]["score"] == cell_grades["activations-hidden"]["score"] == 0
