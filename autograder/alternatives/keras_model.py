"""Correct Keras models written differently from the reference (each costs a TensorFlow worker)."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("keras_model", [
    ("functional_objects", "functional API, separate Activation layers, loss and metric objects, float32 "
     "inputs, shuffle=True", '''
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
    '''),
    ("sequential_add", "Sequential built with .add(), tf.nn.softmax output, loss as a function, metric "
     "'acc', fit with keyword arguments only", '''
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
    '''),
])
