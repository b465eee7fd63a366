"""A second oracle: the references agree with Keras/TensorFlow and with the lesson's examples.

Like micrograd's test against PyTorch: random inputs, an explicit tolerance.
TensorFlow computes in float32 here, so the tolerance is float32's (~1e-6 relative).
"""

import numpy as np
import pytest

from autograder.references import reference

keras = pytest.importorskip("keras")
ops = keras.ops
TOL = dict(rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def z():
    rng = np.random.default_rng(20261122)
    return (rng.normal(0, 4, size=(6, 7))).astype(np.float32)


@pytest.mark.parametrize("name, keras_fn", [
    ("sigmoid", keras.activations.sigmoid),
    ("tanh", keras.activations.tanh),
    ("relu", keras.activations.relu),
    ("leaky_relu", lambda t: keras.activations.leaky_relu(t, negative_slope=0.01)),
])
def test_activations_match_keras(z, name, keras_fn):
    ours = getattr(reference("activations"), name)(z)
    np.testing.assert_allclose(ours, ops.convert_to_numpy(keras_fn(z)), **TOL)


@pytest.mark.parametrize("name, fn", [
    ("sigmoid_derivative", "sigmoid"), ("tanh_derivative", "tanh"),
])
def test_derivatives_match_tensorflow_gradients(z, name, fn):
    import tensorflow as tf

    x = tf.constant(z.astype(np.float64))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = getattr(tf.math, fn)(x)
    want = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(getattr(reference("activations"), name)(z.astype(np.float64)), want,
                               rtol=1e-10, atol=1e-12)


def test_relu_derivatives_match_tensorflow_away_from_zero(z):
    import tensorflow as tf

    x = tf.constant(z.astype(np.float64) + 0.01)  # TF and the lesson agree except exactly at 0
    for name, fn, kwargs in (("relu_derivative", tf.nn.relu, {}),
                             ("leaky_relu_derivative", tf.nn.leaky_relu, {"alpha": 0.01})):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x, **kwargs)
        np.testing.assert_allclose(getattr(reference("activations"), name)(x.numpy()),
                                   tape.gradient(y, x).numpy(), rtol=1e-7)  # TF keeps alpha in float32


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_matches_keras(z, axis):
    ours = reference("softmax").softmax(z, axis=axis)
    np.testing.assert_allclose(ours, ops.convert_to_numpy(keras.activations.softmax(z, axis=axis)), **TOL)


def test_cross_entropies_match_keras():
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 5, size=12)
    p = rng.random((12, 5)) + 0.01
    p /= p.sum(axis=1, keepdims=True)
    y = np.eye(5)[labels]
    losses = reference("losses")
    want = float(ops.mean(keras.losses.categorical_crossentropy(y, p)))
    assert losses.cross_entropy(y, p) == pytest.approx(want, rel=1e-5)
    want_sparse = float(ops.mean(keras.losses.sparse_categorical_crossentropy(labels, p)))
    assert losses.sparse_cross_entropy(labels, p) == pytest.approx(want_sparse, rel=1e-5)


def test_quadratic_cost_matches_keras_mse():
    rng = np.random.default_rng(8)
    y, p = rng.random((9, 4)), rng.random((9, 4))
    # Keras' MSE averages over classes too: 1/(2n) Σ ||y - ŷ||² = C/2 · mean(MSE)
    mse = float(ops.mean(keras.losses.mean_squared_error(y, p)))
    assert reference("losses").quadratic_cost(y, p) == pytest.approx(4 / 2 * mse, rel=1e-6)


def test_softmax_cross_entropy_gradient_matches_tensorflow():
    import tensorflow as tf

    rng = np.random.default_rng(9)
    logits = rng.normal(size=(5, 3))
    y = np.eye(3)[rng.integers(0, 3, size=5)]
    x = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x))
    np.testing.assert_allclose(reference("losses").softmax_cross_entropy_gradient(logits, y),
                               tape.gradient(loss, x).numpy(), rtol=1e-10, atol=1e-12)


def test_sgd_step_matches_keras_sgd():
    rng = np.random.default_rng(10)
    w, g = rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=(3, 2)).astype(np.float32)
    variable = keras.Variable(w)
    keras.optimizers.SGD(learning_rate=0.3).apply_gradients([(g, variable)])
    ours = reference("gradient_descent").sgd_update({"w": w}, {"w": g}, 0.3)["w"]
    np.testing.assert_allclose(ours, ops.convert_to_numpy(variable), **TOL)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "linear"])
@pytest.mark.parametrize("batch", [None, 5])
def test_dense_forward_matches_keras_dense(activation, batch):
    rng = np.random.default_rng(11)
    W, b = rng.normal(size=(4, 3)), rng.normal(size=3)
    x = rng.normal(size=(4,) if batch is None else (batch, 4))
    layer = keras.layers.Dense(3, activation=activation)
    layer.build((None, 4))
    layer.set_weights([W.astype(np.float32), b.astype(np.float32)])  # Keras stores W as (D, H) too
    want = ops.convert_to_numpy(layer(np.atleast_2d(x).astype(np.float32)))
    ours = reference("dense_layer").dense_forward(x, W, b, activation)
    assert ours.shape == ((3,) if batch is None else (batch, 3))
    np.testing.assert_allclose(np.atleast_2d(ours), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("sizes", [[64, 64, 10], [64, 10], [8, 32, 16, 3], [5, 1, 7]])
def test_count_parameters_matches_the_kits_keras_model(sizes):
    model = reference("keras_model").build_model(n_inputs=sizes[0], n_classes=sizes[-1], hidden_units=tuple(sizes[1:-1]))
    assert reference("dense_layer").count_parameters(sizes) == model.count_params()


def test_the_lessons_worked_examples():
    perceptron, softmax, losses = reference("perceptron"), reference("softmax"), reference("losses")
    assert perceptron.weighted_sum(np.array([-1, 2]), np.array([4, 1]), 1) == -1
    assert perceptron.perceptron_output(np.array([-1, 2]), np.array([4, 1]), 1) == 0
    np.testing.assert_allclose(softmax.softmax(np.array([5, 2.5, 0.5])), [0.9148, 0.0751, 0.0102], atol=1e-4)
    np.testing.assert_allclose(softmax.softmax(np.array([1000.0, 1001.0])), [0.2689, 0.7311], atol=1e-4)
    y, p = np.array([0, 1, 0, 0]), np.array([0.1, 0.8, 0.07, 0.03])
    assert losses.cross_entropy(y, p) == pytest.approx(0.2231, abs=1e-4)
    assert losses.quadratic_cost(y, p) == pytest.approx(0.0279, abs=1e-6)
    assert reference("dense_layer").count_parameters([64, 64, 10]) == 4810
