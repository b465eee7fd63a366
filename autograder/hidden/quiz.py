"""Hidden checks of the quiz: one per question, against the reference answers.

A wrong answer is reported as wrong, never with the right one.
"""

import math

from autograder.checks.core import Fail, check
from autograder.checks.quiz import QUESTION_IDS, answer_problem, normalise_choice
from autograder.references import reference
from autograder.submission import StudentError
from autograder import models


def _is_correct(answer, right, question: dict) -> bool:
    if "choices" in question:
        return normalise_choice(answer) == right
    return math.isfinite(float(answer)) and abs(float(answer) - right) <= question["tolerance"]


def _register(qid: str, question: dict) -> None:
    @check("quiz", f"{qid} ({question['topic']})")
    def graded(sub, rng):
        answer = sub.probe("quiz", QUESTION_IDS)["answers"].get(qid)
        problem = answer_problem(answer, question)
        if answer is None:
            raise StudentError(models.NOT_ATTEMPTED, f"{qid} is not answered yet.")
        if problem:
            raise Fail(f"{qid}: your answer {problem}.",
                       hint="a multiple-choice answer is the option's letter as a string, e.g. \"b\"; "
                            "a numeric answer is a plain number such as 0.5.")
        if not _is_correct(answer, getattr(reference("quiz"), qid), question):
            raise Fail(f"{qid}: your answer is not correct.", hint=f"revisit the lesson's part on {question['topic']}.")


for _qid, _question in reference("quiz").QUESTIONS.items():
    _register(_qid, _question)
