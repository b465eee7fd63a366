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


def dense_layers(info: dict) -> list[tuple]:
    """``[(units, activation), ...]`` of the model's layers, ignoring the input layer."""
    return [(layer["units"], layer["activation"]) if layer["class"] == "Dense" else (layer["class"], None)
            for layer in info["layers"] if layer["class"] != "InputLayer"]


def expect_layers(info: dict, want: list[tuple]) -> None:
    got = dense_layers(info)
    if got != want:
        raise Fail(f"{info['call']} does not have the expected layers.",
                   shown=f"Expected Dense layers (units, activation) {want}, got {got}.",
                   hint="one Dense layer per entry of hidden_units with the given activation, "
                        "then Dense(n_classes, activation='softmax'); no other layers.")


def expect_compiled(info: dict, learning_rate: float) -> None:
    if info["optimizer"] != "SGD" or abs((info["learning_rate"] or 0) - learning_rate) > 1e-6 * learning_rate:
        raise Fail(f"{info['call']} was not compiled with plain SGD at the given learning rate.",
                   shown=f"Expected SGD with learning_rate={learning_rate}, got {info['optimizer']} "
                         f"with learning_rate={info['learning_rate']}.",
                   hint="compile with optimizer=keras.optimizers.SGD(learning_rate).")
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
