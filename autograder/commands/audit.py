"""``nn101 audit``: grade every known-wrong and alternative implementation, show what is caught.

Exit status 0 when every mutant loses points in its own exercise and no other, the
reference and the alternatives keep full marks and every hidden check catches a mutant
(or states why not); 1 otherwise.
"""

from __future__ import annotations

import json
import os

from autograder import exercises, idscan, seeding
from autograder.commands import emit
from autograder.errors import UsageError
from autograder.references import solutions_dir
from autograder.rules import findings

NAME_WIDTH = 44


def register(commands) -> None:
    parser = commands.add_parser("audit", help="grade the mutant catalog and the alternative solutions")
    parser.add_argument("--only", metavar="EXERCISE[,EXERCISE...]", help="audit only these exercises")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--output", metavar="FILE", help="write the report here instead of the terminal")
    parser.add_argument("--student-id", metavar="ID", default="",
                        help="draw the hidden random cases as for this student (default: the fixed local seed)")
    parser.add_argument("--secret-file", metavar="FILE", help="course secret used with --student-id")
    parser.add_argument("--ids", type=int, default=0, metavar="N",
                        help="also grade the reference and the alternative solutions for N student ids "
                             "(student0000 ...) and fail on any lost point (CI uses 1000)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help=f"grade N submissions at a time (default 1; this machine has {os.cpu_count()} cores)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from autograder.audit import run_audit

    only = tuple(e.name for e in exercises.select(args.only))
    secret = seeding.load_secret(args.secret_file) if args.secret_file else None
    if args.ids < 0:
        raise UsageError(f"--ids must be 0 or more, not {args.ids}")
    report = run_audit(only, student_id=args.student_id, secret=secret, jobs=max(1, args.jobs), ids=args.ids)
    broken = findings(solutions_dir().parent, only)
    emit(with_rules(render_json(report) if args.format == "json" else render_text(report), broken, args.format),
         args.output)
    return max(report.return_code, 1 if broken else 0)


def with_rules(text: str, broken, form: str) -> str:
    """The report with the broken authoring rules (:mod:`autograder.rules`) added."""
    if form == "json":
        data = json.loads(text)
        data["rules"] = [str(f) for f in broken]
        data["ok"] = data["ok"] and not broken
        return json.dumps(data, indent=2) + "\n"
    *body, last = text.rstrip("\n").split("\n")
    lines = [f"rule: {f}" for f in broken] or ["rules (autograder/rules.py): all kept"]
    return "\n".join(body + lines + ["audit: FAILED" if broken else last]) + "\n"


def _points(value: float) -> str:
    return f"{value:g}"


def render_text(report) -> str:
    lines = [f"{'mutant':<{NAME_WIDTH}}  {'lost':>5}  caught by", f"{'-' * NAME_WIDTH}  -----  ---------"]
    for outcome in report.mutants:
        exercise = outcome.variant.exercise
        caught = "; ".join(c.name for c in outcome.caught_by) or "NOT CAUGHT"
        lines.append(f"{outcome.name:<{NAME_WIDTH}}  {_points(outcome.lost(exercise)):>5}  {caught}")
        if outcome.leaks:
            lost = ", ".join(f"{name} -{_points(outcome.lost(name))}" for name in outcome.leaks)
            lines.append(f"{'':<{NAME_WIDTH}}         ALSO LOSES POINTS IN {lost}")
    lines.append("")
    n, missed, leaking = len(report.mutants), len(report.missed), len(report.leaking)
    lines.append(f"mutants: {n - missed} of {n} caught in their own exercise; {leaking} lose points elsewhere.")
    lines.append(f"alternatives: {len(report.alternatives)} graded; "
                 f"{sum(1 for o in report.alternatives if not o.lost_by_exercise)} keep full marks.")
    for outcome in report.false_fails:
        lines.append(f"  FALSE FAIL {outcome.name}: " + "; ".join(
            f"{c.title} [{c.status}]" for c in outcome.results.checks if not c.passed))
    reference_points = report.reference.results
    lines.append(f"reference: {_points(reference_points.points)} / {_points(reference_points.max_points)}")
    if report.silent_checks:
        lines.append("hidden checks that catch no mutant: " + "; ".join(c.title for c in report.silent_checks))
    else:
        lines.append("hidden checks that catch no mutant: none")
    for check in report.explained_checks:
        lines.append(f"  (no mutant for {check.title}: {check.uncaught_reason})")
    lines.append("checks no mutant aimed at them fails: " + ("; ".join(c.title for c in report.unproven_checks)
                                                             or "none"))
    for outcome in report.misaimed:
        lines.append(f"  MISAIMED {outcome.name}: aimed at {outcome.variant.check!r}, which it passes")
    for outcome in report.unnamed:
        where = f"solutions/{outcome.variant.exercise}.py: MISTAKES[{outcome.name.split('/', 1)[1]!r}]"
        if not outcome.names_its_mistake:
            lines.append(f"  UNNAMED {outcome.name}: no hint of its failed checks says "
                         f"{outcome.variant.keyword!r} ({where}): reword a hint or its \"feedback names\"")
        for check in outcome.hintless:
            lines.append(f"  NO HINT {outcome.name}: {check.title} fails it without a hint: give expect.* a hint=")
    for name, check in report.grader_errors:
        lines.append(f"GRADER ERROR in {check.title} for {name}")
    if report.id_scan is not None:
        lines.append(idscan.render(report.id_scan).rstrip("\n"))
    lines.append("audit: " + ("passed" if report.ok else "FAILED"))
    return "\n".join(lines) + "\n"


def render_json(report) -> str:
    def outcome(o):
        return {"id": o.name, "exercise": o.variant.exercise if o.variant else None,
                "description": o.variant.description if o.variant else "the reference solutions",
                "lost": o.lost_by_exercise, "caught_by": [c.name for c in o.caught_by], "leaks": list(o.leaks),
                "messages": {c.title: c.message for c in o.results.checks if not c.passed}}

    data = {
        "ok": report.ok,
        "reference": outcome(report.reference),
        "mutants": [outcome(o) for o in report.mutants],
        "alternatives": [outcome(o) for o in report.alternatives],
        "missed": [o.name for o in report.missed],
        "leaking": [o.name for o in report.leaking],
        "false_fails": [o.name for o in report.false_fails],
        "silent_checks": [c.title for c in report.silent_checks],
        "explained_checks": {c.title: c.uncaught_reason for c in report.explained_checks},
        "checks": {c.title: list(report.catchers(c)) for c in report.hidden_checks},
        "aimed": {c.title: list(report.aimed_catchers(c)) for c in report.all_checks},
        "unproven_checks": [c.title for c in report.unproven_checks],
        "misaimed": [o.name for o in report.misaimed],
        "unnamed": [o.name for o in report.unnamed],
    }
    if report.id_scan is not None:
        scan = report.id_scan
        data["id_scan"] = {"ids": scan.ids, "variants": list(scan.variants), "check_runs": scan.checks_run,
                           "lost": [vars(p) for p in scan.lost]}
    return json.dumps(data, indent=2) + "\n"
