"""Visible checks: activation functions at a few points worth knowing by heart."""

import numpy as np

from autograder.checks import expect
from autograder.checks.core import check

Z = np.array([-2.0, 0.0, 3.0])
# The values below are rounded to 8 significant digits: the float64 tolerance (rtol 1e-6) accepts them, any formula
# error (a missing square, the wrong input) is off by far more.


@check("activations", "values at -2, 0 and 3", points=2)
def known_values(sub, rng):
    want = {
        "sigmoid": [0.11920292, 0.5, 0.95257413],
        "tanh": [-0.96402758, 0.0, 0.99505475],
        "relu": [0.0, 0.0, 3.0],
        "leaky_relu": [-0.02, 0.0, 3.0],
    }
    for func, values in want.items():
        expect.close(sub.call(func, Z), values, f"{func}([-2, 0, 3])",
                     hint=f"compare your formula for {func} with the one in the docstring.")


@check("activations", "derivatives at -2, 0 and 3", points=2)
def known_derivatives(sub, rng):
    want = {
        "sigmoid_derivative": [0.10499359, 0.25, 0.04517666],
        "tanh_derivative": [0.07065082, 1.0, 0.00986604],
        "relu_derivative": [0.0, 0.0, 1.0],
        "leaky_relu_derivative": [0.01, 0.01, 1.0],
    }
    for func, values in want.items():
        expect.close(sub.call(func, Z), values, f"{func}([-2, 0, 3])",
                     hint="each derivative takes z, the input of the activation, not its output.")


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the activation functions: random inputs of every shape and dtype,
# extreme values, the points where the definitions switch, and no side effects.
#
# Tolerances: the table of :mod:`autograder.checks.tolerance`, everywhere. At the extremes
# (|z| up to 1e4) every correct formula gives the float64 value to ~1e-16 relative or
# underflows to exactly 0; e.g. s·(1 - s) at z = 40 is 0.0 while e^(-z) / (1 + e^(-z))^2
# is 4e-18: both are right within atol. Values are graded, not warnings: a stable formula
# whose unused np.where branch overflows gets full points and a note.

from autograder.checks import cases, expect
from autograder.checks.core import Fail
from autograder.references import reference


HINTS = {
    "sigmoid": "sigmoid(z) = 1 / (1 + e^(-z)).",
    "sigmoid_derivative": "the derivative is σ(z)·(1 - σ(z)): apply sigmoid to z first.",
    "tanh": "use np.tanh, or (e^z - e^(-z)) / (e^z + e^(-z)).",
    "tanh_derivative": "the derivative is 1 - tanh(z)^2: apply tanh to z first.",
    "relu": "relu(z) = max(0, z) elementwise: use np.maximum(0, z), not Python's max.",
    "relu_derivative": "1 where z > 0, 0 elsewhere (also 0 at z = 0).",
    "leaky_relu": "z where z > 0, alpha·z elsewhere: use the alpha argument.",
    "leaky_relu_derivative": "1 where z > 0, alpha elsewhere: use the alpha argument.",
}
EXTREME = np.array([-1e4, -1000.0, -750.0, -40.0, 0.0, 40.0, 750.0, 1000.0, 1e4])


def _matches_reference(sub, rng, func, **kwargs):
    ref = getattr(reference("activations"), func)
    for label, z in cases.activation_inputs(rng):
        what = f"{func}(z) for z of {label}"
        with expect.hinting(HINTS[func]):
            got = sub.call(func, z, **kwargs)
        want = ref(z, **kwargs)
        got_array = _scalar_answer(got, what) if np.ndim(want) == 0 and not isinstance(got, np.ndarray) else got
        got_array = expect.array(got_array, what)
        expect.shape(got_array, np.shape(z), what, hint="an elementwise function keeps the input's shape.")
        expect.floating(got_array, what)
        expect.close(got_array, want, what, hint=HINTS[func])


def _scalar_answer(got, what):
    """A plain answer for a scalar input (a float, a NumPy scalar) as an array; a list of rows of
    different lengths is the student's mistake, not the check's."""
    try:
        return np.asarray(got)
    except (ValueError, TypeError):
        raise Fail(f"{what} should return a number, but it returned {expect.kind_of(got)}.",
                   hint="for a single number z, return a single number (NumPy does this for you).") from None


def _register_random(func, points=1.0, **kwargs):
    @check("activations", f"{func} on random inputs of several shapes and dtypes", points=points)
    def matches(sub, rng):
        _matches_reference(sub, rng, func, **kwargs)


for _func in HINTS:
    _register_random(_func)


@check("activations", "sigmoid is stable for very large |z|", points=2)
def sigmoid_stable(sub, rng):
    result = sub.probe("call_recording_warnings", "sigmoid", EXTREME)
    want = reference("activations").sigmoid(EXTREME)
    expect.close(result["value"], want, "sigmoid(z) for z up to ±1e4",
                 hint="e^z and e^(-z) overflow for |z| > 709: compute t = e^(-|z|), then use "
                      "1 / (1 + t) where z >= 0 and t / (1 + t) where z < 0.")
    if result["warnings"]:  # right values: full points, and a word on the warning
        return (f"sigmoid(z) for z up to ±1e4 gave the right values but NumPy warned "
                f"({result['warnings'][0]}): np.where computes both branches for every z, so the "
                "unused one may overflow. That is harmless here; to avoid the warning, compute "
                "t = e^(-|z|) once.")


@check("activations", "every function stays finite for very large |z|", points=2)
def all_finite(sub, rng):
    ref = reference("activations")
    what = "{}(z) for z up to ±1e4"
    for func in HINTS:
        if func.startswith("sigmoid"):
            continue  # graded by "sigmoid is stable" and the random checks
        with expect.hinting(HINTS[func]):
            got = expect.array(sub.call(func, EXTREME), what.format(func))
        expect.finite(got, what.format(func), hint="e^z overflows for z > 709: use np.tanh, np.maximum and "
                                                   "np.where rather than writing the formula with np.exp.")
        expect.close(got, getattr(ref, func)(EXTREME), what.format(func), hint=HINTS[func])


@check("activations", "derivative of the sigmoid is stable for large |z|")
def sigmoid_derivative_stable(sub, rng):
    got = expect.array(sub.call("sigmoid_derivative", EXTREME), "sigmoid_derivative(z) for z up to ±1e4")
    expect.close(got, reference("activations").sigmoid_derivative(EXTREME),
                 "sigmoid_derivative(z) for z up to ±1e4",
                 hint="call your stable sigmoid on z first, then multiply: σ(z)·(1 - σ(z)).")


@check("activations", "ReLU and leaky ReLU switch exactly at z = 0")
def switch_at_zero(sub, rng):
    ref = reference("activations")
    z = np.array([-1e-6, 0.0, 1e-6, -0.0])  # far above float64's atol (checks/tolerance.py), so a sign error shows
    for func in ("relu", "relu_derivative", "leaky_relu", "leaky_relu_derivative"):
        with expect.hinting(HINTS[func]):
            got = sub.call(func, z)
        expect.close(got, getattr(ref, func)(z), f"{func}(z) for z = -1e-6, 0, 1e-6, -0", hint=HINTS[func] + " At z = 0 the derivative is 0 for ReLU, alpha for leaky ReLU.")


@check("activations", "leaky ReLU uses its alpha argument", points=2)
def alpha(sub, rng):
    ref = reference("activations")
    z = cases.values(rng, (4, 6))
    for a in (0.2, float(rng.uniform(0.05, 0.5))):
        for func in ("leaky_relu", "leaky_relu_derivative"):
            expect.close(sub.call(func, z, alpha=a), getattr(ref, func)(z, alpha=a),
                         f"{func}(z, alpha={a:.3g})", hint=HINTS[func])


@check("activations", "inputs are not modified", points=2)
def no_mutation(sub, rng):
    for func in HINTS:
        z = cases.values(rng, (3, 5))
        _, after = sub.call_with_args(func, z)
        expect.unchanged([z], after, f"{func}(z)")
