"""Quiz: Introduction to Neural Networks.

Answer each question by setting the variable with the question's name, e.g. q01.
- Multiple choice: a letter as a string, such as "b".
- Numeric: a number, such as 0.5 or -3. It is accepted within the question's tolerance.
Work the numeric questions out by hand or with a few lines of Python; do not round more than
the question asks.
"""

QUESTIONS = {
    "q01": {
        "topic": "neurons",
        "text": "What does a single artificial neuron compute from its inputs?",
        "choices": {
            "a": "It imitates a brain cell so closely that its output cannot be written as a "
            "formula.",
            "b": "It passes on the largest of its inputs unchanged.",
            "c": "It forms a weighted sum of its inputs, adds a bias, and passes the result "
            "through an activation function.",
            "d": "It adds up its inputs without weights; only the activation function is learned.",
        },
    },
    "q02": {
        "topic": "perceptron",
        "text": "Snack example: a perceptron decides whether you get up for snacks (output 1) or "
        "stay on the couch (output 0). Its weights are w = (4, 1), the inputs are x = (-1, 2) "
        "and the bias is b = 1. What is the weighted sum z = w . x + b?",
        "tolerance": 1e-6,
    },
    "q03": {
        "topic": "perceptron",
        "text": "What does the perceptron of the snack example (previous question) output?",
        "choices": {
            "a": "1: z is not zero, so the perceptron fires and you get snacks.",
            "b": "0.27: the sigmoid of z.",
            "c": "-1: a perceptron outputs its weighted sum.",
            "d": "0: z is not greater than 0, so you stay on the couch.",
        },
    },
    "q04": {
        "topic": "weights and biases",
        "text": "A neuron computes w . x + b before its activation. What is the role of the "
        "bias b?",
        "choices": {
            "a": "It shifts the threshold: it sets how easily the neuron gives a high output, "
            "whatever the inputs are.",
            "b": "It sets how much each individual input counts.",
            "c": "It is the step size used when the weights are updated.",
            "d": "It is a constant fixed before training; only the weights are learned.",
        },
    },
    "q05": {
        "topic": "network structure",
        "text": "A fully connected network for the 8x8 digit images has 64 inputs, one hidden "
        "layer of 32 neurons and an output layer of 10 neurons. Every hidden and output neuron "
        "has its own bias. How many trainable parameters (weights plus biases) does it have?",
        "tolerance": 1e-6,
    },
    "q06": {
        "topic": "network structure",
        "text": "Which description fits a fully connected feed-forward network such as the ones "
        "in this lesson?",
        "choices": {
            "a": "Every neuron is connected to every other neuron, including the neurons of its "
            "own layer.",
            "b": "Each neuron receives the outputs of all neurons in the previous layer; there are "
            "no connections within a layer.",
            "c": "Each input is connected to exactly one hidden neuron.",
            "d": "The input layer has one neuron per class and the output layer one neuron per "
            "feature.",
        },
    },
    "q07": {
        "topic": "gradient descent",
        "text": "The gradient-descent step is theta <- theta - eta * grad L(theta), with learning "
        "rate eta. Why is the gradient subtracted?",
        "choices": {
            "a": "The learning rate is negative, so the minus sign makes the step positive.",
            "b": "To make the weights smaller after every step, which keeps them from growing.",
            "c": "The gradient points in the direction in which the loss increases fastest, so a "
            "step the opposite way lowers the loss.",
            "d": "The gradient is the loss itself, and subtracting it removes the error from the "
            "weights.",
        },
    },
    "q08": {
        "topic": "learning rate",
        "text": "During training the loss jumps up and down and grows from one epoch to the next "
        "instead of shrinking. What is the most likely cause?",
        "choices": {
            "a": "The learning rate is too large: every step overshoots the minimum.",
            "b": "The learning rate is too small: the steps are too short to reach the minimum.",
            "c": "Too many epochs: the network has seen each sample too often.",
            "d": "The training samples are shuffled at the start of every epoch.",
        },
    },
    "q09": {
        "topic": "learning rate",
        "text": "You set the learning rate to a very small value. What happens during training?",
        "choices": {
            "a": "The loss grows without bound.",
            "b": "Nothing changes: the learning rate only affects the final accuracy, not the "
            "training.",
            "c": "The steps jump over the minimum and land on the other side of the valley.",
            "d": "The loss goes down steadily but very slowly, so many more epochs are needed.",
        },
    },
    "q10": {
        "topic": "stochastic gradient descent",
        "text": "What makes stochastic gradient descent 'stochastic'?",
        "choices": {
            "a": "Random noise is added to the weights after every update.",
            "b": "Each update uses the gradient on a small random subset (a mini-batch) of the "
            "training data instead of on all of it.",
            "c": "The learning rate is drawn at random for every step.",
            "d": "Each step goes in a random direction and is kept only if the loss goes down.",
        },
    },
    "q11": {
        "topic": "epochs and mini-batches",
        "text": "You train with mini-batch SGD on n = 1000 training samples with a batch size of "
        "32; the last batch may be smaller. How many mini-batches (weight updates) make up one "
        "epoch?",
        "tolerance": 1e-6,
    },
    "q12": {
        "topic": "why not perceptrons",
        "text": "Why are perceptrons (step activation) replaced by neurons with a smooth "
        "activation such as the sigmoid?",
        "choices": {
            "a": "A small change of a weight can make a perceptron's output jump from 0 to 1, so "
            "training gets no gradual signal of which way to move the weights.",
            "b": "Perceptrons only accept inputs that are 0 or 1.",
            "c": "A step function is much slower to compute than a sigmoid.",
            "d": "A perceptron cannot have a bias.",
        },
    },
    "q13": {
        "topic": "why not accuracy",
        "text": "Why is the accuracy (or the number of misclassifications) not the function that "
        "training minimises?",
        "choices": {
            "a": "Accuracy can only be computed on test data, not on training data.",
            "b": "It changes in jumps: most small weight changes leave it unchanged, then it "
            "suddenly changes when one prediction flips, so its gradient gives no direction.",
            "c": "Accuracy is always 100% on the training data, so there is nothing to minimise.",
            "d": "Accuracy takes too long to compute on large datasets.",
        },
    },
    "q14": {
        "topic": "activation functions",
        "text": "Which list gives the output ranges of sigmoid, tanh and ReLU, in that order?",
        "choices": {
            "a": "(-1, 1), (0, 1), [0, infinity)",
            "b": "(0, 1), [0, infinity), (-1, 1)",
            "c": "(0, 1), (-1, 1), [0, infinity)",
            "d": "(-infinity, infinity), (-1, 1), [0, 1]",
        },
    },
    "q15": {
        "topic": "activation functions",
        "text": "A network classifies images of the digits 0-9. Which activation functions are "
        "the usual choice?",
        "choices": {
            "a": "Softmax in the hidden layers, ReLU in the output layer.",
            "b": "Step functions in every layer, as in a perceptron.",
            "c": "Sigmoid in the hidden layers, ReLU in the output layer so the outputs are "
            "positive.",
            "d": "ReLU in the hidden layers, softmax in the output layer.",
        },
    },
    "q16": {
        "topic": "softmax",
        "text": "The output layer gives the scores z = [5, 2.5, 0.5] for the classes A, B and C. "
        "What probability does softmax give to class A? (At least 3 decimals.)",
        "tolerance": 1e-3,
    },
    "q17": {
        "topic": "softmax",
        "text": "Why is softmax used in the output layer of a classifier?",
        "choices": {
            "a": "It turns the scores into positive numbers that sum to 1, so each one can be read "
            "as the probability of a class.",
            "b": "It sets the largest output to 1 and all other outputs to 0.",
            "c": "It is the only activation function that has a derivative.",
            "d": "It makes each output independent of the other outputs.",
        },
    },
    "q18": {
        "topic": "loss functions",
        "text": "A sample belongs to the second of four classes: y = [0, 1, 0, 0]. The network "
        "predicts y_hat = [0.1, 0.8, 0.07, 0.03]. What is the cross-entropy loss "
        "L = -sum(y * ln(y_hat)) of this one sample (n = 1)? (At least 3 decimals.)",
        "tolerance": 1e-3,
    },
    "q19": {
        "topic": "loss functions",
        "text": "For the same sample, what is the quadratic cost L = 1/(2n) * sum ||y - y_hat||^2 "
        "with n = 1? (At least 4 decimals.)",
        "tolerance": 1e-4,
    },
    "q20": {
        "topic": "loss functions",
        "text": "The digit labels are stored as integers 0-9 (not as one-hot vectors) and the "
        "output layer uses softmax. Which Keras loss fits?",
        "choices": {
            "a": "\"mean_squared_error\"",
            "b": "\"categorical_crossentropy\"",
            "c": "\"sparse_categorical_crossentropy\"",
            "d": "\"binary_crossentropy\"",
        },
    },
    "q21": {
        "topic": "keras",
        "text": "In which order are the steps of working with a Keras model done?",
        "choices": {
            "a": "compile, create, fit, evaluate",
            "b": "create, fit, compile, evaluate",
            "c": "create, compile, evaluate, fit",
            "d": "create, compile, fit, evaluate",
        },
    },
}

### BEGIN SOLUTION
q01 = "c"
### END SOLUTION

### BEGIN SOLUTION
q02 = -1
### END SOLUTION

### BEGIN SOLUTION
q03 = "d"
### END SOLUTION

### BEGIN SOLUTION
q04 = "a"
### END SOLUTION

### BEGIN SOLUTION
q05 = 2410
### END SOLUTION

### BEGIN SOLUTION
q06 = "b"
### END SOLUTION

### BEGIN SOLUTION
q07 = "c"
### END SOLUTION

### BEGIN SOLUTION
q08 = "a"
### END SOLUTION

### BEGIN SOLUTION
q09 = "d"
### END SOLUTION

### BEGIN SOLUTION
q10 = "b"
### END SOLUTION

### BEGIN SOLUTION
q11 = 32
### END SOLUTION

### BEGIN SOLUTION
q12 = "a"
### END SOLUTION

### BEGIN SOLUTION
q13 = "b"
### END SOLUTION

### BEGIN SOLUTION
q14 = "c"
### END SOLUTION

### BEGIN SOLUTION
q15 = "d"
### END SOLUTION

### BEGIN SOLUTION
q16 = 0.9148
### END SOLUTION

### BEGIN SOLUTION
q17 = "a"
### END SOLUTION

### BEGIN SOLUTION
q18 = 0.2231
### END SOLUTION

### BEGIN SOLUTION
q19 = 0.0279
### END SOLUTION

### BEGIN SOLUTION
q20 = "c"
### END SOLUTION

### BEGIN SOLUTION
q21 = "d"
### END SOLUTION


# ---- nn101 audit: known mistakes and correct alternatives; never released ----
MISTAKES = {
    "answers_shifted": {
        "mistake": "every answer written one question too early (q02's answer in q01, ...)",
        "code": '''
            _names = sorted(QUESTIONS)
            _answers = {name: globals()[name] for name in _names}
            for _this, _next in zip(_names, _names[1:] + _names[:1]):
                globals()[_this] = _answers[_next]
        ''',
        "feedback names": "revisit",
    },
    "parameters_without_biases": {
        "mistake": "q05: the parameters counted without the biases (64·32 + 32·10)",
        "code": '''
            q05 = 64 * 32 + 32 * 10
        ''',
        "feedback names": "network structure",
    },
    "batches_rounded_down": {
        "mistake": "q11: 1000 // 32 = 31 batches, the last partial batch forgotten",
        "code": '''
            q11 = 1000 // 32
        ''',
        "feedback names": "epochs and mini-batches",
    },
    "cross_entropy_log10": {
        "mistake": "q18: the cross-entropy computed with log10 (0.0969)",
        "code": '''
            q18 = 0.0969
        ''',
        "feedback names": "loss functions",
    },
    "softmax_as_percent": {
        "mistake": "q16: the probability written as a percentage (91.48)",
        "code": '''
            q16 = 91.48
        ''',
        "feedback names": "softmax",
    },
    "letter_with_text": {
        "mistake": 'q01 answered with the option\'s text after the letter ("c) a weighted sum")',
        "code": '''
            q01 = "c) a weighted sum"
        ''',
        "feedback names": "letter",
        "caught by": "every answer has the right form",
    },
}

ALTERNATIVES = {
    "letter_styles": {
        "differs": 'letters as "C", " d) ", "(a)", "B."; numbers as floats rounded within the tolerance',
        "code": '''
            q01 = "C"
            q02 = -1.0
            q03 = " d) "
            q04 = "(a)"
            q05 = 2410.0
            q06 = "B."
            q07 = "c)"
            q11 = 32.0
            q16 = 0.915
            q18 = 0.223
            q19 = 0.02790
        ''',
    },
    "computed": {
        "differs": "numeric answers computed with math and NumPy (NumPy scalars), letters upper case",
        "code": '''
            import math
            import numpy as np

            q02 = 4 * -1 + 1 * 2 + 1
            q05 = (64 * 32 + 32) + (32 * 10 + 10)
            q11 = math.ceil(1000 / 32)
            q16 = np.exp(5) / np.sum(np.exp(np.array([5, 2.5, 0.5])))
            q18 = -np.log(0.8)
            q19 = np.sum((np.array([0, 1, 0, 0]) - np.array([0.1, 0.8, 0.07, 0.03])) ** 2) / 2
            q08 = q08.upper()
            q21 = q21.upper()
        ''',
    },
}
