"""A class graded side by side: ``nn101 grade-all`` vs. ``nbgrader autograde``, on the same work.

In one run, seeded (``--seed``):

1. Makes N synthetic submissions: for each NumPy exercise and the quiz, the reference,
   an alternative (``autograder/alternatives``) or a mutant (``autograder/mutants``),
   materialised with the audit's own :func:`~autograder.mutants.variant.materialise`.
2. Grades them with ``nn101 grade-all --only <NumPy exercises + quiz>`` (``--jobs``,
   default: the cores), then the same through ``grade-all --scheduler`` on a loopback
   Dask cluster of 1 and of 2 workers (if Dask is installed), and, one at a time,
   with ``runner.grade``.
3. Grades the equivalent notebooks (NumPy notebooks + quiz) with ``nbgrader autograde``
   in a temporary course, student after student (that is how nbgrader works), then the
   same course with ``nn101 grade-all --nbgrader`` (the notebooks turned into modules and
   graded in the sandbox, scores written into nbgrader's gradebook).
4. Grades the Keras exercise alone with ``nn101 grade`` on ``--keras-n`` submissions
   (the reference and Keras mutants), one CLI run each, TensorFlow import included.
5. Grades a class of ``--class-n`` full submissions (every exercise, the Keras one
   included, drawn like step 1) with one ``nn101 grade-all``: the time per full
   submission, and the time for a class of 200 (measured with ``--class-n 200``,
   projected from the time per submission otherwise).
6. Prints per-submission times, the ratio nbgrader / nn101, peak memory and whether
   the targets of issue #6 are met; writes every number to
   ``benchmarks/results/class_vs_nbgrader.json``.

It asserts nothing about time (shared machines are noisy). It exits 1 only if grading
failed: a command failed, or nn101 and nbgrader gave different points for an exercise.

    python benchmarks/class_vs_nbgrader.py [--n 50] [--keras-n 3] [--class-n 50] [--jobs N] [--seed 0] [--quick]

Notebooks: ``expected_notebooks`` builds a submission's notebooks from its modules. It
takes the variants' functions (the later ``def`` wins) but not their other top-level
statements: quiz answers are read from the solution regions only, and imports land in
the locked setup cell, which autograde restores. Those statements go into a cell of the
student's own, before the exercise's test cells, as a student would write them. Notebook 4
carries the functions its lesson asks for from notebook 3, nothing more, as pasted by a
student who follows the lesson to the letter.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import alternatives, mutants, runner  # noqa: E402
from autograder.exercises import EXERCISES  # noqa: E402
from autograder.mutants.variant import materialise  # noqa: E402
from autograder.references import solutions_dir  # noqa: E402
from autograder.release import notebooks  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "class_vs_nbgrader.json"
NUMPY_PART = tuple(e for e in EXERCISES if e.kind == "numpy")  # the quiz included
KERAS = tuple(e for e in EXERCISES if e.kind == "keras")
MIX = {"reference": 0.4, "alternative": 0.3, "mutant": 0.3}  # per exercise of a submission
SECRET = "nn101 benchmark secret"
CLASS_SIZE = 200
TARGETS = {"numpy_batch_s": 0.5, "ratio": 4.0, "keras_s": 10.0, "class_minutes": 10.0}
TEST_CELL_SUFFIXES = ("-visible", "-form", "-hidden")
ASSIGNMENT = "nn101"


# ---- synthetic submissions -------------------------------------------------------------

def draw_class(n: int, seed: int, exercises: tuple = NUMPY_PART, prefix: str = "s") -> dict[str, tuple]:
    """Student id -> the variants of their submission (reference where none)."""
    rng = np.random.default_rng(seed)
    kinds = list(MIX)
    drawn = {}
    for i in range(n):
        chosen = []
        for exercise in exercises:
            pool = {"reference": (), "alternative": alternatives.catalog((exercise.name,)),
                    "mutant": mutants.catalog((exercise.name,))}
            kind = kinds[rng.choice(len(kinds), p=list(MIX.values()))]
            if pool[kind]:
                chosen.append(pool[kind][rng.integers(len(pool[kind]))])
        drawn[f"{prefix}{i:03d}"] = tuple(chosen)
    return drawn


def draw_keras(n: int, seed: int) -> dict[str, tuple]:
    """The reference, then Keras mutants in a seeded order."""
    catalog = mutants.catalog(tuple(e.name for e in KERAS))
    order = np.random.default_rng(seed).permutation(len(catalog))
    return {f"k{i:02d}": (catalog[order[(i - 1) % len(catalog)]],) if i else () for i in range(n)}


def build_folder(variants: tuple, target: Path) -> Path:
    """The solutions with every variant appended, one materialise step per variant (unshielded:
    a wrong softmax makes losses wrong too, in the modules as in the notebooks)."""
    with tempfile.TemporaryDirectory(prefix="nn101-bench-steps-") as steps:
        source = solutions_dir()
        for index, variant in enumerate(variants):
            source = materialise(variant, source, Path(steps) / str(index), shield=False)
        return materialise(None, source, target)


def build_notebooks(variants: tuple, modules: Path, names: list[str]) -> dict[str, str]:
    """The notebooks ``names`` a student with ``modules`` hands in (see the module docstring)."""
    built = {name: nbformat.reads(text, as_version=4)
             for name, text in notebooks.expected_notebooks(modules).items() if name in names}
    for number, variant in enumerate(variants):
        tree = ast.parse(variant.code)
        defs = [ast.get_source_segment(variant.code, n) for n in tree.body if isinstance(n, ast.FunctionDef)]
        rest = [ast.get_source_segment(variant.code, n) for n in tree.body if not isinstance(n, ast.FunctionDef)]
        if not rest:
            continue
        for nb in built.values():
            own = _first_test_cell(nb, variant.exercise + "-")
            carries = any(d in cell.source for d in defs for cell in nb.cells)
            if own is not None or carries:
                at = own if own is not None else _first_test_cell(nb, "")
                nb.cells.insert(at, nbformat.v4.new_code_cell("\n".join(rest), id=f"student-cell-{number}"))
    return {name: nbformat.writes(nb) + "\n" for name, nb in built.items()}


def _first_test_cell(nb, prefix: str) -> int | None:
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith(prefix) and grade_id.endswith(TEST_CELL_SUFFIXES):
            return index
    return None


def numpy_notebooks() -> list[str]:
    """The notebooks whose test cells grade only NumPy exercises or the quiz."""
    keras = tuple(f"{e.name}-" for e in KERAS)
    names = []
    for name, text in notebooks.expected_notebooks(solutions_dir()).items():
        ids = [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in nbformat.reads(text, 4).cells]
        if not any(i.startswith(keras) for i in ids):
            names.append(name)
    return names


# ---- running and measuring -------------------------------------------------------------

def run_measured(command: list[str], log: Path) -> dict:
    """Run ``command``; its wall time, exit code and peak RSS (largest process of its tree)."""
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "exit_code": process.returncode, "peak_rss_mib": usage.ru_maxrss / 1024}


def nn101() -> list[str]:
    found = shutil.which("nn101")
    return [found] if found else [sys.executable, "-m", "autograder"]


def grade_all(submissions: Path, output: Path, exercises: tuple, jobs: int,
              scheduler: str | None = None) -> tuple[dict, dict]:
    """``nn101 grade-all`` (on a Dask cluster with ``scheduler``): the measurement, and id -> {exercise: points}."""
    only = ",".join(e.name for e in exercises)
    where = ["--scheduler", scheduler] if scheduler else ["--jobs", str(jobs)]
    measured = run_measured([*nn101(), "grade-all", str(submissions), "--output", str(output),
                             "--only", only, "--force", *where], output.with_suffix(".log"))
    points = {}
    for path in sorted(output.with_suffix("").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        points[record["student_id"]] = {e["name"]: e["score"] for e in record.get("exercises", [])}
        if record.get("error"):
            measured.setdefault("errors", []).append(f"{record['student_id']}: {record['error']}")
    return measured, points


def grade_sequentially(folders: dict[str, Path]) -> tuple[list[float], dict]:
    times, points = [], {}
    for student, folder in folders.items():
        start = time.perf_counter()
        results = runner.grade(folder, NUMPY_PART, student_id=student, secret=SECRET.encode())
        times.append(time.perf_counter() - start)
        points[student] = {e.name: e.points for e in results.exercises}
    return times, points


def autograde_course(course: Path, out: Path) -> None:
    """Child process: generate the assignment, autograde each student, write times and points."""
    import warnings

    from nbgrader.api import Gradebook

    from autograder.release import assignment

    warnings.simplefilter("ignore")
    api = assignment.api(ROOT / assignment.CONFIG_FILE, course)
    start = time.perf_counter()
    assignment.run("generate_assignment", api.generate_assignment(ASSIGNMENT))
    found = {"generate_seconds": time.perf_counter() - start, "seconds": {}, "points": {}}
    for student in sorted(p.name for p in (course / "submitted").iterdir()):
        start = time.perf_counter()
        assignment.run("autograde", api.autograde(ASSIGNMENT, student))
        found["seconds"][student] = time.perf_counter() - start
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT) as gradebook:
        for student in found["seconds"]:
            points: dict[str, float] = {}
            for notebook in gradebook.find_submission(ASSIGNMENT, student).notebooks:
                for grade in notebook.grades:
                    exercise = grade.name.rsplit("-", 1)[0]
                    points[exercise] = points.get(exercise, 0.0) + grade.score
            found["points"][student] = points
    out.write_text(json.dumps(found), encoding="utf-8")


def grade_with_nbgrader(course: Path, drawn: dict, folders: dict[str, Path]) -> tuple[dict, dict]:
    names = numpy_notebooks()
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for name, text in notebooks.expected_notebooks(solutions_dir()).items():
        if name in names:
            (source / name).write_text(text, encoding="utf-8")
    for student, variants in drawn.items():
        handed_in = course / "submitted" / student / ASSIGNMENT
        handed_in.mkdir(parents=True)
        for name, text in build_notebooks(variants, folders[student], names).items():
            (handed_in / name).write_text(text, encoding="utf-8")
    out = course / "nbgrader.json"
    measured = run_measured([sys.executable, __file__, "--autograde-course", str(course), str(out)],
                            course / "nbgrader.log")
    found = json.loads(out.read_text(encoding="utf-8")) if measured["exit_code"] == 0 else {}
    measured.update(notebooks=names, generate_seconds=found.get("generate_seconds"),
                    per_student=found.get("seconds", {}))
    return measured, found.get("points", {})


def grade_notebooks_with_nn101(course: Path, output: Path, jobs: int) -> tuple[dict, dict]:
    """``nn101 grade-all --nbgrader`` on the course nbgrader autograded: measurement and points."""
    only = ",".join(e.name for e in NUMPY_PART)
    measured = run_measured([*nn101(), "grade-all", "--nbgrader", str(course), ASSIGNMENT, "--output", str(output),
                             "--only", only, "--jobs", str(jobs), "--force"], output.with_suffix(".log"))
    points = {}
    for path in sorted(output.with_suffix("").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        points[record["student_id"]] = {e["name"]: e["score"] for e in record.get("exercises", [])}
        if record.get("error"):
            measured.setdefault("errors", []).append(f"{record['student_id']}: {record['error']}")
    return measured, points


def grade_keras(folders: dict[str, Path], work: Path) -> tuple[list[dict], dict]:
    runs, points = [], {}
    for student, folder in folders.items():
        report = work / f"{student}.json"
        measured = run_measured([*nn101(), "grade", str(folder), "--only", ",".join(e.name for e in KERAS),
                                 "--student-id", student, "--format", "json", "--output", str(report)],
                                work / f"{student}.log")
        runs.append(measured)
        if report.exists():
            record = json.loads(report.read_text(encoding="utf-8"))
            points[student] = {e["name"]: e["score"] for e in record["exercises"]}
    return runs, points


# ---- comparing and reporting -----------------------------------------------------------

def disagreements(expected: dict, **others: dict) -> list[str]:
    """One line per student and exercise on which a grading differs from ``expected``."""
    lines = []
    for student in sorted(set(expected).union(*others.values())):
        points = expected.get(student)
        if points is None:
            lines.append(f"{student}: no result from nn101")
            continue
        for label, other in others.items():
            theirs = other.get(student)
            if theirs is None:
                lines.append(f"{student}: no result from {label}")
                continue
            for exercise in sorted(set(points) | set(theirs)):
                if abs(points.get(exercise, -1) - theirs.get(exercise, -1)) > 1e-9:
                    lines.append(f"{student} {exercise}: nn101 {points.get(exercise)}, {label} {theirs.get(exercise)}")
    return lines


def versions() -> dict:
    found = {"python": platform.python_version()}
    for package in ("numpy", "tensorflow-cpu", "tensorflow", "keras", "nbgrader", "nbclient", "ipykernel"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return {"cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)), "cpu": model,
            "platform": platform.platform(), "load_average_at_start": os.getloadavg(),
            "nn101_commit": commit.stdout.strip(), "versions": versions()}


def summarize(numbers: dict) -> list[str]:
    """The table printed at the end."""
    b, s, g, k, f = (numbers["nn101_batch"], numbers["nn101_sequential"], numbers["nbgrader"], numbers["keras"],
                     numbers["full_class"])
    nb = numbers["nn101_notebooks"]
    peak, met = numbers["peak_rss_mib"], {True: "met", False: "NOT met"}
    t = {name: met[value] for name, value in numbers["targets"].items()}
    row = "{:<66}{:>14}{:>10}".format
    class_line = (f"a class of {CLASS_SIZE} full submissions: {numbers['class_minutes']:.1f} min "
                  + ("(measured)" if numbers["class_measured"] else
                     f"(projected: {CLASS_SIZE} x {f['per_submission_s']:.2f} s; --class-n {CLASS_SIZE} measures it)"))
    return [
        f"{numbers['n']} submissions (NumPy exercises + quiz), seed {numbers['seed']}, "
        f"{numbers['machine']['usable_cores']} cores, grade-all --jobs {numbers['jobs']}",
        row("", "per submission", "total"),
        row("NumPy part: nn101 grade-all, in a batch (wall / N)", f"{b['per_submission_s']:.2f} s", f"{b['seconds']:.1f} s"),
        *(row(f"NumPy part: nn101 grade-all on Dask, {w} loopback worker(s) (wall / N)",
              f"{m['per_submission_s']:.2f} s", f"{m['seconds']:.1f} s") for w, m in numbers.get("dask", {}).items()),
        row("NumPy part: nn101 runner.grade, one at a time (median)", f"{s['median_s']:.2f} s", f"{s['total_s']:.1f} s"),
        row("NumPy part: nbgrader autograde, one at a time (median) *", f"{g['median_s']:.2f} s", f"{g['seconds']:.1f} s"),
        row("NumPy part, the same notebooks: nn101 grade-all --nbgrader (wall / N)",
            f"{nb['per_submission_s']:.2f} s", f"{nb['seconds']:.1f} s"),
        f"ratio nbgrader / nn101: {numbers['ratio_batch']:.1f}x (nn101 in a batch), "
        f"{numbers['ratio_sequential']:.1f}x (both one at a time), "
        f"{numbers['ratio_notebooks']:.1f}x (notebooks, nn101 in a batch)",
        row(f"Keras part alone, TensorFlow import included: slowest of {len(k['runs'])} (median)",
            f"{k['slowest_s']:.2f} s", f"({k['median_s']:.2f} s)"),
        row(f"full submissions: nn101 grade-all on {f['n']} (wall / N)", f"{f['per_submission_s']:.2f} s",
            f"{f['seconds']:.1f} s"),
        row("Keras part in a batch (full minus NumPy part)", f"{numbers['keras_batch_s']:.2f} s", ""),
        class_line,
        f"peak memory (largest process): NumPy part {peak['numpy']:.0f} MiB, nbgrader {peak['nbgrader']:.0f} MiB, "
        f"Keras part {peak['keras']:.0f} MiB, full class {peak['full_class']:.0f} MiB",
        f"targets: NumPy+quiz <= {TARGETS['numpy_batch_s']} s {t['numpy_batch']}; >= {TARGETS['ratio']:g}x "
        f"{t['ratio']}; Keras <= {TARGETS['keras_s']:g} s {t['keras']}; "
        f"{CLASS_SIZE} students <= {TARGETS['class_minutes']:g} min {t['class']}",
        f"scores per exercise: {len(numbers['mismatches'])} disagreement(s) between nn101 in a batch, "
        "nn101 one at a time, nbgrader and nn101 on the notebooks" + (":" if numbers["mismatches"] else ""),
        *(f"  {line}" for line in numbers["mismatches"][:20]),
        *(f"failed: {line}" for line in numbers["failures"]),
        "* nbgrader autograde grades students one after another: that is its behaviour (nbgrader#174).",
    ]


def measure(args, work: Path) -> dict:
    """Every part, in order; the times, measurements and points of each."""
    drawn = draw_class(args.n, args.seed)
    folders = {s: build_folder(v, work / "class" / s) for s, v in drawn.items()}
    print(f"nn101 grade-all on {args.n} submissions ...", flush=True)
    batch, batch_points = grade_all(work / "class", work / "grades.csv", NUMPY_PART, args.jobs)
    dask, dask_points = grade_on_dask(work, args)
    print("runner.grade, one submission at a time ...", flush=True)
    times, sequential_points = grade_sequentially(folders)
    numpy_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # grade-all and these workers
    print(f"nbgrader autograde on the same {args.n} students (minutes) ...", flush=True)
    nbgrader, nbgrader_points = grade_with_nbgrader(work / "course", drawn, folders)
    print(f"nn101 grade-all --nbgrader on the same {args.n} students' notebooks ...", flush=True)
    notebooks_batch, notebooks_points = grade_notebooks_with_nn101(work / "course", work / "nb-grades.csv", args.jobs)
    print(f"Keras exercise on {args.keras_n} submissions ...", flush=True)
    keras_drawn = draw_keras(args.keras_n, args.seed)
    keras_folders = {s: build_folder(v, work / "keras" / s) for s, v in keras_drawn.items()}
    runs, keras_points = grade_keras(keras_folders, work)
    print(f"nn101 grade-all on a class of {args.class_n} full submissions (Keras included) ...", flush=True)
    full_drawn = draw_class(args.class_n, args.seed + 1, EXERCISES, prefix="f")
    for student, variants in full_drawn.items():
        build_folder(variants, work / "full" / student)
    full, full_points = grade_all(work / "full", work / "full-grades.csv", EXERCISES, args.jobs)

    batch["per_submission_s"] = batch["seconds"] / args.n
    notebooks_batch["per_submission_s"] = notebooks_batch["seconds"] / args.n
    full["per_submission_s"] = full["seconds"] / args.class_n
    nbgrader["median_s"] = statistics.median(nbgrader["per_student"].values() or [float("nan")])
    return {
        "submissions": {s: [v.id for v in variants] for s, variants in drawn.items()},
        "nn101_batch": batch,
        "dask": dask,
        "nn101_sequential": {"times_s": times, "median_s": statistics.median(times), "total_s": sum(times),
                             "peak_rss_mib": numpy_peak},
        "nbgrader": nbgrader,
        "nn101_notebooks": notebooks_batch,
        "keras": {"submissions": {s: [v.id for v in variants] for s, variants in keras_drawn.items()},
                  "runs": dict(zip(keras_drawn, runs)), "median_s": statistics.median(r["seconds"] for r in runs),
                  "slowest_s": max(r["seconds"] for r in runs)},
        "full_class": {**full, "n": args.class_n,
                       "submissions": {s: [v.id for v in variants] for s, variants in full_drawn.items()}},
        "points": {"nn101_batch": batch_points, "nn101_sequential": sequential_points, **dask_points,
                   "nbgrader": nbgrader_points, "nn101_notebooks": notebooks_points, "keras": keras_points,
                   "full_class": full_points},
    }


def grade_on_dask(work: Path, args) -> tuple[dict, dict]:
    """The NumPy class again, through ``grade-all --scheduler`` on a loopback cluster of 1 and 2 workers."""
    try:
        import distributed  # noqa: F401
        from dask_cluster import local_cluster
    except ImportError:  # Dask not installed: pip install 'nn101[distributed]'
        return {}, {}
    measured, points = {}, {}
    for workers in (1, 2):
        print(f"nn101 grade-all on a Dask cluster of {workers} worker(s) ...", flush=True)
        with local_cluster(workers) as address:
            run, points[f"nn101 on Dask, {workers} worker(s)"] = grade_all(
                work / "class", work / f"dask{workers}.csv", NUMPY_PART, 0, scheduler=address)
        measured[str(workers)] = {**run, "per_submission_s": run["seconds"] / args.n}
    return measured, points


def evaluate(numbers: dict) -> dict:
    """Ratios, peaks, the projection, the targets, and what went wrong."""
    batch, sequential, nbgrader, keras, full = (numbers["nn101_batch"], numbers["nn101_sequential"],
                                                numbers["nbgrader"], numbers["keras"], numbers["full_class"])
    points = numbers["points"]
    found = {"ratio_batch": nbgrader["median_s"] / batch["per_submission_s"],
             "ratio_sequential": nbgrader["median_s"] / sequential["median_s"],
             "ratio_notebooks": nbgrader["median_s"] / numbers["nn101_notebooks"]["per_submission_s"],
             "peak_rss_mib": {"numpy": max(batch["peak_rss_mib"], sequential["peak_rss_mib"]),
                              "nbgrader": nbgrader["peak_rss_mib"],
                              "keras": max(r["peak_rss_mib"] for r in keras["runs"].values()),
                              "full_class": full["peak_rss_mib"]},
             "keras_batch_s": full["per_submission_s"] - batch["per_submission_s"],
             "class_minutes": (full["seconds"] if full["n"] == CLASS_SIZE
                               else CLASS_SIZE * full["per_submission_s"]) / 60,
             "class_measured": full["n"] == CLASS_SIZE}
    found["targets"] = {"numpy_batch": batch["per_submission_s"] <= TARGETS["numpy_batch_s"],
                        "ratio": found["ratio_batch"] >= TARGETS["ratio"],
                        "keras": keras["slowest_s"] <= TARGETS["keras_s"],
                        "class": found["class_minutes"] <= TARGETS["class_minutes"]}
    found["mismatches"] = disagreements(points["nn101_batch"], **{"nn101 one at a time": points["nn101_sequential"],
                                                                  "nbgrader": points["nbgrader"],
                                                                  "nn101 on notebooks": points["nn101_notebooks"],
                                                                  **{k: v for k, v in points.items() if "Dask" in k}})
    commands = [("nn101 grade-all", batch), ("nbgrader autograde", nbgrader), ("nn101 grade-all, full class", full),
                ("nn101 grade-all --nbgrader", numbers["nn101_notebooks"]),
                *((f"nn101 grade {s}", r) for s, r in keras["runs"].items()),
                *((f"nn101 grade-all on Dask, {w} worker(s)", r) for w, r in numbers.get("dask", {}).items())]
    found["failures"] = ([f"{label} exited with {m['exit_code']}" for label, m in commands if m["exit_code"] != 0]
                         + batch.get("errors", []) + full.get("errors", []) + numbers["nn101_notebooks"].get("errors", [])
                         + [e for m in numbers.get("dask", {}).values() for e in m.get("errors", [])])
    return found


NOTES = {
    "nn101_batch": "per_submission_s = wall time of nn101 grade-all / N (submissions graded --jobs at a time)",
    "dask": "grade-all --scheduler on a loopback Dask cluster (benchmarks/dask_cluster.py) of 1 and 2 workers "
            "with --nthreads 1, started before timing; per_submission_s = wall / N, client connection included",
    "nn101_sequential": "runner.grade in this process, one submission after another (a fresh worker each)",
    "nbgrader": "nbgrader autograde grades students one after another (its behaviour; parallel autograde is "
                "nbgrader#174); each notebook runs top to bottom in a fresh kernel, lesson cells included",
    "nn101_notebooks": "nn101 grade-all --nbgrader on the course nbgrader autograded: the same notebooks turned "
                       "into modules and graded in the sandbox, scores written to the gradebook; wall / N",
    "keras": "runs: nn101 grade --only keras_model per submission, CLI start and TensorFlow import included; "
             "the target applies to the slowest (a correct submission trains fully, a mutant may stop early)",
    "full_class": "nn101 grade-all over class-n full submissions (every exercise); per_submission_s = wall / n",
    "keras_batch_s": "the Keras part in a batch: full submission minus NumPy part, per submission",
    "peak_rss_mib": "largest single process (ru_maxrss) of each part's process tree, in MiB",
    "class_minutes": "a class of 200 full submissions: measured when class-n is 200, else 200 x per_submission_s",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="synthetic submissions (default 50)")
    parser.add_argument("--keras-n", type=int, default=3, help="Keras submissions graded alone (default 3)")
    parser.add_argument("--class-n", type=int, default=50,
                        help="full submissions graded as a class (default 50; 200 measures the class target)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="grade-all --jobs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="smoke run: --n 6 --keras-n 1 --class-n 4")
    parser.add_argument("--json", help=f"where to write the numbers (default {RESULTS.relative_to(ROOT)}, "
                        "or class_vs_nbgrader.quick.json next to it with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--autograde-course", nargs=2, metavar=("COURSE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.autograde_course:
        autograde_course(*map(Path, args.autograde_course))
        return 0
    if args.quick:
        args.n, args.keras_n, args.class_n = 6, 1, 4
    output = Path(args.json or (RESULTS.with_suffix(".quick.json") if args.quick else RESULTS))
    os.environ.pop("NN101_SECRET_FILE", None)  # one secret for every grader: the same per-student cases
    os.environ.update(NN101_SECRET=SECRET, TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0")

    numbers = {"n": args.n, "keras_n": args.keras_n, "class_n": args.class_n, "jobs": args.jobs, "seed": args.seed,
               "machine": machine()}
    work = Path(tempfile.mkdtemp(prefix="nn101-bench-"))
    try:
        numbers.update(measure(args, work))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    numbers.update(evaluate(numbers), notes=NOTES)
    print("\n".join(summarize(numbers)))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
    print(f"numbers: {output}")
    return 1 if numbers["mismatches"] or numbers["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
