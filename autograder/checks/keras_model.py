"""Visible checks of the Keras exercise: the default model's layers and compile settings.

Nothing the student's process says about its model is taken as said. The probe
(:func:`autograder.probes.keras_model`) reports the model's configuration, its weights,
its outputs on a batch chosen here and its weights after one training step on that
batch. The configuration is read through an allowlist (:mod:`autograder.keras_spec`);
the model is rebuilt from it where no student code ran (:mod:`autograder.keras_verify`),
and must give the same outputs (so the layers are what it says) and take the same step
with the optimizer, learning rate and loss it claims (so the compile settings are too).
"""

import numpy as np

from autograder import keras_spec
from autograder.checks.core import Fail, check

ACTIVATION_HINT = "give every hidden Dense layer activation=activation and the output layer softmax."
STEP_ROWS = 8
# What the student's model computed and what the rebuilt one computes: the same float32 operations
# in processes forked from one zygote, so they agree to the last bit; the tolerance is a margin only.
SAME = {"rtol": 1e-5, "atol": 1e-6}
KNOWN_TYPES = frozenset("NoneType int float str bool list tuple dict ndarray History Sequential Functional "
                        "Model Dense function".split())
MISMATCH_HINT = ("return the model that build_model built and compiled, built from keras.Input and Dense "
                 "layers; the grader rebuilds it from its configuration and compares.")


def type_name(name) -> str:
    """A type name from the worker, shown only if it is one the grader knows (never echo its text)."""
    return name if name in KNOWN_TYPES else "object of another type"


def step_batch(n_inputs: int, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The batch the model is called on and takes its step on: fixed, every class present."""
    X = np.random.default_rng(7).normal(size=(STEP_ROWS, n_inputs)).astype(np.float32)
    return X, np.arange(STEP_ROWS) % n_classes


def describe(sub, **build_kwargs) -> dict:
    """The student's ``build_model(**build_kwargs)`` as plain data, its layers confirmed by a
    rebuilt model; fail if it is no compiled model, or not the model it says it is."""
    call = "build_model(" + ", ".join(f"{k}={v!r}" for k, v in build_kwargs.items()) + ")"
    n_inputs, n_classes = build_kwargs.get("n_inputs", 64), build_kwargs.get("n_classes", 10)
    X, y = step_batch(n_inputs, n_classes)
    data = sub.probe("keras_model", build_kwargs, X, y)
    if not data.get("is_model"):
        raise Fail(f"{call} returned a {type_name(data.get('type'))}, not a keras.Model.",
                   hint="build the model (keras.Sequential or keras.Model) and return it.")
    spec, compiled = read_configuration(call, data)
    info = keras_spec.describe(spec, compiled)
    info["call"] = call
    if not info["compiled"]:
        raise Fail(f"{call} returned a model that was not compiled.",
                   hint="compile the model (model.compile with an optimizer, a loss and metrics) before returning it.")
    if spec["inputs"] != n_inputs:
        raise Fail(f"{call} should take inputs of {n_inputs} features.", shown=f"Input shape: {info['input_shape']}.",
                   hint="start with keras.Input(shape=(n_inputs,)).")
    info["step"] = confirm(sub, call, spec, compiled, data, X, y)
    return info


def read_configuration(call: str, data: dict) -> tuple[dict, dict | None]:
    """The model's spec and compile spec; fail with what is not supported."""
    try:
        return keras_spec.model_spec(data["config"]), keras_spec.compile_spec(data["compile_config"])
    except keras_spec.Unsupported as error:
        raise Fail(f"{call}: {error}.", hint=keras_spec.HINT) from None


def same_arrays(got, want) -> bool:
    if not isinstance(got, list) or len(got) != len(want):
        return False
    return all(isinstance(g, np.ndarray) and g.shape == w.shape and np.allclose(g, w, **SAME)
               for g, w in zip(got, want))


def confirm(sub, call: str, spec: dict, compiled: dict, data: dict, X, y) -> str:
    """Rebuild the model and compare: its outputs must match (else fail); returns whether its step
    matches too: "confirmed", "mismatch" or "failed" (the student's step raised)."""
    weights = data["weights"]
    shapes = keras_spec.weight_shapes(spec)
    if len(weights) != len(shapes) or any(not isinstance(w, np.ndarray) or w.shape != s
                                          for w, s in zip(weights, shapes)):
        raise Fail(f"{call} returned a model whose weights do not fit its own layers.", hint=MISMATCH_HINT)
    replay = sub.verify("replay_step", spec, compiled, [np.asarray(w, dtype=np.float32) for w in weights], X, y)
    if not same_arrays([data["outputs"]], [replay["outputs"]]):
        raise Fail(f"{call} returned a model that does not compute what its layers say.", hint=MISMATCH_HINT)
    if data["stepped"] is None or replay["stepped"] is None:
        return "failed" if data["stepped"] is None and replay["stepped"] is None else "mismatch"
    return "confirmed" if same_arrays(data["stepped"], replay["stepped"]) else "mismatch"


ACTIVATION_LAYERS = {"Activation": None, "ReLU": "relu", "Softmax": "softmax"}


def dense_layers(info: dict) -> list[tuple]:
    """``[(units, activation), ...]`` of the model's layers, ignoring the input layer.

    ``Dense(units)`` followed by an activation layer (``Activation("tanh")``, ``ReLU()``,
    ``Softmax()``) counts as ``Dense(units, activation=...)``: both are correct.
    """
    found: list[tuple] = []
    for layer in info["layers"]:
        kind = layer["class"]
        if kind == "InputLayer":
            continue
        if kind in ACTIVATION_LAYERS and found and found[-1][1] == "linear":
            found[-1] = (found[-1][0], ACTIVATION_LAYERS[kind] or _activation(layer["activation"]))
        else:
            found.append((layer["units"], _activation(layer["activation"])) if kind == "Dense" else (kind, None))
    return found


def _activation(name):
    """No activation is "linear" (the spec already maps tf.nn.softmax's "softmax_v2" to "softmax")."""
    return name or "linear"


def expect_layers(info: dict, want: list[tuple]) -> None:
    got = dense_layers(info)
    if got != want:
        raise Fail(f"{info['call']} does not have the expected layers.",
                   shown=f"Expected Dense layers (units, activation) {want}, got {got}.", hint=_layer_hint(got, want))


def _layer_hint(got: list[tuple], want: list[tuple]) -> str:
    """Name the likely mistake: the output layer's units or activation, or the hidden layers."""
    if got and got[-1] != want[-1]:
        if got[-1][0] != want[-1][0]:
            return "the output layer needs one unit per class: Dense(n_classes, activation='softmax')."
        return (f"the output layer needs activation='softmax' (not {got[-1][1]!r}), so that the "
                "class probabilities sum to 1.")
    if len(got) != len(want):
        return "one Dense layer per entry of hidden_units, then the output layer; no other layers."
    return ACTIVATION_HINT + " Use the units of hidden_units, in order."


def expect_compiled(info: dict, learning_rate: float) -> None:
    # the learning rate is stored as float32: 0.1 comes back as 0.10000000149
    if info["optimizer"] != "SGD" or abs((info["learning_rate"] or 0) - learning_rate) > 1e-6 * learning_rate \
            or info.get("momentum"):
        raise Fail(f"{info['call']} was not compiled with plain SGD at the given learning rate.",
                   shown=f"Expected SGD with learning_rate={learning_rate} and no momentum, got "
                         f"{info['optimizer']} with learning_rate={info['learning_rate']}"
                         + (f" and momentum={info['momentum']}" if info.get("momentum") else "") + ".",
                   hint="compile with optimizer=keras.optimizers.SGD(learning_rate): plain SGD, "
                        "not Adam or another optimizer, and the learning_rate argument.")
    loss = (info["loss"] or "").replace("_", "")
    if loss != "sparsecategoricalcrossentropy":
        raise Fail(f"{info['call']} was not compiled with the right loss for integer labels.",
                   shown=f"Expected 'sparse_categorical_crossentropy', got {info['loss']!r}.",
                   hint="labels 0..9 are integers: use loss='sparse_categorical_crossentropy'.")
    if not any(m and ("accuracy" in m or m == "acc") for m in info["metrics"]):
        raise Fail(f"{info['call']} does not report accuracy.", shown=f"Metrics: {info['metrics']}.",
                   hint="compile with metrics=['accuracy'].")
    expect_logits_agree(info)
    if info["step"] != "confirmed":
        raise Fail(f"{info['call']} returned a model that does not train like the settings it reports: "
                   + ("one training step on integer labels 0..9 failed." if info["step"] == "failed" else
                      "one step with the optimizer, learning rate and loss it reports gave other weights."),
                   shown=f"It reports {info['optimizer']} with learning_rate={info['learning_rate']} and "
                         f"loss {info['loss']!r}.",
                   hint="return the very model you compiled, with plain SGD at the learning_rate argument "
                        "and the sparse categorical cross-entropy loss.")


def expect_logits_agree(info: dict) -> None:
    """The loss's ``from_logits`` must match what the output layer gives (Keras only warns)."""
    output = info["output_activation"]
    if info["from_logits"] and output == "softmax":
        raise Fail(f"{info['call']} applies softmax in the output layer and also tells the loss "
                   "from_logits=True, so the loss applies softmax a second time.",
                   hint="the output layer already gives probabilities: drop from_logits=True from the loss.")
    if not info["from_logits"] and output == "linear":
        raise Fail(f"{info['call']} has an output layer without activation (it gives logits), but the loss "
                   "expects probabilities (from_logits=False).",
                   hint="give the output layer activation='softmax' (or, with logits, the loss from_logits=True).")


@check("keras_model", "the default model's layers", points=2)
def default_layers(sub, rng):
    expect_layers(describe(sub), [(64, "relu"), (10, "softmax")])


@check("keras_model", "the default model's compile settings", points=2)
def default_compile(sub, rng):
    expect_compiled(describe(sub), 0.1)


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the Keras exercise: structure for other arguments, training, accuracy.
#
# Each check describes the built model (cheap) before it trains one (seconds): a model
# without one output unit per class fails at once, without training. The worker reports
# weights only; accuracy and the training run are recomputed by a rebuilt model where no
# student code runs (:mod:`autograder.keras_verify`).

import functools
from autograder.checks import expect
from autograder.data import load_digits_split


TARGET_ACCURACY = 0.95
# Trained for 20 epochs, not the default 40: the reference is at 96.7% on this split after 20 and
# 97.1% after 40 (over 3 splits x 3 seeds the worst is 95.6% after 20, 95.8% after 40), so 20 epochs
# tell a model that learns from one that does not as well as 40 do, in half the grading time.
ACCURACY_EPOCHS = 20
FIT_HINT = ("labels 0..9 are integers: compile with loss='sparse_categorical_crossentropy', and pass "
            "epochs=epochs and batch_size=batch_size to model.fit.")


SPLIT_SEEDS = (0, 2)


@functools.cache
def digits(seed: int) -> tuple[np.ndarray, ...]:
    """``load_digits_split(seed=seed)``, loaded once (importing scikit-learn takes a second), read-only."""
    arrays = load_digits_split(seed=seed)
    for array in arrays:
        array.flags.writeable = False
    return arrays


def prepare() -> None:
    for seed in SPLIT_SEEDS:
        digits(seed)


@check("keras_model", "hidden_units and activation are respected", points=2)
def custom_layers(sub, rng):
    info = describe(sub, n_inputs=20, n_classes=3, hidden_units=(32, 16), activation="tanh")  # checks n_inputs
    expect_layers(info, [(32, "tanh"), (16, "tanh"), (3, "softmax")])


@check("keras_model", "a model with no hidden layer")
def no_hidden_layer(sub, rng):
    expect_layers(describe(sub, n_classes=4, hidden_units=()), [(4, "softmax")])


@check("keras_model", "compiled with SGD at the given learning rate")
def learning_rate(sub, rng):
    expect_compiled(describe(sub, learning_rate=0.037), 0.037)


def _fit(sub, X_train, y_train, epochs, seed=0, scramble=None, batch_size=None, **build_kwargs):
    """Train with the student's ``train_model``; return its report, with the trained model's spec.

    Only weights and the configuration come back from the worker: every verdict on them is
    computed here, or by a model rebuilt where no student code runs.
    """
    n_classes = build_kwargs.get("n_classes", 10)
    info = describe(sub, **build_kwargs)
    if info["output_shape"] != [None, n_classes]:
        raise Fail(f"{info['call']} gives outputs of shape {info['output_shape']}, so it cannot be trained "
                   f"to classify {n_classes} classes.",
                   hint="the output layer needs one unit per class: Dense(n_classes, activation='softmax').")
    if (info["loss"] or "").replace("_", "") == "categoricalcrossentropy":
        raise Fail(f"{info['call']} is compiled with categorical_crossentropy, which needs one-hot labels; "
                   "model.fit with the integer labels 0..9 cannot run.", hint=FIT_HINT)
    train_kwargs = {"epochs": epochs, "seed": seed, **({"batch_size": batch_size} if batch_size else {})}
    with expect.hinting(FIT_HINT):
        result = sub.probe("keras_fit", X_train, y_train, build_kwargs, train_kwargs, scramble)
    if result.get("history_type") != "History":
        raise Fail(f"train_model returned a {type_name(result.get('history_type'))}, not the History of model.fit.",
                   hint="return what model.fit(...) returns.")
    spec, compiled = read_configuration("the trained model", result)
    shapes = keras_spec.weight_shapes(spec)
    for key in ("initial", "trained"):
        if [getattr(w, "shape", None) for w in result[key]] != shapes:
            raise Fail("the trained model's weights do not fit its own layers.", hint=MISMATCH_HINT)
    result["spec"], result["compile"] = spec, compiled
    return result


def _weights(result: dict, key: str) -> list[np.ndarray]:
    return [np.asarray(w, dtype=np.float32) for w in result[key]]


SHORT_EPOCHS = 3
SHORT_BATCH = 64  # not the default 32: a train_model that ignores batch_size trains differently
SHORT_SEED = 5


def _short_run(sub, scramble: int) -> dict:
    """A few epochs on 256 digits; the epochs, reproducibility and accuracy checks ask for the same
    run, so the submission trains it once."""
    X_train, _, y_train, _ = digits(2)
    return _fit(sub, X_train[:256], y_train[:256], epochs=SHORT_EPOCHS, seed=SHORT_SEED,
                scramble=scramble, batch_size=SHORT_BATCH)


def _fit_replayed(sub, result: dict) -> list[np.ndarray]:
    """What train_model must do with the short run's arguments (seed, then model.fit), replayed on
    a rebuilt model from the same initial weights where no student code runs."""
    X_train, _, y_train, _ = digits(2)
    return sub.verify("replay_fit", result["spec"], result["compile"], _weights(result, "initial"),
                      X_train[:256], y_train[:256], SHORT_EPOCHS, SHORT_BATCH, SHORT_SEED)


@check("keras_model", "reaches 95% accuracy on held-out digits", points=5)
def accuracy(sub, rng):
    """The grader trains the student's model itself: the weights a train_model reports are never
    taken (a fresh attacker's train_model returned weights trained elsewhere and scored 14/15). It
    takes the student's model (layers, optimizer, loss, initial weights) from the short run and, once
    that run shows train_model trains as model.fit does, fits it for ACCURACY_EPOCHS on the
    training digits and classifies the held-out ones, all where no student code runs."""
    result = _short_run(sub, scramble=11)
    call = f"train_model(model, X_train, y_train, epochs={SHORT_EPOCHS}, batch_size={SHORT_BATCH}, seed={SHORT_SEED})"
    if result["epochs"] != SHORT_EPOCHS or not same_arrays(_weights(result, "trained"), _fit_replayed(sub, result)):
        raise Fail(f"{call} did not train the model as model.fit does, so the grader cannot measure what "
                   "your train_model would reach.",
                   hint="call keras.utils.set_random_seed(seed), then model.fit with the given epochs and "
                        "batch_size, and hand back the History that fit gives.")
    X_train, X_test, y_train, y_test = digits(0)
    trained = sub.verify("replay_fit", result["spec"], result["compile"], _weights(result, "initial"),
                         X_train, y_train, ACCURACY_EPOCHS, 32, 0)
    probabilities = sub.verify("predict", result["spec"], trained, X_test)
    if probabilities.shape != (len(X_test), 10):
        raise Fail("the trained model's predictions have the wrong shape.",
                   hint="the output layer needs one unit per class: Dense(n_classes, activation='softmax').")
    score = float(np.mean(np.argmax(probabilities, axis=1) == y_test))
    if not score >= TARGET_ACCURACY:
        raise Fail(f"build_model() trained with model.fit for {ACCURACY_EPOCHS} epochs (batch size 32) "
                   f"classified {score:.1%} of the held-out digits correctly; at least {TARGET_ACCURACY:.0%} "
                   "is needed.",
                   hint="use the defaults: 64 ReLU units, a softmax output layer, SGD at the given learning "
                        "rate (0.1) and the sparse categorical cross-entropy.")


@check("keras_model", "train_model honours epochs, batch_size and seed and returns the History")
def epochs(sub, rng):
    result = _short_run(sub, scramble=11)
    call = (f"train_model(model, X_train, y_train, epochs={SHORT_EPOCHS}, batch_size={SHORT_BATCH}, "
            f"seed={SHORT_SEED})")
    if result["epochs"] != SHORT_EPOCHS or len(result["losses"]) != SHORT_EPOCHS:
        raise Fail(f"{call} trained for {result['epochs']} epochs.",
                   hint="pass epochs=epochs and batch_size=batch_size to model.fit.")
    # seed, then fit with the given epochs and batch size: replayed, it must end at the student's weights
    if not same_arrays(_weights(result, "trained"), _fit_replayed(sub, result)):
        raise Fail(f"{call} did not train the model as keras.utils.set_random_seed(seed) followed by "
                   "model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size) does.",
                   hint="pass every argument on: epochs=epochs and batch_size=batch_size to model.fit, "
                        "after keras.utils.set_random_seed(seed) with the given seed.")


@check("keras_model", "training is reproducible for a seed")
def reproducible(sub, rng):
    runs = [_weights(_short_run(sub, scramble), "trained") for scramble in (11, 12)]
    if not same_arrays(runs[0], runs[1]):
        raise Fail("two runs of train_model with the same seed gave different models.",
                   hint="call keras.utils.set_random_seed(seed) before model.fit.")
