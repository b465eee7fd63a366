"""The leak checker: nothing secret may reach the student kit.

Secret are the solution regions of ``solutions/*.py`` and what is below their audit mark
(known mistakes, correct alternatives), the hidden checks (below the mark of each
``autograder/checks/*.py``), the stand-ins of ``autograder/alternatives`` and the hidden test
regions of the source notebooks. Each of their lines becomes a fingerprint: the line with
all whitespace removed and quotes unified, so reformatting does not hide it. Lines that the
repository publishes anyway (the solutions outside their regions, which are the stubs; the
engine files the kit ships; the kit templates; the visible tests) are not fingerprints.

Every file of the kit is scanned line by line, code and text alike; in notebooks and other
JSON every string literal is decoded first, so sources, outputs and metadata are all read.
A line of a solution region is found anywhere in a line from :data:`autograder.rules.MIN_QUOTE`
characters (the rule feedback and hints follow), other secret lines (the hidden checks and
catalogs, ordinary grader code) from :data:`MIN_CHARS`; a shorter line of a solution region
(a quiz answer such as ``q06 = "b"``) only as a whole line.
Imports and lines that only open a statement are too common to be fingerprints. Files that must not
be in a kit at all, and notebooks with outputs, are leaks too. Each leak names its file and line.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.checks.core import HIDDEN_MARK, visible_part
from autograder.release.kit import SECRET_DIRS, excluded
from autograder.rules import AUDIT_MARK, reference_part, solution_lines
from autograder.stubs import BEGIN, END

MIN_CHARS = 20  # shorter grader lines ("return params", "raise ValueError(") are too common to search for
MIN_WHOLE_LINE = 5
OPENERS = ("(", "[", "{")  # the first line of a longer statement is no fingerprint on its own
INFRASTRUCTURE = ("__init__.py", "variant.py")  # catalog machinery, not answers
SECRET_CODE_DIRS = ("autograder/mutants", "autograder/alternatives")
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
FORBIDDEN_PARTS = ("solutions", "source", "__pycache__", ".ipynb_checkpoints", ".pytest_cache", "gradebook.db")
FORBIDDEN_SUFFIXES = (".pyc", ".pyo", ".db", ".egg-info")
JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


@dataclass(frozen=True)
class Fingerprints:
    anywhere: dict[str, str]
    """Normalised secret line -> where it comes from; found anywhere in a line."""
    whole_line: dict[str, str]
    """Short secret lines, found only as a whole line."""

    def find(self, text: str) -> str | None:
        """The origin of the first secret line inside ``text`` (one line), or None."""
        line = normalise(text)
        if line in self.whole_line:
            return self.whole_line[line]
        anchors = self._anchors()
        width = self.__dict__["_anchor_width"]
        for start in range(len(line) - width + 1):
            for secret in anchors.get(line[start:start + width], ()):
                if line.startswith(secret, start):
                    return self.anywhere[secret]
        return None

    def _anchors(self) -> dict[str, list[str]]:
        cached = self.__dict__.get("_anchor_cache")
        if cached is None:
            cached = {}
            width = min((len(secret) for secret in self.anywhere), default=MIN_CHARS)
            for secret in self.anywhere:
                cached.setdefault(secret[:width], []).append(secret)
            object.__setattr__(self, "_anchor_cache", cached)
            object.__setattr__(self, "_anchor_width", width)
        return cached


def normalise(line: str) -> str:
    return "".join(line.split()).replace("'", '"')


def fingerprints(root: Path, hidden_only: bool = False) -> Fingerprints:
    """The fingerprints of everything secret in the repository ``root``; with ``hidden_only``
    those of the hidden tests alone (feedback shows the student's code, which may well equal
    a solution or a known mistake)."""
    root = Path(root)
    secret: dict[str, str] = {}
    for path in sorted((root / "solutions").glob("*.py")) if not hidden_only else ():
        _add(secret, path, root, _region_lines(path.read_text(encoding="utf-8"), BEGIN, END))
    answers = dict(secret)  # solution lines: short ones still count, as whole lines
    quotable = set() if hidden_only else {normalise(line) for line in solution_lines(root / "solutions")}
    for path in sorted((root / "autograder" / "checks").glob("*.py")):  # the hidden checks
        _add(secret, path, root, _below(path.read_text(encoding="utf-8"), HIDDEN_MARK))
    for path in sorted((root / "solutions").glob("*.py")) if not hidden_only else ():  # mistakes, alternatives
        _add(secret, path, root, _below(path.read_text(encoding="utf-8"), AUDIT_MARK))
    for folder in () if hidden_only else SECRET_CODE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            if path.name not in INFRASTRUCTURE:
                _add(secret, path, root, list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1)))
    for path in sorted((root / "source").rglob("*.ipynb")):
        _add(secret, path, root, _notebook_lines(path, hidden=True))
    public = _public_lines(root)
    if hidden_only:
        public |= {normalise(line) for path in (root / "solutions").glob("*.py")
                   for line in path.read_text(encoding="utf-8").splitlines()}
    anywhere, whole = {}, {}
    for line, origin in secret.items():
        if line in public or line.startswith(("import", "from")) or line.endswith(OPENERS):
            continue
        if len(line) >= MIN_CHARS or line in quotable:
            anywhere[line] = origin
        elif line in answers and len(line) >= MIN_WHOLE_LINE:
            whole[line] = origin
    return Fingerprints(anywhere, whole)


def _add(secret: dict[str, str], path: Path, root: Path, numbered: list[tuple[int, str]]) -> None:
    for number, line in numbered:
        key = normalise(line)
        if key and key not in secret and not key.startswith("#"):
            where = path.relative_to(root).as_posix()
            secret[key] = f"{where}:{number}" if number else f"{where} (hidden tests)"


def _below(text: str, mark: str) -> list[tuple[int, str]]:
    """(line number, line) of every line after the line ``mark`` (none without it)."""
    lines = text.splitlines()
    start = lines.index(mark) + 1 if mark in lines else len(lines)
    return [(number, line) for number, line in enumerate(lines[start:], start=start + 1)]


def _region_lines(text: str, begin: str, end: str) -> list[tuple[int, str]]:
    lines, inside = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            lines.append((number, line))
    return lines


def _notebook_lines(path: Path, hidden: bool) -> list[tuple[int, str]]:
    """The lines of a source notebook inside (or outside) its hidden test and solution regions."""
    lines = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        inside = {n for begin, end in ((HIDDEN_BEGIN, HIDDEN_END), (BEGIN, END))
                  for n, _ in _region_lines(source, begin, end)}
        region = {n for n, _ in _region_lines(source, HIDDEN_BEGIN, HIDDEN_END)}
        for number, line in enumerate(source.splitlines(), start=1):
            if (number in region) if hidden else (number not in inside):
                lines.append((0, line))
    return lines


def _public_lines(root: Path) -> set[str]:
    """Lines the repository publishes on purpose (see the module docstring)."""
    texts = []
    for path in sorted((root / "solutions").glob("*.py")):  # the stubs: no regions, nothing below the audit mark
        text = reference_part(path.read_text(encoding="utf-8"))
        regions = {n for n, _ in _region_lines(text, BEGIN, END)}
        texts += [line for n, line in enumerate(text.splitlines(), 1) if n not in regions]
    for path in sorted((root / "autograder").rglob("*.py")):
        if not excluded(path.relative_to(root).as_posix()):
            text = path.read_text(encoding="utf-8")
            texts += (visible_part(text) if path.parent.name == "checks" else text).splitlines()
    for path in sorted((root / "source").rglob("*.ipynb")):
        texts += [line for _, line in _notebook_lines(path, hidden=False)]
    for folder in ("kit", "exercises/tests"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".md", ".toml"):
                texts += path.read_text(encoding="utf-8").splitlines()
    return {normalise(line) for line in texts}


def scan_kit(kit: Path, prints: Fingerprints) -> list[Leak]:
    """Every leak in the kit folder ``kit``."""
    kit = Path(kit)
    leaks = []
    for path in sorted(p for p in kit.rglob("*") if p.is_file() or p.name.endswith(".egg-info")):
        leaks += scan_file(path.relative_to(kit).as_posix(), path.read_bytes() if path.is_file() else b"", prints)
    return leaks


def scan_zip(archive: Path, prints: Fingerprints) -> list[Leak]:
    """Every leak in the zipped kit (each member, paths inside the zip)."""
    leaks = []
    with zipfile.ZipFile(archive) as zipped:
        for name in sorted(zipped.namelist()):
            inner = name.split("/", 1)[1] if "/" in name else name
            leaks += [Leak(f"{Path(archive).name}!{leak.path}", leak.line, leak.what)
                      for leak in scan_file(inner, zipped.read(name), prints)]
    return leaks


def scan_wheel(wheel: Path, prints: Fingerprints) -> list[Leak]:
    """Every leak in the kit's wheel: its members sit at the top (``autograder/...``), no kit folder."""
    leaks = []
    with zipfile.ZipFile(wheel) as zipped:
        for name in sorted(zipped.namelist()):
            leaks += [Leak(f"{Path(wheel).name}!{leak.path}", leak.line, leak.what)
                      for leak in scan_file(name, zipped.read(name), prints)]
    return leaks


def scan_file(relative: str, data: bytes, prints: Fingerprints) -> list[Leak]:
    problem = forbidden(relative)
    if problem:
        return [Leak(relative, 0, problem)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [Leak(relative, 0, "a binary file: the kit holds only text files")]
    is_json = relative.endswith((".ipynb", ".json"))
    leaks = []
    for number, line in enumerate(text.splitlines(), start=1):
        for piece in (_json_strings(line) if is_json else [line]):
            origin = prints.find(piece)
            if origin:
                leaks.append(Leak(relative, number, f"matches the secret line {origin}"))
                break
    if relative.endswith(".ipynb"):
        leaks += _notebook_outputs(relative, text)
    return leaks


def forbidden(relative: str) -> str:
    """Why ``relative`` must not be in the kit at all, or ""."""
    parts = relative.split("/")
    if any(part in FORBIDDEN_PARTS or part.endswith(FORBIDDEN_SUFFIXES) for part in parts):
        return "this file must not be in the student kit"
    if any(relative == d or relative.startswith(d + "/") for d in SECRET_DIRS) or excluded(relative):
        return "instructor-only file: it must not be in the student kit"
    return ""


def _json_strings(line: str) -> list[str]:
    pieces = []
    for literal in JSON_STRING.findall(line):
        try:
            pieces += json.loads(f'"{literal}"').splitlines() or [""]
        except json.JSONDecodeError:
            pieces.append(literal)
    return pieces


def _notebook_outputs(relative: str, text: str) -> list[Leak]:
    """A kit notebook must be as nbgrader released it: no outputs, never executed."""
    try:
        cells = json.loads(text).get("cells", [])
    except json.JSONDecodeError:
        return [Leak(relative, 0, "not a valid notebook")]
    leaks = []
    for index, cell in enumerate(cells):
        if cell.get("outputs") or cell.get("execution_count") is not None:
            where = text.find(f'"id": "{cell.get("id")}"') if cell.get("id") else -1
            line = text.count("\n", 0, where) + 1 if where >= 0 else 0
            leaks.append(Leak(relative, line, f"cell {index} has outputs; outputs can show answers"))
    return leaks
