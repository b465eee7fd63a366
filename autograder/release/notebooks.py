"""Build the nbgrader source notebooks from the lesson narratives and the solutions.

A lesson (``autograder/release/lessons/<topic>.py``) is a notebook in the percent
format; its notebook is ``<n>_<topic>.ipynb``, numbered in teaching order (the order of
:data:`autograder.exercises.EXERCISES` of the first exercise it grades), so a new lesson
is a new file and the numbers follow. The format: ``# %% [markdown]`` starts a text cell (each line commented out), ``# %%`` a code
cell. A header ``# %% nn101: DIRECTIVE ...`` (with an empty body) pulls a cell out of
``solutions/``, so no exercise code is ever written twice:

- ``setup MODULE``: the module's imports and private helpers, a read-only cell.
- ``function MODULE.NAME [MODULE.NAME ...] [id=GRADE_ID]``: a solution cell holding these
  functions, solution regions included; nbgrader turns each region into a stub.
- ``tests MODULE``: the autograded cells: visible checks, and hidden checks between
  ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``, worth what ``nn101 grade`` gives.
- ``quiz``: one text cell and one answer cell per question, then the questions as data.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.checks.core import load_checks
from autograder.exercises import NAMES
from autograder.release.sources import ModuleParts, function_source, read_module
from autograder.stubs import StubError

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
HEADER = re.compile(r"^# %%(?P<rest>.*)$")
# A visible test cell's import: without the kit, one line that says what to do, not a traceback.
KIT_IMPORT = """try:
    from autograder.notebook import check_exercise
except ModuleNotFoundError as missing:
    raise SystemExit(f"The nn101 kit is not installed here ({missing.name} is missing): "
                     "install it as the first cell of this notebook says.") from None"""
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@dataclass(frozen=True)
class Cell:
    kind: str
    """``"markdown"`` or ``"code"``."""
    source: str
    nbgrader: dict | None = None
    """nbgrader's cell metadata, or None for a plain cell."""


def solution_meta(grade_id: str) -> dict:
    return _meta(grade_id, solution=True)


def locked_meta(grade_id: str) -> dict:
    return _meta(grade_id, locked=True)


def grade_meta(grade_id: str, points: float) -> dict:
    return _meta(grade_id, grade=True, locked=True, points=int(points) if points == int(points) else points)


def _meta(grade_id, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def parse_lesson(text: str, filename: str) -> list[tuple[str, str, int]]:
    """``[(header, body, line), ...]``: the cells of a percent-format lesson."""
    cells: list[list] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADER.match(line)
        if match:
            cells.append([match["rest"].strip(), [], number])
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise StubError(f"{filename}:{number}: text before the first '# %%' cell header")
    return [(header, "\n".join(body).strip("\n"), number) for header, body, number in cells]


class LessonBuilder:
    """Turns one lesson file into cells, reading solution modules as needed."""

    def __init__(self, solutions_dir: Path, filename: str):
        self.solutions_dir = Path(solutions_dir)
        self.filename = filename
        self._modules: dict[str, ModuleParts] = {}

    def module(self, name: str) -> ModuleParts:
        if name not in self._modules:
            self._modules[name] = read_module(self.solutions_dir / f"{name}.py")
        return self._modules[name]

    def cells(self, text: str) -> list[Cell]:
        cells: list[Cell] = []
        for header, body, line in parse_lesson(text, self.filename):
            where = f"{self.filename}:{line}"
            if header.startswith("nn101:"):
                if body.strip():
                    raise StubError(f"{where}: a '# %% nn101:' cell is generated; leave its body empty")
                cells += self.directive(header.removeprefix("nn101:").split(), where)
            elif header == "[markdown]":
                cells.append(Cell("markdown", _uncomment(body)))
            elif header == "":
                cells.append(Cell("code", body))
            else:
                raise StubError(f"{where}: unknown cell header '# %% {header}'")
        return cells

    def directive(self, words: list[str], where: str) -> list[Cell]:
        name, args = (words[0], words[1:]) if words else ("", [])
        if name == "setup" and len(args) == 1:
            return [Cell("code", self.module(args[0]).setup, locked_meta(f"{args[0]}-setup"))]
        if name == "function" and args:
            return [self.function_cell(args, where)]
        if name == "tests" and len(args) == 1:
            return grading_cells(args[0])
        if name == "quiz" and not args:
            return self.quiz_cells()
        raise StubError(f"{where}: unknown directive 'nn101: {' '.join(words)}'")

    def function_cell(self, args: list[str], where: str) -> Cell:
        ids = [a.removeprefix("id=") for a in args if a.startswith("id=")]
        names = [a for a in args if not a.startswith("id=")]
        sources = []
        for qualified in names:
            module, _, function = qualified.partition(".")
            if not function:
                raise StubError(f"{where}: write functions as MODULE.NAME, not {qualified!r}")
            sources.append(function_source(self.module(module), function))
        grade_id = ids[0] if ids else names[0].replace(".", "-")
        return Cell("code", "\n\n\n".join(sources), solution_meta(grade_id))

    def quiz_cells(self) -> list[Cell]:
        quiz = self.module("quiz")
        questions = ast.literal_eval(ast.parse(quiz.constants["QUESTIONS"]).body[0].value)
        cells = []
        for qid, question in questions.items():
            cells.append(Cell("markdown", question_markdown(qid, question)))
            cells.append(Cell("code", quiz.answers[qid], solution_meta(f"quiz-{qid}")))
        cells.append(Cell("markdown", "The questions as data, for the checks below: run this cell, "
                                      "there is no need to read it."))
        cells.append(Cell("code", quiz.constants["QUESTIONS"], locked_meta("quiz-questions")))
        return cells + grading_cells("quiz")


def question_markdown(qid: str, question: dict) -> str:
    lines = [f"**{qid}** ({question['topic']}). {question['text']}"]
    if "choices" in question:
        lines.append("")
        lines += [f"- **{letter}**: {text}" for letter, text in question["choices"].items()]
        lines += ["", f'Answer with the letter as a string, e.g. `{qid} = "x"` for choice x.']
    else:
        lines += ["", f"Answer with a number, e.g. `{qid} = 1.5`."]
    return "\n".join(lines)


def setup_cell(version: str) -> Cell:
    """Every notebook's first cell: how to get the nn101 kit into this notebook's Python."""
    wheel = f"nn101_student_kit-{version}-py3-none-any.whl"
    return Cell("markdown", "\n".join([
        "**Before you start: the nn101 kit.** The test cells of this notebook need the nn101 student kit "
        "installed in the Python that runs this notebook.",
        "",
        "- Jupyter started from the student kit folder, after `pip install -e \".[notebooks]\"`: nothing to do.",
        f"- Colab, JupyterHub or any other Jupyter: run `%pip install {wheel}` in a new cell, with the path or "
        f"the address of the wheel your instructor gives you, e.g. `%pip install https://example.org/nn101/{wheel}`. "
        "Then restart the kernel (Colab: Runtime, Restart session) and run the notebook from the top.",
        "",
        "If a test cell says that the nn101 kit is not installed, this step is missing.",
    ]))


def grading_cells(exercise: str) -> list[Cell]:
    """The visible and hidden test cells of ``exercise``, each worth its checks' points."""
    checks = load_checks(exercise, hidden=True)
    visible = sum(c.points for c in checks if c.visible)
    hidden = sum(c.points for c in checks if not c.visible)
    call = f'check_exercise("{exercise}", globals())'
    visible_source = (f"# The visible checks of {exercise} ({visible:g} points): run this cell to test your work.\n"
                      f"{KIT_IMPORT}\n\n{call}")
    hidden_source = (f"# Hidden checks of {exercise} ({hidden:g} points) run when your notebook is graded.\n"
                     "### BEGIN HIDDEN TESTS\nfrom autograder.notebook import check_exercise\n\n"
                     f'check_exercise("{exercise}", globals(), hidden=True)\n### END HIDDEN TESTS')
    cells = []
    if visible:
        cells.append(Cell("code", visible_source, grade_meta(f"{exercise}-visible", visible)))
    else:  # nothing to score: still let students see what the visible checks say
        cells.append(Cell("code", visible_source.replace(f" ({visible:g} points)", ""), locked_meta(f"{exercise}-form")))
    if hidden:
        cells.append(Cell("code", hidden_source, grade_meta(f"{exercise}-hidden", hidden)))
    return cells


def _uncomment(body: str) -> str:
    lines = []
    for line in body.splitlines():
        if line.strip() and not line.startswith("#"):
            raise StubError(f"markdown line not commented out: {line!r}")
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(lines).strip("\n")


def to_notebook(cells: list[Cell]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for index, cell in enumerate(cells):
        metadata = {"nbgrader": cell.nbgrader} if cell.nbgrader else {}
        cell_id = cell.nbgrader["grade_id"] if cell.nbgrader else f"cell-{index:02d}"
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(make(cell.source, metadata=metadata, id=cell_id))
    return nb


GRADES = re.compile(r"^# %% nn101: (?:tests (?P<name>\w+)|(?P<quiz>quiz))\s*$", re.M)


def graded_exercises(text: str) -> list[str]:
    """The exercises a lesson's text grades (its ``tests`` and ``quiz`` cells), in order."""
    return [m["name"] or "quiz" for m in GRADES.finditer(text)]


def lesson_texts(lessons_dir: Path = LESSONS_DIR, solutions_dir: Path | None = None) -> dict[str, str]:
    """Lesson name -> its percent-format text: every lesson file, then a default lesson for each
    exercise that no lesson grades (:func:`default_lesson`), so a new exercise has a notebook
    before anyone writes its lesson text."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(lessons_dir).glob("*.py"))}
    graded = {n for text in texts.values() for n in graded_exercises(text)}
    for exercise in NAMES:
        if exercise not in graded and exercise not in texts:
            texts[exercise] = default_lesson(exercise, solutions_dir)
    return texts


def default_lesson(exercise: str, solutions_dir: Path | None = None) -> str:
    """A lesson made from the reference's docstrings: its title and module docstring, the setup
    cell, one cell per public function (its docstring says what to write), the tests."""
    from autograder.exercises import EXERCISES  # noqa: PLC0415
    from autograder.references import solutions_dir as default_dir  # noqa: PLC0415

    parts = read_module(Path(solutions_dir or default_dir()) / f"{exercise}.py")
    title = next(e.title for e in EXERCISES if e.name == exercise)
    doc = parts.doc
    lines = ["# %% [markdown]", f"# # {title}", "#"] + [f"# {line}".rstrip() for line in doc.splitlines()]
    lines += ["#", f"# Write each function of `{exercise}.py` below: its docstring says what it takes and "
              "returns.", "", f"# %% nn101: setup {exercise}", ""]
    if "QUESTIONS" in parts.constants:
        return "\n".join(lines[:-3] + ["", "# %% nn101: quiz", ""])
    for function in parts.functions:
        lines += [f"# %% nn101: function {exercise}.{function} id={exercise}-{function}", ""]
    lines += ["# %% [markdown]", "# ## Check your work", "", f"# %% nn101: tests {exercise}", ""]
    return "\n".join(lines)


def lesson_files(lessons_dir: Path = LESSONS_DIR, solutions_dir: Path | None = None) -> dict[str, str]:
    """Lesson name -> its notebook's name ``<n>_<lesson>.ipynb``, in teaching order.

    Raises StubError for a lesson that grades no listed exercise (it would have no place).
    """
    order = {name: index for index, name in enumerate(NAMES)}
    placed = []
    for lesson, text in lesson_texts(lessons_dir, solutions_dir).items():
        graded = [order[n] for n in graded_exercises(text) if n in order]
        if not graded:
            raise StubError(f"{lesson}.py: the lesson grades no exercise of autograder/exercises.py: add a "
                            "'# %% nn101: tests <exercise>' cell")
        placed.append((min(graded), lesson))
    return {lesson: f"{number}_{lesson}.ipynb" for number, (_, lesson) in enumerate(sorted(placed), start=1)}


def notebook_of(exercise: str, lessons_dir: Path = LESSONS_DIR) -> str:
    """The notebook file that grades ``exercise``, e.g. ``"<n>_softmax_and_losses.ipynb"`` for softmax, numbered at release."""
    texts = lesson_texts(lessons_dir)
    for lesson, name in lesson_files(lessons_dir).items():
        if exercise in graded_exercises(texts[lesson]):
            return name
    raise StubError(f"no lesson grades {exercise}")


def expected_notebooks(solutions_dir: Path, lessons_dir: Path = LESSONS_DIR) -> dict[str, str]:
    """Notebook file name -> its text, for every lesson, in teaching order."""
    notebooks = {}
    first = setup_cell(course_version(Path(solutions_dir).parent / "pyproject.toml"))
    texts = lesson_texts(lessons_dir, solutions_dir)
    for lesson, name in lesson_files(lessons_dir, solutions_dir).items():
        builder = LessonBuilder(solutions_dir, f"{lesson}.py")
        nb = to_notebook([first] + builder.cells(texts[lesson]))
        nbformat.validate(nb)
        notebooks[name] = nbformat.writes(nb) + "\n"
    return notebooks


def course_version(pyproject: Path) -> str:
    """The course's version (the kit's wheel carries it), or ``"<version>"`` without a pyproject."""
    if not pyproject.is_file():
        return "<version>"
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def generate_notebooks(solutions_dir: Path, out_dir: Path, lessons_dir: Path = LESSONS_DIR) -> list[Path]:
    """Write the source notebooks into ``out_dir``; remove notebooks there that no lesson makes."""
    notebooks = expected_notebooks(solutions_dir, lessons_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.ipynb"):
        if stale.name not in notebooks:
            stale.unlink()
    written = []
    for name, text in notebooks.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    return written
