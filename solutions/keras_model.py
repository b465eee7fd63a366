"""A fully connected neural network in Keras, for the 8x8 digits (64 inputs, 10 classes).

The four Keras steps:
1. create the model: input layer -> hidden layer(s) -> output layer,
2. compile it: choose the optimizer, the loss and the metrics,
3. fit it to the training data: choose epochs and batch size,
4. evaluate it on test data it has never seen.

Hidden layers use ReLU; the output layer uses softmax, so it gives one probability per class.
With integer labels (0..9) the loss is the sparse categorical cross-entropy.

Shapes: N samples, D inputs (features), C classes.
"""

import keras


def build_model(
    n_inputs=64, n_classes=10, hidden_units=(64,), activation="relu", learning_rate=0.1
):
    """Create and compile a fully connected classifier.

    Layers: keras.Input(shape=(D,)), one Dense(units, activation) layer per entry of
    hidden_units, then Dense(C, activation="softmax").
    Compiled with keras.optimizers.SGD(learning_rate), loss "sparse_categorical_crossentropy"
    and metrics ["accuracy"].

    Inputs:
    - n_inputs: number of input features D.
    - n_classes: number of classes C.
    - hidden_units: neurons per hidden layer, e.g. (64,) for one hidden layer of 64.
    - activation: activation of the hidden layers, e.g. "relu".
    - learning_rate: SGD step size.

    Returns:
    - model: a compiled keras.Model mapping (N, D) inputs to (N, C) probabilities.
    """
    ### BEGIN SOLUTION
    layers = [keras.Input(shape=(n_inputs,))]
    for units in hidden_units:
        layers.append(keras.layers.Dense(units, activation=activation))
    layers.append(keras.layers.Dense(n_classes, activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
    ### END SOLUTION


def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
    """Fit a compiled model to the training data, silently (verbose=0).

    keras.utils.set_random_seed(seed) fixes the order of the batches. (The initial weights
    are drawn when the model is built: seed before build_model for a fully repeatable run.)

    Inputs:
    - model: a compiled keras.Model.
    - X_train: features, shape (N, D).
    - y_train: integer labels, shape (N,).
    - epochs: passes over the training data.
    - batch_size: samples per gradient step.
    - seed: random seed.

    Returns:
    - history: the keras.callbacks.History returned by model.fit; history.history["loss"]
      and history.history["accuracy"] hold one value per epoch.
    """
    keras.utils.set_random_seed(seed)
    ### BEGIN SOLUTION
    return model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
    ### END SOLUTION
