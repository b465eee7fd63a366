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


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "one_softmax_unit": {
        "mistake": "the output layer is Dense(1, activation='softmax'): one unit whose softmax is always 1",
        "patch": {
            'keras.layers.Dense(n_classes, activation="softmax")':
                'keras.layers.Dense(1, activation="softmax")',
        },
        "feedback names": "one unit per class",
        "caught by": "the default model's layers",
    },
    "sigmoid_output": {
        "mistake": "the output layer uses sigmoid, so the class outputs do not sum to 1",
        "patch": {
            'keras.layers.Dense(n_classes, activation="softmax")':
                'keras.layers.Dense(n_classes, activation="sigmoid")',
        },
        "feedback names": "softmax",
    },
    "categorical_loss": {
        "mistake": "compiled with categorical_crossentropy although the labels are integers 0..9",
        "patch": {'loss="sparse_categorical_crossentropy"': 'loss="categorical_crossentropy"'},
        "feedback names": "sparse",
        "caught by": "the default model's compile settings",
    },
    "adam": {
        "mistake": "compiled with Adam instead of plain SGD",
        "patch": {
            "optimizer=keras.optimizers.SGD(learning_rate)":
                "optimizer=keras.optimizers.Adam(learning_rate)",
        },
        "feedback names": "SGD",
        "caught by": "compiled with SGD at the given learning rate",
    },
    "softmax_from_logits": {
        "mistake": "the output layer applies softmax and the loss is told from_logits=True, so softmax is applied twice",
        "patch": {
            'loss="sparse_categorical_crossentropy"':
                "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
        },
        "feedback names": "from_logits",
    },
    "linear_output_probabilities_loss": {
        "mistake": "the output layer has no activation (logits) while the loss expects probabilities (from_logits=False)",
        "patch": {'keras.layers.Dense(n_classes, activation="softmax")': "keras.layers.Dense(n_classes)"},
        "feedback names": "softmax",
    },
    "sgd_default_learning_rate": {
        "mistake": "build_model ignores learning_rate: SGD() trains at Keras's default 0.01",
        "patch": {"optimizer=keras.optimizers.SGD(learning_rate)": "optimizer=keras.optimizers.SGD()"},
        "feedback names": "learning_rate",
    },
    "fit_default_batch_size": {
        "mistake": "train_model ignores batch_size: model.fit trains with batches of 32",
        "patch": {
            "    return model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)\n":
                "    return model.fit(X_train, y_train, epochs=epochs, verbose=0)\n",
        },
        "feedback names": "batch_size",
    },
    "fixed_seed": {
        "mistake": "train_model ignores seed: it always seeds with 0",
        "patch": {"    keras.utils.set_random_seed(seed)\n": "    keras.utils.set_random_seed(0)\n"},
        "feedback names": "seed",
    },
    "fit_default_epochs": {
        "mistake": "train_model calls model.fit without epochs=, so Keras trains a single epoch",
        "patch": {
            "    return model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)\n":
                "    return model.fit(X_train, y_train, batch_size=batch_size, verbose=0)\n",
        },
        "feedback names": "epochs",
        "caught by": "train_model honours epochs, batch_size and seed and returns the History",
    },
    "hidden_units_ignored": {
        "mistake": "build_model always builds one hidden layer of 64, whatever hidden_units says",
        "patch": {"    for units in hidden_units:\n": "    for units in (64,):\n"},
        "feedback names": "hidden_units",
        "caught by": "hidden_units and activation are respected",
    },
    "no_hidden_layer_impossible": {
        "mistake": "build_model falls back to (64,) when hidden_units is empty",
        "patch": {"    for units in hidden_units:\n": "    for units in hidden_units or (64,):\n"},
        "feedback names": "hidden",
        "caught by": "a model with no hidden layer",
    },
    "full_batch_training": {
        "mistake": "train_model ignores batch_size and fits on the whole training set at once",
        "patch": {"batch_size=batch_size, verbose=0": "batch_size=len(X_train), verbose=0"},
        "feedback names": "batch",
        "caught by": "reaches 95% accuracy on held-out digits",
    },
    "seed_removed": {
        "mistake": "train_model never seeds: the batch order changes from run to run",
        "patch": {
            "    keras.utils.set_random_seed(seed)\n    ### BEGIN SOLUTION\n    return model.fit":
                "    ### BEGIN SOLUTION\n    return model.fit",
        },
        "feedback names": "seed",
        "caught by": "training is reproducible for a seed",
    },
}

ALTERNATIVES = {
    "functional_objects": {
        "differs": "functional API, separate Activation layers, loss and metric objects, float32 inputs, shuffle=True",
        "code": '''
            import numpy as np

            def build_model(n_inputs=64, n_classes=10, hidden_units=(64,), activation="relu", learning_rate=0.1):
                inputs = keras.Input(shape=(n_inputs,))
                x = inputs
                for units in hidden_units:
                    x = keras.layers.Dense(units)(x)
                    x = keras.layers.Activation(activation)(x)
                x = keras.layers.Dense(n_classes)(x)
                outputs = keras.layers.Softmax()(x)
                model = keras.Model(inputs=inputs, outputs=outputs)
                model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
                              loss=keras.losses.SparseCategoricalCrossentropy(),
                              metrics=[keras.metrics.SparseCategoricalAccuracy()])
                return model

            def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
                keras.utils.set_random_seed(seed)
                X_train = np.asarray(X_train, dtype="float32")
                return model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0)
        ''',
    },
    "sequential_add": {
        "differs": "Sequential built with .add(), tf.nn.softmax output, loss as a function, metric 'acc', fit with keyword arguments only",
        "code": '''
            import tensorflow as tf

            def build_model(n_inputs=64, n_classes=10, hidden_units=(64,), activation="relu", learning_rate=0.1):
                model = keras.Sequential(name="digits")
                model.add(keras.Input(shape=(n_inputs,)))
                for units in list(hidden_units):
                    model.add(keras.layers.Dense(units=units, activation=keras.activations.get(activation)))
                model.add(keras.layers.Dense(units=n_classes, activation=tf.nn.softmax))
                model.compile(optimizer=keras.optimizers.SGD(learning_rate),
                              loss=keras.losses.sparse_categorical_crossentropy, metrics=["acc"])
                return model

            def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
                keras.utils.set_random_seed(seed)
                history = model.fit(x=X_train, y=y_train, batch_size=batch_size, epochs=epochs, verbose=0)
                return history
        ''',
    },
}
