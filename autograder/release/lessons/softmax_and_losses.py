# %% [markdown]
# # 3. Softmax and loss functions
#
# ## Softmax in the output layer
#
# A classifier's output layer gives one score (logit) per class. Softmax turns these scores into
# probabilities: every output lies between 0 and 1 and together they sum to 1.
#
# $$\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$$
#
# The lecture's example: the scores 5, 2.5 and 0.5 for classes A, B and C become about 0.91, 0.08
# and 0.01. That is why softmax goes in the output layer of a multi-class network (a sigmoid
# output suits a single yes/no question; ReLU suits hidden layers).

# %% nn101: setup softmax

# %% nn101: function softmax.softmax

# %%
print(softmax(np.array([5.0, 2.5, 0.5])).round(4))
print(softmax(np.array([1000.0, 1001.0])).round(4), "(large logits need the max shift)")

# %% nn101: tests softmax

# %% [markdown]
# ## Why not train on the accuracy?
#
# Accuracy only changes when a prediction crosses from wrong to right, so almost every small
# change of the weights leaves it exactly where it was: the landscape is flat with sudden steps,
# and gradient descent has no slope to follow. A **loss function** measures *how* wrong the
# predicted probabilities are, and it changes smoothly with the weights.
#
# With n training samples, true targets y (one-hot: 1 for the true class, 0 elsewhere) and
# predictions ŷ:
#
# - quadratic cost: $L = \frac{1}{2n} \sum_x \lVert y - \hat{y} \rVert^2$
# - cross-entropy: $L = -\frac{1}{n} \sum_x y \cdot \ln \hat{y}$, the usual choice after a softmax.
#
# For one sample with y = [0, 1, 0, 0] and ŷ = [0.1, 0.8, 0.07, 0.03], only the true class survives
# the dot product: y · ln ŷ = ln 0.8 ≈ -0.223, so the cross-entropy is +0.223.

# %% nn101: setup losses

# %% nn101: function losses.quadratic_cost

# %% nn101: function losses.cross_entropy

# %% nn101: function losses.sparse_cross_entropy

# %% [markdown]
# Softmax and cross-entropy fit together: the gradient of the loss with respect to the logits is
# simply (softmax(z) - y) / n. Gradient descent in the next notebook uses it.

# %% nn101: function losses.softmax_cross_entropy_gradient

# %%
y = np.array([0.0, 1.0, 0.0, 0.0])
y_hat = np.array([0.1, 0.8, 0.07, 0.03])
print("quadratic cost:", round(quadratic_cost(y, y_hat), 4))
print("cross-entropy: ", round(cross_entropy(y, y_hat), 4))
print("same with the label 1:", round(sparse_cross_entropy(np.array([1]), y_hat[None, :]), 4))

# A confident wrong answer costs far more than an unsure one:
for p_true in (0.8, 0.5, 0.1, 0.01):
    print(f"probability {p_true:4} on the true class -> cross-entropy {cross_entropy(y, np.array([0, p_true, 0, 1 - p_true])):.3f}")

# %% nn101: tests losses
