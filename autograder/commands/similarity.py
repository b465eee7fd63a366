"""``nn101 similarity SUBMISSIONS_DIR``: pairs of students whose code is unusually alike.

Most similar first, ignoring the stubs every student got (see
:mod:`autograder.similarity`). ``--format text`` (default) prints a ranked table,
``json`` the same as data, ``html`` a page with each pair side by side and the
shared code marked. Nothing is decided for the instructor: it ranks pairs.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from autograder.commands import UsageError, existing_dir, write_private

TEXT_PAIRS = 20  # the text report lists this many pairs; json and html list them all
HTML_PAIRS = 50  # pairs shown side by side in the HTML report (all are in its table)


def register(commands) -> None:
    parser = commands.add_parser("similarity", help="rank pairs of students by how alike their code is")
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="folder with one folder or .zip per student")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text")
    parser.add_argument("--output", metavar="FILE", help="write the report here instead of to stdout")
    parser.add_argument("--boilerplate", metavar="DIR", action="append", default=[],
                        help="more code to ignore (e.g. code shown in class); the stubs always are")
    parser.set_defaults(run=run)


def run(args) -> int:
    from autograder import similarity

    root = existing_dir(args.submissions)
    report = similarity.compare(*_inputs(root, args.boilerplate), highlight=args.format == "html")
    for note in report.notes:
        print(f"nn101: {note}", file=sys.stderr)
    write_private(RENDERERS[args.format](report), args.output)
    return 0


def report_next_to(grade_book: Path, submissions: Path, items=None) -> Path:
    """``grade-all --similarity``: write ``<grades>.similarity.html`` and print the top pairs."""
    from autograder import similarity

    report = similarity.compare(*_inputs(submissions, [], items), highlight=True)
    path = grade_book.with_suffix(".similarity.html")
    write_private(render_html(report), str(path))
    sys.stdout.write("\n" + render_text(report, limit=5) + f"Similarity report: {path}\n")
    return path


def _inputs(root: Path, boilerplate_dirs: list[str], items=None):
    from autograder import similarity

    codes, notes = similarity.class_codes(root, items)
    boilerplate = [similarity.stub_code()]
    for folder in boilerplate_dirs:
        files = sorted(existing_dir(folder).rglob("*.py"))
        if not files:
            raise UsageError(f"--boilerplate {folder} holds no .py file")
        boilerplate += [p.read_text(encoding="utf-8", errors="replace") for p in files]
    return codes, boilerplate, notes


def render_text(report, limit: int = TEXT_PAIRS) -> str:
    lines = [f"Most similar pairs of {len(report.students)} students (share of each one's own code found "
             "in the other's; stubs ignored):", "", f"{'rank':>4}  {'mean':>5}  {'first':<20} {'second':<20} "
             f"{'first%':>6} {'second%':>7}"]
    for rank, pair in enumerate(report.pairs[:limit], 1):
        lines.append(f"{rank:>4}  {pair.similarity:>5.0%}  {pair.first:<20} {pair.second:<20} "
                     f"{pair.first_share:>6.0%} {pair.second_share:>7.0%}")
    if not report.pairs:
        lines.append("  (no two students share code beyond the stubs)")
    elif len(report.pairs) > limit:
        lines.append(f"  ... {len(report.pairs) - limit} more pairs (--format json or html lists them all)")
    return "\n".join(lines) + "\n"


def render_json(report) -> str:
    return json.dumps({"students": list(report.students), "notes": list(report.notes), "pairs": [
        {"first": p.first, "second": p.second, "similarity": round(p.similarity, 4),
         "first_share": p.first_share, "second_share": p.second_share, "tokens": p.tokens}
        for p in report.pairs]}, indent=1) + "\n"


def render_html(report) -> str:
    esc = html.escape
    rows = "".join(f"<tr><td>{i}</td><td><a href='#pair{i}'>{esc(p.first)} &amp; {esc(p.second)}</a></td>"
                   f"<td>{p.similarity:.0%}</td><td>{p.first_share:.0%}</td><td>{p.second_share:.0%}</td></tr>"
                   for i, p in enumerate(report.pairs, 1))
    sections = "".join(
        f"<h2 id='pair{i}'>{i}. {esc(p.first)} &amp; {esc(p.second)}: {p.similarity:.0%}</h2>"
        f"<div class='pair'><div><h3>{esc(p.first)} ({p.first_share:.0%} shared)</h3><pre>{p.first_html}</pre></div>"
        f"<div><h3>{esc(p.second)} ({p.second_share:.0%} shared)</h3><pre>{p.second_html}</pre></div></div>"
        for i, p in enumerate(report.pairs[:HTML_PAIRS], 1))
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>nn101 similarity</title><style>
body {{ font-family: sans-serif; margin: 1em; }} td, th {{ padding: 0 .6em; text-align: left; }}
.pair {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }}
pre {{ background: #f6f6f6; padding: .5em; overflow-x: auto; font-size: 12px; }}
.highlight-red {{ background: #fdd; }} .highlight-green {{ background: #dfd; }}
</style></head><body>
<h1>Most similar pairs of {len(report.students)} students</h1>
<p>Shares are the part of each student's own code (the stubs everyone got are ignored) also found in the
other's, by copydetect's winnowed fingerprints; marked code is shared. A high rank is a reason to read
both submissions, not a verdict.</p>
<table><tr><th>rank</th><th>pair</th><th>mean</th><th>first</th><th>second</th></tr>{rows}</table>
{f"<p>Left out:</p><ul>{notes}</ul>" if notes else ""}
{sections}
</body></html>
"""


RENDERERS = {"text": render_text, "json": render_json, "html": render_html}
