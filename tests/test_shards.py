"""``grade-all --shard I/N`` slices a class deterministically; ``nn101 merge`` joins slices, refusing gaps and overlaps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autograder import cli, shards
from autograder.batch.discover import Entry
from autograder.batch.store import Store
from autograder.commands import UsageError

ROOT = Path(__file__).resolve().parent.parent
CLASS = [f"student{i:02d}" for i in range(40)]
EXERCISES = ["softmax"]


def record(student: str, score: float = 5.0) -> dict:
    return {"submission": student, "student_id": student, "score": score, "max_score": 13.0, "hidden_checks_ran": True,
            "exercises": [{"name": "softmax", "score": score, "max_score": 13.0, "checks": [
                {"name": "sums to one", "status": "passed", "score": score, "max_score": 13.0, "visible": True,
                 "message": ""}]}], "warnings": [], "error": ""}


def write_slice(folder: Path, shard: str, students=CLASS, class_ids=CLASS) -> Path:
    """A slice as grade-all --shard leaves it: manifest, per-student JSON, grade book."""
    parsed = shards.parse(shard)
    mine = [s for s in students if shards.owner(s, parsed.count) == parsed.index]
    csv_path = folder / f"slice{parsed.index}.csv"
    shards.write_manifest(csv_path, parsed, list(class_ids), mine, EXERCISES)
    store = Store(csv_path)
    for student in mine:
        store.save(record(student, float(len(student) + parsed.index)))
    store.write_csv([record(s, float(len(s) + parsed.index)) for s in mine], EXERCISES)
    return csv_path


def test_slices_partition_the_class_the_same_way_every_time():
    entries = [Entry(s, Path(s)) for s in CLASS]
    slices = [shards.select(entries, shards.Shard(i, 4)) for i in range(1, 5)]
    assert sorted(e.student_id for part in slices for e in part) == CLASS  # each student in exactly one slice
    assert all(part for part in slices)  # 40 students spread over 4 slices: none empty
    assert [shards.select(entries, shards.Shard(i, 4)) for i in range(1, 5)] == slices
    fewer = [e for e in entries if e.student_id != "student07"]  # a student leaves: nobody else moves
    assert [e.student_id for e in shards.select(fewer, shards.Shard(2, 4))] == \
        [e.student_id for e in slices[1] if e.student_id != "student07"]


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "2", "-1/3"])
def test_a_bad_shard_says_how_to_write_one(text):
    with pytest.raises(UsageError, match="I/N"):
        shards.parse(text)


def test_merged_slices_give_one_grade_book_with_every_student(tmp_path, capsys):
    inputs = [str(write_slice(tmp_path, f"{i}/3")) for i in (3, 1, 2)]
    assert cli.main(["merge", *inputs, "--output", str(tmp_path / "grades.csv")]) == 0
    rows = (tmp_path / "grades.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == CLASS
    for student in CLASS:
        merged = json.loads((tmp_path / "grades" / f"{student}.json").read_text())
        assert merged["score"] == len(student) + shards.owner(student, 3)  # its own slice's record
    assert "40 students from 3 slices" in capsys.readouterr().out


@pytest.mark.parametrize("case, message", [
    ("missing slice", "slice 2/3 missing"),
    ("slice twice", "given twice"),
    ("different N", "same N"),
    ("unfinished slice", "no result for"),
    ("other class", "different classes"),
    ("no manifest", "no slice1.shard.json"),
    ("student in two slices", "is in slice"),
])
def test_merge_refuses_gaps_overlaps_and_foreign_slices(tmp_path, case, message, capsys):
    one, two, three = (write_slice(tmp_path / str(i), f"{i}/3") for i in (1, 2, 3))
    inputs = [one, two, three]
    if case == "missing slice":
        inputs = [one, three]
    elif case == "slice twice":
        shutil.copytree(tmp_path / "1", tmp_path / "copy")
        inputs = [one, tmp_path / "copy" / "slice1.csv", two, three]
    elif case == "different N":
        inputs = [one, two, write_slice(tmp_path / "four", "3/4")]
    elif case == "unfinished slice":
        next(two.with_suffix("").glob("*.json")).unlink()
    elif case == "other class":
        inputs = [one, two, write_slice(tmp_path / "other", "3/3", CLASS, CLASS + ["late"])]
    elif case == "no manifest":
        shards.manifest_path(one).unlink()
    elif case == "student in two slices":
        stray = next(s for s in CLASS if shards.owner(s, 3) == 1)
        manifest = json.loads(shards.manifest_path(two).read_text())
        manifest["students"].append(stray)
        shards.manifest_path(two).write_text(json.dumps(manifest))
        Store(two).save(record(stray))
        Store(two).write_csv([json.loads(p.read_text()) for p in two.with_suffix("").glob("*.json")], EXERCISES)
    assert cli.main(["merge", *map(str, inputs), "--output", str(tmp_path / "grades.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "grades.csv").exists()


def test_a_class_graded_in_slices_and_merged_equals_one_run(tmp_path):
    """End to end with real grading: two slices of a small class, merged, against grade-all of the whole class."""
    for student, source in [("ada", "solutions"), ("ben", "exercises"), ("cai", "solutions"), ("dee", "exercises")]:
        (tmp_path / "class" / student).mkdir(parents=True)
        shutil.copyfile(ROOT / source / "perceptron.py", tmp_path / "class" / student / "perceptron.py")
    grade = ["grade-all", str(tmp_path / "class"), "--only", "perceptron", "--jobs", "1"]
    assert cli.main([*grade, "--output", str(tmp_path / "whole.csv")]) == 0
    for index in (1, 2):
        assert cli.main([*grade, "--shard", f"{index}/2", "--output", str(tmp_path / f"s{index}.csv")]) == 0
    assert cli.main(["merge", str(tmp_path / "s1.csv"), str(tmp_path / "s2.csv"),
                     "--output", str(tmp_path / "merged.csv")]) == 0
    assert (tmp_path / "merged.csv").read_text() == (tmp_path / "whole.csv").read_text()
    for path in (tmp_path / "whole").glob("*.json"):  # the same records; only when each was stored differs
        merged = json.loads((tmp_path / "merged" / path.name).read_text())
        assert {**merged, "graded_at": 0} == {**json.loads(path.read_text()), "graded_at": 0}
