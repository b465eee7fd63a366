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
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

POLICY_FILE_ENV = "NN101_POLICY_FILE"
SOFTMAX_WHY = "the exercise is to write softmax yourself, from np.exp and np.sum"
DEFAULT_POLICY: dict[str, dict[str, str]] = {
    "activations": {
        "scipy.special.expit": "the exercise is to write the sigmoid yourself, from np.exp",
        "scipy.special.log_expit": "the exercise is to write the sigmoid yourself, from np.exp",
    },
    "dense_layer": {
        "keras.layers.Dense": "the exercise is to write the layer yourself, from x @ W and b",
        "keras.layers.EinsumDense": "the exercise is to write the layer yourself, from x @ W and b",
        "torch.nn.Linear": "the exercise is to write the layer yourself, from x @ W and b",
        "torch.nn.functional.linear": "the exercise is to write the layer yourself, from x @ W and b",
    },
    "softmax": {
        "scipy.special.softmax": SOFTMAX_WHY,
        "scipy.special.log_softmax": SOFTMAX_WHY,
        "tensorflow.nn.softmax": SOFTMAX_WHY,
        "tensorflow.math.softmax": SOFTMAX_WHY,
        "keras.activations.softmax": SOFTMAX_WHY,
        "keras.ops.softmax": SOFTMAX_WHY,
        "keras.layers.Softmax": SOFTMAX_WHY,
        "torch.softmax": SOFTMAX_WHY,
        "torch.nn.functional.softmax": SOFTMAX_WHY,
    },
    "losses": {
        "sklearn.metrics.log_loss": "the exercise is to write the cross-entropy yourself",
        "sklearn.metrics.mean_squared_error": "the exercise is to write the quadratic cost yourself",
        "keras.losses": "the exercise is to write the losses yourself, with NumPy",
        "tensorflow.nn.softmax_cross_entropy_with_logits": "the exercise is to write the losses yourself",
        "tensorflow.nn.sparse_softmax_cross_entropy_with_logits": "the exercise is to write the losses yourself",
    },
    "metrics": {
        "keras.utils.to_categorical": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.preprocessing.OneHotEncoder": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.preprocessing.LabelBinarizer": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.preprocessing.label_binarize": "the exercise is to build the one-hot rows yourself, with NumPy",
        "sklearn.metrics.accuracy_score": "the exercise is to compute the accuracy yourself, from np.argmax",
        "keras.metrics": "the exercise is to compute the accuracy yourself, from np.argmax",
        "torch.nn.functional.one_hot": "the exercise is to build the one-hot rows yourself, with NumPy",
    },
    "gradient_descent": {
        "scipy.optimize.approx_fprime": "the exercise is to write the central differences yourself",
        "scipy.optimize.check_grad": "the exercise is to write the central differences yourself",
        "sklearn.linear_model": "the exercise is to train softmax regression yourself, with SGD",
        "sklearn.utils.gen_batches": "the exercise is to cut the mini-batches yourself",
        "sklearn.utils.shuffle": "shuffle with the rng argument: rng.permutation(n)",
    },
}
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


def load_policy(path: str | os.PathLike | None = None) -> dict[str, dict[str, str]]:
    """The default policy with the instructor's changes from ``path`` (or $NN101_POLICY_FILE)."""
    policy = {exercise: dict(entries) for exercise, entries in DEFAULT_POLICY.items()}
    path = path or os.environ.get(POLICY_FILE_ENV)
    if not path:
        return policy
    try:
        changes = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the policy file {path}: {exc}") from None
    if not isinstance(changes, dict) or not all(isinstance(v, dict) for v in changes.values()):
        raise UsageError(f"the policy file {path} must map each exercise to {{name: reason or null}}")
    for exercise, entries in changes.items():
        for name, why in entries.items():
            if why is None:
                policy.setdefault(exercise, {}).pop(name, None)
            else:
                policy.setdefault(exercise, {})[name] = str(why)
    return policy


def tainted_functions(source: str | None, module: str, policy: dict | None = None) -> dict[str, Violation]:
    """``{function name: the first violation it reaches}`` for the student's ``source``.

    ``"*"`` stands for module level (every function is then tainted). Unreadable or
    unparsable source gives ``{}``: the import error is reported by the checks.
    """
    rules = (load_policy() if policy is None else policy).get(module, {})
    if not source or not rules:
        return {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    imports = _imports(tree)
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    direct: dict[str, Violation] = {}
    for name in functions:  # the student's own def shadows an imported name
        imports.pop(name, None)
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue  # importing is allowed; using a forbidden name is not
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
            candidates = [(f"{sub.module}.{a.name}", f"from {sub.module} import {a.name}") for a in sub.names]
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
            cache[module] = tainted_functions(submission.source(module), module)
        except (OSError, RecursionError):
            cache[module] = {}
    tainted = cache[module]
    if not tainted:
        return None
    reached = called_functions(proxy.calls)
    hit = next((tainted[name] for name in sorted(reached) if name in tainted), None)
    return hit.message(module) if hit else None
