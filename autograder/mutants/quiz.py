"""Mutants of the quiz: answers that come from a known misconception."""

from autograder.mutants.variant import variants

MUTANTS = variants("quiz", [
    ("answers_shifted", "every answer written one question too early (q02's answer in q01, ...)",
     "not correct", '''
        _names = sorted(QUESTIONS)
        _answers = {name: globals()[name] for name in _names}
        for _this, _next in zip(_names, _names[1:] + _names[:1]):
            globals()[_this] = _answers[_next]
    '''),
    ("parameters_without_biases", "q05: the parameters counted without the biases (64·32 + 32·10)",
     "network structure", "q05 = 64 * 32 + 32 * 10\n"),
    ("batches_rounded_down", "q11: 1000 // 32 = 31 batches, the last partial batch forgotten",
     "epochs and mini-batches", "q11 = 1000 // 32\n"),
    ("cross_entropy_log10", "q18: the cross-entropy computed with log10 (0.0969)", "loss functions",
     "q18 = 0.0969\n"),
    ("softmax_as_percent", "q16: the probability written as a percentage (91.48)", "softmax", "q16 = 91.48\n"),
])
