"""Mutants of the dense layer: each a change of one or two lines of the reference."""

from autograder.mutants.variant import patched, variants

PRE_ACTIVATION = "z = x @ W + b"

MUTANTS = variants("dense_layer", [
    ("w_times_x", "W·x instead of x·W: the weights multiply from the left", "x @ W",
     patched("dense_layer", (PRE_ACTIVATION, "z = W @ x + b")),
     "a square layer multiplies x by W, not W by x"),
    ("bias_forgotten", "the bias is never added", "bias",
     patched("dense_layer", (PRE_ACTIVATION, "z = x @ W")),
     "docstring example: one sample through a ReLU layer"),
    ("activation_before_bias", "the activation is applied to x·W and the bias added afterwards", "bias",
     patched("dense_layer", (PRE_ACTIVATION, "z = x @ W"), ("return a", "return a + b")),
     "the bias is added before the activation"),
    ("batch_first_row", "a batch gives the output of its first sample only", "row",
     patched("dense_layer", (PRE_ACTIVATION, "z = np.atleast_2d(x)[0] @ W + b")),
     "a batch gives one row per sample"),
    ("sigmoid_sign", "the sigmoid as 1 / (1 + e^z), the minus sign lost", "activation",
     patched("dense_layer", ("a = 1 / (1 + np.exp(-z))", "a = 1 / (1 + np.exp(z))")),
     "one sample through each activation"),
    ("bias_in_place", "the pre-activation is accumulated into the caller's bias array", "copy",
     patched("dense_layer", (PRE_ACTIVATION, "b += x @ W\n    z = b")),
     "the inputs are left unchanged"),
    ("biases_not_counted", "the parameter count leaves out the biases", "bias",
     patched("dense_layer", ("d * h + h for", "d * h for")),
     "docstring example: [64, 64, 10] has 4810 parameters"),
    ("input_layer_counted", "the input layer is counted as a layer with weights and biases", "input layer",
     patched("dense_layer", ("zip(sizes[:-1], sizes[1:])", "zip([1] + sizes[:-1], sizes)")),
     "a network without hidden layers"),
    ("weights_counted_per_layer", "each layer counted as H·H + H, as if it fed itself", "layer sizes",
     patched("dense_layer", ("zip(sizes[:-1], sizes[1:])", "zip(sizes[1:], sizes[1:])")),
     "parameters of random networks"),
])
