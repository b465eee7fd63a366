"""Read a solution module into the parts a notebook is built from.

``solutions/<name>.py`` stays the single source of truth: a notebook's setup cell, its
solution cells and the quiz's answer cells are cut out of it here, markers included, so
nbgrader strips exactly the regions the ``.py`` stubs strip.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from autograder.exercises import NAMES
from autograder.stubs import BEGIN, END, StubError, reference_part, replace_regions


@dataclass(frozen=True)
class ModuleParts:
    """One solution module, cut into notebook-sized pieces (source text, no trailing newline)."""

    name: str
    imports: tuple[str, ...]
    """Import lines, without imports of sibling exercise modules (a notebook defines those itself)."""
    helpers: tuple[str, ...] = ()
    """Private functions (``_name``): given code, not exercises."""
    functions: dict[str, str] = field(default_factory=dict)
    """Public function name -> its full source, solution regions included."""
    answers: dict[str, str] = field(default_factory=dict)
    """Variable name -> the module-level solution region that assigns it (a quiz answer)."""
    constants: dict[str, str] = field(default_factory=dict)
    """Variable name -> a module-level assignment outside regions (e.g. the quiz's QUESTIONS)."""
    doc: str = ""
    """The module's docstring (the idea and the formula), cleaned of its indentation."""

    @property
    def setup(self) -> str:
        return "\n\n\n".join(part for part in ("\n".join(self.imports), *self.helpers) if part)


def read_module(path: Path) -> ModuleParts:
    """Split ``path`` into imports, helpers, functions and answer regions."""
    path = Path(path)
    text = reference_part(path.read_text(encoding="utf-8"))  # the mistakes below the mark are no cells
    replace_regions(text, str(path))  # marker errors, with file and line, before anything else
    lines = text.splitlines()
    tree = ast.parse(text, filename=str(path))
    regions = _module_regions(lines)
    imports, helpers, functions, answers, constants = [], [], {}, {}, {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if not _imports_sibling(node):
                imports.append(_segment(lines, node.lineno, node.end_lineno))
        elif isinstance(node, ast.FunctionDef):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            source = _segment(lines, start, _block_end(lines, node.end_lineno))
            if node.name.startswith("_"):
                helpers.append(source)
            else:
                functions[node.name] = source
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            region = next((r for r in regions if r[0] < node.lineno < r[1]), None)
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if region:
                    answers[target.id] = _segment(lines, region[0], region[1])
                else:
                    constants[target.id] = _segment(lines, node.lineno, node.end_lineno)
    return ModuleParts(path.stem, tuple(imports), tuple(helpers), functions, answers, constants,
                       ast.get_docstring(tree) or "")


def _imports_sibling(node) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] in NAMES
    return any(alias.name.split(".")[0] in NAMES for alias in node.names)


def _module_regions(lines: list[str]) -> list[tuple[int, int]]:
    """(BEGIN line, END line), 1-based, of the regions that start at column 0."""
    regions, begin = [], None
    for number, line in enumerate(lines, start=1):
        if line.rstrip() == BEGIN:
            begin = number
        elif line.rstrip() == END and begin is not None:
            regions.append((begin, number))
            begin = None
    return regions


def _block_end(lines: list[str], last_statement: int) -> int:
    """The last line of a function: its last statement plus indented comments (### END SOLUTION)."""
    end = last_statement
    for number in range(last_statement + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and not line[0].isspace():
            break
        if line.strip():
            end = number
    return end


def _segment(lines: list[str], first: int, last: int) -> str:
    return "\n".join(lines[first - 1:last])


def function_source(parts: ModuleParts, name: str) -> str:
    try:
        return parts.functions[name]
    except KeyError:
        raise StubError(f"solutions/{parts.name}.py has no function {name}()") from None
