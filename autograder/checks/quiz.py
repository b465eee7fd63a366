"""Visible check of the quiz: every answer has the right form (correctness is graded hidden)."""

import math
import numbers

from autograder.checks.core import Fail, check


def answer_problem(answer, question: dict) -> str:
    """Why ``answer`` cannot be graded for ``question``, or "" when its form is right."""
    if answer is None:
        return "is not answered yet"
    if "choices" in question:
        letter = normalise_choice(answer)
        if letter not in question["choices"]:
            return f"should be one of the letters {', '.join(sorted(question['choices']))}"
        return ""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return "should be a number"
    if not math.isfinite(answer):
        return "should be a finite number"
    return ""


def normalise_choice(answer) -> str:
    """``"B"``, ``" b "``, ``"b)"``, ``"(b)"``, ``"b."`` and ``"b:"`` all mean ``"b"``."""
    return answer.strip().strip("().:").strip().lower() if isinstance(answer, str) else ""


QUESTION_IDS = tuple(f"q{i:02d}" for i in range(1, 22))
"""The questions of the quiz (tests/test_visible.py keeps this equal to the reference's)."""


@check("quiz", "every answer has the right form", points=0)
def well_formed(sub, rng):
    quiz = sub.probe("quiz", QUESTION_IDS)
    questions, answers = quiz["questions"], quiz["answers"]
    missing = [qid for qid in QUESTION_IDS if not isinstance(questions, dict) or qid not in questions]
    if missing:
        raise Fail(f"QUESTIONS in quiz.py lacks {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}.",
                   hint="keep the QUESTIONS dict exactly as given and answer by setting q01, q02, ... below it.")
    problems = [f"{qid} {answer_problem(answers.get(qid), q)}"
                for qid, q in questions.items() if answer_problem(answers.get(qid), q)]
    if problems:
        raise Fail(f"{len(problems)} of {len(questions)} answers cannot be graded yet: "
                   + "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "") + ".",
                   hint='set each qNN variable: a letter such as "b", or a number.')


# ---- hidden checks: nothing below this line reaches the student kit ----
# Hidden checks of the quiz: one per question, against the reference answers.
#
# A wrong answer is reported as wrong, never with the right one.

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
