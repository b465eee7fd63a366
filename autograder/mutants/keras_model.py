"""Mutants of the Keras exercise (each costs a TensorFlow worker: keep this list short)."""

from autograder.mutants.variant import aimed, patched, variants


def _build(output: str, optimizer: str = "keras.optimizers.SGD(learning_rate)",
           loss: str = '"sparse_categorical_crossentropy"') -> str:
    return f'''
        def build_model(n_inputs=64, n_classes=10, hidden_units=(64,), activation="relu", learning_rate=0.1):
            layers = [keras.Input(shape=(n_inputs,))]
            for units in hidden_units:
                layers.append(keras.layers.Dense(units, activation=activation))
            layers.append({output})
            model = keras.Sequential(layers)
            model.compile(optimizer={optimizer}, loss={loss}, metrics=["accuracy"])
            return model
    '''


MUTANTS = variants("keras_model", [
    ("one_softmax_unit", "the output layer is Dense(1, activation='softmax'): one unit whose softmax is always 1",
     "one unit per class", _build('keras.layers.Dense(1, activation="softmax")')),
    ("sigmoid_output", "the output layer uses sigmoid, so the class outputs do not sum to 1", "softmax",
     _build('keras.layers.Dense(n_classes, activation="sigmoid")')),
    ("categorical_loss", "compiled with categorical_crossentropy although the labels are integers 0..9",
     "sparse", _build('keras.layers.Dense(n_classes, activation="softmax")',
                      loss='"categorical_crossentropy"')),
    ("adam", "compiled with Adam instead of plain SGD", "SGD",
     _build('keras.layers.Dense(n_classes, activation="softmax")',
            optimizer="keras.optimizers.Adam(learning_rate)")),
    ("softmax_from_logits", "the output layer applies softmax and the loss is told from_logits=True, so "
     "softmax is applied twice", "from_logits",
     _build('keras.layers.Dense(n_classes, activation="softmax")',
            loss="keras.losses.SparseCategoricalCrossentropy(from_logits=True)")),
    ("linear_output_probabilities_loss", "the output layer has no activation (logits) while the loss expects "
     "probabilities (from_logits=False)", "softmax", _build("keras.layers.Dense(n_classes)")),
    ("sgd_default_learning_rate", "build_model ignores learning_rate: SGD() trains at Keras's default 0.01",
     "learning_rate", _build('keras.layers.Dense(n_classes, activation="softmax")',
                             optimizer="keras.optimizers.SGD()")),
    ("fit_default_batch_size", "train_model ignores batch_size: model.fit trains with batches of 32",
     "batch_size", '''
        def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
            keras.utils.set_random_seed(seed)
            return model.fit(X_train, y_train, epochs=epochs, verbose=0)
    '''),
    ("fixed_seed", "train_model ignores seed: it always seeds with 0", "seed", '''
        def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
            keras.utils.set_random_seed(0)
            return model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
    '''),
    ("fit_default_epochs", "train_model calls model.fit without epochs=, so Keras trains a single epoch",
     "epochs", '''
        def train_model(model, X_train, y_train, epochs=40, batch_size=32, seed=0):
            keras.utils.set_random_seed(seed)
            return model.fit(X_train, y_train, batch_size=batch_size, verbose=0)
    '''),
])

# Mistakes aimed at the checks that had none (issue 11).
MUTANTS += variants("keras_model", [
    ("hidden_units_ignored", "build_model always builds one hidden layer of 64, whatever hidden_units says",
     "hidden_units", patched("keras_model", ("    for units in hidden_units:\n", "    for units in (64,):\n")),
     "hidden_units and activation are respected"),
    ("no_hidden_layer_impossible", "build_model falls back to (64,) when hidden_units is empty", "hidden",
     patched("keras_model", ("    for units in hidden_units:\n", "    for units in hidden_units or (64,):\n")),
     "a model with no hidden layer"),
    ("full_batch_training", "train_model ignores batch_size and fits on the whole training set at once",
     "batch", patched("keras_model", ("batch_size=batch_size, verbose=0", "batch_size=len(X_train), verbose=0")),
     "reaches 95% accuracy on held-out digits"),
    ("seed_removed", "train_model never seeds: the batch order changes from run to run", "seed",
     patched("keras_model", ("    keras.utils.set_random_seed(seed)\n    ### BEGIN SOLUTION\n    return model.fit",
                             "    ### BEGIN SOLUTION\n    return model.fit")),
     "training is reproducible for a seed"),
])

# The check each of the mistakes above is aimed at (the audit verifies that it fails them).
MUTANTS = aimed(MUTANTS, {
    "one_softmax_unit": "the default model's layers",
    "categorical_loss": "the default model's compile settings",
    "adam": "compiled with SGD at the given learning rate",
    "fit_default_epochs": "train_model honours epochs, batch_size and seed and returns the History",
})
