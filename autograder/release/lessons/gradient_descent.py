# %% [markdown]
# # 4. Gradient descent and the learning rate
#
# Training a network means finding the weights and biases with the lowest loss: the lowest point
# of a landscape whose coordinates are the parameters and whose height is the loss. Gradient
# descent walks downhill:
#
# 1. compute the gradient of the loss, the direction of steepest *ascent*;
# 2. take a step of size η (the learning rate) the other way: $\theta \leftarrow \theta - \eta \nabla L(\theta)$;
# 3. repeat until the ground is flat (the gradient is close to zero).
#
# **Stochastic** gradient descent computes each step on a small random mini-batch instead of on
# all the training data. One pass through all samples is an **epoch**.
#
# ## Functions from the softmax and losses notebook
#
# Training uses your softmax and your loss functions. Paste your solutions from that notebook
# into the cell below, with any import or helper of yours they use (they are graded there, not here).

# %% nn101: function softmax.softmax losses.cross_entropy losses.sparse_cross_entropy losses.softmax_cross_entropy_gradient id=from-notebook-3

# %% nn101: setup gradient_descent

# %% nn101: function gradient_descent.sgd_update

# %% nn101: function gradient_descent.iterate_minibatches

# %% [markdown]
# ## Checking a gradient
#
# A derivative can be estimated without any calculus: nudge one input a little up and a little
# down and see how much the function changes. This is slow, but it is a good way to check a
# gradient worked out by hand.

# %% nn101: function gradient_descent.numerical_gradient

# %%
rng = np.random.default_rng(0)
logits = rng.normal(size=(3, 4))
targets = np.eye(4)[[0, 2, 3]]
by_formula = softmax_cross_entropy_gradient(logits, targets)
by_nudging = numerical_gradient(lambda z: sparse_cross_entropy(np.array([0, 2, 3]), softmax(z)), logits)
print("largest difference:", np.abs(by_formula - by_nudging).max())

# %% [markdown]
# ## Training on the digits
#
# Softmax regression is a network with no hidden layer: 64 pixels in, 10 class scores out.
# `train_softmax_regression` puts your functions together into mini-batch SGD.

# %% nn101: function gradient_descent.train_softmax_regression

# %% [markdown]
# ## How the learning rate changes training
#
# The learning rate is set by trial and error. The cell trains the same model with a rate that is
# too small, one that works well and one that is far too large, and plots the loss per epoch.
# Before you run it, guess what each curve will look like.

# %%
import matplotlib.pyplot as plt

from autograder.data import load_digits_split

X_train, X_test, y_train, y_test = load_digits_split()
fig, ax = plt.subplots(figsize=(7, 4))
for rate, label in [(0.01, "too small"), (0.5, "good"), (100.0, "too large")]:
    params, history = train_softmax_regression(X_train, y_train, 10, learning_rate=rate, epochs=20)
    accuracy = np.mean(np.argmax(X_test @ params["W"] + params["b"], axis=1) == y_test)
    ax.plot(range(1, 21), history, marker="o", ms=3, label=f"η = {rate} ({label}): test accuracy {accuracy:.1%}")
ax.set(xlabel="epoch", ylabel="mean training loss", yscale="log", title="Loss curves for three learning rates")
ax.legend()
plt.show()

# %% [markdown]
# Too small: the loss goes down steadily but slowly, and many more epochs would be needed. Too
# large: the steps overshoot the minimum, so the loss jumps up and down. A good rate gets low fast
# and stays there; in practice pick one a little below the largest rate that still trains calmly.

# %% nn101: tests gradient_descent
