"""``nn101 merge SLICE.csv... --output grades.csv``: join the slices of ``grade-all --shard I/N``.

Reads each slice's grade book, its per-student JSON folder and its
``.shard.json`` manifest; refuses overlaps, gaps and slices of another class
(see :mod:`autograder.shards`). Writes one grade book, its JSON folder and its
plot, as ``grade-all`` would have for the whole class.
"""

from __future__ import annotations

import sys
from pathlib import Path

from autograder.commands import UsageError


def register(commands) -> None:
    parser = commands.add_parser("merge", help="join the grade books of grade-all --shard slices into one")
    parser.add_argument("slices", nargs="+", metavar="SLICE.csv", help="the grade book of each slice")
    parser.add_argument("--output", required=True, metavar="CSV", help="the merged grade book to write")
    parser.set_defaults(run=run)


def run(args) -> int:
    from autograder import shards, summary
    from autograder.batch import grader_fault
    from autograder.batch.store import Store

    output = Path(args.output)
    if output.suffix.lower() != ".csv" or output.is_dir():
        raise UsageError(f"--output {args.output}: give a file name ending in .csv")
    inputs = [Path(s) for s in args.slices]
    if any(output.resolve() in (p.resolve(), p.with_suffix("").resolve()) for p in inputs):
        raise UsageError(f"--output {args.output} is one of the slices: choose another name")
    slices = [shards.read_slice(p) for p in inputs]
    shards.check_complete(slices)
    records = sorted((r for s in slices for r in s.records), key=lambda r: r["student_id"])
    store = Store(output)
    for record in records:
        store.save(record)
    store.write_csv(records, list(slices[0].manifest["exercises"]))
    overview = summary.summarize(records)
    sys.stdout.write(summary.render(overview))
    plot = summary.plot(overview, output.with_suffix(".png"))
    print(f"\nGrade book: {output} ({len(records)} students from {len(slices)} slices); "
          f"per-student JSON in {store.folder}/; plot: {plot}")
    return 3 if any(grader_fault(r) for r in records) else 0
