"""Visible checks of the Keras exercise: the default model's layers and compile settings."""

from autograder.checks.core import Fail, check

ACTIVATION_HINT = "give every hidden Dense layer activation=activation and the output layer softmax."


def describe(sub, **build_kwargs) -> dict:
    """The student's ``build_model(**build_kwargs)`` as plain data; fail if it is no model."""
    call = "build_model(" + ", ".join(f"{k}={v!r}" for k, v in build_kwargs.items()) + ")"
    info = sub.probe("keras_describe", build_kwargs)
    if not info.get("is_model"):
        raise Fail(f"{call} returned a {info.get('type')}, not a keras.Model.",
                   hint="build the model (keras.Sequential or keras.Model) and return it.")
    if not info.get("compiled"):
        raise Fail(f"{call} returned a model that was not compiled.",
                   hint="call model.compile(optimizer=..., loss=..., metrics=...) before returning it.")
    info["call"] = call
    return info


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
    """``tf.nn.softmax`` is called "softmax_v2"; no activation is "linear"."""
    return (name or "linear").lower().removesuffix("_v2")


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


@check("keras_model", "the default model's layers", points=2)
def default_layers(sub, rng):
    info = describe(sub)
    if info["input_shape"] != [None, 64]:
        raise Fail("build_model() should take inputs of 64 features.", shown=f"Input shape: {info['input_shape']}.",
                   hint="start with keras.Input(shape=(n_inputs,)).")
    expect_layers(info, [(64, "relu"), (10, "softmax")])


@check("keras_model", "the default model's compile settings", points=2)
def default_compile(sub, rng):
    expect_compiled(describe(sub), 0.1)
