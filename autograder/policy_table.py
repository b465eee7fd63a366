"""The library-function policy as data: ``{exercise: {qualified name: why}}``.

The default table, and the instructor's changes from a JSON file named by
``$NN101_POLICY_FILE`` (see :mod:`autograder.policy`, which applies it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from autograder.errors import UsageError

POLICY_FILE_ENV = "NN101_POLICY_FILE"
SOFTMAX_WHY = "the exercise is to write softmax yourself, from np.exp and np.sum"
DEFAULT_POLICY: dict[str, dict[str, str]] = {
    "activations": {
        "scipy.special.expit": "the exercise is to write the sigmoid yourself, from np.exp",
        "scipy.special.log_expit": "the exercise is to write the sigmoid yourself, from np.exp",
    },
    "dense_layer": {
        "keras.layers.Dense": "the exercise is to write the layer yourself, from x @ W and b",
        "keras.layers.EinsumDense": "the exercise is to write the layer yourself, from x @ W and b",
        "torch.nn.Linear": "the exercise is to write the layer yourself, from x @ W and b",
        "torch.nn.functional.linear": "the exercise is to write the layer yourself, from x @ W and b",
    },
    "softmax": {
        "scipy.special.softmax": SOFTMAX_WHY,
        "scipy.special.log_softmax": SOFTMAX_WHY,
        "tensorflow.nn.softmax": SOFTMAX_WHY,
        "tensorflow.math.softmax": SOFTMAX_WHY,
        "keras.activations.softmax": SOFTMAX_WHY,
        "keras.ops.softmax": SOFTMAX_WHY,
        "keras.layers.Softmax": SOFTMAX_WHY,
        "torch.softmax": SOFTMAX_WHY,
        "torch.nn.functional.softmax": SOFTMAX_WHY,
    },
    "losses": {
        "sklearn.metrics.log_loss": "the exercise is to write the cross-entropy yourself",
        "sklearn.metrics.mean_squared_error": "the exercise is to write the quadratic cost yourself",
        "keras.losses": "the exercise is to write the losses yourself, with NumPy",
        "tensorflow.nn.softmax_cross_entropy_with_logits": "the exercise is to write the losses yourself",
        "tensorflow.nn.sparse_softmax_cross_entropy_with_logits": "the exercise is to write the losses yourself",
    },
    "metrics": {
        "keras.utils.to_categorical": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.preprocessing.OneHotEncoder": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.preprocessing.LabelBinarizer": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.preprocessing.label_binarize": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.metrics.accuracy_score": "the exercise is to compute the accuracy yourself, from np.argmax",
        "keras.metrics": "the exercise is to compute the accuracy yourself, from np.argmax",
        "torch.nn.functional.one_hot": "the exercise is to build the one-hot rows yourself, with NumPy",
    },
    "gradient_descent": {
        "scipy.optimize.approx_fprime": "the exercise is to write the central differences yourself",
        "scipy.optimize.check_grad": "the exercise is to write the central differences yourself",
        "sklearn.linear_model": "the exercise is to train softmax regression yourself, with SGD",
        "sklearn.utils.gen_batches": "the exercise is to cut the mini-batches yourself",
        "sklearn.utils.shuffle": "shuffle with the rng argument: rng.permutation(n)",
    },
}


def load_policy(path: str | os.PathLike | None = None) -> dict[str, dict[str, str]]:
    """The default policy with the instructor's changes from ``path`` (or $NN101_POLICY_FILE)."""
    policy = {exercise: dict(entries) for exercise, entries in DEFAULT_POLICY.items()}
    path = path or os.environ.get(POLICY_FILE_ENV)
    if not path:
        return policy
    try:
        changes = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the policy file {path}: {exc}") from None
    if not isinstance(changes, dict) or not all(isinstance(v, dict) for v in changes.values()):
        raise UsageError(f"the policy file {path} must map each exercise to {{name: reason or null}}")
    for exercise, entries in changes.items():
        for name, why in entries.items():
            if why is None:
                policy.setdefault(exercise, {}).pop(name, None)
            else:
                policy.setdefault(exercise, {})[name] = str(why)
    return policy
