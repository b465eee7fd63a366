"""Turn a student's notebooks into exercise modules, on the trusted side, without running them.

``modules_from_notebooks(notebooks)`` reads each notebook's JSON (outputs dropped unread),
keeps the student's code and builds one module per exercise, which the sandbox then grades
exactly like a ``.py`` submission. The rules, all decided against the release notebooks
(:class:`autograder.notebook_release.Release`), never against what the student's metadata
claims:

- solution cells (known by their nbgrader ``grade_id``) are taken whole, as a ``.py`` module
  would be; a cell of the student's own gives its imports, functions, classes and constants
  (``EPS = 1e-7``), never statements that try things out (prints, plots, training runs);
- test cells, and the student's edits of locked setup cells, are never taken: the setup
  comes from the release;
- each function goes to the module that defines it in the release, wherever the cell is
  (cells moved between notebooks, a notebook renamed ``3_softmax_and_losses (1).ipynb``);
- a name defined twice is graded by its last definition in the notebook that holds its own
  cell, as that notebook's kernel would have it, with a note; copies in other notebooks
  (a later notebook repeats an earlier one's functions) count only where that cell is missing; an
  untouched stub never replaces a finished function;
- a name used but defined in an earlier exercise is imported from it, as the modules do;
- an import of the grader's own package (a test cell's ``from autograder.notebook import
  check_exercise``, pasted into a solution cell) binds a stand-in that does nothing: the
  grader is never within reach of student code, and such a line does not break the module.

A notebook that cannot be read becomes one note; the others are still converted.
"""

from __future__ import annotations

import builtins
import json
import re
from dataclasses import dataclass, field
from pathlib import Path


from autograder.exercises import NAMES
from autograder.limits import MiB
from autograder.parsing import Unreadable
from autograder.notebook_release import STAND_IN, Release, StudentCell, load_release, split_statements

MAX_NOTEBOOK_BYTES = 100 * MiB
"""Read at most this much of one notebook (outputs included; they are dropped unread)."""
MAX_CODE_BYTES = 4 * MiB
"""At most this much code in one notebook, as for one module."""
MAGIC = re.compile(r"^(?P<indent>[ \t]*)(?P<magic>[%!].*)$", re.MULTILINE)
BUILTINS = frozenset(dir(builtins))
UNPRINTABLE = re.compile(r"[^\w .,()+\-]")


STAND_IN_CLASS = f"""
class {STAND_IN}:
    \"\"\"Stands in for the grader's package, which student code never reaches: every call does nothing.\"\"\"

    def __getattr__(self, name):
        return {STAND_IN}()

    def __call__(self, *args, **kwargs):
        return 0.0
"""


class NotebookError(Exception):
    """A notebook cannot be read; the message is one line for the grade book."""


@dataclass(frozen=True)
class Piece:
    """One top-level statement (or a whole unparsable cell) of the student's, bound for a module."""

    module: str
    source: str
    names: tuple[str, ...]
    """Names it defines (functions, classes, assigned variables, imports)."""
    origin: str
    """``notebook, cell N`` for notes and messages."""
    notebook: str
    first_line: int
    """Its first line within the cell (1-based)."""
    stub: bool = False
    """An untouched release stub: it never replaces a definition of the student's."""
    home: bool = False
    """From the cell the release defines these names in (by grade_id), wherever it was moved."""
    uses: frozenset[str] = frozenset()
    """Every name it reads or writes (for the imports from earlier exercises)."""
    skipped: bool = False
    """A statement of the student's own cell that runs code: left out, kept only to explain a NameError."""


@dataclass
class Conversion:
    """What ``modules_from_notebooks`` made: module sources, notes, and where each line came from."""

    modules: dict[str, str] = field(default_factory=dict)
    """Exercise name -> module source text."""
    notes: list[str] = field(default_factory=list)
    """One line each: notebooks that could not be read, duplicates, cells left out."""
    lines: dict[str, list[tuple[int, str, int]]] = field(default_factory=dict)
    """Module -> [(first module line, ``notebook, cell N``, first cell line)], ascending."""

    def locate(self, module: str, line: int) -> str | None:
        """``<notebook>.ipynb, cell 5, line 3`` for line ``line`` of ``module``."""
        found = None
        for start, origin, cell_line in self.lines.get(module, []):
            if start <= line:
                found = f"{origin}, line {line - start + cell_line}"
        return found


def printable(name: str) -> str:
    """A file name fit for a note and for a comment in a module: no control characters or quotes."""
    return UNPRINTABLE.sub("_", name)[:120]


def find_notebooks(folder: Path) -> list[Path]:
    """The notebooks under ``folder``, sorted, without Jupyter's checkpoints or macOS resource forks."""
    skip = {".ipynb_checkpoints", "__MACOSX"}
    return sorted(p for p in Path(folder).rglob("*.ipynb")
                  if p.is_file() and not p.is_symlink() and not skip & set(p.parts)
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def modules_from_notebooks(notebooks: list[Path | tuple[str, bytes]], release: Release | None = None) -> Conversion:
    """Exercise modules from ``notebooks`` (paths, or ``(file name, bytes)`` pairs)."""
    release = release or load_release()
    conversion = Conversion()
    read = []
    for notebook in notebooks:
        name, data = (notebook.name, None) if isinstance(notebook, Path) else notebook
        name = printable(Path(name).name)
        try:
            cells = read_cells(notebook if data is None else data, name)
        except NotebookError as error:
            conversion.notes.append(str(error))
            continue
        read.append((release.lesson_of(name, cells), name, cells))
    pieces: list[Piece] = []
    for _, name, cells in sorted(read, key=lambda item: (item[0], item[1])):
        pieces += notebook_pieces(name, cells, release, conversion.notes)
    _assemble(pieces, release, conversion)
    return conversion


def read_cells(source: Path | bytes, name: str) -> list[StudentCell]:
    """The cells of one notebook (any nbformat 4.x, or 3), outputs dropped; raises NotebookError."""
    return [StudentCell.of(index, cell) for index, cell in enumerate(read_notebook(source, name).cells, start=1)]


def read_notebook(source: Path | bytes, name: str):
    """One notebook as an nbformat 4 ``NotebookNode``, outputs and attachments dropped unread;
    raises NotebookError."""
    if isinstance(source, Path):
        try:
            if source.stat().st_size > MAX_NOTEBOOK_BYTES:
                raise NotebookError(_too_large(name))
            source = source.read_bytes()
        except OSError as error:
            raise NotebookError(f"{name} cannot be read ({error.strerror}); hand it in again") from None
    if len(source) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(_too_large(name))
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):
        raise NotebookError(f"{name} is not a notebook (its file is not valid JSON): open it in Jupyter, "
                            "save it and hand it in again") from None
    try:
        nb = _as_v4(_without_outputs(data))
        code = sum(len(StudentCell.of(index, cell).source) for index, cell in enumerate(nb.cells, start=1))
    except Exception as error:  # noqa: BLE001 - any malformed structure is the notebook's, reported as such
        raise NotebookError(f"{name} is damaged ({type(error).__name__}): open it in Jupyter, "
                            "save it and hand it in again") from None
    if code > MAX_CODE_BYTES:
        raise NotebookError(f"{name} holds more than {MAX_CODE_BYTES // MiB} MiB of code and text; "
                            "hand in the lesson's notebook with your solutions")
    return nb


def _too_large(name: str) -> str:
    return (f"{name} is larger than {MAX_NOTEBOOK_BYTES // MiB} MiB: clear its outputs "
            "(Kernel > Restart & Clear Output), save it and hand it in again")


def _without_outputs(data):
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    cells = data.get("cells")
    if cells is None:  # nbformat 3: cells live in worksheets
        cells = [c for sheet in data.get("worksheets") or [] for c in sheet.get("cells") or []]
    for cell in cells:
        if isinstance(cell, dict):
            for key in ("outputs", "attachments"):
                if key in cell:
                    cell[key] = [] if key == "outputs" else {}
    return data


def _as_v4(data):
    import nbformat  # only where notebooks are graded: a base dependency, but light modules stay light

    nb = nbformat.reader.reads(json.dumps(data))  # rejoins line lists; no validation, no execution
    return nbformat.convert(nb, 4) if nb.nbformat < 4 else nb


def notebook_pieces(name: str, cells: list[StudentCell], release: Release, notes: list[str]) -> list[Piece]:
    """The student's code of one notebook, statement by statement, each bound for a module."""
    pieces: list[Piece] = []
    current = release.first_module(name, cells)
    for cell in cells:
        if cell.kind != "code":
            continue
        origin = f"{name}, cell {cell.index}"
        role = release.role(cell)
        home = release.module_of_id(cell.grade_id)
        current = home or current
        if role in ("test", "setup", "demo"):
            if role == "setup" and release.edited_setup(cell):
                notes.append(f"{origin}: changes to the locked cell '{cell.grade_id}' are ignored "
                             "(the release's version is graded)")
            continue
        source = MAGIC.sub(lambda m: f"{m['indent']}pass  # {m['magic']}", cell.source)
        try:
            statements = split_statements(source)
        except Unreadable as error:
            if role == "solution" and (home or current):  # as in a .py module: it fails to import, with the line
                pieces.append(Piece(home or current, source, (), origin, name, 1))
            else:
                line = f" (line {error.lineno})" if getattr(error, "lineno", None) else ""
                notes.append(f"{origin} is not valid Python{line} and was left out")
            continue
        for statement in statements:
            module = release.module_of_names(statement.names) or current
            if role == "own" and not statement.defines_only:
                if statement.names and module:
                    pieces.append(Piece(module, "", statement.names, origin, name, statement.first_line, skipped=True))
                continue
            if module is None:
                notes.append(f"{origin}: no exercise to put line {statement.first_line} in; left out")
                continue
            source = statement.source
            if statement.stand_in:  # same number of lines, so messages still point at the right line
                source = statement.stand_in + "\n" * statement.source.count("\n")
            pieces.append(Piece(module, source, statement.names, origin, name, statement.first_line,
                                stub=release.is_stub(statement), home=release.is_home(cell, statement),
                                uses=statement.uses))
            current = current or module
    return pieces


def _assemble(pieces: list[Piece], release: Release, conversion: Conversion) -> None:
    by_module: dict[str, list[Piece]] = {}
    for piece in pieces:
        by_module.setdefault(piece.module, []).append(piece)
    defined: dict[str, set[str]] = {}
    for module in NAMES:
        if module not in by_module:
            continue
        kept = _graded([p for p in by_module[module] if not p.skipped], conversion.notes)
        _note_skipped(by_module[module], kept, conversion.notes)
        defined[module] = {n for p in kept for n in p.names} | release.setup_names(module)
        imports = _sibling_imports(module, kept, defined)
        text, lines = _module_text(module, kept, release.setup(module), imports)
        conversion.modules[module], conversion.lines[module] = text, lines


def _graded(pieces: list[Piece], notes: list[str]) -> list[Piece]:
    """The pieces that define what is graded, as a kernel would run them: for each name, the last
    definition in the notebook(s) holding its own cell (else anywhere), untouched stubs only where
    nothing else defines it; a note where several different definitions compete."""
    candidates: dict[str, list[int]] = {}
    for index, piece in enumerate(pieces):
        if not piece.source.startswith(("import ", "from ")):
            for name in piece.names:
                candidates.setdefault(name, []).append(index)
    dropped, kept = set(), set()
    for name, found in candidates.items():
        homes = {pieces[i].notebook for i in found if pieces[i].home}
        local = [i for i in found if pieces[i].notebook in homes] or found
        chosen = [i for i in local if not pieces[i].stub] or local
        dropped |= set(found) - set(chosen)
        kept |= set(chosen)
        if len({pieces[i].source for i in chosen}) > 1:
            notes.append(f"{pieces[chosen[0]].module}: {name} is defined {len(chosen)} times "
                         f"({'; '.join(pieces[i].origin for i in chosen)}); the last definition is graded")
    return [p for i, p in enumerate(pieces) if i in kept or i not in dropped]


def _note_skipped(pieces: list[Piece], kept: list[Piece], notes: list[str]) -> None:
    """A note for each left-out statement that assigns a name the graded code uses and nothing defines."""
    used = set().union(*(p.uses for p in kept)) - {n for p in kept for n in p.names}
    for piece in pieces:
        missing = sorted(set(piece.names) & used) if piece.skipped else []
        if missing:
            notes.append(f"{piece.origin}, line {piece.first_line}: the grader does not run this line, which sets "
                         f"{', '.join(missing)}; set it inside your function, or to a plain value")


def _sibling_imports(module: str, pieces: list[Piece], defined: dict[str, set[str]]) -> list[str]:
    """``from softmax import softmax`` for each name used here but defined by an earlier exercise."""
    missing = set().union(*(p.uses for p in pieces)) - defined[module] - BUILTINS
    imports = []
    for earlier in reversed(NAMES[:NAMES.index(module)]):
        names = sorted(missing & defined.get(earlier, set()))
        if names:
            imports.append(f"from {earlier} import {', '.join(names)}")
            missing -= set(names)
    return imports


def _module_text(module: str, pieces: list[Piece], setup: str, imports: list[str]) -> tuple[str, list]:
    """The module's source, and where each piece starts in it (see :meth:`Conversion.locate`)."""
    origins = sorted({p.notebook for p in pieces})
    stand_in = any(f"= {STAND_IN}()" in p.source for p in pieces)
    parts = [f'"""{module}: built by nn101 from {", ".join(origins)} (the student\'s code, not run by nn101)."""',
             STAND_IN_CLASS if stand_in else "", *imports, f"# the release's setup\n{setup}" if setup else ""]
    chunks = ["\n".join(p for p in parts if p) + "\n"]
    line = chunks[0].count("\n") + 1
    lines = []
    for piece in pieces:
        body = piece.source.rstrip("\n") + "\n"
        chunks.append(f"\n# {piece.origin}\n{body}")
        lines.append((line + 2, piece.origin, piece.first_line))
        line += 2 + body.count("\n")
    return "".join(chunks), lines
