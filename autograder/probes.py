"""Helpers that run inside the worker, next to the student's module.

Some exercise functions cannot be called across the process boundary as they
are: they take a function or a random generator, return a generator, or
return a Keras model. A probe makes that call in the worker and returns plain
data describing the outcome. Probes are grader code, but their answers are
treated like any student answer: the checks trust nothing beyond plain data.
"""

from __future__ import annotations

import warnings

import numpy as np

ANY = object
# The form of each probe's answer. Student code shares the worker and can forge any answer, so
# the grader checks this form before a check reads it (submission.valid_probe_answer): a forged
# or damaged answer is the student's error, never a crash of the grader.
ANSWER_FORMS = {
    "call_recording_warnings": {"value": ANY, "warnings": [str]},
    "quiz": {"questions": dict, "answers": dict},
    "minibatches": [[ANY]],
    "minibatch_epochs": [[[ANY]]],
    "numerical_gradient": {"gradient": ANY, "x_after": ANY, "calls": int},
    "keras_describe": {"is_model": bool},
    "keras_describe/model": {"compiled": bool, "input_shape": ANY, "output_shape": ANY, "optimizer": ANY,
                             "learning_rate": ANY, "momentum": ANY, "loss": ANY, "metrics": list,
                             "layers": [{"class": str, "units": ANY, "activation": ANY}]},
    "keras_fit_predict": {"history_type": str},
    "keras_fit_predict/history": {"probabilities": ANY, "losses": [float], "epochs": int},
}


def answer_has_form(value, form) -> bool:
    """Whether ``value`` has ``form``: a type, ``[form]`` (a list of those) or ``{key: form}``."""
    if form is ANY:
        return True
    if isinstance(form, list):
        return isinstance(value, list) and all(answer_has_form(v, form[0]) for v in value)
    if isinstance(form, dict):
        return isinstance(value, dict) and all(k in value and answer_has_form(value[k], f) for k, f in form.items())
    if form is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, form)


def answer_is_valid(name: str, value) -> bool:
    """The whole form check of probe ``name``'s answer, including its variants."""
    if not answer_has_form(value, ANSWER_FORMS[name]):
        return False
    if name == "keras_describe" and value["is_model"]:
        return answer_has_form(value, ANSWER_FORMS["keras_describe/model"])
    if name == "keras_fit_predict" and value["history_type"] == "History":
        return answer_has_form(value, ANSWER_FORMS["keras_fit_predict/history"])
    return True


def call_recording_warnings(module, func, *args, **kwargs):
    """Call ``func`` and report the floating-point warnings it raised (overflow, invalid, ...)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        value = getattr(module, func)(*args, **kwargs)
    return {"value": value, "warnings": sorted({str(w.message)[:200] for w in caught})}


def quiz(module):
    """The quiz module's questions and answers (each ``qNN`` variable, None when unset)."""
    questions = getattr(module, "QUESTIONS", {})
    return {"questions": questions, "answers": {name: getattr(module, name, None) for name in questions}}


# ---- gradient descent --------------------------------------------------------------------


def minibatches(module, X, y, batch_size, seed, max_batches=None):
    """One epoch of ``iterate_minibatches``: ``[[X_batch, y_batch], ...]``."""
    return _epoch(module, X, y, batch_size, np.random.default_rng(seed), max_batches)


def minibatch_epochs(module, X, y, batch_size, seed, epochs):
    """The batches training sees: ``epochs`` epochs of ``iterate_minibatches`` drawn from one
    generator ``np.random.default_rng(seed)``, as ``[[[X_batch, y_batch], ...], ...]``."""
    rng = np.random.default_rng(seed)
    return [_epoch(module, X, y, batch_size, rng) for _ in range(epochs)]


def _epoch(module, X, y, batch_size, rng, max_batches=None):
    limit = max_batches if max_batches is not None else len(X) + 2
    batches = []
    for batch in module.iterate_minibatches(X, y, batch_size, rng):
        if len(batches) >= limit:
            break
        X_batch, y_batch = batch
        batches.append([X_batch, y_batch])
    return batches


TEST_FUNCTIONS = {
    # name: (f(x, p), "what it is" for messages)
    "quadratic": lambda x, p: 0.5 * np.sum(x * (p @ x.ravel()).reshape(x.shape)),
    "log_sum_exp": lambda x, p: np.log(np.sum(np.exp(x - p))),
    "sin_weighted": lambda x, p: np.sum(np.sin(x) * p),
}


def numerical_gradient(module, name, x, params, **kwargs):
    """``numerical_gradient(f, x)`` for one of :data:`TEST_FUNCTIONS`; also returns x after."""
    f_of = TEST_FUNCTIONS[name]
    calls = []

    def f(point):
        calls.append(1)
        return float(f_of(np.asarray(point, dtype=float), params))

    gradient = module.numerical_gradient(f, x, **kwargs)
    return {"gradient": gradient, "x_after": x, "calls": len(calls)}


# ---- keras --------------------------------------------------------------------------------


def keras_describe(module, build_kwargs):
    """Build a model and describe its layers and compile settings as plain data."""
    model = module.build_model(**build_kwargs)
    return describe_model(model)


def describe_model(model):
    import keras

    if not isinstance(model, keras.Model):
        return {"is_model": False, "type": type(model).__name__}
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        layers.append({
            "class": type(layer).__name__,
            "units": config.get("units"),
            "activation": _name(config.get("activation")),
        })
    optimizer = getattr(model, "optimizer", None)
    compile_config = model.get_compile_config() or {} if getattr(model, "compiled", False) else {}
    return {
        "is_model": True,
        "compiled": bool(getattr(model, "compiled", False)),
        "input_shape": [None if d is None else int(d) for d in model.inputs[0].shape] if model.inputs else None,
        "output_shape": [None if d is None else int(d) for d in model.outputs[0].shape] if model.outputs else None,
        "layers": layers,
        "optimizer": type(optimizer).__name__ if optimizer is not None else None,
        "learning_rate": float(np.asarray(optimizer.learning_rate)) if optimizer is not None else None,
        "momentum": float(getattr(optimizer, "momentum", 0.0) or 0.0) if optimizer is not None else None,
        "loss": _name(compile_config.get("loss")),
        "metrics": [_name(m) for m in _flatten(compile_config.get("metrics"))],
    }


def keras_fit_predict(module, X_train, y_train, X_test, build_kwargs, train_kwargs, scramble=None):
    """Build, train with the student's ``train_model``, predict class probabilities.

    The initial weights are seeded like the training; ``scramble`` reseeds in between, so
    that only a ``train_model`` that seeds itself gives the same result twice.
    """
    import keras

    keras.utils.set_random_seed(train_kwargs.get("seed", 0))
    model = module.build_model(**build_kwargs)
    if scramble is not None:
        keras.utils.set_random_seed(scramble)
    history = module.train_model(model, X_train, y_train, **train_kwargs)
    if not isinstance(history, keras.callbacks.History):
        return {"history_type": type(history).__name__}
    # a direct call runs eagerly: unlike model.predict, it traces no function for a few hundred rows
    probabilities = np.asarray(model(np.asarray(X_test, dtype=np.float32), training=False), dtype=np.float32)
    losses = [float(v) for v in history.history.get("loss", [])]
    return {"history_type": "History", "probabilities": probabilities, "losses": losses,
            "epochs": len(history.epoch)}


def _name(value):
    """A loss/metric/activation as a lower-case name, whether string, config dict or object."""
    if value is None or isinstance(value, str):
        return value.lower() if isinstance(value, str) else None
    if isinstance(value, dict):
        inner = value.get("config", {})
        if isinstance(inner, str):  # a plain function, e.g. keras.losses.sparse_categorical_crossentropy
            return _name(inner)
        return _name(inner.get("name") if isinstance(inner, dict) and inner.get("name") else value.get("class_name"))
    return _name(getattr(value, "name", None) or getattr(value, "__name__", None) or type(value).__name__)


def _flatten(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [m for v in value for m in _flatten(v)]
    if isinstance(value, dict) and "class_name" not in value:
        return [m for v in value.values() for m in _flatten(v)]
    return [value]
