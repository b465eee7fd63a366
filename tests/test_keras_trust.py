"""The Keras exercise's verdicts are computed on the trusted side: a submission that patches the
grader's helpers in its own process gains nothing, and configurations outside the allowlist are
the student's error with a clear message, never a grader error."""

import json

import numpy as np
import pytest

from conftest import submission_with
from autograder import keras_spec, models, runner, sandbox, verifier
from autograder.exercises import select
from autograder.limits import NUMPY_LIMITS
from autograder.sandbox import Worker, WorkerGone
from autograder.submission import IsolatedSubmission, StudentError

ADAM_TANH = '''
def build_model(n_inputs=64, n_classes=10, hidden_units=(64,), activation="relu", learning_rate=0.1):
    layers = [keras.Input(shape=(n_inputs,))]
    for units in hidden_units:
        layers.append(keras.layers.Dense(units, activation="tanh"))
    layers.append(keras.layers.Dense(n_classes, activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
'''
# Rewrites what the worker-side helpers report so that the model claims SGD (and, with LIE_LAYERS,
# ReLU layers), and replaces the old describe helper with the reference's description.
PATCH = '''
import gc as _gc
import json as _json
import types as _types

# the worker takes nn101's modules out of sys.modules, but still holds them: find the live one
_probes = next(m for m in _gc.get_objects()
               if isinstance(m, _types.ModuleType) and getattr(m, "__name__", "") == "autograder.probes")

def _lie(data):
    if data.get("compile_config"):
        settings = _json.loads(data["compile_config"])
        rate = settings["optimizer"]["config"]["learning_rate"]
        settings["optimizer"] = {"module": "keras.optimizers", "class_name": "SGD",
                                 "config": {"learning_rate": rate, "momentum": 0.0}}
        data["compile_config"] = _json.dumps(settings)
    if LIE_LAYERS and data.get("config"):
        data["config"] = data["config"].replace('"tanh"', '"relu"')
    return data

def _forged(helper):
    return lambda *args, **kwargs: _lie(helper(*args, **kwargs))

_probes.keras_model = _forged(_probes.keras_model)
_probes.keras_fit = _forged(_probes.keras_fit)
_probes.describe_model = lambda model: {
    "is_model": True, "compiled": True, "input_shape": [None, 64], "output_shape": [None, 10],
    "layers": [{"class": "Dense", "units": 64, "activation": "relu"},
               {"class": "Dense", "units": 10, "activation": "softmax"}],
    "optimizer": "SGD", "learning_rate": 0.1, "momentum": 0.0, "loss": "sparse_categorical_crossentropy",
    "metrics": ["accuracy"]}
'''


def _keras_checks(path):
    results = runner.grade(path, select("keras_model"))
    assert not results.grader_errors, [c.message for c in results.exercise("keras_model").checks]
    return {c.name: c for c in results.exercise("keras_model").checks}


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    return _keras_checks(submission_with(tmp_path_factory.mktemp("honest"), {"keras_model": ADAM_TANH}))


@pytest.mark.parametrize("lie_layers", [False, True])
def test_a_patched_helper_scores_no_more_than_the_model_it_built(tmp_path, honest, lie_layers):
    patched = _keras_checks(submission_with(tmp_path / "patched", {
        "keras_model": ADAM_TANH + f"\nLIE_LAYERS = {lie_layers}\n" + PATCH}))
    # the honest model loses its layer and optimizer points ...
    for name in ("the default model's layers", "the default model's compile settings",
                 "compiled with SGD at the given learning rate"):
        assert honest[name].status == models.FAILED
        assert patched[name].status == models.FAILED, patched[name]
    # ... and the lying one is caught by the rebuilt model: its outputs, or its training step
    caught = "does not compute what its layers say" if lie_layers else "does not train like the settings"
    assert caught in patched["the default model's compile settings"].message
    assert all(honest[name].passed or not patched[name].passed for name in honest)
    assert sum(c.points for c in patched.values()) <= sum(c.points for c in honest.values())


def _sequential(*layers, inputs=64):
    entries = [{"class_name": "InputLayer", "config": {"batch_shape": [None, inputs]}}]
    return json.dumps({"class_name": "Sequential", "config": {"layers": entries + list(layers)}})


def _dense(units, activation="relu", **extra):
    return {"class_name": "Dense", "config": {"units": units, "activation": activation, **extra}}


def test_the_allowlist_reads_built_in_layers_into_a_spec():
    spec = keras_spec.model_spec(_sequential(_dense(8, "tanh"), _dense(3, None),
                                             {"class_name": "Softmax", "config": {"axis": -1}}))
    assert spec == {"inputs": 64, "layers": [
        {"class": "Dense", "units": 8, "activation": "tanh", "use_bias": True},
        {"class": "Dense", "units": 3, "activation": "linear", "use_bias": True}, {"class": "Softmax"}]}
    assert keras_spec.weight_shapes(spec) == [(64, 8), (8,), (8, 3), (3,)]
    assert keras_spec.output_activation(spec) == "softmax"
    tf_softmax = {"module": "builtins", "class_name": "function", "config": "softmax_v2"}
    assert keras_spec.model_spec(_sequential(_dense(3, tf_softmax)))["layers"][0]["activation"] == "softmax"


@pytest.mark.parametrize("config, says", [
    (_sequential({"class_name": "Lambda", "config": {"function": "os.system"}}), "built-in layers only"),
    (_sequential(_dense(3, {"module": "evil", "class_name": "function", "config": "run"})), "activation"),
    (_sequential(_dense(3, kernel_regularizer={"class_name": "L2"})), "regularizers"),
    (_sequential(_dense(10 ** 6)), "units"),
    (json.dumps({"class_name": "MyModel", "config": {"layers": []}}), "Sequential"),
    (json.dumps({"class_name": "Functional", "config": {"output_layers": ["b", 0, 0], "layers": [
        {"name": "in", "class_name": "InputLayer", "config": {"batch_shape": [None, 4]}, "inbound_nodes": []},
        {"name": "a", "class_name": "Dense", "config": {"units": 2},
         "inbound_nodes": [{"args": [{"config": {"keras_history": ["in", 0, 0]}}]}]},
        {"name": "b", "class_name": "Dense", "config": {"units": 2},
         "inbound_nodes": [{"args": [{"config": {"keras_history": ["in", 0, 0]}}]}]}]}}), "chain"),
    ("[" * 100_000, "could not be read"),
])
def test_anything_outside_the_allowlist_is_refused_with_a_reason(config, says):
    with pytest.raises(keras_spec.Unsupported, match=says):
        keras_spec.model_spec(config)


def test_compile_settings_are_read_through_the_allowlist():
    sgd = {"optimizer": {"class_name": "SGD", "config": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.0}},
           "loss": {"module": "keras.losses", "class_name": "SparseCategoricalCrossentropy",
                    "config": {"name": "sparse_categorical_crossentropy", "from_logits": True}},
           "metrics": ["accuracy"]}
    spec = keras_spec.compile_spec(json.dumps(sgd))
    assert spec["optimizer"] == {"class": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.0}}
    assert spec["loss"] == {"name": "sparse_categorical_crossentropy", "from_logits": True,
                            "reduction": "sum_over_batch_size"}
    for optimizer, says in (({"class_name": "SGD", "config": {"beta_1": 0.9}}, "does not take"),
                            ({"class_name": "Evil", "config": {}}, "built-in"),
                            ({"class_name": "SGD", "config": {"learning_rate": {"class_name": "Schedule"}}},
                             "not a number")):
        with pytest.raises(keras_spec.Unsupported, match=says):
            keras_spec.compile_spec(json.dumps({**sgd, "optimizer": optimizer}))
    assert keras_spec.compile_spec("") is None


# Trains far more than it is asked to (weights "trained elsewhere"), and says it trained `epochs`.
OVERTRAINED = '''
def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
    keras.utils.set_random_seed(seed)
    history = model.fit(X_train, y_train, epochs=3 * epochs, batch_size=16, verbose=0)
    history.epoch = list(range(epochs))
    history.history = {key: values[:epochs] for key, values in history.history.items()}
    return history
'''


def test_the_accuracy_is_never_measured_on_weights_the_worker_reports(tmp_path):
    """Attack finding 7: a train_model that hands back weights trained another way (here: three times
    the epochs) passed the 5-point accuracy check, which classified with the reported weights. The
    grader now trains the student's model itself, once the short run shows train_model trains as
    model.fit does; the overtrained weights earn nothing."""
    checks = _keras_checks(submission_with(tmp_path, {"keras_model": OVERTRAINED}))
    assert checks["reaches 95% accuracy on held-out digits"].status == models.FAILED
    assert "did not train the model as model.fit does" in checks["reaches 95% accuracy on held-out digits"].message
    assert checks["train_model honours epochs, batch_size and seed and returns the History"].status == models.FAILED
    assert checks["the default model's layers"].passed  # what it did right still counts


MOMENTUM_FIVE = '''
_build_model = build_model


def build_model(*args, **kwargs):
    model = _build_model(*args, **kwargs)
    model.optimizer.momentum = 5.0  # the constructor refuses it; the attribute takes it
    return model
'''


def test_settings_keras_refuses_are_the_students_failure_not_a_grader_error(tmp_path):
    """Attack finding 10.3: SGD momentum 5 set after compile made every Keras check a grader error
    (which pages the instructor and is not counted by a Gradescope rate limit)."""
    results = runner.grade(submission_with(tmp_path, {"keras_model": MOMENTUM_FIVE}), select("keras_model"))
    checks = results.exercise("keras_model").checks
    assert not results.grader_errors, [c.message for c in checks if c.status == models.GRADER_ERROR]
    refused = [c for c in checks if "Keras could not rebuild your model" in c.message]
    assert refused and all(c.status == models.FAILED for c in refused)


# ---- the verifier: shared by a grading process's submissions, and as exact as model.fit ----

SPEC = {"inputs": 8, "layers": [{"class": "Dense", "units": 6, "activation": "tanh", "use_bias": True},
                                {"class": "Dense", "units": 3, "activation": "softmax", "use_bias": True}]}
SGD = {"optimizer": {"class": "SGD", "config": {"learning_rate": 0.1}},
       "loss": {"name": "sparse_categorical_crossentropy", "from_logits": False, "reduction": "sum_over_batch_size"},
       "metrics": []}


def _data(rows, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=shape).astype(np.float32) * 0.5 for shape in keras_spec.weight_shapes(SPEC)]
    return weights, rng.normal(size=(rows, 8)).astype(np.float32), np.arange(rows) % 3


def _verified(tmp_path, func, *args):
    """``func`` recomputed by this process's verifier, through a submission of its own (no cache)."""
    with IsolatedSubmission(tmp_path, {"keras_model": "keras"}) as sub:
        return sub.verify(func, args)


def _same(got, want):
    return len(got) == len(want) and all(np.array_equal(g, w) for g, w in zip(got, want))


def test_a_shared_verifier_answers_bit_for_bit_as_a_fresh_one(tmp_path):
    weights, X, y = _data(40)
    fit = ("replay_fit", SPEC, SGD, weights, X, y, 2, 16, 3)
    step = ("replay_step", SPEC, {**SGD, "optimizer": {"class": "Adam", "config": {}}}, weights, X, y)
    verifier.close()
    fresh, fresh_step = _verified(tmp_path, *fit), _verified(tmp_path, *step)
    first = verifier._shared
    # other work in between, on the same models: other weights, the same fit seeded differently
    _verified(tmp_path, "replay_fit", SPEC, SGD, fresh, X, y, 3, 8, 4)
    _verified(tmp_path, "replay_step", *step[1:3], fresh, X, y)
    again, again_step = _verified(tmp_path, *fit), _verified(tmp_path, *step)
    assert verifier._shared is first  # one verifier answered all of it
    assert _same(again, fresh) and not _same(fresh, weights)
    assert _same(again_step["stepped"], fresh_step["stepped"]) and not _same(fresh_step["stepped"], weights)
    twin = _verified(tmp_path, "replay_fit", SPEC, SGD, weights, X, y, 2, 16, 4)  # the seed counts
    assert not _same(twin, fresh)


def test_a_verifier_that_stopped_is_replaced_and_asked_again_once(tmp_path, monkeypatch):
    weights, X, y = _data(8)
    want = _verified(tmp_path, "predict", SPEC, weights, X)
    gone = verifier._shared

    def stopped(request):  # as the kernel's OOM killer or a CPU limit would stop it
        raise WorkerGone("crashed", "the Python process running it stopped")

    monkeypatch.setattr(gone, "request", stopped)
    got = _verified(tmp_path, "predict", SPEC, weights, X)
    assert verifier._shared is not gone and np.array_equal(got, want)
    # a fresh verifier that stops too: the grader's error, never the student's
    monkeypatch.setattr(verifier.Verifier, "request", lambda self, request: stopped(request))
    with pytest.raises(StudentError) as error:
        _verified(tmp_path, "predict", SPEC, weights, X[:4])
    assert error.value.status == models.GRADER_ERROR and "grader error" in error.value.message
    assert verifier._shared is None


@pytest.mark.skipif(not sandbox.is_root(), reason="workers take uids of their own only as root")
def test_no_later_worker_gets_the_verifier_uid(tmp_path):
    """The uid cycle (16 a grading process) comes round; a student's worker with the verifier's
    uid could signal it, or at the uid level trace it and forge its answers."""
    weights, X, _ = _data(4)
    _verified(tmp_path, "predict", SPEC, weights, X)
    held = verifier._shared._worker.uid
    uids = set()
    for _ in range(20):
        with Worker(tmp_path, NUMPY_LIMITS) as worker:
            uids.add(worker.uid)
    assert len(uids) >= 15 and held not in uids
    verifier.close()  # released when it closes: the cycle gives it again
    again = set()
    for _ in range(16):
        with Worker(tmp_path, NUMPY_LIMITS) as worker:
            again.add(worker.uid)
    assert held in again


def test_the_replayed_fit_is_model_fit_bit_for_bit():
    """keras_verify.replay_fit steps through model.fit's own batches eagerly; model.fit itself, here
    in this process, must end at the very same weights (a full batch size, a partial last batch)."""
    import keras
    from autograder import keras_verify

    for rows, epochs, batch_size, seed in ((40, 2, 16, 3), (64, 3, 64, 5)):
        weights, X, y = _data(rows, seed)
        model = keras_verify.build(SPEC, SGD)
        model.set_weights(weights)
        keras.utils.set_random_seed(seed)
        model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)
        replayed = keras_verify.replay_fit(SPEC, SGD, weights, X, y, epochs, batch_size, seed)
        assert _same(replayed, keras_verify.weights_of(model))
        assert not _same(replayed, keras_verify.replay_fit(SPEC, SGD, weights, X, y, epochs, batch_size, seed + 1))
