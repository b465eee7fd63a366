"""What the Keras exercise costs per submission in a batch: ``grade-all`` with and without it.

Issue #10's speed target: "the Keras exercise per submission in a batch is no slower than
today (1.9 s on 2 cores)". Measured as the issue's session measured it, reproducibly:

1. A class folder of N copies of the references (``solutions/``), one folder per student,
   and a course secret drawn from ``--seed`` (so every student gets hidden inputs of their
   own, the same on every run), in a temporary folder.
2. ``nn101 grade-all CLASS --jobs J --force`` with every exercise ("all"), then with only
   the NumPy exercises and the quiz (``--only``, read from that tree's ``exercises.py``),
   each a fresh command (TensorFlow's import in the zygote included, as in a real batch).
3. Per submission: all / N, NumPy-only / N and the Keras share (all - NumPy-only) / N, in
   wall seconds (the target's measure) and in CPU seconds of every process the command
   started, sandboxed workers included (summed over the cores; read from a cgroup of its
   own where this process may make one, as root on Linux).

The machine is shared: each measurement is repeated (``--repeats``) and the medians are
reported (each run also records the load average when it began); the CPU seconds vary less
with other people's load than the wall time. ``--source NAME=DIR`` (repeatable) times other
nn101 trees in the same session, alternating between them on every repeat, so that a
drifting load hits all alike (e.g. the baseline as ``git archive main | tar -x -C /tmp/base``).
No thresholds: it measures, it does not judge; it exits 1 only if a grade-all failed or a
reference lost a point.

    python benchmarks/keras_batch.py [--submissions 8] [--jobs 2] [--repeats 3] [--seed 0]
                                     [--source NAME=DIR ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
EXERCISE_KINDS = ("from autograder.exercises import EXERCISES; "
                  "print(','.join(e.name for e in EXERCISES if e.kind == 'numpy'))")


def make_class(folder: Path, source: Path, count: int) -> Path:
    """``count`` submissions ``student00``, ... in ``folder/class``: copies of ``source/solutions``."""
    class_dir = folder / "class"
    class_dir.mkdir()
    for i in range(count):
        student = class_dir / f"student{i:02d}"
        student.mkdir()
        for module in sorted((source / "solutions").glob("*.py")):
            shutil.copyfile(module, student / module.name)
    return class_dir


class CpuMeter:
    """CPU seconds used by a command and every process it starts, sandboxed ones included
    (their own cgroup: a PID namespace hides them from ``getrusage``). Where no cgroup can be
    made (not root, no cpuacct), :attr:`available` is False and only wall time is measured."""

    V1 = Path("/sys/fs/cgroup/cpuacct")
    V2 = Path("/sys/fs/cgroup")

    def __init__(self):
        self.group: Path | None = None
        for base, usage in ((self.V1, "cpuacct.usage"), (self.V2, "cpu.stat")):
            group = base / f"nn101-keras-bench-{os.getpid()}"
            try:
                group.mkdir()
            except OSError:
                continue
            if (group / usage).exists():
                self.group, self._usage = group, usage
                break
            group.rmdir()

    @property
    def available(self) -> bool:
        return self.group is not None

    def join(self) -> None:
        """``preexec_fn``: move the starting command into the group."""
        if self.group is not None:
            (self.group / "cgroup.procs").write_text(str(os.getpid()))

    def seconds(self) -> float | None:
        if self.group is None:
            return None
        text = (self.group / self._usage).read_text()
        if self._usage == "cpuacct.usage":
            return int(text) / 1e9
        return int(dict(line.split() for line in text.splitlines())["usage_usec"]) / 1e6

    def close(self) -> None:
        if self.group is not None:
            for _ in range(50):  # the last processes of a command may take a moment to leave
                try:
                    self.group.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)
            self.group = None


def environment(source: Path) -> dict[str, str]:
    return {**os.environ, **QUIET, "PYTHONPATH": str(source)}


def numpy_exercises(source: Path) -> str:
    """The ``--only`` list of the tree's NumPy exercises (and the quiz): every exercise but Keras."""
    return subprocess.run([sys.executable, "-c", EXERCISE_KINDS], env=environment(source), cwd=source, check=True,
                          capture_output=True, text=True).stdout.strip()


def grade_all(source: Path, class_dir: Path, output: Path, jobs: int, secret: Path, only: str | None,
              meter: CpuMeter) -> tuple[float, float | None, dict[str, tuple]]:
    """Wall and CPU seconds of one ``grade-all`` run and each student's (score, max_score);
    raise if it failed."""
    command = [sys.executable, "-m", "autograder", "grade-all", str(class_dir), "--jobs", str(jobs),
               "--force", "--output", str(output), "--secret-file", str(secret)]
    if only:
        command += ["--only", only]
    start, cpu = time.perf_counter(), meter.seconds()
    done = subprocess.run(command, env=environment(source), cwd=source, capture_output=True, text=True,
                          preexec_fn=meter.join)
    seconds = time.perf_counter() - start
    cpu = None if cpu is None else meter.seconds() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"grade-all in {source} exited {done.returncode}:\n{done.stderr[-3000:]}")
    with open(output, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return seconds, cpu, {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in rows}


def measure(name: str, source: Path, folder: Path, args, secret: Path, meter: CpuMeter) -> dict:
    """One repeat for one tree: the all and NumPy-only runs, per submission."""
    class_dir = folder / name / "class"
    if not class_dir.exists():
        (folder / name).mkdir()
        make_class(folder / name, source, args.submissions)
    only, load = numpy_exercises(source), os.getloadavg()[0]
    all_s, all_cpu, all_points = grade_all(source, class_dir, folder / name / "all.csv", args.jobs, secret,
                                           None, meter)
    numpy_s, numpy_cpu, _ = grade_all(source, class_dir, folder / name / "numpy.csv", args.jobs, secret,
                                      only, meter)
    n = args.submissions
    cpu = {} if all_cpu is None else {"all_cpu_s": all_cpu / n, "numpy_cpu_s": numpy_cpu / n,
                                      "keras_cpu_s": (all_cpu - numpy_cpu) / n}
    return {"all_s": all_s / n, "numpy_s": numpy_s / n, "keras_s": (all_s - numpy_s) / n, **cpu,
            "load_average_before": load,
            "points": sorted(set(all_points.values()))}  # one (score, max_score) when all got full marks


KEYS = ("all_s", "numpy_s", "keras_s", "all_cpu_s", "numpy_cpu_s", "keras_cpu_s")


def _row(numbers: dict) -> str:
    text = f"all {numbers['all_s']:5.2f}  NumPy-only {numbers['numpy_s']:5.2f}  Keras share {numbers['keras_s']:5.2f}"
    if "keras_cpu_s" in numbers:
        text += (f"  | CPU: all {numbers['all_cpu_s']:5.2f}  NumPy-only {numbers['numpy_cpu_s']:5.2f}"
                 f"  Keras share {numbers['keras_cpu_s']:5.2f}")
    return text


def parse_sources(items: list[str]) -> dict[str, Path]:
    sources = {}
    for item in items or [f"this={ROOT}"]:
        name, sep, path = item.partition("=")
        if not sep or not (Path(path) / "autograder").is_dir():
            raise SystemExit(f"--source {item!r}: expected NAME=DIR with DIR an nn101 tree (autograder/ in it)")
        sources[name] = Path(path).resolve()
    return sources


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", action="append", metavar="NAME=DIR",
                        help="an nn101 tree to time (repeatable; default: this one)")
    parser.add_argument("--json", metavar="FILE", help="also write the numbers here")
    args = parser.parse_args(argv)
    sources = parse_sources(args.source)

    runs: dict[str, list[dict]] = {name: [] for name in sources}
    meter = CpuMeter()
    try:
        with tempfile.TemporaryDirectory(prefix="nn101-keras-bench-") as tmp:
            folder = Path(tmp)
            secret = folder / "course.secret"
            secret.write_bytes(np.random.default_rng(args.seed).bytes(32).hex().encode())
            for repeat in range(args.repeats):  # alternate, so that a drifting load hits every tree alike
                for name, source in sources.items():
                    runs[name].append(measure(name, source, folder, args, secret, meter))
                    print(f"repeat {repeat + 1} {name:<10} {_row(runs[name][-1])}  points "
                          f"{runs[name][-1]['points']}", flush=True)
    finally:
        meter.close()

    numbers = {"submissions": args.submissions, "jobs": args.jobs, "repeats": args.repeats, "seed": args.seed,
               "cores": os.cpu_count(), "load_average_after": os.getloadavg(), "sources": {}}
    print(f"\n{args.submissions} reference submissions, grade-all --jobs {args.jobs}, median of {args.repeats}, "
          f"seconds per submission (wall; CPU of every process, summed over the cores)")
    for name, values in runs.items():
        medians = {key: statistics.median(run[key] for run in values) for key in KEYS if key in values[0]}
        numbers["sources"][name] = {"path": str(sources[name]), **{f"median_{k}": v for k, v in medians.items()},
                                    "runs": values}
        print(f"{name:<12}{_row(medians)}")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2) + "\n")
    lost = {name for name, values in runs.items()
            if any(any(score != most for score, most in run["points"]) for run in values)}
    if lost:
        print(f"some references lost points under {', '.join(sorted(lost))}", file=sys.stderr)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
