"""Messy notebooks from real classes (issue #12): each one graded, or reported in one line.

Most cases check the conversion alone (fast, no worker): the modules built from a messy
notebook are those of the clean one, or the note says what happened. A few grade, to show
the score a student gets.
"""

from __future__ import annotations

import json
import re
import time

import nbformat

from autograder.checks.core import load_checks
from notebook_cases import notebooks_of, source_notebooks
from autograder import exercises, notebook_grading
from autograder.notebooks_intake import find_notebooks, modules_from_notebooks
from autograder.release.notebooks import notebook_of

NB3 = notebook_of("softmax")
WRONG_SOFTMAX = "def softmax(z, axis=-1):\n    return np.zeros(np.shape(z))"


def clean(tmp_path, names=(NB3,)):
    return modules_from_notebooks(find_notebooks(notebooks_of(tmp_path / "clean", {}, list(names))))


def code(conversion) -> dict[str, str]:
    """The modules without the comments that say which cell each part came from."""
    return {name: re.sub(r"(?m)^# .*\.ipynb, cell \d+$", "", text) for name, text in conversion.modules.items()}


def edited(tmp_path, change, name=NB3, saved_as=None):
    """The source notebook ``name`` after ``change(nb)``, saved in a folder of its own."""
    nb = nbformat.reads(source_notebooks()[name], as_version=4)
    change(nb)
    folder = tmp_path / "messy"
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / (saved_as or name))
    return folder


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def convert(folder):
    return modules_from_notebooks(find_notebooks(folder))


def test_a_solution_cell_pasted_twice_is_graded_by_its_last_definition_with_a_note(tmp_path):
    def paste_twice(nb):
        first = cell(nb, "softmax-softmax")
        wrong = nbformat.v4.new_code_cell(WRONG_SOFTMAX, metadata={"nbgrader": dict(first.metadata.nbgrader)})
        nb.cells.insert(nb.cells.index(first), wrong)  # the wrong paste first, the right one last
        del wrong["id"], first["id"]  # nbgrader#1083: the same cell id twice; keep the notebook valid
        nb.nbformat_minor = 4

    folder = edited(tmp_path, paste_twice)
    conversion = convert(folder)
    assert any("softmax is defined 2 times" in n and "last definition is graded" in n for n in conversion.notes)
    results = notebook_grading.grade(folder, exercises.select("softmax"))
    assert results.points == results.max_points
    assert any("defined 2 times" in w for w in results.warnings)


def test_a_deleted_test_cell_changes_nothing(tmp_path):
    def delete_visible(nb):
        nb.cells.remove(cell(nb, "softmax-visible"))

    assert code(convert(edited(tmp_path, delete_visible))) == code(clean(tmp_path))


def test_edits_of_locked_cells_are_ignored_with_a_note(tmp_path):
    def tamper(nb):
        cell(nb, "softmax-setup").source = "import numpy as np\nnp.exp = lambda z: 0 * z"
        cell(nb, "softmax-hidden").source = "print('hidden checks: 11 of 11 points')"

    conversion = convert(edited(tmp_path, tamper))
    assert code(conversion) == code(clean(tmp_path))
    assert "np.exp = " not in conversion.modules["softmax"]
    assert [n for n in conversion.notes if "softmax-setup" in n and "ignored" in n]


def test_a_renamed_notebook_is_graded_like_the_original(tmp_path):
    conversion = convert(edited(tmp_path, lambda nb: None, saved_as=NB3.replace(".ipynb", " (1).ipynb")))
    assert conversion.modules.keys() == {"softmax", "losses"}
    assert [m.replace(" (1)", "") for m in conversion.modules.values()] == list(clean(tmp_path).modules.values())


def test_cells_moved_between_notebooks_land_in_their_exercise(tmp_path):
    folder = notebooks_of(tmp_path / "moved", {}, [notebook_of("perceptron"), NB3])
    nb1, nb3 = (nbformat.read(folder / n, as_version=4) for n in (notebook_of("perceptron"), NB3))
    moved = cell(nb3, "softmax-softmax")
    nb3.cells.remove(moved)
    nb1.cells.append(moved)
    nbformat.write(nb1, folder / notebook_of("perceptron"))
    nbformat.write(nb3, folder / NB3)
    conversion = convert(folder)
    assert f"{notebook_of('perceptron')}, cell" in conversion.modules["softmax"]
    assert "def softmax" not in conversion.modules["perceptron"]
    results = notebook_grading.grade(folder, exercises.select("perceptron,softmax"))
    assert results.points == results.max_points


def test_nbformat_4_4_without_cell_ids(tmp_path):
    def downgrade(nb):
        nb.nbformat_minor = 4
        for c in nb.cells:
            c.pop("id", None)

    folder = edited(tmp_path, downgrade)
    assert '"id"' not in (folder / NB3).read_text(encoding="utf-8")
    assert convert(folder).modules == clean(tmp_path).modules


def test_fifty_megabytes_of_outputs_are_dropped_fast(tmp_path):
    def big_outputs(nb):
        demo = next(c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader"))
        demo.outputs = [nbformat.v4.new_output("stream", name="stdout", text="0123456789" * 5_000_000)]

    folder = edited(tmp_path, big_outputs)
    assert (folder / NB3).stat().st_size > 50_000_000
    started = time.perf_counter()
    conversion = convert(folder)
    assert time.perf_counter() - started < 5
    assert conversion.modules == clean(tmp_path).modules


def test_a_notebook_that_is_not_json_is_one_note_and_the_others_are_graded(tmp_path):
    folder = notebooks_of(tmp_path / "mixed", {}, [notebook_of("perceptron")])
    (folder / NB3).write_text('{"cells": [ this is not JSON', encoding="utf-8")
    (folder / notebook_of("activations")).write_text(json.dumps({"cells": 3}), encoding="utf-8")
    conversion = convert(folder)
    assert list(conversion.modules) == ["perceptron"]
    assert sorted(conversion.notes) == [
        f"{notebook_of('activations')} is damaged (TypeError): open it in Jupyter, save it and hand it in again",
        f"{NB3} is not a notebook (its file is not valid JSON): open it in Jupyter, save it and hand it in again"]
    results = notebook_grading.grade(folder, exercises.select("perceptron,softmax"))
    assert results.exercise("perceptron").points == results.exercise("perceptron").max_points
    assert results.exercise("softmax").points == 0
    assert "There is no softmax.py and no notebook with its functions" in results.exercise("softmax").checks[0].message


def test_cells_that_try_things_out_are_not_run_but_own_helpers_are_kept(tmp_path):
    def own_cells(nb):
        index = nb.cells.index(cell(nb, "softmax-softmax"))
        nb.cells.insert(index, nbformat.v4.new_code_cell("_SHIFT = 0.0\ndef _exp(z):\n    return np.exp(z)\n"
                                                         "print(_exp(1.0))\nwhile True:\n    pass"))
        cell(nb, "softmax-softmax").source = (
            "def softmax(z, axis=-1):\n    z = np.asarray(z) - _SHIFT\n    e = _exp(z - z.max(axis=axis, keepdims=True))\n"
            "    return e / e.sum(axis=axis, keepdims=True)")

    folder = edited(tmp_path, own_cells)
    module = convert(folder).modules["softmax"]
    assert "_SHIFT = 0.0" in module and "def _exp" in module
    assert "while True" not in module and "print(_exp" not in module
    results = notebook_grading.grade(folder, exercises.select("softmax"))
    assert results.points == results.max_points


def test_messages_point_at_the_notebook_cell(tmp_path):
    folder = edited(tmp_path, lambda nb: setattr(cell(nb, "softmax-softmax"), "source",
                                                  "def softmax(z, axis=-1):\n    return 1 / 0"))
    nb = nbformat.read(folder / NB3, as_version=4)
    number = nb.cells.index(cell(nb, "softmax-softmax")) + 1
    results = notebook_grading.grade(folder, exercises.select("softmax"))
    messages = " ".join(c.message for c in results.checks)
    assert f"{NB3}, cell {number}, line 2" in messages and "softmax.py, line" not in messages


def test_grade_all_grades_notebook_folders_and_zips_and_a_broken_one_stays_that_students(tmp_path):
    import zipfile

    from autograder import cli

    class_dir = tmp_path / "class"
    notebooks_of(class_dir / "ann", {}, [NB3])
    zipped = notebooks_of(tmp_path / "ben", {}, [NB3])
    (zipped / NB3).write_text("not a notebook", encoding="utf-8")
    with zipfile.ZipFile(class_dir / "ben.zip", "w") as archive:
        archive.write(zipped / NB3, f"work/{NB3}")
    output = tmp_path / "grades.csv"
    assert cli.main(["grade-all", str(class_dir), "--only", "softmax", "--jobs", "1", "--output", str(output)]) == 0
    records = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "grades").glob("*.json")}
    assert records["ann"]["score"] == records["ann"]["max_score"] == sum(c.points for c in load_checks("softmax"))
    assert records["ben"]["score"] == 0 and "not valid JSON" in records["ben"]["error"]
    assert notebook_of("softmax") in json.dumps(records["ann"]["exercises"][0])  # the file graded


def test_the_last_definition_in_the_notebook_of_its_own_cell_is_graded_as_its_kernel_would(tmp_path):
    folder = notebooks_of(tmp_path / "nbs", {}, [NB3, notebook_of("gradient_descent"), notebook_of("quiz")])
    quiz = nbformat.read(folder / notebook_of("quiz"), as_version=4)
    quiz.cells.insert(len(quiz.cells) - 2, nbformat.v4.new_code_cell('q03 = "z"  # changed my mind'))
    nbformat.write(quiz, folder / notebook_of("quiz"))
    nb4 = nbformat.read(folder / notebook_of("gradient_descent"), as_version=4)
    cell(nb4, "from-notebook-3").source = WRONG_SOFTMAX  # notebook 4's own copy, not the graded one
    nbformat.write(nb4, folder / notebook_of("gradient_descent"))
    modules = convert(folder).modules
    assert modules["quiz"].rstrip().endswith('q03 = "z"  # changed my mind')
    assert "np.zeros" not in modules["softmax"] and "np.max" in modules["softmax"]


def test_a_left_out_line_that_a_function_needs_is_named_in_a_note(tmp_path):
    def computed_constant(nb):
        index = nb.cells.index(cell(nb, "softmax-softmax"))
        nb.cells.insert(index, nbformat.v4.new_code_cell("SHIFT = np.float64(0.0)"))
        cell(nb, "softmax-softmax").source += "\n\n\ndef shifted(z):\n    return softmax(z - SHIFT)"

    folder = edited(tmp_path, computed_constant)
    nb = nbformat.read(folder / NB3, as_version=4)
    number = nb.cells.index(cell(nb, "softmax-softmax"))  # the inserted cell is just before it
    conversion = convert(folder)
    assert "SHIFT = " not in conversion.modules["softmax"]
    assert [n for n in conversion.notes if f"cell {number}, line 1" in n and "sets SHIFT" in n], conversion.notes


def test_gradescope_grades_a_notebook_submission_and_points_at_its_cells(tmp_path):
    from autograder import gradescope

    folder = notebooks_of(tmp_path / "submission", {"softmax": "def softmax(z, axis=-1):\n    return 1 / 0"}, [NB3])
    nb = nbformat.read(folder / NB3, as_version=4)
    number = nb.cells.index(cell(nb, "softmax-softmax")) + 1
    results = gradescope.run(tmp_path, exercises.select("softmax,losses"))
    assert results.exercise("softmax").points == 0 and results.exercise("losses").points > 0
    assert f"{NB3}, cell {number}" in " ".join(c.message for c in results.checks)
    assert json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))["score"] == results.points
