# %% [markdown]
# # 1. Artificial neurons and the perceptron
#
# An artificial neuron is nothing mysterious: it is a small function. It multiplies each input
# by a weight, adds the results up, adds a bias, and passes that number through an activation
# function. Networks of such neurons are inspired by the brain, but they work nothing like one;
# what makes them useful is that, with enough neurons, they can draw almost any decision
# boundary.
#
# The **perceptron** is the simplest neuron. Its activation is a step:
#
# $$z = w \cdot x + b, \qquad \text{output} = \begin{cases} 1 & \text{if } z > 0 \\ 0 & \text{if } z \le 0 \end{cases}$$
#
# The weights say how much each input counts; the bias moves the threshold, so it sets how easily
# the perceptron fires whatever the inputs are.
#
# **How these notebooks work.** Cells that contain `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError` with your code and run the cell. The test cell after the functions
# runs the visible checks: it prints ✓ or ✗ for each check, with a hint for what failed, and ends
# with the points earned. More checks (hidden ones) run when your notebook is graded. Keep the
# function names and signatures as they are.

# %% nn101: setup perceptron

# %% [markdown]
# ## The weighted sum
#
# One sample is a vector `x` of shape `(D,)`. A batch is a matrix of shape `(N, D)` with one sample
# per row; `x @ w` then gives one weighted sum per row.

# %% nn101: function perceptron.weighted_sum

# %% [markdown]
# ## The step
#
# The output is 1 only when `z` is strictly greater than 0: `z == 0` gives 0, as in the lecture.

# %% nn101: function perceptron.perceptron_output

# %% [markdown]
# ## The snack example
#
# You have just sat down on the couch to watch your favourite show: is it worth getting up for
# snacks? In the lecture's version of this decision the perceptron has weights w = (4, 1), sees
# the inputs x = (-1, 2) and has bias b = 1. Output 1 means "get snacks", 0 means "stay on the
# couch". Work out z by hand first, then run the cell.

# %%
x = np.array([-1.0, 2.0])
w = np.array([4.0, 1.0])
b = 1.0
z = weighted_sum(x, w, b)
print(f"z = 4*(-1) + 1*2 + 1 = {z}")
print("decision:", "get snacks" if perceptron_output(x, w, b) == 1 else "stay on the couch")

# %% [markdown]
# ## A perceptron that computes NAND
#
# With weights (-2, -2) and bias 3, a perceptron outputs 0 only when both inputs are 1: that is
# the logic gate NAND, and any logical circuit can be built from NAND gates. Passing all four
# input pairs as one batch gives the whole truth table at once.

# %%
inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
outputs = perceptron_output(inputs, np.array([-2.0, -2.0]), 3.0)
for pair, out in zip(inputs.astype(int), outputs):
    print(pair, "->", out)

# %% [markdown]
# ## Check your work

# %% nn101: tests perceptron
