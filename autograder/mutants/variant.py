"""Variants of the reference solutions: known-wrong mutants and alternative correct answers.

A variant replaces one or more functions (or quiz answers) of one exercise. It is
materialised as a submission folder: a copy of ``solutions/*.py`` with the variant's
code appended to its module, so that the later ``def`` wins. Each reference declares its
own, below its line :data:`~autograder.rules.AUDIT_MARK`, as plain data (read with
``ast.literal_eval``, never imported)::

    MISTAKES = {
        "bias_forgotten": {
            "mistake": "the bias is never added",           # one line: what the student got wrong
            "patch": {"z = x @ W + b": "z = x @ W"},        # old text of the reference -> new text
            "feedback names": "bias",                       # a word the feedback must contain
            "caught by": "the bias is added before the activation",  # the check aimed at it (optional)
        },
    }
    ALTERNATIVES = {"einsum": {"differs": "np.einsum for x·W", "patch": {...}}}

A ``"patch"`` changes the functions that contain each old text (which must occur exactly
once above the mark); ``"code"`` gives whole replacement functions or answers instead.

A mutant stands for one mistake in one exercise. Some reference modules import from
others (``losses`` uses ``softmax``); when a mutant is materialised those modules keep
importing a pristine copy of the reference, so the audit measures each exercise's own
checks. (A real student's wrong ``softmax`` also makes their ``losses`` wrong: that is fair.)
Alternatives are materialised without that shield: every module must work with them.
"""

from __future__ import annotations

import ast
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError
from autograder.exercises import EXERCISES, NAMES
from autograder.rules import AUDIT_MARK, reference_part

PRISTINE = "_nn101_pristine_{}"


@dataclass(frozen=True)
class Variant:
    """One mutant or alternative implementation of one exercise."""

    id: str
    """Unique name, ``"<exercise>/<name>"``, e.g. ``"softmax/no_max_shift"``."""
    exercise: str
    """The exercise (module) it belongs to."""
    description: str
    """The mistake (mutant) or the way it differs from the reference (alternative), in one line."""
    code: str
    """Source appended to the exercise's module: replacement functions or quiz answers."""
    keyword: str = ""
    """Mutants only: a word the feedback must contain, naming the misconception."""
    check: str = ""
    """Mutants only: the name of the check aimed at this mistake; the audit verifies that this
    check fails the mutant (a check that fails no mutant aimed at it cannot show it works)."""

    @property
    def kind(self) -> str:
        """``"numpy"`` or ``"keras"``: which worker grades the exercise."""
        return next(e.kind for e in EXERCISES if e.name == self.exercise)


def patched(exercise: str, *replacements: tuple[str, str]) -> str:
    """The reference functions of ``exercise`` that contain each ``old`` text, with ``old``
    replaced by ``new``: a mistake written as the two lines it changes.

    Raises ValueError when an ``old`` does not occur exactly once in the reference (above its
    audit mark), so a reworded solution cannot silently make a mutant correct.
    """
    from autograder.references import solutions_dir  # noqa: PLC0415 - instructor side only

    source = reference_part((solutions_dir() / f"{exercise}.py").read_text(encoding="utf-8"))
    return _patch(exercise, source, replacements)


def _patch(exercise: str, source: str, replacements) -> str:
    lines = source.splitlines(keepends=True)
    whole = {n.name: "".join(lines[n.lineno - 1:n.end_lineno])  # a function, with its last newline
             for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    functions = {}
    for old, new in replacements:
        if source.count(old) != 1:
            raise ValueError(f"{old!r} occurs {source.count(old)} times in solutions/{exercise}.py, not once")
        name = next((name for name, text in whole.items() if old in text), None)
        if name is None:
            raise ValueError(f"{old!r} is not inside one function of solutions/{exercise}.py")
        functions[name] = functions.get(name, whole[name]).replace(old, new)
    return "\n\n".join(text.rstrip("\n") + "\n" for text in functions.values())


class CatalogError(UsageError):
    """A reference's MISTAKES or ALTERNATIVES that cannot be read: the message names what to fix."""


KEYS = {"MISTAKES": ("mistake", "feedback names"), "ALTERNATIVES": ("differs",)}
OPTIONAL = ("caught by",)


def declared(exercise: str, kind: str, solutions: Path | None = None) -> tuple[Variant, ...]:
    """The ``kind`` (``"MISTAKES"`` or ``"ALTERNATIVES"``) that ``solutions/<exercise>.py`` declares.

    Raises CatalogError saying what to fix (a missing key, an old text not found once, ...).
    """
    from autograder.references import solutions_dir  # noqa: PLC0415 - instructor side only

    path = Path(solutions or solutions_dir()) / f"{exercise}.py"
    text = path.read_text(encoding="utf-8")
    reference, _, audit = text.partition(AUDIT_MARK)
    table = _literal(audit, kind, path) if audit else {}
    built = []
    for name, entry in table.items():
        where = f"solutions/{exercise}.py: {kind}[{name!r}]"
        if not isinstance(entry, dict):
            raise CatalogError(f"{where} is not a dict")
        missing = [k for k in KEYS[kind] if not isinstance(entry.get(k), str)]
        unknown = sorted(set(entry) - {*KEYS[kind], *OPTIONAL, "patch", "code"})
        if missing or unknown or ("patch" in entry) == ("code" in entry):
            raise CatalogError(f"{where} needs {', '.join(repr(k) for k in KEYS[kind])} and either \"patch\" "
                             f"(old -> new) or \"code\"" + (f"; unknown keys {unknown}" if unknown else ""))
        try:
            code = (_patch(exercise, reference, entry["patch"].items()) if "patch" in entry
                    else textwrap.dedent(entry["code"]).strip("\n") + "\n")
            ast.parse(code)
        except (ValueError, SyntaxError, AttributeError) as error:
            raise CatalogError(f"{where}: {error}") from None
        described = entry.get("mistake") or entry["differs"]
        built.append(Variant(f"{exercise}/{name}", exercise, described, code,
                             entry.get("feedback names", ""), entry.get("caught by", "")))
    return tuple(built)


def _literal(audit: str, kind: str, path: Path) -> dict:
    try:
        tree = ast.parse(audit, filename=str(path))
    except SyntaxError as error:
        raise CatalogError(f"{path.name}:{error.lineno}: below the audit mark: {error.msg}") from None
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [kind]:
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                raise CatalogError(f"{path.name}: {kind} must be plain data (strings, dicts), no calls") from None
            if not isinstance(value, dict):
                raise CatalogError(f"{path.name}: {kind} must be a dict of name -> entry")
            return value
    return {}


def load(kind: str, exercises=NAMES) -> tuple[Variant, ...]:
    """Every variant of ``kind`` declared by the references of ``exercises``, in teaching order."""
    return tuple(v for name in exercises for v in declared(name, kind))


def materialise(variant: Variant | None, solutions: Path, target: Path, shield: bool = True) -> Path:
    """Write the submission folder for ``variant`` (None: the reference) into ``target``.

    With ``shield``, the other modules keep importing the reference version of the
    variant's module (see the module docstring).
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(solutions).glob("*.py")):  # what a student would hand in: no audit part
        (target / path.name).write_text(reference_part(path.read_text(encoding="utf-8")), encoding="utf-8")
    if variant is None:
        return target
    module = target / f"{variant.exercise}.py"
    original = module.read_text(encoding="utf-8")
    module.write_text(f"{original.rstrip()}\n\n\n# ---- nn101 audit: {variant.id} ----\n{variant.code}",
                      encoding="utf-8")
    if shield:
        _shield_dependents(variant.exercise, original, target)
    return target


def _shield_dependents(exercise: str, original: str, target: Path) -> None:
    pristine = PRISTINE.format(exercise)
    written = False
    for path in sorted(target.glob("*.py")):
        if path.stem == exercise or path.stem.startswith("_nn101_"):
            continue
        rebind = _rebinding(path.read_text(encoding="utf-8"), exercise, pristine)
        if rebind:
            if not written:
                (target / f"{pristine}.py").write_text(original, encoding="utf-8")
                written = True
            with path.open("a", encoding="utf-8") as file:
                file.write(f"\n\n# ---- nn101 audit: keep the reference {exercise} ----\n{rebind}")


def _rebinding(source: str, exercise: str, pristine: str) -> str:
    """Import lines that point a module's imports of ``exercise`` at the pristine copy."""
    lines = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module == exercise and node.level == 0:
            names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names)
            lines.append(f"from {pristine} import {names}")
        elif isinstance(node, ast.Import):
            lines += [f"import {pristine} as {a.asname or a.name}" for a in node.names if a.name == exercise]
    return "\n".join(lines) + "\n" if lines else ""
