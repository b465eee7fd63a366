"""Mutants of the quiz: answers that come from a known misconception."""

from autograder.mutants.variant import variants

MUTANTS = variants("quiz", [
    ("answers_shifted", "every answer written one question too early (q02's answer in q01, ...)",
     "revisit", '''
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


def _one_wrong_answer_each():
    """One mutant per question: the answer a student who mixed up the topic would give
    (the next letter, or the number off by one), so every question's check is shown to fail."""
    from autograder.references import reference  # noqa: PLC0415 - instructor side only

    quiz = reference("quiz")
    entries = []
    for qid, question in quiz.QUESTIONS.items():
        right = getattr(quiz, qid)
        if "choices" in question:
            letters = sorted(question["choices"])
            wrong = repr(letters[(letters.index(right) + 1) % len(letters)])
        else:
            wrong = repr(right + max(1.0, abs(right) * 0.5))
        entries.append((f"{qid}_wrong", f"{qid} answered {wrong} (a neighbouring answer)", question["topic"],
                        f"{qid} = {wrong}\n", f"{qid} ({question['topic']})"))
    return entries


MUTANTS += variants("quiz", [
    ("letter_with_text", "q01 answered with the option's text after the letter (\"c) a weighted sum\")",
     "letter", 'q01 = "c) a weighted sum"\n', "every answer has the right form"),
    *_one_wrong_answer_each(),
])
