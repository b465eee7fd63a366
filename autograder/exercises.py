"""The exercises of the lesson, in teaching order.

Adding an exercise takes two hand-written files and one line here (the README's checklist,
"Adding an exercise"): the reference ``solutions/<name>.py`` with its known mistakes and
correct alternatives below its audit mark, and its checks ``autograder/checks/<name>.py``,
visible ones then hidden ones below their mark. Stubs, visible test files, notebooks (from
the docstrings, unless a lesson text places its cells) and the kit are generated;
:mod:`autograder.rules` says what is missing.

``dense_layer`` follows ``activations``: the layer applies the activations just written,
and its output feeds the softmax and losses that come next.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.errors import UsageError


@dataclass(frozen=True)
class Exercise:
    name: str
    """Module name, also the file name students fill in (``<name>.py``)."""
    title: str
    kind: str = "numpy"
    """Which worker runs it: ``"numpy"`` or ``"keras"`` (TensorFlow pre-imported)."""


EXERCISES = (
    Exercise("perceptron", "Artificial neurons and the perceptron"),
    Exercise("activations", "Activation functions and their derivatives"),
    Exercise("dense_layer", "Network structure: a fully connected layer"),
    Exercise("softmax", "Softmax output"),
    Exercise("losses", "Loss functions"),
    Exercise("metrics", "Measuring a classifier: one-hot labels and accuracy"),
    Exercise("gradient_descent", "Gradient descent and mini-batches"),
    Exercise("keras_model", "A first Keras model", kind="keras"),
    Exercise("quiz", "Concept quiz"),
)
NAMES = tuple(e.name for e in EXERCISES)


def select(only: str | None) -> tuple[Exercise, ...]:
    """Parse ``--only a,b``; raise UsageError naming unknown modules."""
    if not only:
        return EXERCISES
    wanted = [w.strip().removesuffix(".py") for w in only.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in NAMES]
    if unknown:
        raise UsageError(f"unknown exercise {', '.join(unknown)}: choose from {', '.join(NAMES)}")
    return tuple(e for e in EXERCISES if e.name in wanted)
