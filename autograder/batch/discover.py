"""Find the students' submissions in a folder (or an LMS zip) and read each one safely.

The rule: every sub-folder or ``.zip`` of SUBMISSIONS_DIR is one student, and its
name (without ``.zip``, in Unicode NFC) is the student id. LMS bulk downloads are
recognised by their file names (:mod:`autograder.batch.lms`), once for the whole
folder: Canvas's loose files and Moodle's folders are grouped into one submission
per LMS id, and a name that does not fit the download's format is a note, never a
student; the Canvas download may be given as the zip itself. Hidden entries (``.name``) and
``__MACOSX`` are ignored; any other file is skipped with a note. Two submissions
whose ids differ only in case or Unicode form become one row that grades neither.

Problems with the whole batch (no such folder, no submission) raise
:class:`~autograder.errors.UsageError`; problems with one submission (a damaged
zip, no module) raise :class:`Problem`, which the batch records as that student's
row and goes on. What is read, and how, is :mod:`autograder.batch.intake`; which
file is graded for each exercise, :mod:`autograder.batch.choose`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from autograder.batch import choose, intake, lms
from autograder.batch.intake import Intake, Problem  # noqa: F401 - Problem is re-exported
from autograder.errors import UsageError
from autograder.exercises import NAMES

IGNORED = intake.IGNORED


@dataclass(frozen=True)
class Entry:
    """One student's submission: a folder or a zip, or the files of an LMS download."""

    student_id: str
    path: Path
    """The folder or zip; for an LMS download, the student's first file or folder."""
    files: tuple[tuple[Path, str], ...] = ()
    """LMS downloads: every file or folder of the student, with the name the student gave it."""
    conflict: str = ""
    """Set when several submissions claim this id: none is graded, this says why."""

    @property
    def label(self) -> str:
        if self.files:
            return f"the {len(self.files)} file(s) of {self.student_id}"
        return self.path.name + ("/" if self.path.is_dir() and not self.path.is_symlink() else "")


@dataclass(frozen=True)
class Prepared:
    """A submission made ready to grade: a flat folder of the chosen modules."""

    folder: Path
    sources: dict[str, str]
    """Exercise -> the file graded for it, relative to the submission."""
    notes: tuple[str, ...]
    conversion: object = None
    """Where the modules built from notebooks came from (``notebook_grading.relabel`` uses it)."""


def discover(root: Path, items: list[tuple[Path, str]] | None = None) -> tuple[list[Entry], list[str]]:
    """The submissions in ``root``, sorted by student id, and notes on skipped files.

    ``items`` (path on disk, name) replaces the listing of ``root``: an LMS zip unpacked
    under other names.
    """
    if items is None:
        if not root.exists():
            raise UsageError(f"no such directory: {root}")
        if not root.is_dir():
            raise UsageError(f"{root} is not a directory: give the folder that holds one folder or .zip per "
                             "student, or a Canvas or Moodle download")
        items = [(path, path.name) for path in sorted(root.iterdir())]
    download = lms.group([(path, name) for path, name in items if not (name.startswith(".") or name in IGNORED)])
    plain: dict[str, list[Entry]] = {}
    notes = list(download.notes)
    for path, name in download.plain:
        is_dir = path.is_dir() and not path.is_symlink()
        if is_dir or path.is_symlink():
            entry = Entry(nfc(name.removesuffix(".zip") if not is_dir else name), path)
            plain.setdefault(entry.student_id.casefold(), []).append(entry)
        elif name.lower().endswith(".zip"):
            entry = Entry(nfc(name[:-4]), path)
            plain.setdefault(entry.student_id.casefold(), []).append(entry)
        else:
            notes.append(f"skipping {name}: not a folder or a .zip")
    entries = [_one(claims) for claims in plain.values()]
    entries += [Entry(nfc(files[0][1].student_id), files[0][0], tuple((path, r.original) for path, r in files))
                for files in download.students.values()]
    if not entries:
        raise UsageError(f"no submissions in {root}: expected one folder or .zip per student, "
                         "or a Canvas or Moodle download")
    return sorted(entries, key=lambda e: e.student_id), notes


def nfc(student_id: str) -> str:
    """The id in Unicode NFC: a name typed on macOS (NFD) and elsewhere is one student."""
    return unicodedata.normalize("NFC", student_id)


def _one(claims: list[Entry]) -> Entry:
    if len(claims) == 1:
        return claims[0]
    labels = " and ".join(e.label for e in claims)
    return Entry(claims[0].student_id, claims[0].path, conflict=(
        f"two submissions for student {claims[0].student_id!r}: {labels}; none was graded, keep one of them"))


def read(entry: Entry) -> Intake:
    """Read every file of ``entry`` that may be a module (see :mod:`autograder.batch.intake`)."""
    if not entry.files:
        if entry.path.is_symlink():
            raise Problem(f"{entry.label} is a link, not a submission: submit the files themselves")
        if entry.path.is_dir():
            return intake.read_folder(entry.path, entry.label)
        return intake.read_zip(entry.path, entry.label)
    result = Intake(entry.label)
    for path, original in entry.files:
        part = intake.read_folder(path, path.name) if path.is_dir() and not path.is_symlink() else \
            intake.read_file(path, original)
        result.files += part.files
        result.notes += part.notes
    return result


def prepare(entry: Entry, scratch: Path, names=NAMES, found: Intake | None = None) -> Prepared:
    """Choose the file to grade per exercise and copy the choice into a flat folder under ``scratch``
    (``found``: what :func:`read` returned for ``entry``, if it was read already)."""
    if entry.conflict:
        raise Problem(entry.conflict)
    found = read(entry) if found is None else found
    choice = choose.choose(found.files, names)
    notes = tuple(found.notes) + choice.notes
    if not choice.modules:
        detail = f" ({'; '.join(notes)})" if notes else ""
        raise Problem(f"{entry.label} holds no exercise module: expected files such as "
                      f"{', '.join(n + '.py' for n in names[:3])}{detail}")
    folder = scratch / "modules"
    return Prepared(folder, choose.write(choice, folder), notes, choice.conversion)


def fingerprint(entry: Entry) -> str:
    """Changes whenever the submission's files change (so a regraded batch sees resubmissions)."""
    digest = hashlib.sha256()
    sources = entry.files or ((entry.path, ""),)
    for path, original in sources:
        digest.update(f"{original}\0".encode())
        for relative, info in _walk(path):
            digest.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _walk(root: Path, limit: int = 2 * intake.MAX_ENTRIES):
    """``(relative path, lstat)`` of ``root`` and what is under it; iterative, never follows a link."""
    stack, seen = [(root, "")], 0
    while stack and seen < limit:
        path, relative = stack.pop()
        try:
            info = path.lstat()
        except OSError:
            continue
        seen += 1
        yield relative, info
        if stat.S_ISDIR(info.st_mode) and relative.count("/") < intake.MAX_DEPTH:
            try:
                names = sorted(os.listdir(path))
            except OSError:
                continue
            stack += [(path / name, f"{relative}/{name}") for name in reversed(names)]


def richest_folder(folder: Path) -> Path:
    """The folder under ``folder`` holding the most exercise modules (walked iteratively, no links)."""
    folders = [folder / relative.lstrip("/") for relative, info in _walk(folder) if stat.S_ISDIR(info.st_mode)
               and not IGNORED & set(relative.split("/"))]
    return max(folders or [folder], key=lambda f: (_module_count(f), -len(f.parts)))


def _module_count(folder: Path) -> int:
    return sum((folder / f"{name}.py").is_file() for name in NAMES)
