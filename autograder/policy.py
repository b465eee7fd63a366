"""Forbidden library functions: a library call may not do the exercise for the student.

A student may import SciPy, Matplotlib, scikit-learn or TensorFlow in any module and is
graded normally, except where a function of the policy does the very thing the exercise
asks for (``scipy.special.softmax`` in ``softmax.py``). The policy is a table per
exercise, ``{qualified name: why}``; a name covers everything under it
(``"keras.losses"`` covers ``keras.losses.categorical_crossentropy``). The instructor
adds to it or lifts entries with a JSON file named by ``$NN101_POLICY_FILE``:
``{"softmax": {"numpy.exp": "write e^z by hand", "tensorflow.nn.softmax": null}}``
(``null`` lifts a default).

The check is made on the trusted side, by reading the student's source with :mod:`ast`
(never importing it): imports are followed through aliases (``import tensorflow as tf``
then ``tf.nn.softmax``), ``from`` imports, ``importlib.import_module("...")`` and
``__import__``. A check fails when it called a function whose body (or a module-level
function it calls) uses a forbidden name; a forbidden name at module level taints every
function. The message says what is not allowed and why, like PrairieLearn's python grader.

Names cannot be hidden from it: a module of the submission that the exercise imports
(directly or through another) and that uses a forbidden name is itself forbidden there
(``from helpers import normalise``), and a name looked up by computation on a module with
forbidden functions (``getattr(special, "soft" + "max")``, ``vars(special)``, ``from
scipy.special import *``) or an import of a computed name counts as a forbidden name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

from autograder import parsing
from autograder.policy_table import POLICY_FILE_ENV, load_policy  # noqa: F401 - the policy's API

ALIASES = (("tensorflow.keras.", "keras."), ("tf_keras.", "keras."))
# which student functions a probe calls (a probe runs next to the student's module)
PROBE_CALLS = {
    "minibatches": ("iterate_minibatches",),
    "minibatch_epochs": ("iterate_minibatches",),
    "minibatch_inputs": ("iterate_minibatches",),
    "numerical_gradient": ("numerical_gradient",),
    "keras_describe": ("build_model",),
    "keras_fit_predict": ("build_model", "train_model"),
}


@dataclass(frozen=True)
class Violation:
    """One use of a forbidden name in a student's module."""

    written: str
    """As the student wrote it, e.g. ``"sp.softmax"``."""
    name: str
    """The policy entry it falls under, e.g. ``"scipy.special.softmax"``."""
    why: str
    line: int

    def message(self, module: str) -> str:
        return (f"{self.written} (line {self.line} of {module}.py) is not allowed in {module}.py: "
                f"{self.why}. Hint: remove it and write the computation with NumPy.")


def tainted_functions(source: str | None, module: str, policy: dict | None = None,
                      read: Callable[[str], str | None] = lambda name: None) -> dict[str, Violation]:
    """``{function name: the first violation it reaches}`` for the student's ``source``.

    ``"*"`` stands for module level (every function is then tainted). ``read(name)`` gives
    the source of the submission's module ``name`` (None if there is none): the modules
    ``source`` imports are read too. Unreadable or unparsable source gives ``{}``: the
    import error is reported by the checks.
    """
    rules = (load_policy() if policy is None else policy).get(module, {})
    tree = _parse(source)
    if tree is None or not rules:
        return {}
    rules = {**rules, **_forbidden_modules(tree, read, rules, frozenset({module}))}
    imports = _imports(tree)
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    direct: dict[str, Violation] = {}
    for name in functions:  # the student's own def shadows an imported name
        imports.pop(name, None)
    for node in tree.body:
        if isinstance(node, ast.Import) or isinstance(node, ast.ImportFrom) and node.names[0].name != "*":
            continue  # importing is allowed; using a forbidden name is not (``import *`` uses them all)
        owner = getattr(node, "name", "*") if node in functions.values() else "*"
        found = _violations(node, imports, rules)
        if found:
            direct.setdefault(owner, found[0])
    if "*" in direct:
        return {"*": direct["*"], **{name: direct["*"] for name in functions}}
    calls = {name: _called_names(fn) & set(functions) for name, fn in functions.items()}
    tainted = dict(direct)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in tainted:
                hit = next((tainted[c] for c in sorted(callees) if c in tainted), None)
                if hit is not None:
                    tainted[name], changed = hit, True
    return tainted


def _parse(source: str | None) -> ast.Module | None:
    try:
        return parsing.parse(source) if source else None
    except parsing.Unreadable:
        return None


def _forbidden_modules(tree: ast.Module, read, rules: dict[str, str], seen: frozenset[str]) -> dict[str, str]:
    """``{module: why}`` for the submission's modules that ``tree`` imports and that use a
    forbidden name themselves, or through a module of the submission they import."""
    found = {}
    for name in sorted({qualified.split(".")[0] for qualified in _imports(tree).values()} - seen):
        if not name.isidentifier():  # a computed import's text, never a path to read
            continue
        helper = _parse(read(name))
        if helper is None:
            continue
        inner = {**rules, **_forbidden_modules(helper, read, rules, seen | {name})}
        hits = _violations(helper, _imports(helper), inner)
        if hits:
            found[name] = f"{name}.py uses {hits[0].written} (its line {hits[0].line}), and {hits[0].why}"
    return found


def called_functions(calls: list[tuple[str, str, tuple]]) -> set[str]:
    """The student functions reached by a check's calls (``("call", func, args)`` or
    ``("probe", name, args)``)."""
    names = set()
    for kind, name, args in calls:
        if kind == "call":
            names.add(name)
        elif name == "call_recording_warnings" and args and isinstance(args[0], str):
            names.add(args[0])
        else:
            names.update(PROBE_CALLS.get(name, ()))
    return names


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, for every import anywhere in the module."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            dynamic = _dynamic_import(node.value)
            if dynamic:
                names[node.targets[0].id] = dynamic
    return names


def _dynamic_import(node) -> str:
    """``importlib.import_module("a.b")`` or ``__import__("a")``: the module named, else ""."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)):
        return ""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name == "import_module":
        return node.args[0].value
    if name == "__import__":
        return node.args[0].value.split(".")[0]
    return ""


def _violations(node, imports: dict[str, str], rules: dict[str, str]) -> list[Violation]:
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
            candidates = [(_under(sub.module, rules) if a.name == "*" else f"{sub.module}.{a.name}",
                           f"from {sub.module} import {a.name}") for a in sub.names]
        elif isinstance(sub, ast.Call):
            candidates = _computed_lookup(sub, imports, rules)
        elif isinstance(sub, ast.Attribute) and sub.attr == "__dict__":
            candidates = [(_under(_qualified(sub.value, imports), rules), ast.unparse(sub))]
        elif isinstance(sub, (ast.Name, ast.Attribute)):
            qualified = _qualified(sub, imports)
            candidates = [(qualified, ast.unparse(sub))] if qualified else []
        else:
            continue
        for qualified, written in candidates:
            rule = _rule_for(qualified, rules)
            if rule:
                found.append(Violation(written, rule, rules[rule], getattr(sub, "lineno", 0)))
    return sorted(found, key=lambda v: v.line)


def _qualified(node, imports: dict[str, str]) -> str:
    """``tf.nn.softmax`` -> ``"tensorflow.nn.softmax"`` when ``tf`` is an imported module, else ""."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in imports:
        head = imports[node.id]
    elif isinstance(node, ast.Call) and _dynamic_import(node):
        head = _dynamic_import(node)
    else:
        return ""
    return ".".join([head, *reversed(parts)])


def _computed_lookup(call: ast.Call, imports: dict[str, str], rules: dict[str, str]) -> list[tuple[str, str]]:
    """``getattr(module, name)``, ``vars(module)`` or an import of a computed name: the forbidden
    name it may reach, as ``[(qualified, written)]``; [] when it reaches none."""
    func, args, written = call.func, call.args, ast.unparse(call)[:80]
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in ("import_module", "__import__") and args and not _text(args[0]):
        return [(next(iter(rules)), written)]  # the grader cannot tell what it imports
    if name in ("getattr", "vars") and args:
        head = _qualified(args[0], imports)
        if name == "getattr" and len(args) > 1 and _text(args[1]):
            return [(f"{head}.{args[1].value}", written)] if head else []
        return [(_under(head, rules), written)]
    return []


def _text(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _under(module: str, rules: dict[str, str]) -> str:
    """The first forbidden name in or under ``module`` ("" if none, or if ``module`` is "")."""
    for old, new in ALIASES:
        if module.startswith(old):
            module = new + module[len(old):]
    return next((rule for rule in rules if module and (rule + ".").startswith(module + ".")
                 or _rule_for(module, rules) == rule), "")


def _rule_for(qualified: str, rules: dict[str, str]) -> str:
    for old, new in ALIASES:
        if qualified.startswith(old):
            qualified = new + qualified[len(old):]
    return next((rule for rule in rules if qualified == rule or qualified.startswith(rule + ".")), "")


def _called_names(function) -> set[str]:
    return {n.func.id for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def violation_reached(proxy) -> str | None:
    """The policy message when the check just run on ``proxy`` reached a function that uses a
    forbidden name; None otherwise (or when the source cannot be read)."""
    submission, module = proxy.submission, proxy.module
    cache = submission.__dict__.setdefault("_policy_tainted", {})
    if module not in cache:
        try:
            cache[module] = tainted_functions(submission.source(module), module, read=submission.source)
        except (OSError, RecursionError):
            cache[module] = {}
    tainted = cache[module]
    if not tainted:
        return None
    reached = called_functions(proxy.calls)
    hit = next((tainted[name] for name in sorted(reached) if name in tainted), None)
    return hit.message(module) if hit else None
