"""``grade-all --shard I/N`` grades one slice of a class; ``nn101 merge`` joins the slices.

A student belongs to slice ``1 + sha256(student id) mod N``: the same on every
machine and every run, and unchanged for everyone else when a student is added
or removed (so each slice's resumable store stays valid). Each slice writes a
manifest next to its grade book (``slice.csv`` -> ``slice.shard.json``) naming
its shard, the students it owns and a digest of the whole class, so that
:func:`merge` can refuse overlaps (a student or a slice twice), gaps (a slice
missing, a student without a result) and slices of different classes or
exercise lists.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

MANIFEST_SUFFIX = ".shard.json"


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based slice number, 1 <= index <= count."""
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse(text: str | None) -> Shard | None:
    """Parse ``--shard I/N``; None when not given."""
    if text is None:
        return None
    index, _, count = text.partition("/")
    if not (index.strip().isdigit() and count.strip().isdigit()) or not 1 <= int(index) <= int(count):
        raise UsageError(f"--shard {text}: give I/N with 1 <= I <= N, e.g. --shard 1/4")
    return Shard(int(index), int(count))


def owner(student_id: str, count: int) -> int:
    """The slice (1..count) that grades ``student_id``."""
    return 1 + int(hashlib.sha256(student_id.casefold().encode()).hexdigest(), 16) % count


def select(entries: list, shard: Shard | None) -> list:
    """The entries of ``shard`` (all of them without one), in their order."""
    return entries if shard is None else [e for e in entries if owner(e.student_id, shard.count) == shard.index]


def class_digest(student_ids) -> str:
    """Names the whole class: slices of different classes never merge."""
    return hashlib.sha256("\n".join(sorted(i.casefold() for i in student_ids)).encode()).hexdigest()[:16]


def manifest_path(csv_path: Path) -> Path:
    return csv_path.with_suffix(MANIFEST_SUFFIX)


def write_manifest(csv_path: Path, shard: Shard, class_ids: list[str], slice_ids: list[str],
                   exercises: list[str]) -> None:
    """Record what slice ``csv_path`` is (written before grading: an unfinished slice shows as a gap)."""
    from autograder.batch.store import write_atomically

    manifest = {"shard": str(shard), "class": class_digest(class_ids), "class_size": len(class_ids),
                "students": sorted(slice_ids), "exercises": exercises}
    write_atomically(manifest_path(csv_path), json.dumps(manifest, indent=1) + "\n")


@dataclass(frozen=True)
class Slice:
    csv_path: Path
    shard: Shard
    manifest: dict
    records: tuple[dict, ...]


def read_slice(csv_path: Path) -> Slice:
    """A slice's manifest and records; UsageError naming what is missing or inconsistent."""
    where = manifest_path(csv_path)
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
        shard = parse(manifest["shard"])
        students = list(manifest["students"])
    except FileNotFoundError:
        raise UsageError(f"{csv_path}: no {where.name} next to it; give the grade books written by "
                         "`grade-all --shard I/N`, each with its .shard.json and its folder") from None
    except (OSError, ValueError, KeyError, TypeError, UsageError):
        raise UsageError(f"{where} is damaged: grade that slice again") from None
    try:
        with open(csv_path, newline="", encoding="utf-8") as handle:
            rows = {row.get("student_id") for row in csv.DictReader(handle)}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"cannot read {csv_path}: {error}") from None
    missing = sorted(set(students) - rows)
    if missing or len(rows) != len(students):
        detail = f"no row for {', '.join(missing[:5])}" if missing else "rows of students it does not own"
        raise UsageError(f"slice {shard} ({csv_path}) is incomplete or altered: {detail}; run "
                         f"`nn101 grade-all ... --shard {shard}` again to finish it")
    folder, records = csv_path.with_suffix(""), []
    for student in students:
        try:
            record = json.loads((folder / f"{student}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        if type(record) is not dict or record.get("student_id") != student:
            raise UsageError(f"slice {shard} ({csv_path}) has no result for {student} in {folder}/; "
                             f"run `nn101 grade-all ... --shard {shard}` again to finish it")
        records.append(record)
    return Slice(csv_path, shard, manifest, tuple(records))


def check_complete(slices: list[Slice]) -> None:
    """Refuse slices that overlap, leave a gap, or come from different classes or exercise lists."""
    first = slices[0]
    for other in slices[1:]:
        for field, what in (("class", "classes"), ("exercises", "exercise lists")):
            if other.manifest.get(field) != first.manifest.get(field):
                raise UsageError(f"{first.csv_path} and {other.csv_path} come from different {what}; "
                                 "grade every slice of one class with the same options")
        if other.shard.count != first.shard.count:
            raise UsageError(f"{first.csv_path} is slice {first.shard} but {other.csv_path} is slice "
                             f"{other.shard}: every slice must use the same N")
    seen: dict[int, Path] = {}
    for part in slices:
        if part.shard.index in seen:
            raise UsageError(f"slice {part.shard} given twice: {seen[part.shard.index]} and {part.csv_path}")
        seen[part.shard.index] = part.csv_path
    gaps = [f"{i}/{first.shard.count}" for i in range(1, first.shard.count + 1) if i not in seen]
    if gaps:
        raise UsageError(f"slice {', '.join(gaps)} missing: grade it with `nn101 grade-all ... --shard "
                         f"{gaps[0]}` and merge it too")
    owners: dict[str, Slice] = {}
    for part in slices:
        for record in part.records:
            key = record["student_id"].casefold()
            if key in owners:
                raise UsageError(f"{record['student_id']} is in slice {owners[key].shard} and slice {part.shard}")
            owners[key] = part
    if len(owners) != first.manifest.get("class_size"):
        raise UsageError(f"the slices hold {len(owners)} students but the class has "
                         f"{first.manifest.get('class_size')}: grade the slices again")
