"""A class at a glance: per-exercise means, pass rates per check, the most common failure.

Works on the JSON results of many students (``reporters.json_report.as_dict``),
so a summary can be rebuilt from the files a batch left behind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExerciseSummary:
    name: str
    mean_points: float
    max_points: float
    pass_rates: tuple[tuple[str, float], ...]
    """(check name, share of students passing it), in check order."""
    most_failed: str
    """The check failed by the most students, or "" if none failed."""


@dataclass(frozen=True)
class ClassSummary:
    students: int
    """Rows of the grade book, including submissions that could not be graded."""
    graded: int
    """Students whose submission was graded (the means and the plot are over these)."""
    mean_score: float
    max_score: float
    scores: tuple[float, ...]
    exercises: tuple[ExerciseSummary, ...]


def summarize(results: list[dict]) -> ClassSummary:
    """Summarise ``results`` (one JSON result dict per student)."""
    graded = [r for r in results if r.get("exercises")]
    scores = tuple(float(r["score"]) for r in graded)
    exercises = []
    names = [e["name"] for e in graded[0]["exercises"]] if graded else []
    for name in names:
        rows = [e for r in graded for e in r["exercises"] if e["name"] == name]
        passed, failed = Counter(), Counter()
        for row in rows:
            for check in row["checks"]:
                (passed if check["status"] == "passed" else failed)[check["name"]] += 1
        order = [c["name"] for c in rows[0]["checks"]]
        exercises.append(ExerciseSummary(
            name=name,
            mean_points=sum(r["score"] for r in rows) / len(rows),
            max_points=float(rows[0]["max_score"]),
            pass_rates=tuple((c, passed[c] / len(rows)) for c in order),
            most_failed=failed.most_common(1)[0][0] if failed else "",
        ))
    max_score = float(graded[0]["max_score"]) if graded else 0.0
    mean = sum(scores) / len(scores) if scores else 0.0
    return ClassSummary(len(results), len(graded), mean, max_score, scores, tuple(exercises))


def render(summary: ClassSummary) -> str:
    """The per-exercise table printed at the end of a batch."""
    count = f"{summary.students} student{'' if summary.students == 1 else 's'}"
    if summary.graded != summary.students:
        count += f" ({summary.graded} graded, {summary.students - summary.graded} could not be)"
    lines = [f"{count}, mean score {summary.mean_score:.1f} / {summary.max_score:g}", ""]
    width = max([len(e.name) for e in summary.exercises] + [8])
    lines.append(f"{'exercise':<{width}}  {'mean':>12}  {'checks passed':>13}  most common failed check")
    for e in summary.exercises:
        share = sum(rate for _, rate in e.pass_rates) / len(e.pass_rates) if e.pass_rates else 1.0
        lines.append(f"{e.name:<{width}}  {e.mean_points:>5.1f} / {e.max_points:<4g}  {share:>12.0%}  "
                     f"{e.most_failed or '-'}")
    return "\n".join(lines) + "\n"


def plot(summary: ClassSummary, path: Path) -> Path:
    """A PNG at ``path``: the score distribution and each exercise's mean share of points."""
    import matplotlib.pyplot as plt

    fig = figure(summary)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def figure(summary: ClassSummary):
    """The plot as a matplotlib figure (students on an integer axis)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.hist(summary.scores, bins=min(20, max(5, summary.graded // 3)), range=(0, summary.max_score or 1),
              color="#4c72b0", edgecolor="white")
    left.set(title="Score distribution", xlabel="score", ylabel="students")
    left.yaxis.set_major_locator(MaxNLocator(integer=True))  # no fractional students
    names = [e.name for e in summary.exercises]
    shares = [e.mean_points / e.max_points if e.max_points else 0 for e in summary.exercises]
    right.barh(names[::-1], shares[::-1], color="#55a868")
    right.set(title="Mean share of points per exercise", xlim=(0, 1))
    fig.tight_layout()
    return fig
