"""The mutant catalog: known-wrong implementations, one real student mistake each.

Each reference declares its own as ``MISTAKES`` below its audit mark
(:mod:`autograder.mutants.variant` gives the format); ``nn101 audit`` grades every one of
them. A reference with quiz ``QUESTIONS`` also gets one derived mistake per question: the
neighbouring answer, so every question's check is shown to fail. Instructor-side: never
shipped to students.
"""

from __future__ import annotations

from autograder.exercises import NAMES
from autograder.mutants.variant import Variant, load


def catalog(exercises=NAMES) -> tuple[Variant, ...]:
    """Every mutant of ``exercises``, in teaching order."""
    found = []
    for name in exercises:
        found += [*load("MISTAKES", (name,)), *_wrong_answers(name)]
    return tuple(found)


def _wrong_answers(exercise: str) -> tuple[Variant, ...]:
    """One mutant per quiz question: the next letter, or the number off by half (at least 1)."""
    from autograder.references import reference, solutions_dir  # noqa: PLC0415 - instructor side only

    if "\nQUESTIONS = " not in (solutions_dir() / f"{exercise}.py").read_text(encoding="utf-8"):
        return ()  # not a quiz (and no need to import, say, TensorFlow to know it)
    module = reference(exercise)
    built = []
    for qid, question in getattr(module, "QUESTIONS", {}).items():
        right = getattr(module, qid)
        if "choices" in question:
            letters = sorted(question["choices"])
            wrong = repr(letters[(letters.index(right) + 1) % len(letters)])
        else:
            wrong = repr(right + max(1.0, abs(right) * 0.5))
        built.append(Variant(f"{exercise}/{qid}_wrong", exercise, f"{qid} answered {wrong} (a neighbouring answer)",
                             f"{qid} = {wrong}\n", question["topic"], f"{qid} ({question['topic']})"))
    return tuple(built)
