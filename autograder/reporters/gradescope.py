"""Gradescope's results.json (format: gradescope-autograders.readthedocs.io, "Autograder Specifications").

One test per check, named ``"<module>: <check>"``, with ``score``, ``max_score``, ``output`` and
``visibility``: visible checks are ``visible``; hidden checks take the visibility the instructor
chose (``after_due_date`` by default, ``after_published`` or ``hidden``). The top-level ``score`` is
the total of every check (it overrides the sum of the tests); Gradescope hides a student's total
while any test is ``after_due_date`` or ``after_published``, and shows it with ``hidden`` tests.
``extra_data["nn101"]["kind"]`` records what the run was, for the rate limit of later runs.
"""

from __future__ import annotations

import json

from autograder.models import Results
from autograder.rate_limit import GRADED, GRADER_ERROR, RATE_LIMITED, RateLimit, Verdict
from autograder.reporters import clean

HIDDEN_VISIBILITIES = ("after_due_date", "after_published", "hidden")
HIDDEN_NOTE = {
    "after_due_date": "{n} hidden checks ({points:g} points) were graded too: you will see them, "
                      "and your total score, after the due date.",
    "after_published": "{n} hidden checks ({points:g} points) were graded too: you will see them, "
                       "and your total score, when your instructor publishes the grades.",
    "hidden": "{n} hidden checks ({points:g} points) were graded too and count in your total score; "
              "they are not shown.",
}


def as_dict(results: Results, hidden_visibility: str = "after_due_date") -> dict:
    """results.json for ``results``, hidden checks at ``hidden_visibility``."""
    if hidden_visibility not in HIDDEN_VISIBILITIES:
        raise ValueError(f"hidden_visibility must be one of {HIDDEN_VISIBILITIES}, not {hidden_visibility!r}")
    results = clean.results(results)
    sources = {e.name: e.source for e in results.exercises if e.source}
    tests = []
    for check in results.checks:
        output = (f"Passed. {check.message}".strip() if check.passed
                  else f"{check.status}: {check.message}".strip())
        tests.append({
            "name": check.title,
            "score": check.points,
            "max_score": check.max_points,
            "status": "passed" if check.passed else "failed",
            "output": output,
            "visibility": "visible" if check.visible else hidden_visibility,
        })
    graded = ", ".join(f"{name}: {path}" for name, path in sources.items())
    kind = GRADER_ERROR if results.grader_errors else GRADED
    return {"score": results.points, "tests": tests, "stdout_visibility": "hidden",
            "output": f"Isolation: {results.isolation_text}." + (f" Graded {graded}." if graded else ""),
            "extra_data": {"isolation": results.isolation, "nn101": {"kind": kind}}}


def render(results: Results) -> str:
    return json.dumps(as_dict(results), indent=2) + "\n"


def graded(results: Results, hidden_visibility: str, limit: RateLimit | None, verdict: Verdict | None) -> dict:
    """results.json for a graded submission; its output says what was graded, how, and what is hidden."""
    data = as_dict(results, hidden_visibility)
    found = [] if any(e.source for e in results.exercises) else ["Graded no .py files."]
    lines = [" ".join([data["output"], *found, *results.warnings]).strip()]
    hidden = [c for c in results.checks if not c.visible]
    if hidden:
        lines.append(HIDDEN_NOTE[hidden_visibility].format(n=len(hidden), points=sum(c.max_points for c in hidden)))
    if limit is not None and verdict is not None:
        lines.append(f"This was graded submission {verdict.graded_before + 1} of the {limit.submissions} "
                     f"allowed in any {limit.hours:g} hours.")
    data["output"] = "\n".join(lines)
    return data


def over_the_limit(verdict: Verdict, limit: RateLimit) -> dict:
    """The kept results.json with a message in front: not graded, and when the next graded try is."""
    when = verdict.next_graded_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    note = (f"Not graded: you already had {limit.submissions} graded submissions in the last "
            f"{limit.hours:g} hours, the most this assignment allows. Submissions from {when} on "
            f"are graded again. Until then you keep the score of your last graded submission, shown below.")
    return _kept(verdict.kept_results, note, {"kind": RATE_LIMITED,
                                              "next_graded_at": verdict.next_graded_at.isoformat()})


def grader_failed(error: Exception, kept: dict | None) -> dict:
    """results.json when the grader failed: the previous results if there are any, else score 0."""
    note = f"The autograder failed on this submission ({type(error).__name__}); your instructor has been told."
    if kept is None:
        return {"score": 0, "tests": [], "output": note, "extra_data": {"nn101": {"kind": GRADER_ERROR}}}
    return _kept(kept, note + " Until it is regraded you keep the score of your previous submission, shown below.",
                 {"kind": GRADER_ERROR})


def _kept(previous: dict, note: str, mark: dict) -> dict:
    """``previous`` results with ``note`` before the output of the graded run they come from."""
    extra = previous.get("extra_data") if isinstance(previous.get("extra_data"), dict) else {}
    earlier = extra.get("nn101") if isinstance(extra.get("nn101"), dict) else {}
    graded_output = earlier.get("graded_output", previous.get("output", ""))
    graded_output = graded_output if isinstance(graded_output, str) else ""
    return {**previous, "output": f"{note}\n\n{graded_output}".strip(),
            "extra_data": {**extra, "nn101": {**mark, "graded_output": graded_output}}}
