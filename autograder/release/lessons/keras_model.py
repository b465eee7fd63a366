# %% [markdown]
# # 5. A neural network in Keras
#
# Keras builds, trains and evaluates networks in four steps:
#
# 1. **create** the model: an input layer with one neuron per feature, hidden layer(s), and an
#    output layer with one neuron per class (one hidden layer is often enough);
# 2. **compile** it: choose the optimizer (here plain SGD and its learning rate), the loss and
#    the metrics to report;
# 3. **fit** it to the training data: choose the number of epochs and the batch size;
# 4. **evaluate** it on test data it has never seen.
#
# The digits are 8x8 images (64 pixel values in [0, 1]) of the handwritten digits 0 to 9. Hidden
# layers use ReLU, the output layer softmax. The labels are the integers 0 to 9, so the loss is
# the *sparse* categorical cross-entropy (the one-hot version would need one-hot labels).

# %%
import os

# Set before Keras is imported: TensorFlow's start-up messages stay out of the notebook.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"

# %% nn101: setup keras_model

# %% nn101: function keras_model.build_model

# %% nn101: function keras_model.train_model

# %% [markdown]
# ## Train it once and look at the learning curves

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.data import load_digits_split

X_train, X_test, y_train, y_test = load_digits_split()
keras.utils.set_random_seed(0)
model = build_model()
model.summary()
history = train_model(model, X_train, y_train)
test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
print(f"test loss {test_loss:.3f}, test accuracy {test_accuracy:.1%}")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
epochs = np.arange(1, len(history.epoch) + 1)
left.plot(epochs, history.history["loss"])
left.set(title="training loss", xlabel="epoch", ylabel="sparse categorical cross-entropy")
right.plot(epochs, history.history["accuracy"], label="training")
right.axhline(test_accuracy, color="grey", ls="--", label="test (after training)")
right.set(title="accuracy", xlabel="epoch")
right.legend()
plt.show()

# %% [markdown]
# The model has 64·64 + 64 weights and biases in the hidden layer and 64·10 + 10 in the output
# layer. Try a few changes and watch the curves: a learning rate of 0.01 or 1.0, 16 or 256
# hidden units, `activation="sigmoid"`. (The checks use the defaults.)

# %% nn101: tests keras_model
