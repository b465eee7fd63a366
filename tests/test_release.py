"""``nn101 release``: one source of truth, and CI's check that everything derived is in sync."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from conftest import EXERCISES, ROOT, SOLUTIONS
from autograder.checks.core import load_checks
from autograder.cli import main
from autograder.exercises import NAMES
from autograder.release import notebooks, pipeline, readme
from autograder.release.sources import read_module
from autograder.stubs import StubError, check_stubs, make_stub

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
RELEASE = ROOT / "release" / "nn101"
SOURCE = ROOT / "source" / "nn101"


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


@pytest.mark.parametrize("text, message", [
    ("x = 1\n### BEGIN SOLUTION\ny = 2\n### BEGIN SOLUTION\n### END SOLUTION\n",
     "bad.py:4: '### BEGIN SOLUTION' inside the region opened at line 2"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "bad.py:2: '### BEGIN SOLUTION' is never closed"),
    ("x = 1\n### END SOLUTION\n", "bad.py:2: '### END SOLUTION' without a '### BEGIN SOLUTION'"),
])
def test_marker_errors_name_file_and_line(text, message):
    with pytest.raises(StubError, match=message):
        make_stub(text, "bad.py")


def test_release_reports_a_marker_error_with_file_and_line(tmp_path, capsys):
    shutil.copytree(SOLUTIONS, tmp_path / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    broken = tmp_path / "solutions" / "softmax.py"
    broken.write_text(broken.read_text().replace("    ### END SOLUTION\n", "", 1))
    assert main(["release", "--root", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert f"{broken}:" in error and "is never closed" in error
    assert not (tmp_path / "exercises").exists()  # nothing half-written


def test_committed_stubs_are_generated_from_the_solutions():
    assert check_stubs(SOLUTIONS, EXERCISES) == []


def test_committed_source_notebooks_are_generated_from_solutions_and_lessons():
    expected = notebooks.expected_notebooks(SOLUTIONS)
    assert sorted(expected) == sorted(p.name for p in SOURCE.glob("*.ipynb"))
    for name, text in expected.items():
        assert (SOURCE / name).read_text(encoding="utf-8") == text, f"{name}: run `nn101 release`"


def test_every_exercise_function_is_a_solution_cell_once():
    defined = {}
    for path in sorted(SOURCE.glob("*.ipynb")):
        for cell in cells(path):
            if nbgrader(cell).get("solution") and not nbgrader(cell)["grade_id"].startswith("from-"):
                for node in ast.parse("".join(cell["source"])).body:
                    if isinstance(node, ast.FunctionDef):
                        defined[node.name] = defined.get(node.name, 0) + 1
    expected = {name for module in NAMES for name in read_module(SOLUTIONS / f"{module}.py").functions}
    assert defined == {name: 1 for name in expected}


def test_test_cells_are_worth_what_nn101_grade_gives():
    points: dict[str, float] = {}
    for path in sorted(SOURCE.glob("*.ipynb")):
        for cell in cells(path):
            if nbgrader(cell).get("grade"):
                exercise = nbgrader(cell)["grade_id"].rsplit("-", 1)[0]
                points[exercise] = points.get(exercise, 0) + nbgrader(cell)["points"]
    assert points == {name: sum(c.points for c in load_checks(name)) for name in NAMES}


def test_hidden_tests_are_only_in_the_source_notebooks():
    for path in sorted(SOURCE.glob("*.ipynb")):
        source = "".join("".join(c["source"]) for c in cells(path))
        released = "".join("".join(c["source"]) for c in cells(RELEASE / path.name))
        assert "### BEGIN HIDDEN TESTS" in source and "hidden=True" in source
        assert "HIDDEN TESTS" not in released and "hidden=True" not in released
        assert "BEGIN SOLUTION" not in released


def test_release_cells_are_exactly_the_stubs():
    """A released solution cell holds the stub of each function (raise NotImplementedError) or
    ``qNN = None``: what students fill in is the same in a notebook and in exercises/*.py."""
    stubs = {name: read_module(EXERCISES / f"{name}.py") for name in NAMES}
    functions = {f: text for parts in stubs.values() for f, text in parts.functions.items()}
    seen = 0
    for path in sorted(RELEASE.glob("*.ipynb")):
        for cell in cells(path):
            if not nbgrader(cell).get("solution"):
                continue
            source = "".join(cell["source"])
            if nbgrader(cell)["grade_id"].startswith("quiz-"):
                qid = nbgrader(cell)["grade_id"].removeprefix("quiz-")
                assert source == f"# YOUR CODE HERE\n{qid} = None"
            else:
                names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
                assert source == "\n\n\n".join(functions[n] for n in names)
                assert source.count("raise NotImplementedError") == len(names)
            seen += 1
    assert seen > len(functions)


def test_stale_and_extra_files_are_named(tmp_path):
    expected, committed = tmp_path / "expected", tmp_path / "committed"
    for folder in (expected, committed):
        folder.mkdir()
        (folder / "same.ipynb").write_text("{}")
    (expected / "changed.ipynb").write_text("new")
    (committed / "changed.ipynb").write_text("old")
    (expected / "missing.ipynb").write_text("{}")
    (committed / "extra.ipynb").write_text("{}")
    assert pipeline._differences(expected, committed, "release/nn101") == [
        "release/nn101/changed.ipynb", "release/nn101/extra.ipynb", "release/nn101/missing.ipynb"]


def test_unknown_lesson_directive_names_file_and_line(tmp_path):
    (tmp_path / "9_broken.py").write_text("# %% [markdown]\n# Hi\n\n# %% nn101: function softmax\n\n# %% nn101: tests softmax\n")
    with pytest.raises(StubError, match=r"9_broken.py:4: write functions as MODULE.NAME"):
        notebooks.expected_notebooks(SOLUTIONS, tmp_path)


def test_release_check_passes_on_the_committed_repository(capsys):
    """What CI runs: stubs, source notebooks and release/ in sync, and the kit leaks nothing."""
    assert main(["release", "--check", "--root", str(ROOT)]) == 0, capsys.readouterr().out
    assert "in sync" in capsys.readouterr().out


def test_notebooks_are_numbered_in_teaching_order_so_a_new_lesson_renumbers_nothing_by_hand(tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(notebooks.LESSONS_DIR, lessons)
    activations = (lessons / "activations.py").read_text(encoding="utf-8")
    start = activations.index("# %% [markdown]\n# # Network structure")
    (lessons / "activations.py").write_text(activations[:start], encoding="utf-8")
    (lessons / "network_structure.py").write_text(activations[start:], encoding="utf-8")
    before = list(notebooks.lesson_files().values())
    after = list(notebooks.lesson_files(lessons).values())
    new = after.index(notebooks.notebook_of("dense_layer", lessons))
    assert after[new].endswith("_network_structure.ipynb")
    assert after[new - 1] == notebooks.notebook_of("activations", lessons) == notebooks.notebook_of("activations")
    assert after[:new] == before[:new]  # the notebooks before it keep their names; those after move one on
    assert [name.split("_", 1)[1] for name in after[new + 1:]] == [name.split("_", 1)[1] for name in before[new:]]
    assert [int(name.split("_", 1)[0]) for name in after] == list(range(1, len(before) + 2))
    (lessons / "stray.py").write_text("# %% [markdown]\n# text only\n", encoding="utf-8")
    with pytest.raises(StubError, match="stray.py: the lesson grades no exercise"):
        notebooks.lesson_files(lessons)


def test_the_readme_table_follows_the_exercise_list(tmp_path):
    """The README's exercise table is generated: an edited row is stale, the release restores it."""
    shutil.copytree(SOLUTIONS, tmp_path / "solutions")
    readme_file = tmp_path / "README.md"
    shutil.copyfile(ROOT / "README.md", readme_file)
    assert not readme.stale(tmp_path)
    original = readme_file.read_text(encoding="utf-8")
    assert "| `dense_layer.py` | Network structure: a fully connected layer — `dense_forward`, `count_parameters` |" in original
    readme_file.write_text(original.replace("`count_parameters` |", "`count_params` |"), encoding="utf-8")
    assert readme.stale(tmp_path)
    assert readme.update(tmp_path) and readme_file.read_text(encoding="utf-8") == original
    readme_file.write_text(original.replace(readme.BEGIN, ""), encoding="utf-8")
    with pytest.raises(StubError, match="where the exercise table goes"):
        readme.update(tmp_path)
