"""The intake catalog: a real class's submissions, each with the file it must be graded on and its note.

Every input of issues #13 and #10 ("intake copies only regular files") is built here by a
script, never committed as a blob. ``CATALOG`` says, per submission, which exercises must get
full marks (the graded file is a reference solution), which file is graded for each exercise,
and what the grade book's note must say. The fast tests check the choice without grading;
``test_intake_grading.py`` grades the whole catalog as one class and checks the scores.
"""

from __future__ import annotations

import os
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from autograder.batch import choose, discover as discovery, remove_tree
from autograder.batch.discover import Entry, Problem, discover, prepare
from autograder.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("softmax", "losses")  # losses imports softmax: split modules must still find each other
OLD, NEW = 1_600_000_000, 1_700_000_000  # modification times: older and newer copy


def solution(name: str) -> bytes:
    return (ROOT / "solutions" / f"{name}.py").read_bytes()


def stub(name: str) -> bytes:
    return (ROOT / "exercises" / f"{name}.py").read_bytes()


def wrong_softmax() -> bytes:
    return solution("softmax") + b"\n\ndef softmax(z, axis=-1):\n    return z\n"


def put(folder: Path, files: dict[str, bytes], mtime: int = NEW) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))


def make_zip(path: Path, files: dict[str, bytes], links: dict[str, str] = {}) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in links.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, target)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def both(prefix: str = "", make=solution) -> dict[str, bytes]:
    return {f"{prefix}{name}.py": make(name) for name in NAMES}


def deep_folder(top: Path, levels: int) -> None:
    """``top/d/d/.../d/softmax.py``, ``levels`` deep (made through file descriptors: paths get too long)."""
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(levels):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    with open(os.open("softmax.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as module:
        module.write(solution("softmax"))
    os.close(fd)


@dataclass(frozen=True)
class Case:
    """One student's submission in the catalog."""

    student: str
    """The folder or zip name (the id the row must carry, in NFC)."""
    build: Callable[[Path, Path], None]
    """build(submissions folder, course folder): make the submission."""
    full: tuple[str, ...]
    """Exercises that must get full marks; the others score 0."""
    sources: dict[str, str] = field(default_factory=dict)
    """Exercise -> the file that must be graded for it (exercises not listed: none)."""
    note: str = ""
    """Must appear in the grade book's note (the error when nothing can be graded)."""
    error: bool = False
    """True when the submission cannot be graded at all (a row with status "error")."""


# In these three the untouched stubs are the newest files: only telling stubs from work picks right.
def _kit_zip(subs, course):
    make_zip(subs / "kit.zip", both("nn101-kit/my_work/"))
    with zipfile.ZipFile(subs / "kit.zip", "a") as archive:
        for name in NAMES:
            archive.writestr(zipfile.ZipInfo(f"nn101-kit/exercises/{name}.py", date_time=(2030, 1, 1, 0, 0, 0)),
                             stub(name))


def _starter_done(subs, course):
    put(subs / "starter_done" / "starter", both(make=stub), mtime=NEW)
    put(subs / "starter_done" / "done", both(), mtime=OLD)


def _split(subs, course):
    put(subs / "split", {"softmax.py": solution("softmax"), "exercises/losses.py": solution("losses")}, mtime=OLD)
    put(subs / "split", {"exercises/softmax.py": stub("softmax")}, mtime=NEW)


def _near_miss(subs, course):
    put(subs / "near_miss", {"Softmax (1).py": solution("softmax"), "losses.py.txt": solution("losses")})


def _canvas_copy_suffix(subs, course):
    put(subs / "copy_suffix", {"softmax-1.py": solution("softmax"), "losses.py": solution("losses")})


def _competing(subs, course):
    put(subs / "competing", {"softmax.py": solution("softmax"), "softmax (2).py": wrong_softmax(),
                             "losses (1).py": solution("losses"), "losses-1.py": solution("losses")})


def _two_copies(subs, course):
    put(subs / "two_copies" / "old", {"softmax.py": wrong_softmax()}, mtime=OLD)
    put(subs / "two_copies" / "new", both(), mtime=NEW)


def _link_to_solutions(subs, course):
    (subs / "link_solutions").mkdir()
    (subs / "link_solutions" / "exercises").symlink_to(course / "solutions")


def _link_to_other(subs, course):
    put(subs / "ann", both())
    (subs / "link_other").mkdir()
    (subs / "link_other" / "exercises").symlink_to(Path("..") / "ann")


def _link_files(subs, course):
    (subs / "link_files").mkdir()
    for name in NAMES:
        (subs / "link_files" / f"{name}.py").symlink_to(course / "solutions" / f"{name}.py")


def _hard_links(subs, course):
    (subs / "hard_links").mkdir()
    for name in NAMES:
        os.link(course / "solutions" / f"{name}.py", subs / "hard_links" / f"{name}.py")


def _entry_is_a_link(subs, course):
    (subs / "entry_link").symlink_to(course / "solutions")


def _fifo_and_device(subs, course):
    (subs / "special").mkdir()
    os.mkfifo(subs / "special" / "softmax.py")
    try:
        os.mknod(subs / "special" / "losses.py", 0o644 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    except PermissionError:  # not root: a second fifo stands in for the device
        os.mkfifo(subs / "special" / "losses.py")


def _deep_folder(subs, course):
    put(subs / "deep_folder", both())
    deep_folder(subs / "deep_folder", 1200)


def _deep_zip(subs, course):
    make_zip(subs / "deep_zip.zip", {**both(), "d/" * 1800 + "softmax.py": solution("softmax")})


def _odd_zip(subs, course):  # a member name too long for any file system, a member both file and folder
    make_zip(subs / "odd_zip.zip", {**both(), "losses.py/extra.py": b"x = 1\n"})
    with zipfile.ZipFile(subs / "odd_zip.zip", "a") as archive:  # an older copy, in a folder named too long
        archive.writestr(zipfile.ZipInfo("x" * 300 + "/softmax.py", date_time=(2001, 1, 1, 0, 0, 0)),
                         wrong_softmax())


def _zip_links(subs, course):
    make_zip(subs / "zip_links.zip", {"softmax.py": solution("softmax")},
             links={"losses.py": str(course / "solutions" / "losses.py")})


def _nested_zip(subs, course):
    make_zip(subs / "nested_zip.zip", {"inner.zip": zip_bytes(both("work/"))})


def _zip_in_zip_in_zip(subs, course):
    make_zip(subs / "zip3.zip", {"a.zip": zip_bytes({"b.zip": zip_bytes(both())})})


def _moodle(subs, course):
    put(subs / "Ada Lovelace_201_assignsubmission_file_", both())
    put(subs / "Ada Lovelace_201_assignsubmission_onlinetext_", {"onlinetext.html": b"<p>done</p>"})


def _moodle_loose(subs, course):
    put(subs, {f"Alan Turing_202_assignsubmission_file_{name}.py": solution(name) for name in NAMES})


def _canvas_loose(subs, course):
    put(subs, {"hopperg_301_9001_softmax.py": solution("softmax"),
               "hopperg_late_301_9002_losses-1.py": solution("losses"),
               "hopperg_late_301_9002_losses.py": stub("losses")})


CATALOG = [
    Case("kit", _kit_zip, NAMES, {"softmax": "nn101-kit/my_work/softmax.py", "losses": "nn101-kit/my_work/losses.py"}),
    Case("starter_done", _starter_done, NAMES, {"softmax": "done/softmax.py", "losses": "done/losses.py"}),
    Case("split", _split, NAMES, {"softmax": "softmax.py", "losses": "exercises/losses.py"}),
    Case("near_miss", _near_miss, NAMES, {"softmax": "Softmax (1).py", "losses": "losses.py.txt"},
         note="graded Softmax (1).py as softmax.py (the name differs)"),
    Case("copy_suffix", _canvas_copy_suffix, NAMES, {"softmax": "softmax-1.py", "losses": "losses.py"},
         note="graded softmax-1.py as softmax.py"),
    Case("competing", _competing, ("softmax",), {"softmax": "softmax.py"},
         note="softmax: graded softmax.py, not softmax (2).py; "
              "losses: none graded, because several files could be losses.py (losses (1).py, losses-1.py)"),
    Case("two_copies", _two_copies, NAMES, {"softmax": "new/softmax.py", "losses": "new/losses.py"},
         note="softmax: several copies (new/softmax.py, old/softmax.py); graded the most recently modified"),
    Case("link_solutions", _link_to_solutions, (), note="skipped exercises: a link", error=True),
    Case("link_other", _link_to_other, (), note="skipped exercises: a link", error=True),
    Case("ann", lambda subs, course: None, NAMES, {"softmax": "softmax.py", "losses": "losses.py"}),
    Case("link_files", _link_files, (), note="skipped losses.py, softmax.py: a link", error=True),
    Case("hard_links", _hard_links, (), note="a hard link to a file elsewhere", error=True),
    Case("entry_link", _entry_is_a_link, (), note="entry_link is a link, not a submission", error=True),
    Case("special", _fifo_and_device, (), note="skipped losses.py, softmax.py: not a regular file", error=True),
    Case("deep_folder", _deep_folder, NAMES, {"softmax": "softmax.py", "losses": "losses.py"},
         note="nested deeper than 12 folders"),
    Case("deep_zip", _deep_zip, NAMES, {"softmax": "softmax.py", "losses": "losses.py"},
         note="nested deeper than 12 folders"),
    Case("odd_zip", _odd_zip, NAMES, {"softmax": "softmax.py", "losses": "losses.py"},
         note="softmax: several copies"),
    Case("zip_links", _zip_links, ("softmax",), {"softmax": "softmax.py"}, note="skipped losses.py: a link"),
    Case("nested_zip", _nested_zip, NAMES, {"softmax": "inner.zip/work/softmax.py",
                                            "losses": "inner.zip/work/losses.py"}),
    Case("zip3", _zip_in_zip_in_zip, (), note="only one level is opened", error=True),
    Case("lab_1_2_work", lambda subs, course: make_zip(subs / "lab_1_2_work.zip", both()), NAMES,
         {"softmax": "softmax.py", "losses": "losses.py"}),  # named like a Canvas file, in a folder of zips
]
# An LMS download is one format, decided from all its names: each is a folder of its own.
DOWNLOADS = {
    "moodle": [Case("Ada Lovelace_201", _moodle, NAMES, {"softmax": "softmax.py", "losses": "losses.py"}),
               Case("Alan Turing_202", _moodle_loose, NAMES, {"softmax": "softmax.py", "losses": "losses.py"})],
    "canvas": [Case("hopperg_301", _canvas_loose, NAMES, {"softmax": "softmax.py", "losses": "losses-1.py"},
                    note="graded losses-1.py as losses.py")],
}


def make_catalog(folder: Path) -> tuple[Path, Path]:
    """Build every submission of the catalog in ``folder/submissions``; return it and the course folder."""
    course, subs = folder / "course", folder / "submissions"
    (course / "solutions").mkdir(parents=True)
    subs.mkdir()
    for name in NAMES:
        (course / "solutions" / f"{name}.py").write_bytes(solution(name))
    for case in CATALOG:
        case.build(subs, course)
    return subs, course


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalog")
    subs, _ = make_catalog(folder)
    entries, notes = discover(subs)
    yield {e.student_id: e for e in entries}, notes, folder
    remove_tree(folder)  # pytest's own clean-up recurses and cannot remove the 1,200-deep folder


@pytest.mark.parametrize("case", CATALOG, ids=[c.student for c in CATALOG])
def test_each_submission_is_graded_on_the_file_the_student_meant(catalog, case, tmp_path):
    entries, _, _ = catalog
    check_case(entries[case.student], case, tmp_path)


@pytest.mark.parametrize("system, case", [(s, c) for s, cases in DOWNLOADS.items() for c in cases],
                         ids=[c.student for cases in DOWNLOADS.values() for c in cases])
def test_each_lms_submission_is_graded_on_the_file_the_student_meant(system, case, tmp_path):
    (tmp_path / "download").mkdir()
    for each in DOWNLOADS[system]:
        each.build(tmp_path / "download", tmp_path)
    entries, notes = discover(tmp_path / "download")
    assert {e.student_id for e in entries} == {c.student for c in DOWNLOADS[system]} and notes == []
    check_case({e.student_id: e for e in entries}[case.student], case, tmp_path / "scratch")


def check_case(entry: Entry, case: Case, tmp_path: Path) -> None:
    if case.error:
        with pytest.raises(Problem) as problem:
            prepare(entry, tmp_path, NAMES)
        assert case.note in str(problem.value)
        return
    prepared = prepare(entry, tmp_path, NAMES)
    assert prepared.sources == case.sources
    assert case.note in "; ".join(prepared.notes)
    assert sorted(p.name for p in prepared.folder.iterdir() if p.stem in NAMES) == sorted(
        f"{name}.py" for name in case.sources)
    for name in case.full:  # full marks means the graded file is the reference
        assert (prepared.folder / f"{name}.py").read_bytes() == solution(name)


def test_every_student_is_one_row_and_nothing_else_is(catalog):
    entries, notes, _ = catalog
    assert set(entries) == {c.student for c in CATALOG}
    assert notes == []


def test_an_id_in_two_unicode_forms_is_one_row_that_grades_neither(tmp_path):
    nfd = unicodedata.normalize("NFD", "José")
    put(tmp_path / "José", both())
    make_zip(tmp_path / f"{nfd}.zip", both())
    (tmp_path / "Bob").mkdir(), (tmp_path / "bob").mkdir()
    entries, _ = discover(tmp_path)
    assert [e.student_id for e in entries] == ["Bob", "José"]
    for entry in entries:
        with pytest.raises(Problem, match="two submissions for student .*; none was graded, keep one of them"):
            prepare(entry, tmp_path)


def test_a_canvas_download_given_as_its_zip_is_unpacked_by_student(tmp_path):
    from autograder.batch import lms

    make_zip(tmp_path / "submissions.zip", {
        "hopperg_301_9001_softmax.py": solution("softmax"), "hopperg_late_301_9002_losses.py": solution("losses"),
        "lovelacea_302_9003_work.zip": zip_bytes(both("kit/")), "x" * 300 + "_303_9004_softmax.py": b"",
        "turinga_304_9005_softmax.py": solution("softmax"), "turinga_304_9005_softmax.py/losses.py": b""})
    (tmp_path / "download").mkdir()
    items, notes = lms.unpack_download(tmp_path / "submissions.zip", tmp_path / "download")
    assert len(notes) == 2 and all(n.startswith("skipping ") for n in notes)  # too long; a file that is a folder
    entries, _ = discover(tmp_path / "submissions.zip", items)
    by_id = {e.student_id: e for e in entries}
    assert set(by_id) == {"hopperg_301", "lovelacea_302", "turinga_304"}
    assert prepare(by_id["hopperg_301"], tmp_path / "a", NAMES).sources == {"softmax": "softmax.py",
                                                                            "losses": "losses.py"}
    assert prepare(by_id["lovelacea_302"], tmp_path / "b", NAMES).sources == {
        "softmax": "work.zip/kit/softmax.py", "losses": "work.zip/kit/losses.py"}


# Finding 1 of the attack report: in an LMS download, the part of a name after the LMS's own prefix is
# the name the student gave the file, and a Canvas name (Canvas's "sortable name") may be chosen by the
# student too. Neither may decide whose submission a file is. zoe's user id is 777 (it is on her profile
# page); mallory (123) tries to plant files on it, or to become a student with it.
CANVAS_CLASS = {"bob_999_111_softmax.py": "bob", "zoe_777_222_softmax.py": "zoe",
                "mallory_123_456_losses.py": "mallory"}
MOODLE_CLASS = {"Bob_999_assignsubmission_file_softmax.py": "bob", "Zoe_777_assignsubmission_file_softmax.py": "zoe",
                "Mallory_123_assignsubmission_file_losses.py": "mallory"}
HOSTILE_FILE_NAMES = ["x_777_assignsubmission_file_softmax.py", "zoe_777_222_softmax.py", "zoe_LATE_777_9_softmax.py",
                      "_777_9_softmax.py", "x_７７７_9_softmax.py", "777_assignsubmission_file_softmax.py"]


def attacked_download(folder: Path, system: str, given_name: str, victim: bool = True) -> Path:
    """An LMS download of bob, zoe (unless not ``victim``) and mallory, who also uploads a wrong softmax
    that she called ``given_name``."""
    honest = CANVAS_CLASS if system == "canvas" else MOODLE_CLASS
    folder.mkdir()
    for name, who in honest.items():
        if victim or who != "zoe":
            put(folder, {name: solution("softmax" if "softmax" in name else "losses")})
    prefix = "mallory_123_457_" if system == "canvas" else "Mallory_123_assignsubmission_file_"
    put(folder, {prefix + given_name: wrong_softmax()})
    return folder


@pytest.mark.parametrize("system", ["canvas", "moodle"])
@pytest.mark.parametrize("given_name", HOSTILE_FILE_NAMES)
def test_the_name_a_student_gives_a_file_never_decides_whose_it_is(tmp_path, system, given_name):
    entries, notes = discover(attacked_download(tmp_path / "download", system, given_name))
    by_id = {e.student_id.split("_")[0].casefold(): e for e in entries}
    assert sorted(by_id) == ["bob", "mallory", "zoe"] and len(entries) == 3  # no student of her making
    assert all(e.student_id.endswith(f"_{n}") for e, n in zip(entries, ["999", "123", "777"]))
    assert [original for _, original in by_id["zoe"].files] == ["softmax.py"]  # nothing planted on zoe
    assert prepare(by_id["zoe"], tmp_path / "zoe").sources == {"softmax": "softmax.py"}
    assert_mallorys(by_id["mallory"], notes, given_name)


def assert_mallorys(mallory: Entry, notes: list[str], given_name: str) -> None:
    """The file is mallory's own, or (when its name reads two ways) left out with a note naming it."""
    if len(mallory.files) == 1:
        assert len(notes) == 1 and given_name in notes[0] and "cannot tell whose file" in notes[0], notes
    else:
        assert len(mallory.files) == 2 and notes == []


@pytest.mark.parametrize("given_name", HOSTILE_FILE_NAMES)
def test_without_the_victim_a_file_named_after_her_id_is_still_not_hers(tmp_path, given_name):
    entries, notes = discover(attacked_download(tmp_path / "download", "canvas", given_name, victim=False))
    assert not [e for e in entries if e.student_id.endswith("_777")]
    assert [e.student_id for e in entries] == ["bob_999", "mallory_123"]
    assert_mallorys(entries[1], notes, given_name)


@pytest.mark.parametrize("system", ["canvas", "moodle"])
def test_one_student_with_many_files_cannot_change_the_format_of_the_download(tmp_path, system):
    """Every name of a Canvas (Moodle) download fits Canvas (Moodle); her 30 files fit others too."""
    folder = attacked_download(tmp_path / "download", system, "a_777_1_softmax.py")
    prefix = "mallory_123_4" if system == "canvas" else "Mallory_123_assignsubmission_file_"
    put(folder, {f"{prefix}{i:02d}_{name}": wrong_softmax() for i in range(10)
                 for name in ("x_777_assignsubmission_file_softmax.py", "z_777_9_work.zip", "y_777_9_softmax.py")})
    entries, _ = discover(folder)
    assert [e.student_id for e in entries] == (["bob_999", "mallory_123", "zoe_777"] if system == "canvas" else
                                               ["Bob_999", "Mallory_123", "Zoe_777"])
    assert len(entries[2].files) == 1


def test_a_canvas_name_ending_in_a_classmates_id_gives_her_nothing(tmp_path):
    """Canvas's file name starts with the student's sortable name, which students may be allowed to
    edit: mallory calls herself "x_777", so her files read ``x_777_123_456_...``."""
    folder = tmp_path / "download"
    put(folder, {"zoe_777_222_softmax.py": solution("softmax"), "x_777_123_456_softmax.py": wrong_softmax()})
    entries, notes = discover(folder)
    assert [(e.student_id, len(e.files)) for e in entries] == [("x_777_123", 1), ("zoe_777", 1)] and notes == []
    (folder / "zoe_777_222_softmax.py").unlink()  # zoe did not submit: whose file it is cannot be told
    with pytest.raises(UsageError, match="no submissions"):
        discover(folder)


def test_a_name_that_does_not_fit_the_download_is_a_note_not_a_student(tmp_path):
    folder = tmp_path / "download"
    put(folder, {"bob_999_111_softmax.py": solution("softmax"), "zoe_777_222_softmax.py": solution("softmax"),
                 "amy_555_333_softmax.py": solution("softmax"), "zoe_777/softmax.py": wrong_softmax(),
                 "Mallory_777_assignsubmission_file_softmax.py": wrong_softmax()})
    make_zip(folder / "zoe_777.zip", {"softmax.py": wrong_softmax()})
    entries, notes = discover(folder)
    assert [(e.student_id, len(e.files)) for e in entries] == [("amy_555", 1), ("bob_999", 1), ("zoe_777", 1)]
    assert len(notes) == 3 and all("not a Canvas download's file name" in n for n in notes), notes


def test_a_download_whose_names_fit_canvas_and_moodle_equally_is_moodle(tmp_path):
    # a Moodle file name never fits Canvas's pattern alone; a Canvas one never fits Moodle's
    put(tmp_path, {"Bob_999_assignsubmission_file_hw_1_2_softmax.py": solution("softmax")})
    entries, notes = discover(tmp_path)
    assert [(e.student_id, e.files[0][1]) for e in entries] == [("Bob_999", "hw_1_2_softmax.py")]


@pytest.mark.parametrize("name, meaning", [
    ("Perceptron.py", ("perceptron", False)), ("softmax (1).py", ("softmax", False)),
    ("softmax-1.py", ("softmax", False)), ("losses.py.txt", ("losses", False)),
    ("softmax copy.py", ("softmax", False)), ("softmax.py", ("softmax", True)),
    ("gradient_descent.py", ("gradient_descent", True)), ("notes.txt", None), ("softmax.pyc", None),
    ("utils.py", None), ("softmaxx.py", None),
])
def test_near_miss_names(name, meaning):
    assert choose.exercise_of(name) == meaning


def test_an_untouched_stub_is_told_apart_from_work_whatever_its_layout():
    assert choose.is_stub("softmax", stub("softmax"))
    assert choose.is_stub("softmax", stub("softmax").replace(b"\n", b"\r\n") + b"\n# my notes\n")
    assert not choose.is_stub("softmax", solution("softmax"))
    assert not choose.is_stub("softmax", b"def softmax(:\n")  # broken work is still work


def test_bounds_on_entries_are_a_note_not_a_crash(tmp_path, monkeypatch):
    from autograder.batch import intake

    monkeypatch.setattr(intake, "MAX_ENTRIES", 5)
    put(tmp_path / "many", {**both(), **{f"z{i}.txt": b"" for i in range(10)}})
    prepared = prepare(Entry("many", tmp_path / "many"), tmp_path / "scratch", NAMES)
    assert prepared.sources == {"softmax": "softmax.py", "losses": "losses.py"}
    assert "more than 5 files and folders" in "; ".join(prepared.notes)


def test_the_fingerprint_walk_survives_a_deep_tree_and_sees_changes(tmp_path):
    put(tmp_path / "deep", both())
    deep_folder(tmp_path / "deep", 1200)
    try:
        entry = Entry("deep", tmp_path / "deep")
        before = discovery.fingerprint(entry)
        os.utime(tmp_path / "deep" / "softmax.py", (OLD, OLD))
        assert discovery.fingerprint(entry) != before
        assert discovery.richest_folder(tmp_path / "deep") == tmp_path / "deep"
    finally:
        remove_tree(tmp_path / "deep")


def test_remove_tree_removes_a_deep_tree_without_rm_and_never_follows_a_link(tmp_path, monkeypatch):
    from autograder.batch import scratch

    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "precious.py").write_text("x = 1\n")
    put(tmp_path / "gone", both())
    deep_folder(tmp_path / "gone", 300)
    (tmp_path / "gone" / "link").symlink_to(tmp_path / "keep")

    def no_rm(*args, **kwargs):
        raise FileNotFoundError("rm")

    monkeypatch.setattr(scratch.subprocess, "run", no_rm)
    remove_tree(tmp_path / "gone")
    assert not (tmp_path / "gone").exists() and (tmp_path / "keep" / "precious.py").exists()
