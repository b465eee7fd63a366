"""``nn101 similarity``: disguised copies rank above every pair of independent solutions; the stubs never count."""

from __future__ import annotations

import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("copydetect")

from autograder import cli, similarity  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("activations", "softmax")
PLACEHOLDER = re.compile(r"    # YOUR CODE HERE\n    raise NotImplementedError\n")

# Independent solutions: each student's bodies, in the order of the stubs' functions (sigmoid,
# sigmoid_derivative, tanh, tanh_derivative, relu, relu_derivative, leaky_relu,
# leaky_relu_derivative; then softmax).
INDEPENDENT = {
    "carol": ["""
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out""", """
    s = sigmoid(z)
    return s * (1 - s)""", """
    return np.tanh(z)""", """
    return 1.0 - np.tanh(z) ** 2""", """
    return np.maximum(z, 0.0)""", """
    return (z > 0).astype(z.dtype)""", """
    return np.where(z > 0, z, alpha * z)""", """
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)""", """
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)"""],
    "dave": ["""
    t = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + t), t / (1 + t))""", """
    t = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + t), t / (1 + t))
    return s - s * s""", """
    a = np.exp(z.clip(-350, 350))
    b = np.exp(-z.clip(-350, 350))
    return (a - b) / (a + b)""", """
    th = tanh(z)
    return (1 - th) * (1 + th)""", """
    r = z.copy()
    r[r < 0] = 0
    return r""", """
    d = np.zeros_like(z)
    d[z > 0] = 1
    return d""", """
    return np.maximum(z, 0) + alpha * np.minimum(z, 0)""", """
    g = np.ones_like(z)
    g[z <= 0] = alpha
    return g""", """
    m = z.max(axis=axis, keepdims=True)
    num = np.exp(z - m)
    den = num.sum(axis=axis, keepdims=True)
    return num / den"""],
    "erin": ["""
    return 0.5 * (1.0 + np.tanh(0.5 * z))""", """
    sig = 0.5 * (1.0 + np.tanh(0.5 * z))
    return sig * (1.0 - sig)""", """
    return 2.0 / (1.0 + np.exp(np.clip(-2.0 * z, -700, 700))) - 1.0""", """
    c = np.cosh(np.clip(z, -300, 300))
    return 1.0 / (c * c)""", """
    return z * (z > 0)""", """
    return np.heaviside(z, 0.0).astype(z.dtype)""", """
    return z * np.where(z > 0, 1.0, alpha)""", """
    slope = np.full(z.shape, alpha, dtype=z.dtype)
    slope[z > 0] = 1.0
    return slope""", """
    moved = np.moveaxis(z, axis, -1)
    moved = moved - moved.max(axis=-1)[..., None]
    expd = np.exp(moved)
    expd /= expd.sum(axis=-1)[..., None]
    return np.moveaxis(expd, -1, axis)"""],
    "frank": ["""
    result = np.zeros(z.shape, dtype=z.dtype)
    for idx, value in np.ndenumerate(z):
        if value >= 0:
            result[idx] = 1 / (1 + np.exp(-value))
        else:
            result[idx] = np.exp(value) / (1 + np.exp(value))
    return result""", """
    s = sigmoid(z)
    one = np.ones_like(s)
    return s * (one - s)""", """
    return np.sinh(np.clip(z, -20, 20)) / np.cosh(np.clip(z, -20, 20))""", """
    return 1 - tanh(z) * tanh(z)""", """
    return np.clip(z, 0, None)""", """
    return np.greater(z, 0).astype(z.dtype)""", """
    neg = z < 0
    out = z.copy()
    out[neg] *= alpha
    return out""", """
    return np.where(z < 0, alpha, 1).astype(z.dtype)""", """
    logits = z - np.amax(z, axis=axis, keepdims=True)
    probs = np.exp(logits)
    total = probs.sum(axis=axis, keepdims=True)
    return probs / total"""],
}
COPIED = {"carol": "xavier", "dave": "yasmin", "frank": "zoe"}  # original -> the student who copied it


def fill(stub: str, bodies: list[str]) -> str:
    """The stub with each placeholder replaced by the next body."""
    parts = PLACEHOLDER.split(stub)
    assert len(parts) == len(bodies) + 1, "the stubs changed: update the bodies"
    return parts[0] + "".join(body.lstrip("\n") + "\n" + rest for body, rest in zip(bodies, parts[1:]))


def disguise(source: str, rng: random.Random) -> str:
    """A copy as students disguise one: variables renamed, functions reordered, comments rewritten."""
    tree = ast.parse(source)
    for function in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        local = {a.arg for a in function.args.args} | {
            n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        renamed = {name: f"{rng.choice(['val', 'arr', 'tmp', 'x'])}_{i}" for i, name in enumerate(sorted(local))}
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id in renamed:
                node.id = renamed[node.id]
            elif isinstance(node, ast.arg) and node.arg in renamed:
                node.arg = renamed[node.arg]
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    rng.shuffle(functions)
    tree.body = [n for n in tree.body if not isinstance(n, ast.FunctionDef)] + functions
    lines = []
    for line in ast.unparse(tree).splitlines():  # unparse drops the original comments
        if line.startswith("def "):
            lines.append(f"# {rng.choice(['my own work', 'wrote this myself', 'helper'])}")
        lines.append(line + ("  # result" if line.strip().startswith("return") else ""))
    return "\n".join(lines) + "\n"


def make_class(root: Path) -> None:
    """Four independent students, the references as a fifth, two untouched stubs, three disguised copies."""
    rng = random.Random(15)
    stubs = {m: (ROOT / "exercises" / f"{m}.py").read_text() for m in MODULES}
    codes = {}
    for student, bodies in INDEPENDENT.items():
        codes[student] = {"activations": fill(stubs["activations"], bodies[:8]),
                          "softmax": fill(stubs["softmax"], bodies[8:])}
    codes["gina"] = {m: (ROOT / "solutions" / f"{m}.py").read_text() for m in MODULES}
    codes["idle1"] = codes["idle2"] = stubs
    for original, copier in COPIED.items():
        codes[copier] = {m: disguise(text, rng) for m, text in codes[original].items()}
    for student, modules in codes.items():
        (root / student).mkdir(parents=True)
        for module, text in modules.items():
            compile(text, f"{student}/{module}.py", "exec")  # every submission is valid Python
            (root / student / f"{module}.py").write_text(text)
    with zipfile.ZipFile(root / "zoe.zip", "w") as archive:  # one copy arrives as a zip, nested
        for path in sorted((root / "zoe").iterdir()):
            archive.write(path, f"zoe-work/{path.name}")
    shutil.rmtree(root / "zoe")


def test_every_disguised_copy_ranks_above_every_independent_pair(tmp_path, capsys):
    make_class(tmp_path / "class")
    assert cli.main(["similarity", str(tmp_path / "class"), "--format", "json",
                     "--output", str(tmp_path / "pairs.json")]) == 0
    report = json.loads((tmp_path / "pairs.json").read_text())
    assert len(report["students"]) == 10
    planted = {frozenset(pair) for pair in COPIED.items()}
    ranked = [(frozenset((p["first"], p["second"])), p["similarity"]) for p in report["pairs"]]
    planted_scores = [score for pair, score in ranked if pair in planted]
    independent_scores = [score for pair, score in ranked if pair not in planted]
    assert len(planted_scores) == len(planted), "a copy was not found at all"
    assert min(planted_scores) > max(independent_scores, default=0.0)
    assert {pair for pair, _ in ranked[:len(planted)]} == planted  # they are the top of the list
    assert not any({"idle1", "idle2"} & pair for pair, _ in ranked)  # the stubs are boilerplate: nothing shared


def test_without_the_stubs_as_boilerplate_untouched_stubs_would_look_copied(tmp_path):
    """The check above can fail: the same class compared with no boilerplate ranks the idle pair first."""
    make_class(tmp_path / "class")
    codes, notes = similarity.class_codes(tmp_path / "class")
    report = similarity.compare(codes, boilerplate=[], notes=notes)
    idle = next(p for p in report.pairs if {p.first, p.second} == {"idle1", "idle2"})
    assert idle.similarity == 1.0 > max(p.similarity for p in report.pairs if "idle1" in (p.first, p.second)
                                        and p.second != "idle2")


def test_the_ranking_is_the_same_in_every_process(tmp_path):
    """copydetect's k-gram hash is Python's salted hash(); nn101 gives it a stable one."""
    make_class(tmp_path / "class")
    script = ("import json, sys; from autograder import similarity; "
              "codes, _ = similarity.class_codes(__import__('pathlib').Path(sys.argv[1])); "
              "r = similarity.compare(codes, [similarity.stub_code()]); "
              "print(json.dumps([(p.first, p.second, p.first_share, p.second_share) for p in r.pairs]))")
    runs = {subprocess.run([sys.executable, "-c", script, str(tmp_path / "class")], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=str(seed)),
                           check=True).stdout for seed in (1, 2)}
    assert len(runs) == 1


def test_the_html_report_shows_each_pair_side_by_side_with_the_shared_code_marked(tmp_path):
    make_class(tmp_path / "class")
    assert cli.main(["similarity", str(tmp_path / "class"), "--format", "html",
                     "--output", str(tmp_path / "report.html")]) == 0
    page = (tmp_path / "report.html").read_text()
    assert page.count("class='pair'") == page.count("<h2 id='pair") >= len(COPIED)
    assert "highlight-red" in page and "highlight-green" in page
    assert "<script" not in page.lower()


def test_student_ids_are_escaped_in_the_html(tmp_path):
    report = similarity.Report((similarity.Pair("<b>a</b>", "b&c", 0.5, 0.5, 30, "x", "y"),), ("<b>a</b>", "b&c"), ())
    from autograder.commands.similarity import render_html

    page = render_html(report)
    assert "<b>a</b>" not in page and "&lt;b&gt;a&lt;/b&gt;" in page and "b&amp;c" in page


def test_grade_all_similarity_writes_a_private_report_next_to_the_grade_book(tmp_path, capsys):
    for student in ("ada", "ben"):
        (tmp_path / "class" / student).mkdir(parents=True)
        shutil.copyfile(ROOT / "solutions" / "perceptron.py", tmp_path / "class" / student / "perceptron.py")
    grades = tmp_path / "out" / "grades.csv"
    assert cli.main(["grade-all", str(tmp_path / "class"), "--only", "perceptron", "--jobs", "1",
                     "--output", str(grades), "--similarity"]) == 0
    report = grades.with_suffix(".similarity.html")
    assert "ada &amp; ben" in report.read_text() and report.stat().st_mode & 0o077 == 0
    assert "Similarity report:" in capsys.readouterr().out


def test_a_file_python_cannot_parse_costs_only_its_author(tmp_path, capsys):
    """Finding 11: 200,000 minus signs make CPython's parser raise MemoryError; the report still
    covers everyone, and the grade book says the file cannot be read (the student's error)."""
    for student in ("bob", "carol", "mallory"):
        (tmp_path / "class" / student).mkdir(parents=True)
        shutil.copyfile(ROOT / "solutions" / "softmax.py", tmp_path / "class" / student / "softmax.py")
    (tmp_path / "class" / "mallory" / "softmax.py").write_text("x = " + "-" * 200_000 + "1\n\n\n"
                                                                "def softmax(z, axis=-1):\n    return z\n")
    codes, notes = similarity.class_codes(tmp_path / "class")
    assert sorted(codes) == ["bob", "carol", "mallory"] and not notes
    grades = tmp_path / "out" / "grades.csv"
    assert cli.main(["grade-all", str(tmp_path / "class"), "--only", "softmax", "--jobs", "1",
                     "--output", str(grades), "--similarity"]) == 0
    rows = {row.split(",")[0]: row for row in grades.read_text().splitlines()[1:]}
    assert rows["bob"].startswith("bob,14,14") and rows["mallory"].startswith("mallory,0,14")
    assert "error" not in rows["mallory"]  # graded: its checks say the file cannot be read
    mallory = json.loads((tmp_path / "out" / "grades" / "mallory.json").read_text())
    assert "softmax.py cannot be read" in json.dumps(mallory)
