"""A notebook and the equivalent modules get identical results (issue #12).

Each case is graded twice per student id (a course secret and two ids, so the hidden
inputs differ between students): as modules, and as the notebooks a student would have
handed in with the same code in the solution cells. Check by check, status and points
must agree, on correct, wrong, crashing and hostile code, including a solution cell that
patches ``autograder.notebook.check_exercise`` in the kernel: graded in the sandbox, it
earns what its real softmax earns.

One difference is by design: in a notebook, an import of the grader's own package (the test
cells' ``from autograder.notebook import check_exercise``) binds a stand-in that does nothing,
where a ``.py`` module cannot import the grader at all. For code with such imports the
equivalent module is the same code with the same stand-ins (``notebook_cases.modules_of``).
"""

from __future__ import annotations

import pytest

from notebook_cases import modules_of, notebooks_of, outcome
from adversarial import build
from adversarial.catalog import CASES
from autograder import exercises, models, notebook_grading, runner
from autograder import mutants

SECRET = b"nn101 test secret: notebooks"
STUDENTS = ("ada", "grace")
KERNEL_PATCH = "import autograder.notebook as _nb\n_nb.check_exercise = lambda *args, **kwargs: 11.0\n"
ZEROS = "def softmax(z, axis=-1):\n    return np.zeros(np.shape(z))\n"
LIMITS = {"numpy": build.LIMITS}
SOME_INPUTS = ("def softmax(z, axis=-1):\n    z = np.asarray(z, dtype=float)\n"
               "    e = np.exp(z - z.max(axis=axis, keepdims=True))\n    right = e / e.sum(axis=axis, keepdims=True)\n"
               "    return right if int(abs(z).sum() * 1000) % 2 else np.zeros_like(right)\n")
"""Right for some inputs only: its points depend on the student's hidden inputs, so a route that
ignored the student id would disagree with the other for one of the two students."""

MUTANTS = {v.id: v for v in mutants.catalog()}
CHOSEN_MUTANTS = ("perceptron", "activations", "softmax", "losses", "gradient_descent", "quiz")


def _mutant(exercise: str):
    return next(v for v in MUTANTS.values() if v.exercise == exercise)


SLOW = {"prints hundreds of MB", "returns more data than the output cap", "fork bomb in a function",
        "closes its answer pipe and sleeps", "recursion through C that overflows the stack"}
"""Cases of more than 2 s each; the adversarial suite runs them as modules."""


def _hostile_cases():
    """The hostile catalog's code cases (not those about extra files or links, nor the slow ones)."""
    for case in CASES:
        if isinstance(case.code, str) and case.code and not case.files and "__" not in case.code.replace("__call__", "") \
                and not case.known_gap and case.status != models.TIMEOUT and case.name not in SLOW:
            yield pytest.param(case.module, case.code, id=case.name)


CASES_OF_CODE = [
    pytest.param("softmax", "", id="reference"),
    *[pytest.param(_mutant(e).exercise, _mutant(e).code, id=_mutant(e).id) for e in CHOSEN_MUTANTS],
    pytest.param("perceptron", "def weighted_sum(x, w, b):\n    return x @ w + b + 1 / 0\n", id="crash in a function"),
    pytest.param("softmax", SOME_INPUTS, id="right for some inputs only"),
    pytest.param("softmax", ZEROS + KERNEL_PATCH, id="zeros + kernel patch"),
    pytest.param("softmax", KERNEL_PATCH, id="reference + kernel patch"),
    *_hostile_cases(),
]


@pytest.mark.parametrize("exercise, code", CASES_OF_CODE)
def test_notebooks_and_modules_get_identical_results(tmp_path, exercise, code):
    modules = modules_of(tmp_path / "modules", {exercise: code} if code else {})
    notebooks = notebooks_of(tmp_path / "notebooks", {exercise: code} if code else {})
    graded = exercises.select(exercise)
    for student in STUDENTS:
        as_modules = runner.grade(modules, graded, student_id=student, secret=SECRET, limits=LIMITS)
        as_notebooks = notebook_grading.grade(notebooks, graded, student_id=student, secret=SECRET, limits=LIMITS)
        assert outcome(as_notebooks) == outcome(as_modules), student


def test_the_kernel_patch_earns_what_its_real_softmax_earns(tmp_path):
    graded = exercises.select("softmax")
    patched = notebooks_of(tmp_path / "patched", {"softmax": ZEROS + KERNEL_PATCH})
    honest = modules_of(tmp_path / "honest", {"softmax": ZEROS})
    for student in STUDENTS:
        cheat = notebook_grading.grade(patched, graded, student_id=student, secret=SECRET)
        real = runner.grade(honest, graded, student_id=student, secret=SECRET)
        assert cheat.points == real.points < 5, (cheat.points, real.points)
        assert outcome(cheat) == outcome(real)


def test_the_per_student_case_gets_different_results_for_the_two_students(tmp_path):
    # what makes the comparison above sensitive to the student id (issue #11: it was not)
    modules = modules_of(tmp_path / "modules", {"softmax": SOME_INPUTS})
    graded = exercises.select("softmax")
    results = [outcome(runner.grade(modules, graded, student_id=s, secret=SECRET, limits=LIMITS)) for s in STUDENTS]
    assert results[0] != results[1]
