"""The mutant catalog and ``nn101 audit``: every known mistake is caught, in its own exercise only.

The whole audit (every mutant, alternative and the reference, TensorFlow included) runs
once per test session, through :func:`autograder.audit.audit_once`; test_alternatives.py
and test_feedback.py read the same report.
"""

from __future__ import annotations

import ast
import json

import numpy as np
import pytest

from autograder import alternatives, audit, cli, idscan, mutants, runner, seeding
from autograder.checks.core import load_checks
from autograder.exercises import EXERCISES, NAMES
from autograder.mutants.variant import PRISTINE, Variant, materialise
from autograder.references import reference, solutions_dir
from autograder.runner import run_check
from autograder.submission import InProcessSubmission, ModuleProxy
from autograder.rules import AUDIT_MARK, reference_part

CATALOG = mutants.catalog()
NUMPY_EXERCISES = tuple(e for e in EXERCISES if e.kind == "numpy")
# The mistakes issue 4 names; the catalog holds these and more.
REQUIRED = (
    "perceptron/fires_at_zero", "perceptron/bias_ignored", "activations/sigmoid_ratio",
    "activations/sigmoid_derivative_of_z", "activations/tanh_derivative_of_z", "activations/relu_identity",
    "activations/relu_in_place", "activations/leaky_relu_fixed_alpha", "softmax/no_max_shift",
    "softmax/wrong_axis", "softmax/overwrites_input", "losses/ce_mean_over_classes", "losses/ce_summed",
    "losses/ce_no_minus", "losses/ce_log10", "losses/ce_no_clip", "losses/sparse_all_labels",
    "losses/quadratic_no_half", "losses/gradient_not_divided", "gradient_descent/sgd_plus",
    "gradient_descent/sgd_skips_bias", "gradient_descent/batches_shuffled_apart",
    "gradient_descent/batches_drop_last", "gradient_descent/batches_with_replacement",
    "gradient_descent/train_sums_gradients", "keras_model/one_softmax_unit", "keras_model/sigmoid_output",
    "keras_model/categorical_loss", "keras_model/adam",
    # issue 11: wrong work that passed
    "losses/sparse_fixed_eps", "softmax/row_min_shift", "gradient_descent/batches_shuffle_in_place",
    "gradient_descent/train_eye_max", "gradient_descent/batches_global_random", "softmax/uniform",
    "softmax/float64_no_shift", "gradient_descent/numgrad_fixed_h", "quiz/letter_with_text",
)


@pytest.fixture(scope="session")
def report():
    return audit.audit_once(NAMES, jobs=2)


def _outcome(report, variant_id):
    return next(o for o in report.mutants if o.name == variant_id)


def _api(exercise: str) -> set[str]:
    """The public functions of an exercise, as defined in its reference solution."""
    tree = ast.parse((solutions_dir() / f"{exercise}.py").read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}


def _defined(variant: Variant) -> set[str]:
    return {n.name for n in ast.parse(variant.code).body if isinstance(n, ast.FunctionDef)}


# ---- the catalog --------------------------------------------------------------------------------


def test_the_catalog_holds_at_least_100_described_mutants_with_a_keyword():
    assert len(CATALOG) >= 100
    for variant in CATALOG:
        assert variant.description and "\n" not in variant.description, variant.id
        assert variant.keyword, variant.id


def test_the_catalog_holds_every_mistake_the_issue_names():
    missing = sorted(set(REQUIRED) - {v.id for v in CATALOG})
    assert not missing, missing


@pytest.mark.parametrize("exercise", NAMES)
def test_mutants_cover_every_function_of_the_exercise(exercise):
    own = [v for v in CATALOG if v.exercise == exercise]
    assert own, exercise
    covered = set().union(*(_defined(v) for v in own))
    assert _api(exercise) <= covered, sorted(_api(exercise) - covered)


def test_a_mutant_is_shielded_from_the_other_modules_but_an_alternative_is_not(tmp_path):
    variant = next(v for v in CATALOG if v.id == "softmax/wrong_axis")
    folder = materialise(variant, solutions_dir(), tmp_path / "mutant")
    assert variant.code in (folder / "softmax.py").read_text()
    reference = reference_part((solutions_dir() / "softmax.py").read_text())  # what a student hands in
    assert (folder / f"{PRISTINE.format('softmax')}.py").read_text() == reference and AUDIT_MARK not in reference
    for dependent in ("losses", "gradient_descent"):
        assert (folder / f"{dependent}.py").read_text().rstrip().endswith(
            f"from {PRISTINE.format('softmax')} import softmax")
    plain = materialise(variant, solutions_dir(), tmp_path / "plain", shield=False)
    assert not (plain / f"{PRISTINE.format('softmax')}.py").exists()


# ---- the audit ----------------------------------------------------------------------------------


def test_the_references_keep_full_marks(report):
    results = report.reference.results
    assert [e.name for e in results.exercises] == list(NAMES)
    assert results.points == results.max_points > 0, [(c.title, c.message) for c in results.checks if not c.passed]


@pytest.mark.parametrize("variant_id", [v.id for v in CATALOG])
def test_every_mutant_loses_points_in_its_own_exercise_and_no_other(report, variant_id):
    outcome = _outcome(report, variant_id)
    assert outcome.lost(outcome.variant.exercise) > 0, f"{variant_id} is not caught"
    assert not outcome.leaks, {name: outcome.lost(name) for name in outcome.leaks}
    graded = {e.name for e in outcome.results.exercises}
    assert graded == {e.name for e in EXERCISES if e.kind == outcome.variant.kind}


def test_every_hidden_check_catches_a_mutant_or_says_why(report):
    assert {c.exercise for c in report.hidden_checks} == set(NAMES)
    assert not report.silent_checks, [c.title for c in report.silent_checks]


def test_every_check_fails_a_mutant_aimed_at_it(report):
    """Each check is shown to fail for the reason it names: a mutant aimed at it (Variant.check) fails it."""
    assert {c.exercise for c in report.all_checks} == set(NAMES)
    assert not report.unproven_checks, [c.title for c in report.unproven_checks]
    assert not report.misaimed, [(o.name, o.variant.check) for o in report.misaimed]


def test_the_reference_and_every_alternative_keep_full_marks_for_1000_student_ids():
    """1,000 ids for the cheap exercises; 200 for training, the costly one (nn101 audit --ids does all)."""
    numpy_names = tuple(e.name for e in NUMPY_EXERCISES)
    cheap = tuple(name for name in numpy_names if name != "gradient_descent")
    scan = idscan.scan(1000, cheap, jobs=2)
    assert scan.ids == 1000 and len(scan.variants) > 10
    assert scan.ok, idscan.render(scan)
    training = idscan.scan(200, ("gradient_descent",), variants=alternatives.catalog(numpy_names), jobs=2)
    assert training.ok, idscan.render(training)


def test_the_grader_never_fails_on_its_own(report):
    assert not report.grader_errors, [(name, c.title) for name, c in report.grader_errors]
    assert report.ok and report.return_code == 0


def test_audit_command_prints_the_table_and_exits_0(capsys):
    assert cli.main(["audit", "--only", "quiz"]) == 0
    out = capsys.readouterr().out
    assert "quiz/answers_shifted" in out and "q05 (network structure)" in out
    assert "audit: passed" in out and "hidden checks that catch no mutant: none" in out


def test_audit_command_exits_1_and_names_a_mutant_that_is_not_caught(monkeypatch, capsys):
    harmless = Variant("quiz/same_answer", "quiz", "answers q01 like the reference", 'q01 = "c"\n', "neurons")
    original = mutants.catalog
    monkeypatch.setattr(mutants, "catalog", lambda only: original(only) + (harmless,))
    assert cli.main(["audit", "--only", "quiz", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["missed"] == ["quiz/same_answer"] and not data["ok"]


def test_audit_rejects_an_unknown_exercise(capsys):
    assert cli.main(["audit", "--only", "softmaks"]) == 2
    assert "unknown exercise softmaks" in capsys.readouterr().err


# ---- per-student inputs ---------------------------------------------------------------------------

SECRET = b"a course secret for the tests"


def _inputs_seen(student_id: str) -> list[np.ndarray]:
    """The logits a hidden softmax check sends for ``student_id`` (recorded, no worker needed)."""
    seen = []

    def softmax(z, axis=-1):
        seen.append(np.array(z))
        return reference("softmax").softmax(z, axis=axis)

    check = next(c for c in load_checks("softmax") if c.name == "random logits, one sample and batches")
    proxy = ModuleProxy(InProcessSubmission({"softmax": {"softmax": softmax}}), "softmax")
    assert run_check(check, proxy, seeding.check_rng(SECRET, student_id, check.title)).passed
    return seen


def _same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b))


def test_two_students_get_different_hidden_inputs_and_each_the_same_ones_again():
    alice, bob = _inputs_seen("alice"), _inputs_seen("bob")
    assert not _same(alice, bob)
    assert _same(alice, _inputs_seen("alice"))
    assert _same(_inputs_seen(""), _inputs_seen(""))  # no id: a fixed seed, reproducible local runs
    assert not _same(_inputs_seen(""), alice)


def test_a_regrade_gives_the_same_results():
    first, again = (runner.grade(solutions_dir(), NUMPY_EXERCISES, student_id="alice", secret=SECRET)
                    for _ in range(2))
    assert first == again
    assert first.points == first.max_points


def test_the_seed_depends_on_secret_student_and_check():
    seed = seeding.check_seed(SECRET, "alice", "softmax: x")
    assert seed == seeding.check_seed(SECRET, "alice", "softmax: x")
    assert len({seed, seeding.check_seed(SECRET, "bob", "softmax: x"), seeding.check_seed(b"other", "alice",
                "softmax: x"), seeding.check_seed(SECRET, "alice", "softmax: y")}) == 4

