"""``nn101 export``: Canvas and Moodle import CSVs, ids from a roster, empty (not 0) for no submission."""

from __future__ import annotations

import csv
import io
import json

import pytest

from autograder import cli

GRADE_BOOK = """student_id,score,max_score,softmax,status,note
Ada Lovelace_101,13,13,13,graded,
ben,4.5,13,4.5,graded,
cai,0,13,,error,cai.zip is damaged: bad CRC
dee,0,13,,error,the grader failed: RuntimeError: disk full
stranger,7,13,7,graded,
"""
CANVAS_ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section
    Points Possible,,,,
Ada Lovelace,101,S-1,alovelace,Sec A
Ben Bit,102,S-2,ben,Sec A
Cai Chen,103,S-3,cai,Sec B
Dee Dee,104,S-4,dee,Sec B
"=HYPERLINK(""http://x"")",105,S-5,eve,Sec B
"""


def run(tmp_path, capsys, *args) -> tuple[int, list[list[str]], str]:
    (tmp_path / "grades.csv").write_text(GRADE_BOOK)
    (tmp_path / "roster.csv").write_text(CANVAS_ROSTER)
    code = cli.main(["export", str(tmp_path / "grades.csv"), "--output", str(tmp_path / "out.csv"), *args])
    err = capsys.readouterr().err
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text()))) if code == 0 else []
    return code, rows, err


def by_first(rows: list[list[str]], column: int = 0) -> dict[str, list[str]]:
    return {row[column]: row for row in rows[1:]}


def test_canvas_gets_its_gradebook_columns_every_enrolled_student_and_empty_for_no_submission(tmp_path, capsys):
    code, rows, err = run(tmp_path, capsys, "--format", "canvas", "--roster", str(tmp_path / "roster.csv"),
                          "--match", "SIS Login ID", "--assignment", "nn101 (4321)")
    assert code == 0
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "nn101 (4321)"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "13"]
    students = by_first(rows[1:], 3)
    assert students["ben"] == ["Ben Bit", "102", "S-2", "ben", "Sec A", "4.5"]
    assert students["cai"][-1] == "0"  # the student's own damaged zip: a real 0
    assert students["dee"][-1] == ""  # the grader failed: never charged to the student
    assert students["eve"][-1] == ""  # enrolled, no submission: empty, not 0
    assert students["eve"][0] == "'=HYPERLINK(\"http://x\")"  # a formula in a name is neutralised
    assert "stranger is in the grade book but not in the roster" in err and "dee: the grader failed" in err


def test_canvas_matches_bulk_download_ids_on_the_lms_number(tmp_path, capsys):
    code, rows, _ = run(tmp_path, capsys, "--format", "canvas", "--roster", str(tmp_path / "roster.csv"))
    assert code == 0  # default --match ID: "Ada Lovelace_101" is Canvas user 101
    assert by_first(rows[1:], 1)["101"][-1] == "13"


def test_missing_zero_gives_zero_to_students_with_no_submission_only(tmp_path, capsys):
    code, rows, _ = run(tmp_path, capsys, "--format", "canvas", "--roster", str(tmp_path / "roster.csv"),
                        "--match", "SIS Login ID", "--missing-zero")
    students = by_first(rows[1:], 3)
    assert code == 0 and students["eve"][-1] == "0" and students["dee"][-1] == ""


def test_moodle_gets_an_identifier_column_and_one_grade_column(tmp_path, capsys):
    (tmp_path / "moodle.csv").write_text("First name,Last name,Email address\nBen,Bit,ben\nEve,Ev,eve@x.org\n")
    (tmp_path / "grades.csv").write_text(GRADE_BOOK)
    assert cli.main(["export", str(tmp_path / "grades.csv"), "--format", "moodle", "--roster",
                     str(tmp_path / "moodle.csv"), "--output", str(tmp_path / "out.csv")]) == 0
    assert (tmp_path / "out.csv").read_text() == "Email address,nn101\nben,4.5\neve@x.org,\n"
    assert (tmp_path / "out.csv").stat().st_mode & 0o077 == 0  # grades are private


def test_without_a_roster_rows_come_from_the_grade_book(tmp_path, capsys):
    code, rows, _ = run(tmp_path, capsys, "--format", "canvas")
    assert code == 0
    assert by_first(rows[1:], 1)["101"][:2] == ["Ada Lovelace", "101"]  # <name>_<id> from a bulk download
    assert by_first(rows[1:], 3)["ben"][-1] == "4.5"


def test_the_grader_fault_recorded_in_the_json_is_honoured(tmp_path, capsys):
    (tmp_path / "grades").mkdir()
    (tmp_path / "grades" / "ben.json").write_text(json.dumps({"student_id": "ben", "grader_fault": True}))
    code, rows, err = run(tmp_path, capsys, "--format", "canvas")
    assert code == 0 and by_first(rows[1:], 3)["ben"][-1] == "" and "ben: the grader failed" in err


@pytest.mark.parametrize("setup, message", [
    ("no grade book", "no such grade book"),
    ("not a grade book", "not an nn101 grade book"),
    ("wrong match column", "has no column 'Email'"),
])
def test_bad_input_is_one_line_saying_what_to_fix(tmp_path, capsys, setup, message):
    (tmp_path / "roster.csv").write_text(CANVAS_ROSTER)
    grades = tmp_path / "grades.csv"
    if setup == "not a grade book":
        grades.write_text("name,points\na,1\n")
    elif setup == "wrong match column":
        grades.write_text(GRADE_BOOK)
    args = ["export", str(grades), "--format", "canvas", "--roster", str(tmp_path / "roster.csv"), "--match", "Email"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


# Finding 1 of the attack report: a phantom row "mallory_123_457_x_777" (from a file name mallory chose)
# claims zoe's Canvas id 777. Two rows claiming one LMS id is refused, never "keep the first".
CLAIMED_TWICE = """student_id,score,max_score,softmax,status,note
bob_999,14,14,14,graded,
mallory_123,14,14,14,graded,
mallory_123_457_x_777,1,14,1,graded,
zoe_777,14,14,14,graded,
"""
ROSTER_777 = "Student,ID,SIS User ID,SIS Login ID,Section\nBob,999,,,\nMallory,123,,,\nZoe,777,,,\n"


@pytest.mark.parametrize("other, with_roster, without_roster", [
    ("mallory_123_457_x_777", True, True),  # the phantom row of the finding
    ("777", True, False),  # the roster's ID 777 is this id; without a roster it is a SIS Login ID
    ("zoe_0777", False, True),  # the roster's 777 is not 0777; without one, Canvas ID 0777 is 777
])
@pytest.mark.parametrize("roster", [False, True])
def test_two_rows_claiming_one_lms_id_are_refused_naming_both(tmp_path, capsys, other, with_roster,
                                                              without_roster, roster):
    (tmp_path / "grades.csv").write_text(CLAIMED_TWICE.replace("mallory_123_457_x_777", other))
    (tmp_path / "roster.csv").write_text(ROSTER_777)
    args = ["export", str(tmp_path / "grades.csv"), "--format", "canvas", "--output", str(tmp_path / "out.csv")]
    code = cli.main(args + (["--roster", str(tmp_path / "roster.csv")] if roster else []))
    err = capsys.readouterr().err
    if not (with_roster if roster else without_roster):
        assert code == 0 and (not roster or f"{other} is in the grade book but not in the roster" in err)
        return
    assert code == 2 and not (tmp_path / "out.csv").exists()
    assert err.count("\n") == 1 and "'zoe_777'" in err and f"'{other}'" in err and "777" in err, err


def test_rows_with_lms_ids_of_their_own_are_exported_as_before(tmp_path, capsys):
    (tmp_path / "grades.csv").write_text(CLAIMED_TWICE.replace("mallory_123_457_x_777,1,14,1,graded,\n", ""))
    (tmp_path / "roster.csv").write_text(ROSTER_777)
    assert cli.main(["export", str(tmp_path / "grades.csv"), "--format", "canvas", "--roster",
                     str(tmp_path / "roster.csv"), "--output", str(tmp_path / "out.csv")]) == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text())))
    assert {row[1]: row[-1] for row in rows[2:]} == {"999": "14", "123": "14", "777": "14"}
