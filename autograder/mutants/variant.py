"""Variants of the reference solutions: known-wrong mutants and alternative correct answers.

A variant replaces one or more functions (or quiz answers) of one exercise. It is
materialised as a submission folder: a copy of ``solutions/*.py`` with the variant's
code appended to its module, so that the later ``def`` wins. Catalog modules
(``autograder/mutants/<exercise>.py``, ``autograder/alternatives/<exercise>.py``)
list their variants with :func:`variants`.

A mutant stands for one mistake in one exercise. Some reference modules import from
others (``losses`` uses ``softmax``); when a mutant is materialised those modules keep
importing a pristine copy of the reference, so the audit measures each exercise's own
checks. (A real student's wrong ``softmax`` also makes their ``losses`` wrong: that is fair.)
Alternatives are materialised without that shield: every module must work with them.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograder.exercises import EXERCISES, NAMES

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


def variants(exercise: str, entries) -> tuple[Variant, ...]:
    """Build the variants of ``exercise`` from ``(name, description, code)``,
    ``(name, description, keyword, code)`` or ``(name, description, keyword, code, check)``
    tuples; the code is dedented."""
    if exercise not in NAMES:
        raise ValueError(f"unknown exercise {exercise!r}")
    built = []
    for entry in entries:
        name, description, *keyword, code = entry[:4]
        source = textwrap.dedent(code).strip("\n") + "\n"
        ast.parse(source)  # a typo in the catalog should fail at import, not inside a worker
        built.append(Variant(f"{exercise}/{name}", exercise, description, source, *keyword, *entry[4:]))
    return tuple(built)


def aimed(built: tuple[Variant, ...], aims: dict[str, str]) -> tuple[Variant, ...]:
    """``built`` with ``Variant.check`` set from ``aims`` (``{mutant name: check name}``)."""
    names = {v.id.split("/", 1)[1] for v in built}
    unknown = sorted(set(aims) - names)
    if unknown:
        raise ValueError(f"aims for mutants that do not exist: {', '.join(unknown)}")
    return tuple(dataclasses.replace(v, check=aims.get(v.id.split("/", 1)[1], v.check)) for v in built)


def patched(exercise: str, *replacements: tuple[str, str]) -> str:
    """The reference functions of ``exercise`` that contain each ``old`` text, with ``old``
    replaced by ``new``: a mistake written as the two lines it changes.

    Each ``old`` must occur exactly once in the reference module (the catalog fails at
    import otherwise, so a reworded solution cannot silently make a mutant correct).
    """
    from autograder.references import solutions_dir  # noqa: PLC0415 - instructor side only

    source = (solutions_dir() / f"{exercise}.py").read_text(encoding="utf-8")
    functions = {}
    for old, new in replacements:
        if source.count(old) != 1:
            raise ValueError(f"{exercise}: {old!r} occurs {source.count(old)} times in the reference, not once")
        node = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)
                    and old in ast.get_source_segment(source, n))
        text = functions.get(node.name) or ast.get_source_segment(source, node)
        functions[node.name] = text.replace(old, new)
    return "\n\n\n".join(functions.values()) + "\n"


def load(package: str, attribute: str, exercises=NAMES) -> tuple[Variant, ...]:
    """Every variant listed as ``attribute`` in ``package.<exercise>``, in teaching order."""
    found: list[Variant] = []
    for name in exercises:
        try:
            module = importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{package}.{name}":
                raise
            continue
        found.extend(getattr(module, attribute, ()))
    ids = [v.id for v in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"variant ids used twice: {', '.join(duplicates)}")
    return tuple(found)


def materialise(variant: Variant | None, solutions: Path, target: Path, shield: bool = True) -> Path:
    """Write the submission folder for ``variant`` (None: the reference) into ``target``.

    With ``shield``, the other modules keep importing the reference version of the
    variant's module (see the module docstring).
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(solutions).glob("*.py")):
        shutil.copyfile(path, target / path.name)
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
