"""A Keras model's configuration, as the worker reported it, read through an allowlist.

The worker sends ``model.to_json()`` and ``json.dumps(model.get_compile_config())``:
text the student's process wrote, so nothing in it is trusted. This module (pure
Python, no Keras) reads that text into a small canonical *spec* built only from
what the allowlist knows -- a chain of ``Dense`` / ``Activation`` / ``ReLU`` /
``Softmax`` layers after one input, a built-in optimizer with numeric settings, a
built-in loss -- and raises :class:`Unsupported` for anything else (``Lambda``
layers, custom objects, branches, schedules, regularizers). Only a spec ever
reaches :mod:`autograder.keras_verify`, which rebuilds the model from it in a
clean process; the checks read their description (:func:`describe`) from the spec.

Spec: ``{"inputs": D, "layers": [{"class": "Dense", "units": U, "activation": A,
"use_bias": B}, {"class": "Activation", "activation": A}, {"class": "ReLU"},
{"class": "Softmax"}, ...]}``. Compile spec: ``{"optimizer": {"class": NAME,
"config": {key: number or bool}}, "loss": {"name": NAME, "from_logits": bool,
"reduction": NAME}, "metrics": [name, ...]}``.
"""

from __future__ import annotations

import json
import math

MAX_CONFIG_CHARS = 200_000
MAX_LAYERS = 16
MAX_UNITS = 4096
MAX_PARAMETERS = 4_000_000
ACTIVATIONS = frozenset(
    "linear relu tanh sigmoid softmax elu selu softplus softsign swish silu gelu exponential "
    "hard_sigmoid relu6 leaky_relu mish log_softmax".split())
_COMMON = ("weight_decay clipnorm clipvalue global_clipnorm use_ema ema_momentum ema_overwrite_frequency "
           "loss_scale_factor gradient_accumulation_steps learning_rate ")
OPTIMIZERS = {  # each built-in optimizer and the settings its constructor takes
    name: frozenset((_COMMON + keys).split()) for name, keys in {
        "SGD": "momentum nesterov",
        "Adam": "beta_1 beta_2 epsilon amsgrad",
        "AdamW": "beta_1 beta_2 epsilon amsgrad",
        "Adamax": "beta_1 beta_2 epsilon",
        "Nadam": "beta_1 beta_2 epsilon",
        "Lion": "beta_1 beta_2",
        "RMSprop": "rho momentum epsilon centered",
        "Adagrad": "initial_accumulator_value epsilon",
        "Adadelta": "rho epsilon",
        "Ftrl": "learning_rate_power initial_accumulator_value l1_regularization_strength "
                "l2_regularization_strength l2_shrinkage_regularization_strength beta",
    }.items()}
LOSSES = frozenset("sparse_categorical_crossentropy categorical_crossentropy binary_crossentropy "
                   "mean_squared_error mean_absolute_error".split())
LOSS_NAMES = {**{name.replace("_", ""): name for name in LOSSES}, "mse": "mean_squared_error",
              "mae": "mean_absolute_error"}  # "SparseCategoricalCrossentropy" -> "sparsecategorical..."
REDUCTIONS = frozenset({"sum_over_batch_size", "sum", "mean", "none", None})
DENSE_DEFAULTS = {"kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                  "kernel_constraint": None, "bias_constraint": None, "lora_rank": None,
                  "quantization_config": None}
# Names a message may quote: the allowlist's own, and the Keras classes a beginner is likely to use.
SHOWN_NAMES = frozenset(
    "Sequential Functional Model InputLayer Dense Activation ReLU Softmax Lambda Dropout Flatten "
    "BatchNormalization LayerNormalization Conv1D Conv2D MaxPooling2D Reshape LeakyReLU PReLU ELU "
    "GaussianNoise Normalization Rescaling Add Concatenate ExponentialDecay schedule "
    "label_smoothing ignore_class axis".split()) | ACTIVATIONS | frozenset(OPTIMIZERS) | frozenset(LOSSES) \
    | frozenset(k for keys in OPTIMIZERS.values() for k in keys)
HINT = ("build the model from keras.Input and built-in Dense layers (with activation=... or Activation, "
        "ReLU and Softmax layers) in a chain, and compile it with a built-in optimizer and loss.")


class Unsupported(ValueError):
    """The configuration holds something outside the allowlist; the message names it."""


def model_spec(config_json) -> dict:
    """The canonical spec of a model from its ``to_json()`` text; :class:`Unsupported` otherwise."""
    top = _parse(config_json, "the model's configuration")
    kind = top.get("class_name")
    config = _dict(top.get("config"), "the model's configuration")
    entries = config.get("layers")
    if kind not in ("Sequential", "Functional") or type(entries) is not list:
        raise Unsupported(f"the model is a {_text(kind)}; the grader rebuilds keras.Sequential and "
                          "keras.Model (functional) models only")
    if len(entries) > MAX_LAYERS + 1:
        raise Unsupported(f"the model has {len(entries)} layers; the grader accepts at most {MAX_LAYERS}")
    if kind == "Functional":
        _expect_chain(entries, config)
    inputs, layers = None, []
    for entry in entries:
        entry = _dict(entry, "a layer's configuration")
        name, settings = entry.get("class_name"), _dict(entry.get("config"), "a layer's configuration")
        if name == "InputLayer" and inputs is None and not layers:
            inputs = _input_width(settings.get("batch_shape"))
        else:
            layers.append(_layer(name, settings))
    if inputs is None and kind == "Sequential":
        inputs = _input_width(config.get("build_input_shape"))
    if inputs is None:
        raise Unsupported("the model has no input shape: start it with keras.Input(shape=(n_inputs,))")
    _expect_size(inputs, layers)
    return {"inputs": inputs, "layers": layers}


def compile_spec(compile_json) -> dict | None:
    """The canonical compile settings, or None for a model that was not compiled."""
    config = _parse(compile_json, "the compile settings") if compile_json else {}
    if not config:
        return None
    optimizer = _dict(config.get("optimizer"), "the optimizer")
    name, settings = optimizer.get("class_name"), _dict(optimizer.get("config"), "the optimizer")
    if name not in OPTIMIZERS:
        raise Unsupported(f"the optimizer {_text(name)} is not a built-in Keras optimizer")
    numbers = {}
    for key, value in settings.items():
        if key == "name" or value is None:
            continue
        if key not in OPTIMIZERS[name]:
            raise Unsupported(f"the optimizer has a setting {_text(key)} that {name} does not take")
        if type(value) not in (bool, int, float) or (type(value) is float and not math.isfinite(value)):
            raise Unsupported(f"the optimizer's {_text(key)} is not a number (schedules are not supported)")
        numbers[key] = value
    return {"optimizer": {"class": name, "config": numbers}, "loss": _loss(config.get("loss")),
            "metrics": [_name(m) for m in _flatten(config.get("metrics"))][:8]}


def weight_shapes(spec: dict) -> list[tuple[int, ...]]:
    """The shapes of ``model.get_weights()`` for a model built from ``spec``, in order."""
    shapes, width = [], spec["inputs"]
    for layer in spec["layers"]:
        if layer["class"] == "Dense":
            shapes.append((width, layer["units"]))
            if layer["use_bias"]:
                shapes.append((layer["units"],))
            width = layer["units"]
    return shapes


def output_width(spec: dict) -> int:
    widths = [layer["units"] for layer in spec["layers"] if layer["class"] == "Dense"]
    return widths[-1] if widths else spec["inputs"]


def output_activation(spec: dict) -> str:
    """What the model's last step applies: "softmax", "linear" (logits), ..."""
    for layer in reversed(spec["layers"]):
        if layer["class"] in ("ReLU", "Softmax"):
            return layer["class"].lower()
        if layer["class"] == "Activation" and layer["activation"] != "linear":
            return layer["activation"]
        if layer["class"] == "Dense":
            return layer["activation"]
    return "linear"


def describe(spec: dict, compiled: dict | None) -> dict:
    """What the checks read: input/output shapes, layers, compile settings (all from specs)."""
    optimizer = (compiled or {}).get("optimizer") or {"class": None, "config": {}}
    loss = (compiled or {}).get("loss") or {"name": None, "from_logits": False}
    return {
        "compiled": compiled is not None,
        "input_shape": [None, spec["inputs"]],
        "output_shape": [None, output_width(spec)],
        "output_activation": output_activation(spec),
        "layers": [{"class": layer["class"], "units": layer.get("units"), "activation": layer.get("activation")}
                   for layer in spec["layers"]],
        "optimizer": optimizer["class"],
        "learning_rate": optimizer["config"].get("learning_rate"),
        "momentum": optimizer["config"].get("momentum", 0.0) if optimizer["class"] == "SGD" else None,
        "loss": loss["name"],
        "from_logits": loss["from_logits"],
        "metrics": (compiled or {}).get("metrics", []),
    }


# ---- reading the pieces -------------------------------------------------------------------------

def _parse(text, what: str) -> dict:
    if type(text) is not str or len(text) > MAX_CONFIG_CHARS:
        raise Unsupported(f"{what} could not be read")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Unsupported(f"{what} could not be read") from None
    return _dict(value, what)


def _dict(value, what: str) -> dict:
    if type(value) is not dict:
        raise Unsupported(f"{what} could not be read")
    return value


def _text(value) -> str:
    """A name from the configuration, for a message: shown only if Keras or the grader knows it (the
    student's process wrote it, and a hidden check's feedback must not echo what it wrote)."""
    return repr(value) if value in SHOWN_NAMES else "of another kind"


def _input_width(shape) -> int | None:
    if type(shape) is list and len(shape) == 2 and shape[0] is None and type(shape[1]) is int \
            and 0 < shape[1] <= MAX_UNITS:
        return shape[1]
    if shape is None:
        return None
    raise Unsupported("the model's input must be a flat vector of features: keras.Input(shape=(n_inputs,))")


def _layer(name, settings: dict) -> dict:
    if name == "Dense":
        units = settings.get("units")
        if type(units) is not int or not 0 < units <= MAX_UNITS:
            raise Unsupported(f"a Dense layer has a number of units other than 1 to {MAX_UNITS}")
        if any(settings.get(k, v) != v for k, v in DENSE_DEFAULTS.items()):
            raise Unsupported("a Dense layer has regularizers or constraints; the grader supports plain Dense layers")
        return {"class": "Dense", "units": units, "activation": _activation(settings.get("activation")),
                "use_bias": settings.get("use_bias", True) is not False}
    if name == "Activation":
        return {"class": "Activation", "activation": _activation(settings.get("activation"))}
    if name == "ReLU":
        if any(settings.get(k) not in (None, 0, 0.0) for k in ("max_value", "negative_slope", "threshold")):
            raise Unsupported("a ReLU layer has settings; use ReLU() or activation='relu'")
        return {"class": "ReLU"}
    if name == "Softmax":
        if settings.get("axis", -1) not in (-1, [-1]):
            raise Unsupported("a Softmax layer works over another axis than the last")
        return {"class": "Softmax"}
    raise Unsupported(f"the model has a {_text(name)} layer; use built-in layers only "
                      "(Dense, Activation, ReLU, Softmax), no Lambda or custom layers")


def _activation(value) -> str:
    name = _name(value)
    name = "linear" if name in (None, "none") else name.removesuffix("_v2")
    if name not in ACTIVATIONS:
        raise Unsupported(f"the activation {_text(name)} is not a built-in Keras activation")
    return name


def _loss(value) -> dict:
    name = _name(value)
    if type(value) is dict and type(value.get("class_name")) is str and value["class_name"] != "function":
        name = value["class_name"].lower()  # a loss object: its class, whatever name it was given
    canonical = LOSS_NAMES.get((name or "").replace("_", ""))
    if canonical is None:
        raise Unsupported(f"the loss {_text(name)} is not a built-in Keras loss the grader knows")
    settings = value.get("config") if type(value) is dict and type(value.get("config")) is dict else {}
    reduction = settings.get("reduction", "sum_over_batch_size")
    if reduction not in REDUCTIONS:
        raise Unsupported(f"the loss's reduction {_text(reduction)} is not supported")
    for key, default in (("label_smoothing", 0), ("ignore_class", None), ("axis", -1)):
        if settings.get(key, default) not in (default, float(default) if default is not None else None):
            raise Unsupported(f"the loss sets {_text(key)}; the grader supports the loss's defaults only")
    return {"name": canonical, "from_logits": settings.get("from_logits") is True,
            "reduction": reduction or "sum_over_batch_size"}


def _name(value) -> str | None:
    """A loss/metric/activation as a lower-case name, whether string or serialized dict."""
    if value is None:
        return None
    if type(value) is str:
        return value.lower()[:60]
    if type(value) is dict:
        inner = value.get("config")
        if type(inner) is str:  # a plain function, e.g. keras.losses.sparse_categorical_crossentropy
            return _name(inner)
        if type(inner) is dict and type(inner.get("name")) is str and value.get("class_name") != "Activation":
            return _name(inner["name"])
        return _name(value.get("class_name"))
    return None


def _flatten(value) -> list:
    if value is None:
        return []
    if type(value) is list:
        return [m for v in value[:16] for m in _flatten(v)]
    if type(value) is dict and "class_name" not in value:
        return [m for v in list(value.values())[:16] for m in _flatten(v)]
    return [value]


def _expect_chain(entries: list, config: dict) -> None:
    """A functional model must be one chain: each layer takes the previous layer's output only."""
    previous = None
    for entry in entries:
        entry = _dict(entry, "a layer's configuration")
        nodes = entry.get("inbound_nodes")
        sources = _sources(nodes)
        if previous is None and sources != []:
            raise Unsupported("the model's first layer is not its input")
        if previous is not None and sources != [previous]:
            raise Unsupported("the model is not a single chain of layers (each layer taking the previous one)")
        previous = entry.get("name")
    outputs = config.get("output_layers")
    if type(outputs) is list and len(outputs) == 1 and type(outputs[0]) is list:
        outputs = outputs[0]  # [[name, 0, 0]]: a list of one output
    if type(outputs) is not list or not outputs or outputs[0] != previous:
        raise Unsupported("the model's output is not its last layer")


def _sources(nodes) -> list:
    if type(nodes) is not list or len(nodes) > 1:
        raise Unsupported("the model is not a single chain of layers (a layer is used twice)")
    found = []
    for node in nodes:
        args = node.get("args") if type(node) is dict else None
        for arg in args if type(args) is list else []:
            history = arg.get("config", {}).get("keras_history") if type(arg) is dict else None
            if type(history) is list and history:
                found.append(history[0])
    return found


def _expect_size(inputs: int, layers: list) -> None:
    width, total = inputs, 0
    for layer in layers:
        if layer["class"] == "Dense":
            total += (width + 1) * layer["units"]
            width = layer["units"]
    if total > MAX_PARAMETERS:
        raise Unsupported(f"the model has {total} weights; the grader accepts at most {MAX_PARAMETERS}")
