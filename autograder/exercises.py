"""The exercises of the lesson, in teaching order.

Adding an exercise: write ``solutions/<name>.py`` and its checks in
``autograder/checks/<name>.py`` (visible) and ``autograder/hidden/<name>.py``
(hidden), then list it here. Stubs, notebooks and the kit are generated.
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
