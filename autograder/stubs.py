"""Generate the student stubs in exercises/ from the reference solutions in solutions/.

A solution region runs from a line `### BEGIN SOLUTION` to the next line `### END SOLUTION`
(markers included). make_stub replaces each region, at the BEGIN line's indentation, by

    # YOUR CODE HERE
    raise NotImplementedError

or, when the region only assigns values to plain names (a quiz answer such as `q01 = "b"`),
by one placeholder per name:

    # YOUR CODE HERE
    q01 = None

Everything outside the regions is kept byte for byte.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from autograder.errors import UsageError

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
YOUR_CODE_HERE = "# YOUR CODE HERE"


class StubError(UsageError):
    """A solution file whose markers do not pair up, or whose stub would not be valid Python."""


def make_stub(source: str, filename: str = "<source>") -> str:
    """Return `source` with every solution region replaced by a placeholder; check it compiles."""
    stub = replace_regions(source, filename)
    try:
        compile(stub, filename, "exec")
    except SyntaxError as exc:
        raise StubError(f"{filename}: the generated stub is not valid Python: {exc}") from None
    return stub


def replace_regions(source: str, filename: str = "<source>") -> str:
    """Replace every solution region of ``source`` (a module or a notebook cell) by its placeholder."""
    out: list[str] = []
    region: list[str] = []  # the lines of the open region
    begin_line = None  # line number of the open region's BEGIN marker, None outside regions
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if begin_line is not None:
                raise StubError(
                    f"{filename}:{number}: '{BEGIN}' inside the region opened at line "
                    f"{begin_line}; close that region with '{END}' first"
                )
            begin_line, region = number, []
            text = line.rstrip("\r\n")
            indent = text[: len(text) - len(text.lstrip())]
            newline = line[len(text):] or "\n"  # the BEGIN line's own ending, \n or \r\n
        elif marker == END:
            if begin_line is None:
                raise StubError(f"{filename}:{number}: '{END}' without a '{BEGIN}' before it")
            out.append(_placeholder("".join(region), indent, newline))
            begin_line = None
        elif begin_line is not None:
            region.append(line)
        else:
            out.append(line)
    if begin_line is not None:
        raise StubError(f"{filename}:{begin_line}: '{BEGIN}' is never closed by '{END}'")
    return "".join(out)


def _placeholder(region: str, indent: str, newline: str) -> str:
    """The lines that replace one region: the comment, then placeholders or a raise."""
    names = _assigned_names(region)
    code = [f"{name} = None" for name in names] if names else ["raise NotImplementedError"]
    return "".join(indent + text + newline for text in [YOUR_CODE_HERE, *code])


def _assigned_names(region: str) -> list[str]:
    """Names assigned by `region` if it holds nothing but assignments to plain names, else []."""
    try:
        statements = ast.parse(textwrap.dedent(region)).body
    except SyntaxError:
        return []
    names: list[str] = []
    for statement in statements:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets = [statement.target]
        else:
            return []
        if not all(isinstance(target, ast.Name) for target in targets):
            return []
        names += [target.id for target in targets if target.id not in names]
    return names


def _expected_stubs(solutions_dir: Path) -> dict[str, str]:
    """File name -> stub text, for every solutions/*.py."""
    return {
        path.name: make_stub(path.read_bytes().decode("utf-8"), filename=str(path))
        for path in sorted(Path(solutions_dir).glob("*.py"))
    }


def generate_stubs(solutions_dir, exercises_dir) -> list[Path]:
    """Write exercises/<name>.py for every solutions/<name>.py; return the paths written.

    Every stub is made before anything is written, so a broken solution file leaves
    exercises/ untouched.
    """
    stubs = _expected_stubs(Path(solutions_dir))
    exercises_dir = Path(exercises_dir)
    exercises_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, stub in stubs.items():
        path = exercises_dir / name
        path.write_bytes(stub.encode("utf-8"))
        written.append(path)
    return written


def check_stubs(solutions_dir, exercises_dir) -> list[str]:
    """File names (e.g. "softmax.py") whose stub in exercises/ is missing or out of date."""
    stale = []
    for name, stub in _expected_stubs(Path(solutions_dir)).items():
        path = Path(exercises_dir) / name
        if not path.is_file() or path.read_bytes() != stub.encode("utf-8"):
            stale.append(name)
    return stale
