"""The authoring rules of an exercise, in one place: what every exercise must have, and when a
text quotes the reference.

``nn101 audit`` and ``nn101 release --check`` run :func:`findings`, and so do the tests; the
redaction of feedback (:mod:`autograder.redact`) and the kit's leak scan
(:mod:`autograder.release.leaks`) use :data:`MIN_QUOTE` and :func:`solution_lines`. Each
finding names the file to change and what to add or reword there.

The rules, for every exercise of :data:`autograder.exercises.EXERCISES`:

- its reference ``solutions/<name>.py`` and checks ``autograder/checks/<name>.py`` exist;
- no hint or message of its checks (a string in ``autograder/checks/<name>.py``)
  quotes a line of a solution region of :data:`MIN_QUOTE` or more characters (such feedback is
  withheld at grading time, so the student would see nothing);
- its module constants reach the notebook: a solution module may define no module-level
  variable outside a solution region except the quiz's ``QUESTIONS`` (a notebook's setup cell
  holds imports and ``_private`` helpers only, so a constant there is a NameError);
- every public function has at least one mistake, and the exercise has :data:`MIN_ALTERNATIVES`
  alternatives (the quiz's answers are its functions: it needs mistakes only), declared below
  the reference's :data:`AUDIT_MARK`, each replacing a function or answer of the reference.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.exercises import EXERCISES

MIN_QUOTE = 12
"""A solution line of at least this many characters (stripped) that appears in feedback, a hint
or the kit counts as quoting the reference; shorter lines ("return out") are too common."""
REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
AUDIT_MARK = "# ---- nn101 audit: known mistakes and correct alternatives; never released ----"
"""The line of ``solutions/<name>.py`` below which its ``MISTAKES`` and ``ALTERNATIVES`` are declared
(:mod:`autograder.mutants`); no stub, notebook or kit shows what is below it."""
NOTEBOOK_CONSTANTS = ("QUESTIONS",)
MIN_ALTERNATIVES = 2
"""Correct answers written differently that every exercise with functions declares (one is too easy
to write close to the reference)."""  # the quiz builds its own cells from it


@dataclass(frozen=True)
class Finding:
    """One broken rule: where, what is wrong, and what to do about it."""

    where: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}; {self.fix}"


def reference_part(source: str) -> str:
    """A solution module's text above :data:`AUDIT_MARK` (all of it without the mark)."""
    head, mark, _ = source.partition(AUDIT_MARK)
    return head.rstrip() + "\n" if mark else source


def solution_lines(solutions: Path) -> dict[str, str]:
    """Every line (stripped) of the solution regions of ``solutions/*.py`` with at least
    :data:`MIN_QUOTE` characters -> where it is, ``"solutions/<name>.py:<line>"``."""
    lines: dict[str, str] = {}
    for path in sorted(Path(solutions).glob("*.py")):
        text = reference_part(path.read_text(encoding="utf-8"))
        for region in REGION.finditer(text):
            first = text.count("\n", 0, region.start(1)) + 1
            for offset, line in enumerate(region.group(1).splitlines()):
                if len(line.strip()) >= MIN_QUOTE:
                    lines.setdefault(line.strip(), f"solutions/{path.name}:{first + offset}")
    return lines


def quoted(text: str, lines) -> str | None:
    """The first of ``lines`` that ``text`` contains (whitespace runs count as one space), or None."""
    squeezed = " ".join(text.split())
    for line in lines:
        if line in text or " ".join(line.split()) in squeezed:
            return line
    return None


def findings(root: Path, only=None) -> list[Finding]:
    """Every rule broken in the repository ``root`` (for the exercises named in ``only``, default
    all), in teaching order."""
    root = Path(root)
    chosen = tuple(e for e in EXERCISES if only is None or e.name in only)
    found: list[Finding] = [f for e in chosen for f in _files(root, e.name)]
    if found:
        return found  # the other rules need the files
    names = {e.name for e in chosen}
    found += [f for f in hint_quotes(root) if _module_of(f.where) in names]
    found += constants(root, chosen)
    found += variants(root, chosen)
    return found


def _module_of(where: str) -> str:
    return where.rsplit("/", 1)[-1].split(".py")[0]


def _files(root: Path, name: str) -> list[Finding]:
    found = []
    for path, what in ((f"solutions/{name}.py", "the reference solution"),
                       (f"autograder/checks/{name}.py", "the visible checks")):
        if not (root / path).is_file():
            found.append(Finding(path, f"missing: {name} is listed in autograder/exercises.py",
                                 f"write {what} there (see the README's checklist)"))
    return found


def hint_quotes(root: Path) -> list[Finding]:
    """Strings of the check modules that quote a solution line of :data:`MIN_QUOTE`+ characters."""
    lines = solution_lines(Path(root) / "solutions")
    found = []
    for folder in ("checks",):
        for path in sorted((Path(root) / "autograder" / folder).glob("*.py")):
            for number, text in _strings(path):
                line = quoted(text, lines)
                if line:
                    found.append(Finding(
                        f"autograder/{folder}/{path.name}:{number}",
                        f"the text quotes {lines[line]} ({line!r}); feedback quoting the reference "
                        "is withheld from the student",
                        f"reword it so that no {MIN_QUOTE}+ character line of a solution region appears in it"))
    return found


def _strings(path: Path):
    """(line, text) of every string constant in ``path``; f-strings give their literal parts
    joined with a space (``{expression}`` becomes a word break)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inside_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            yield node.lineno, " ".join(parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings:
            yield node.lineno, node.value


def constants(root: Path, chosen=EXERCISES) -> list[Finding]:
    """Module-level variables of a solution that a notebook's setup cell would not define."""
    from autograder.release.sources import read_module  # noqa: PLC0415 - instructor side only

    found = []
    for exercise in chosen:
        path = Path(root) / "solutions" / f"{exercise.name}.py"
        for name in read_module(path).constants:
            if name not in NOTEBOOK_CONSTANTS:
                found.append(Finding(f"solutions/{exercise.name}.py", f"the module constant {name} never "
                                     "reaches the notebook (its setup cell holds imports and _helpers only)",
                                     f"use it inside a function, or make it a _private helper function"))
    return found


def variants(root: Path, chosen=EXERCISES) -> list[Finding]:
    """Public functions without a mistake, exercises without an alternative, declarations that fail."""
    from autograder.mutants.variant import declared  # noqa: PLC0415 - instructor side only

    found = []
    for exercise in chosen:
        name, where = exercise.name, f"solutions/{exercise.name}.py"
        text = (Path(root) / "solutions" / f"{name}.py").read_text(encoding="utf-8")
        public = [n.name for n in ast.parse(reference_part(text)).body
                  if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
        try:
            mutants = declared(name, "MISTAKES", Path(root) / "solutions")
            alternatives = declared(name, "ALTERNATIVES", Path(root) / "solutions")
        except (ValueError, SyntaxError) as error:
            found.append(Finding(where, f"its mistakes or alternatives cannot be read ({error})",
                                 f"fix them below the line {AUDIT_MARK!r}"))
            continue
        if AUDIT_MARK not in text:
            found.append(Finding(where, "no audit mark, so no mistakes and no alternatives",
                                 f"end the file with the line {AUDIT_MARK!r}, then MISTAKES = {{...}} and "
                                 "ALTERNATIVES = {...} (see the README's checklist)"))
            continue
        changed = {d.name for v in mutants for d in ast.parse(v.code).body if isinstance(d, ast.FunctionDef)}
        for function in public:
            if function not in changed:
                found.append(Finding(where, f"no mistake changes {function}()",
                                     f'add one to MISTAKES: {{"mistake": "...", "patch": {{"<text of {function}>": '
                                     '"<wrong text>"}, "feedback names": "<word>", "caught by": "<check name>"}'))
        if not mutants and not public:
            found.append(Finding(where, "no mistakes", "add at least one real mistake to MISTAKES"))
        if public and len(alternatives) < MIN_ALTERNATIVES:
            found.append(Finding(where, f"{len(alternatives)} alternatives for {name}, fewer than {MIN_ALTERNATIVES}",
                                 'add to ALTERNATIVES: {"differs": "...", "patch": {...}} (or "code"), '
                                 "correct answers written differently, which must keep full marks"))
        defined = set(public) | _answers(text)  # the quiz's answers are module-level names
        for variant in (*mutants, *alternatives):
            replaced = {n.name for n in ast.parse(variant.code).body if isinstance(n, ast.FunctionDef)}
            replaced |= {t.id for n in ast.parse(variant.code).body if isinstance(n, ast.Assign)
                         for t in n.targets if isinstance(t, ast.Name)}
            if not replaced & defined and "QUESTIONS" not in variant.code:
                found.append(Finding(where, f"{variant.id} replaces nothing of {name}",
                                     "its \"code\" must redefine a function (or answer) of the reference"))
    return found


def _answers(text: str) -> set[str]:
    """Module-level names the reference assigns (the quiz's answers)."""
    return {t.id for n in ast.parse(reference_part(text)).body if isinstance(n, ast.Assign)
            for t in n.targets if isinstance(t, ast.Name)}
