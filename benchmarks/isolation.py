"""What isolation costs: the NumPy exercises graded through workers vs. in this process.

For N synthetic submissions (the references, some with a seeded mutation), grades
the NumPy exercises and the quiz twice, side by side:

- isolated: ``runner.grade`` (a fresh worker per submission), at each isolation level this
  machine offers (``namespace``: bubblewrap; ``uid``: root without namespaces, where the
  interpreter is readable to other users);
- in-process: the same checks on the same modules imported here (``InProcessSubmission``).

Prints per-submission medians side by side, the ratio and the absolute overhead, plus the
cost of starting and stopping one bare worker. No thresholds: it measures, it does not judge.

    python benchmarks/isolation.py [--submissions 20] [--seed 0] [--json results.json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import isolation, reaper, runner, sandbox  # noqa: E402
from autograder.exercises import EXERCISES, NAMES  # noqa: E402
from autograder.limits import NUMPY_LIMITS  # noqa: E402
from autograder.references import solutions_dir  # noqa: E402
from autograder.sandbox import Worker  # noqa: E402
from autograder.submission import InProcessSubmission  # noqa: E402

NUMPY_EXERCISES = tuple(e for e in EXERCISES if e.kind == "numpy")
MUTATIONS = {  # module: code appended (a later def replaces the reference's)
    "softmax": "def softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / np.sum(e, axis=axis, keepdims=True)\n",
    "activations": "def sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n",
    "losses": "def quadratic_cost(y_true, y_pred):\n    return float(np.mean((y_true - y_pred) ** 2))\n",
    "perceptron": "def perceptron_output(x, w, b):\n    z = weighted_sum(x, w, b)\n    return (np.asarray(z) >= 0).astype(int)\n",
}
SECRET = b"benchmark secret"


def make_submissions(folder: Path, count: int, seed: int) -> list[Path]:
    """``count`` copies of the references; about half carry one seeded mutation."""
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        path = folder / f"student{i:03d}"
        path.mkdir()
        for source in solutions_dir().glob("*.py"):
            shutil.copyfile(source, path / source.name)
        if rng.random() < 0.5:
            module = str(rng.choice(sorted(MUTATIONS)))
            with open(path / f"{module}.py", "a") as handle:
                handle.write("\n\n" + MUTATIONS[module])
        paths.append(path)
    return paths


def grade_isolated(path: Path, student: str):
    return runner.grade(path, NUMPY_EXERCISES, student_id=student, secret=SECRET)


def grade_in_process(path: Path, student: str):
    modules = import_plainly(path)
    submission = InProcessSubmission(modules)
    return runner.grade_submission(submission, str(path), NUMPY_EXERCISES, student, SECRET)


def import_plainly(path: Path) -> dict:
    """The submission's modules under their own names (``losses`` imports ``softmax``)."""
    saved = {n: sys.modules.pop(n) for n in NAMES if n in sys.modules}
    sys.path.insert(0, str(path))
    try:
        return {e.name: importlib.import_module(e.name) for e in NUMPY_EXERCISES}
    finally:
        sys.path.remove(str(path))
        for n in NAMES:
            sys.modules.pop(n, None)
        sys.modules.update(saved)


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def bare_worker(path: Path) -> float:
    start = time.perf_counter()
    with Worker(path, NUMPY_LIMITS) as worker:
        worker.wait_ready(NUMPY_LIMITS.start_seconds)
    return time.perf_counter() - start


def available_levels() -> list[str]:
    """The isolation levels this machine offers, strongest first (see autograder.sandbox)."""
    levels = [sandbox.isolation_level()]
    stdlib = str(Path(importlib.__file__).parent.parent / "gzip.py")
    if levels[0] == "namespace" and sandbox.is_root() and reaper.readable_as(sandbox.UID_BASE - 1, [stdlib]):
        levels.append("uid")
    return levels


def use_level(level: str) -> None:
    isolation._level = level


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="FILE", help="also write the numbers here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nn101-bench-") as tmp:
        paths = make_submissions(Path(tmp), args.submissions, args.seed)
        levels = available_levels()
        grade_in_process(paths[0], "warm-up")
        times: dict[str, list[float]] = {level: [] for level in [*levels, "in process"]}
        starts: dict[str, float] = {}
        agree = {level: 0 for level in levels}
        for level in levels:
            use_level(level)
            grade_isolated(paths[0], "warm-up")  # load references, checks and the zygote once
        for i, path in enumerate(paths):  # interleave, so drifting machine load hits all alike
            t_in, r_in = timed(grade_in_process, path, f"s{i}")
            times["in process"].append(t_in)
            for level in levels:
                use_level(level)
                t_iso, r_iso = timed(grade_isolated, path, f"s{i}")
                times[level].append(t_iso)
                agree[level] += [c.status for c in r_iso.checks] == [c.status for c in r_in.checks]
        for level in levels:
            use_level(level)
            starts[level] = statistics.median(bare_worker(paths[0]) for _ in range(5))

    med_in = statistics.median(times["in process"])
    numbers = {"submissions": args.submissions, "seed": args.seed, "checks": len(r_in.checks),
               "in_process_median_s": med_in, "levels": {}}
    print(f"{args.submissions} submissions (seed {args.seed}), NumPy exercises + quiz, "
          f"{numbers['checks']} checks each")
    print(f"{'':<22}{'median':>10}{'mean':>10}{'ratio':>8}{'overhead':>10}{'bare worker':>13}{'same':>6}")
    for name, values in times.items():
        median = statistics.median(values)
        row = {"median_s": median, "mean_s": statistics.fmean(values), "ratio": median / med_in,
               "overhead_s": median - med_in, "bare_worker_start_stop_s": starts.get(name),
               "same_statuses": agree.get(name)}
        if name in levels:
            numbers["levels"][name] = row
        bare = f"{starts[name] * 1000:>11.0f}ms" if name in starts else f"{'':>13}"
        same = f"{agree[name]:>6}" if name in agree else ""
        print(f"{name:<22}{median:>9.3f}s{row['mean_s']:>9.3f}s{row['ratio']:>7.1f}x"
              f"{row['overhead_s'] * 1000:>8.0f}ms{bare}{same}")
    print(f"same: submissions whose every check got the in-process status (of {args.submissions})")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
