"""Trusted Keras computations on plain data, run in a process that never imported student code.

The Keras checks never take the worker's word for a model: they take its
configuration (read into a spec by :mod:`autograder.keras_spec`), its weights and
what it did, and recompute here, in a fresh worker forked on an empty folder
(:meth:`autograder.submission.Submission.verify`): the model is rebuilt from the
spec, its outputs and one training step with the claimed optimizer, learning rate
and loss are replayed and compared with the student's, and held-out digits are
classified by the rebuilt model with the student's trained weights. Every function
takes and returns plain data (lists of float32 arrays for weights).

:func:`train_step` is also what the student's worker runs (:mod:`autograder.probes`),
so both sides take the very same step.
"""

from __future__ import annotations

import numpy as np

def build(spec: dict, compiled: dict | None = None):
    """A fresh ``keras.Sequential`` from a spec (:mod:`autograder.keras_spec`), compiled if asked."""
    import keras

    layers = [keras.Input(shape=(spec["inputs"],))]
    for layer in spec["layers"]:
        kind = layer["class"]
        if kind == "Dense":
            layers.append(keras.layers.Dense(layer["units"], activation=layer["activation"],
                                             use_bias=layer["use_bias"]))
        elif kind == "Activation":
            layers.append(keras.layers.Activation(layer["activation"]))
        elif kind == "ReLU":
            layers.append(keras.layers.ReLU())
        elif kind == "Softmax":
            layers.append(keras.layers.Softmax())
        else:
            raise ValueError(f"no layer {kind!r} in a spec")
    model = keras.Sequential(layers)
    if compiled is not None:
        optimizer = compiled["optimizer"]
        loss = compiled["loss"]
        loss_class = "".join(part.capitalize() for part in loss["name"].split("_"))  # SparseCategorical...
        loss_kwargs = {"reduction": loss["reduction"]}
        if "crossentropy" in loss["name"]:
            loss_kwargs["from_logits"] = loss["from_logits"]
        try:  # the settings are the student's: a value Keras refuses is their model's, not the grader's
            chosen = keras.optimizers.get({"class_name": optimizer["class"], "config": optimizer["config"]})
            model.compile(optimizer=chosen, loss=getattr(keras.losses, loss_class)(**loss_kwargs))
        except (ValueError, TypeError) as refused:
            raise Refused(f"{type(refused).__name__}: {refused}") from None
    return model


class Refused(ValueError):
    """Keras refused the optimizer or loss settings a student's model reported (e.g. SGD momentum 5)."""


def train_step(model, X: np.ndarray, y: np.ndarray) -> None:
    """One gradient step of ``model``'s own optimizer on its compiled loss, eagerly (no tracing)."""
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(X, dtype=np.float32))
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compute_loss(x=x, y=tf.convert_to_tensor(y), y_pred=y_pred, training=True)
    gradients = tape.gradient(loss, model.trainable_variables)
    model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))


def weights_of(model) -> list[np.ndarray]:
    return [np.asarray(w, dtype=np.float32) for w in model.get_weights()]


def outputs_of(model, X: np.ndarray) -> np.ndarray:
    # a direct call runs eagerly: unlike model.predict, it traces no function for a few hundred rows
    return np.asarray(model(np.asarray(X, dtype=np.float32), training=False), dtype=np.float32)


def replay_step(spec: dict, compiled: dict, weights: list, X: np.ndarray, y: np.ndarray) -> dict:
    """The rebuilt model's outputs on ``X`` and its weights after one step on ``(X, y)``
    (None where the step raises, as a loss for one-hot labels does on integer labels)."""
    model = build(spec, compiled)
    model.set_weights(weights)
    outputs = outputs_of(model, X)
    try:
        train_step(model, X, y)
    except Exception:  # noqa: BLE001 - the settings cannot train on these labels; the student's step failed too
        return {"outputs": outputs, "stepped": None}
    return {"outputs": outputs, "stepped": weights_of(model)}


def predict(spec: dict, weights: list, X: np.ndarray) -> np.ndarray:
    """Class probabilities of the rebuilt model with ``weights`` (e.g. the trained ones)."""
    model = build(spec)
    model.set_weights(weights)
    return outputs_of(model, X)


def replay_fit(spec: dict, compiled: dict, weights: list, X: np.ndarray, y: np.ndarray,
               epochs: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """The weights after what the exercise's ``train_model`` does from ``weights``:
    ``keras.utils.set_random_seed(seed)`` then ``model.fit(X, y, epochs, batch_size)``."""
    import keras

    model = build(spec, compiled)
    model.set_weights(weights)
    keras.utils.set_random_seed(seed)
    model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return weights_of(model)
