"""What a student's module needs from its worker, read from its source on the trusted side.

A NumPy exercise may import TensorFlow or Keras (a student's own choice, or ``tf.nn.relu``
in ``activations.py``). Importing TensorFlow in a NumPy worker would take 5-7 s of its
import limit and more address space than its memory limit gives, and fail through no fault
of the student. So such a module runs in a worker forked from the TensorFlow zygote, which
has imported it already. The source is only parsed (:mod:`ast`), never run here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from autograder import parsing

TENSORFLOW_PACKAGES = frozenset({"tensorflow", "keras", "tf_keras"})


def imported_packages(source: bytes) -> set[str]:
    """Top-level package names ``source`` imports anywhere (empty if it does not parse)."""
    try:
        tree = parsing.parse(source)
    except parsing.Unreadable:  # the worker's import reports it to the student
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def needs_tensorflow(folder: Path, module: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``folder/module.py``, or a module of the submission it imports, imports TensorFlow."""
    path = Path(folder) / f"{module}.py"
    if module in seen or path.is_symlink() or not path.is_file():
        return False
    packages = imported_packages(path.read_bytes()[:parsing.MAX_SOURCE_BYTES + 1])
    if packages & TENSORFLOW_PACKAGES:
        return True
    return any(needs_tensorflow(folder, name, seen | {module}) for name in sorted(packages)
               if (Path(folder) / f"{name}.py").is_file())
