"""Trusted Keras computations on plain data, run in a process that never imported student code.

The Keras checks never take the worker's word for a model: they take its
configuration (read into a spec by :mod:`autograder.keras_spec`), its weights and
what it did, and recompute here, in a worker forked on an empty folder that only ever
runs this module on plain data (:mod:`autograder.verifier`, one per grading process):
the model is rebuilt from the spec, its outputs and one training step with the claimed
optimizer, learning rate and loss are replayed and compared with the student's, a
training run is replayed, and held-out digits are classified by the rebuilt model with
the student's trained weights. Every function takes and returns plain data (lists of
float32 arrays for weights), and its answer depends on nothing computed before it: a
model kept from an earlier request (:func:`rebuilt`) is reset first.

:func:`train_step` is also what the student's worker runs (:mod:`autograder.probes`),
so both sides take the very same step.
"""

from __future__ import annotations

import functools
import json
from collections import OrderedDict

import numpy as np

MODELS_KEPT = 8
"""Compiled models kept for reuse, by configuration (the verifier serves a whole batch)..."""
KEPT_PARAMETERS = 1_000_000
"""... if they have at most this many parameters (the allowlist lets a model have 4 million)."""
_models: OrderedDict = OrderedDict()


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


def rebuilt(spec: dict, compiled: dict | None, weights: list):
    """:func:`build`'s model with ``weights``, its optimizer in a fresh one's state."""
    return _reset(spec, compiled, weights)["model"]


def _reset(spec: dict, compiled: dict | None, weights: list) -> dict:
    """``{"model", "fresh", "step"}``: a kept model of this configuration, reset, or a new one.

    Building and compiling cost 20 ms and tracing a training step 0.1 s, for each of a
    submission's models; the verifier keeps the models of the last few configurations (in a
    batch most students' are the same) and resets what training changed: the weights, and
    every variable of the optimizer (its step count, momenta, accumulators) to the values
    ``fresh`` it had when it was built, before any step.
    """
    key = json.dumps([spec, compiled], sort_keys=True)
    entry = _models.pop(key, None)
    if entry is None:
        entry = {"model": build(spec, compiled), "fresh": [], "step": None}
        try:
            if compiled is not None:
                entry["model"].optimizer.build(entry["model"].trainable_variables)
                entry["fresh"] = [np.array(v) for v in entry["model"].optimizer.variables]
        except Exception:  # noqa: BLE001 - settings that cannot train: use it as built, once
            entry["model"].set_weights(weights)
            return entry
        if entry["model"].count_params() > KEPT_PARAMETERS:
            entry["model"].set_weights(weights)
            return entry
    _models[key] = entry
    while len(_models) > MODELS_KEPT:
        _models.popitem(last=False)
    model = entry["model"]
    model.set_weights(weights)
    if compiled is not None:
        for variable, value in zip(model.optimizer.variables, entry["fresh"]):
            variable.assign(value)
        model.reset_metrics()
    return entry


def replay_step(spec: dict, compiled: dict, weights: list, X: np.ndarray, y: np.ndarray) -> dict:
    """The rebuilt model's outputs on ``X`` and its weights after one step on ``(X, y)``
    (None where the step raises, as a loss for one-hot labels does on integer labels)."""
    model = rebuilt(spec, compiled, weights)
    outputs = outputs_of(model, X)
    try:
        train_step(model, X, y)
    except Exception:  # noqa: BLE001 - the settings cannot train on these labels; the student's step failed too
        return {"outputs": outputs, "stepped": None}
    return {"outputs": outputs, "stepped": weights_of(model)}


def predict(spec: dict, weights: list, X: np.ndarray) -> np.ndarray:
    """Class probabilities of the rebuilt model with ``weights`` (e.g. the trained ones)."""
    return outputs_of(rebuilt(spec, None, weights), X)


def replay_fit(spec: dict, compiled: dict, weights: list, X: np.ndarray, y: np.ndarray,
               epochs: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """The weights after what the exercise's ``train_model`` does from ``weights``:
    ``keras.utils.set_random_seed(seed)`` then ``model.fit(X, y, epochs, batch_size)``.

    Replayed as ``model.fit`` runs it, step by step: Keras' own ``train_step``, traced as fit
    traces it, on the batches ``model.fit`` draws (:func:`fit_batches`). Bit for bit the same
    weights, without building a data pipeline and tracing a new training function each time:
    the accuracy check's 20 epochs on the digits take 0.4 s of CPU instead of model.fit's 1.35 s,
    the short run's 3 epochs 0.01 s instead of 0.2 s (the kept model's traced step is reused).
    """
    import tensorflow as tf

    entry = _reset(spec, compiled, weights)
    if entry["step"] is None:  # model.train_step as model.fit runs it: a tf.function
        entry["step"] = tf.function(entry["model"].train_step, reduce_retracing=True)
    X, y = np.asarray(X, dtype=np.float32), np.asarray(y)
    for rows in fit_batches(len(X), epochs, batch_size, seed):
        entry["step"]((tf.convert_to_tensor(X[rows]), tf.convert_to_tensor(y[rows])))
    return weights_of(entry["model"])


@functools.lru_cache(maxsize=8)
def fit_batches(n: int, epochs: int, batch_size: int, seed: int) -> tuple[np.ndarray, ...]:
    """The rows of each batch, in order, that ``model.fit`` on ``n`` samples trains on after
    ``keras.utils.set_random_seed(seed)``: its shuffle depends on nothing else (not the model),
    so it is found once, by fitting a model that records its batches instead of learning."""
    import keras

    batches = []

    class Recorder(keras.Model):
        def call(self, x):
            return x

        def train_step(self, data):
            batches.append(np.asarray(data[0])[:, 0].astype(np.int64))
            return {"rows": len(batches)}  # fit needs some log

    recorder = Recorder()
    recorder.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    rows = np.arange(n, dtype=np.float32)[:, None]  # exact below 2**24 rows
    keras.utils.set_random_seed(seed)
    recorder.fit(rows, rows, epochs=epochs, batch_size=batch_size, verbose=0)
    return tuple(batches)
