# %% [markdown]
# # 2. Activation functions
#
# Training nudges every weight a little and watches what happens to the loss. A perceptron makes
# this impossible: a tiny change of a weight either changes nothing or flips the output from 0
# to 1. Neurons with a **smooth** activation respond to small changes with small changes, which
# is what gradient descent needs. The usual choices:
#
# | function | formula | range | typical use |
# |---|---|---|---|
# | sigmoid | $\sigma(z) = 1 / (1 + e^{-z})$ | (0, 1) | output of a binary classifier |
# | tanh | $\tanh(z)$ | (-1, 1) | hidden layers (older networks) |
# | ReLU | $\max(0, z)$ | [0, ∞) | hidden layers: cheap, the default today |
# | leaky ReLU | $z$ if $z > 0$ else $\alpha z$ | (-∞, ∞) | hidden layers: a ReLU that never goes fully flat |
#
# Training also needs their derivatives (backpropagation multiplies them along the network), so
# you write both. Every function works elementwise on an array of any shape.

# %% nn101: setup activations

# %% [markdown]
# ## Sigmoid
#
# The docstring shows how to compute the sigmoid without overflow: `np.exp(1000)` is `inf`.

# %% nn101: function activations.sigmoid activations.sigmoid_derivative id=activations-sigmoid

# %% [markdown]
# ## tanh

# %% nn101: function activations.tanh activations.tanh_derivative id=activations-tanh

# %% [markdown]
# ## ReLU

# %% nn101: function activations.relu activations.relu_derivative id=activations-relu

# %% [markdown]
# ## Leaky ReLU
#
# A ReLU whose input stays negative outputs 0 and has derivative 0, so its weights stop learning
# (a "dying" ReLU). The leaky ReLU keeps a small slope `alpha` for negative inputs.

# %% nn101: function activations.leaky_relu activations.leaky_relu_derivative id=activations-leaky-relu

# %% [markdown]
# ## Sketch them
#
# The plots use your functions. Compare them with the table above: where is each function flat,
# and what does that mean for its derivative?

# %%
import matplotlib.pyplot as plt

z = np.linspace(-5, 5, 201)
pairs = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "ReLU": (relu, relu_derivative),
    "leaky ReLU (alpha=0.1)": (lambda v: leaky_relu(v, 0.1), lambda v: leaky_relu_derivative(v, 0.1)),
}
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for name, (f, df) in pairs.items():
    left.plot(z, f(z), label=name)
    right.plot(z, df(z), label=name)
left.set(title="activation f(z)", xlabel="z", ylim=(-1.5, 3))
right.set(title="derivative f'(z)", xlabel="z")
for ax in (left, right):
    ax.axhline(0, color="grey", lw=0.5)
    ax.legend(loc="upper left")
plt.show()

# %% [markdown]
# ## Check your work

# %% nn101: tests activations

# %% [markdown]
# # Network structure: a fully connected layer
#
# A network is built from **layers** of neurons. In a fully connected (dense) layer every
# neuron sees all outputs of the previous layer: with D inputs and H neurons, the layer holds
# a weight matrix $W$ of shape (D, H), one column per neuron, and a bias vector $b$ of shape
# (H,), one bias per neuron. For one sample $x$ of shape (D,) it computes
#
# $$z = x W + b, \qquad a = f(z),$$
#
# where $f$ is one of the activations above, applied to every element. Stacking N samples as
# the rows of $x$, shape (N, D), the same formula gives one row of outputs per sample: this
# is what Keras' `Dense(H, activation=...)` layer computes.

# %% nn101: setup dense_layer

# %% nn101: function dense_layer.dense_forward id=dense-layer-forward

# %% [markdown]
# ## Counting parameters
#
# A network is often drawn as its layer sizes, input layer first. The network of the Keras
# notebook for the 8x8 digits is `[64, 64, 10]`:
#
# ```
#   64 inputs  ->  64 hidden neurons (ReLU)  ->  10 output neurons (softmax)
# ```
#
# The input layer only holds the data and has no parameters. The hidden layer has
# 64·64 weights and 64 biases, the output layer 64·10 weights and 10 biases: 4,810 in all,
# the number `model.count_params()` reports for the Keras model (its notebook prints it in
# `model.summary()`).

# %% nn101: function dense_layer.count_parameters id=dense-layer-count

# %% [markdown]
# By hand and with your function: both lines should print the same number.

# %%
print(64 * 64 + 64 + 64 * 10 + 10)
print(count_parameters([64, 64, 10]))

# %% [markdown]
# ## Check your work

# %% nn101: tests dense_layer
