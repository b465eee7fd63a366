"""What the release notebooks say about a cell: whose it is, and which exercise it belongs to.

The trusted reference for :mod:`autograder.notebooks_intake`. The release notebooks
(``release/nn101/*.ipynb`` in the course repository, ``notebooks/`` in the student kit, or
``$NN101_RELEASE``) are read once. A student's cell is judged by its nbgrader ``grade_id``
against them: a test cell or a locked setup cell of the release stays the release's, whatever
the student's copy says; a solution cell is the student's; a cell with no id is the student's
own unless it is a release cell left as it was (the lesson's "try it" cells).
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from autograder import parsing
from autograder.exercises import NAMES

RELEASE_ENV = "NN101_RELEASE"
ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "nn101"
LESSON = re.compile(r"^\s*(\d+)")
STUB_SIZE = 20_000  # characters: a release stub is far smaller
GRADER = "autograder"
STAND_IN = "_nn101_grader"


@dataclass(frozen=True)
class StudentCell:
    """One cell of a notebook, as plain data."""

    index: int
    """1-based position in the notebook, markdown cells included."""
    kind: str
    source: str
    grade_id: str = ""
    grade: bool = False
    solution: bool = False
    locked: bool = False

    @classmethod
    def of(cls, index: int, cell) -> "StudentCell":
        meta = cell.get("metadata", {}).get("nbgrader")
        meta = meta if isinstance(meta, dict) else {}
        grade_id = meta.get("grade_id")
        return cls(index, str(cell.get("cell_type", "")), _text(cell.get("source", "")),
                   grade_id if isinstance(grade_id, str) else "", meta.get("grade") is True,
                   meta.get("solution") is True, meta.get("locked") is True)


@dataclass(frozen=True)
class Statement:
    """One top-level statement of a cell."""

    source: str
    names: tuple[str, ...]
    first_line: int
    defines_only: bool
    """An import, function, class or assignment of a literal: defines, runs nothing of note."""
    dump: str
    """``ast.dump`` of a statement small enough to be a stub, else empty."""
    uses: frozenset[str] = frozenset()
    """Every name it reads or writes."""
    stand_in: str = ""
    """For an import of the grader's own package (``from autograder.notebook import check_exercise``,
    as the test cells have it): the line that binds the same names to a stand-in instead."""


def split_statements(source: str) -> list[Statement]:
    """The top-level statements of ``source``; raises :class:`~autograder.parsing.Unreadable`."""
    lines = source.splitlines()
    statements = []
    for node in parsing.parse(source).body:
        first = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
        text = "\n".join(lines[first - 1:node.end_lineno])
        uses = frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
        dump = ast.dump(node) if len(text) < STUB_SIZE else ""
        statements.append(Statement(text, _names(node), first, _defines_only(node), dump, uses, _stand_in(node)))
    return statements


def _names(node) -> tuple[str, ...]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (node.name,)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return tuple((a.asname or a.name).split(".")[0] for a in node.names)
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
    return tuple(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))


def _stand_in(node) -> str:
    """``name = STAND_IN()`` for each name an import of the grader's package binds, else ""."""
    if isinstance(node, ast.Import) and all(a.name.split(".")[0] == GRADER for a in node.names):
        names = [a.asname or a.name.split(".")[0] for a in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == GRADER:
        names = [a.asname or a.name for a in node.names if a.name != "*"]
    else:
        return ""
    return "; ".join(f"{name} = {STAND_IN}()" for name in names) or "pass"


def _defines_only(node) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        try:
            ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
        return all(isinstance(t, ast.Name) for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
    return False


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _same(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


class Release:
    """The release notebooks, indexed for judging a student's cells."""

    def __init__(self, notebooks: dict[str, list[StudentCell]]):
        self.notebooks = notebooks
        self.cells = {c.grade_id: (name, c) for name, cells in notebooks.items() for c in cells if c.grade_id}
        self.demos = {_normal(c.source) for cells in notebooks.values() for c in cells
                      if c.kind == "code" and not c.grade_id}
        self.home: dict[str, str] = {}
        """Name defined by a release cell -> its exercise (functions, helpers, quiz answers)."""
        self.home_id: dict[str, str] = {}
        """Name -> the grade_id of the release cell of its exercise that defines it."""
        self.stubs: set[str] = set()
        """ast dumps of the release's stub statements."""
        for _, cell in self.cells.values():
            module = self.module_of_id(cell.grade_id)
            if cell.kind != "code" or self._is_test(cell):
                continue
            for statement in split_statements(cell.source):
                if cell.solution:
                    self.stubs.add(statement.dump)
                if module and not statement.source.startswith(("import ", "from ")):
                    for name in statement.names:
                        self.home.setdefault(name, module)
                        self.home_id.setdefault(name, cell.grade_id)

    @staticmethod
    def _is_test(cell: StudentCell) -> bool:
        return cell.grade or (cell.locked and "check_exercise" in cell.source)

    def role(self, cell: StudentCell) -> str:
        """``test``, ``setup``, ``solution``, ``demo`` (an untouched release cell) or ``own``."""
        if cell.grade_id in self.cells:
            known = self.cells[cell.grade_id][1]
            return "test" if self._is_test(known) else "solution" if known.solution else "setup"
        if cell.grade:
            return "test"
        if not cell.grade_id and _normal(cell.source) in self.demos:
            return "demo"
        return "own"

    def module_of_id(self, grade_id: str) -> str | None:
        """The exercise of a release cell (``losses-cross_entropy`` -> losses), or None."""
        if grade_id not in self.cells:
            return None
        prefix = grade_id.split("-", 1)[0]
        return prefix if prefix in NAMES else None

    def module_of_names(self, names: tuple[str, ...]) -> str | None:
        return next((self.home[n] for n in names if n in self.home), None)

    def is_home(self, cell: StudentCell, statement: Statement) -> bool:
        return any(self.home_id.get(n) == cell.grade_id for n in statement.names)

    def is_stub(self, statement: Statement) -> bool:
        return bool(statement.dump) and statement.dump in self.stubs

    def edited_setup(self, cell: StudentCell) -> bool:
        return not _same(cell.source, self.cells[cell.grade_id][1].source)

    def setup_cells(self, module: str) -> list[StudentCell]:
        return [c for _, c in self.cells.values() if c.kind == "code" and not c.solution
                and not self._is_test(c) and self.module_of_id(c.grade_id) == module]

    def setup(self, module: str) -> str:
        return "\n\n".join(c.source.strip("\n") for c in self.setup_cells(module))

    def setup_names(self, module: str) -> set[str]:
        return {n for c in self.setup_cells(module) for s in split_statements(c.source) for n in s.names}

    def lesson_of(self, name: str, cells: list[StudentCell]) -> int:
        """The lesson number of the release notebook ``cells`` share most ids with (else the name's)."""
        matched = self.matching(name, cells)
        found = LESSON.match(matched or name)
        return int(found[1]) if found else 99

    def matching(self, name: str, cells: list[StudentCell]) -> str | None:
        ids = {c.grade_id for c in cells if c.grade_id}
        overlap = {release: len(ids & {c.grade_id for c in rcells}) for release, rcells in self.notebooks.items()}
        best = max(overlap, key=lambda release: (overlap[release], release == name), default=None)
        return best if best and overlap[best] else None

    def first_module(self, name: str, cells: list[StudentCell]) -> str | None:
        matched = self.matching(name, cells)
        for cell in self.notebooks.get(matched, []) if matched else []:
            if self.module_of_id(cell.grade_id):
                return self.module_of_id(cell.grade_id)
        return None


def release_dir() -> Path:
    """Where the release notebooks are: $NN101_RELEASE, the repository's release, or the kit's."""
    if os.environ.get(RELEASE_ENV):
        return Path(os.environ[RELEASE_ENV])
    for folder in (ROOT / "release" / ASSIGNMENT, ROOT / "notebooks"):
        if any(folder.glob("*.ipynb")):
            return folder
    return ROOT / "release" / ASSIGNMENT


@lru_cache(maxsize=4)
def _load(folder: str) -> Release:
    import nbformat

    notebooks = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        notebooks[path.name] = [StudentCell.of(i, c) for i, c in enumerate(nb.cells, start=1)]
    if not notebooks:
        raise FileNotFoundError(f"no release notebooks in {folder}: run nn101 from the kit's folder, "
                                f"or set ${RELEASE_ENV} to the folder of the lesson's notebooks")
    return Release(notebooks)


def load_release(folder: Path | None = None) -> Release:
    return _load(str(folder or release_dir()))
