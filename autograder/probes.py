"""Helpers that run inside the worker, next to the student's module.

Some exercise functions cannot be called across the process boundary as they
are: they take a function or a random generator, return a generator, or
return a Keras model. A probe makes that call in the worker and returns plain
data describing the outcome. Probes are grader code, but their answers are
treated like any student answer: the checks trust nothing beyond plain data.
"""

from __future__ import annotations

import json
import warnings

import numpy as np

from autograder import keras_verify  # imported here, so that the zygote has it before any worker starts

ANY = object
# The form of each probe's answer. Student code shares the worker and can forge any answer, so
# the grader checks this form before a check reads it (submission.valid_probe_answer): a forged
# or damaged answer is the student's error, never a crash of the grader.
ANSWER_FORMS = {
    "call_recording_warnings": {"value": ANY, "warnings": [str]},
    "quiz": {"questions": dict, "answers": dict},
    "minibatches": [[ANY]],
    "minibatch_epochs": [[[ANY]]],
    "minibatch_inputs": {"X_after": ANY, "y_after": ANY},
    "numerical_gradient": {"gradient": ANY, "x_after": ANY, "calls": int},
    "keras_model": {"is_model": bool},
    "keras_model/model": {"compiled": bool, "config": str, "compile_config": str, "weights": [ANY],
                          "outputs": ANY, "stepped": ANY, "step_error": str},
    "keras_fit": {"history_type": str},
    "keras_fit/history": {"compiled": bool, "config": str, "compile_config": str, "initial": [ANY],
                          "trained": [ANY], "losses": [float], "epochs": int},
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
    if name == "keras_model" and value["is_model"]:
        return answer_has_form(value, ANSWER_FORMS["keras_model/model"])
    if name == "keras_fit" and value["history_type"] == "History":
        return answer_has_form(value, ANSWER_FORMS["keras_fit/history"])
    return True


def call_recording_warnings(module, func, *args, **kwargs):
    """Call ``func`` and report the floating-point warnings it raised (overflow, invalid, ...)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        value = getattr(module, func)(*args, **kwargs)
    return {"value": value, "warnings": sorted({str(w.message)[:200] for w in caught})}


def quiz(module, names=()):
    """The quiz module's questions and answers (each ``qNN`` variable, None when unset): those of
    its ``QUESTIONS`` and those of ``names`` (the grader's list, in case QUESTIONS was changed)."""
    questions = getattr(module, "QUESTIONS", {})
    wanted = [*questions, *(n for n in names if n not in questions)]
    return {"questions": questions, "answers": {name: getattr(module, name, None) for name in wanted}}


# ---- gradient descent --------------------------------------------------------------------


def minibatches(module, X, y, batch_size, seed, max_batches=None):
    """One epoch of ``iterate_minibatches``: ``[[X_batch, y_batch], ...]``."""
    return _epoch(module, X, y, batch_size, np.random.default_rng(seed), max_batches)


def minibatch_epochs(module, X, y, batch_size, seed, epochs):
    """The batches training sees: ``epochs`` epochs of ``iterate_minibatches`` drawn from one
    generator ``np.random.default_rng(seed)``, as ``[[[X_batch, y_batch], ...], ...]``."""
    rng = np.random.default_rng(seed)
    return [_epoch(module, X, y, batch_size, rng) for _ in range(epochs)]


def minibatch_inputs(module, X, y, batch_size, seed):
    """``X`` and ``y`` as they are after one epoch of ``iterate_minibatches`` (unchanged, if right)."""
    _epoch(module, X, y, batch_size, np.random.default_rng(seed))
    return {"X_after": X, "y_after": y}


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
# These describe the student's model as plain data only: its configuration text, its weights and
# what it computed. The checks read the configuration through an allowlist (keras_spec) and
# confirm every claim by recomputing it where no student code ran (keras_verify).


def keras_model(module, build_kwargs, X, y):
    """Build a model; report it, its outputs on ``X`` and its weights after one step on ``(X, y)``."""
    import keras

    model = module.build_model(**build_kwargs)
    if not isinstance(model, keras.Model):
        return {"is_model": False, "type": type(model).__name__}
    data = {"is_model": True, **_configuration(model), "weights": keras_verify.weights_of(model),
            "outputs": None, "stepped": None, "step_error": ""}
    try:
        data["outputs"] = keras_verify.outputs_of(model, X)
        if data["compiled"]:
            keras_verify.train_step(model, X, y)
            data["stepped"] = keras_verify.weights_of(model)
    except Exception as exc:  # noqa: BLE001 - e.g. a loss that cannot take integer labels
        data["step_error"] = type(exc).__name__
    return data


def keras_fit(module, X_train, y_train, build_kwargs, train_kwargs, scramble=None):
    """Build, then train with the student's ``train_model``; report the weights before and after.

    The initial weights are seeded like the training; ``scramble`` reseeds in between, so
    that only a ``train_model`` that seeds itself gives the same result twice.
    """
    import keras

    keras.utils.set_random_seed(train_kwargs.get("seed", 0))
    model = module.build_model(**build_kwargs)
    if not isinstance(model, keras.Model):
        return {"history_type": "no model"}
    initial = keras_verify.weights_of(model)
    if scramble is not None:
        keras.utils.set_random_seed(scramble)
    history = module.train_model(model, X_train, y_train, **train_kwargs)
    if not isinstance(history, keras.callbacks.History):
        return {"history_type": type(history).__name__}
    return {"history_type": "History", **_configuration(model), "initial": initial,
            "trained": keras_verify.weights_of(model), "epochs": len(history.epoch),
            "losses": [float(v) for v in history.history.get("loss", [])]}


VERIFICATIONS = ("replay_step", "predict", "replay_fit")


def verify(_module, func: str, *args):
    """``keras_verify.<func>(*args)``: what the verifying worker, which never imports student code,
    runs (:meth:`autograder.submission.Submission.verify`)."""
    if func not in VERIFICATIONS:
        raise ValueError(f"no verification {func!r}")
    return getattr(keras_verify, func)(*args)


def _configuration(model) -> dict:
    """``model.to_json()`` and the compile settings as JSON text ("" where Keras cannot say)."""
    compiled = bool(getattr(model, "compiled", False))
    try:
        config = model.to_json()
    except Exception:  # noqa: BLE001 - e.g. a custom layer without get_config
        config = ""
    try:
        compile_config = json.dumps(model.get_compile_config() or {}) if compiled else ""
    except Exception:  # noqa: BLE001 - settings that are not plain data
        compile_config = ""
    return {"compiled": compiled, "config": config, "compile_config": compile_config}
