"""Find the students' submissions in a folder and make each one a folder of modules.

The rule: every sub-folder or ``.zip`` of SUBMISSIONS_DIR is one student, and its
name (without ``.zip``) is the student id. Hidden entries (``.name``) and
``__MACOSX`` are ignored; any other file is skipped with a note. Inside a
submission, the modules are taken from the folder that holds the most exercise
modules (students often nest them, e.g. ``alice/exercises/softmax.py``).

Problems with the whole batch (no such folder, two submissions with one id)
raise :class:`~autograder.commands.UsageError`; problems with one submission (a
damaged zip, no module, an unreadable file) raise :class:`Problem`, which the
batch records as that student's row and goes on.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.commands import UsageError
from autograder.exercises import NAMES
from autograder.limits import MiB

MAX_MODULE_BYTES = 4 * MiB
MAX_ZIP_BYTES = 64 * MiB
MAX_ZIP_MEMBERS = 2000
IGNORED = {"__MACOSX"}


class Problem(Exception):
    """One submission cannot be graded; the message says why, for the grade book."""


@dataclass(frozen=True)
class Entry:
    """One student's submission: a folder or a zip."""

    student_id: str
    path: Path

    @property
    def label(self) -> str:
        return self.path.name + ("/" if self.path.is_dir() else "")


def discover(root: Path) -> tuple[list[Entry], list[str]]:
    """The submissions in ``root``, sorted by student id, and notes on skipped files."""
    if not root.exists():
        raise UsageError(f"no such directory: {root}")
    if not root.is_dir():
        raise UsageError(f"{root} is not a directory: give the folder that holds one folder or .zip per student")
    entries, notes, seen = [], [], {}
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name in IGNORED:
            continue
        if path.is_dir():
            entry = Entry(path.name, path)
        elif path.suffix.lower() == ".zip":
            entry = Entry(path.stem, path)
        else:
            notes.append(f"skipping {path.name}: not a folder or a .zip")
            continue
        key = entry.student_id.casefold()
        if key in seen:
            raise UsageError(f"two submissions for student {entry.student_id!r}: {seen[key].label} and "
                             f"{entry.label}; keep one of them")
        seen[key] = entry
        entries.append(entry)
    if not entries:
        raise UsageError(f"no submissions in {root}: expected one folder or .zip per student")
    return sorted(entries, key=lambda e: e.student_id), notes


def fingerprint(entry: Entry) -> str:
    """Changes whenever the submission's files change (so a regraded batch sees resubmissions)."""
    digest = hashlib.sha256()
    files = [entry.path] if entry.path.is_file() else sorted(p for p in entry.path.rglob("*") if p.is_file())
    for path in files:
        info = path.stat()
        digest.update(f"{path.relative_to(entry.path.parent)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def modules_folder(entry: Entry, scratch: Path) -> Path:
    """A folder holding the submission's modules (a zip is unpacked safely into ``scratch``)."""
    folder = entry.path if entry.path.is_dir() else unpack(entry.path, scratch)
    best = richest_folder(folder)
    if _module_count(best) == 0:
        raise Problem(f"{entry.label} holds no exercise module: expected files such as "
                      f"{', '.join(n + '.py' for n in NAMES[:3])}")
    for path in sorted(best.glob("*.py")):
        if not os.access(path, os.R_OK):
            raise Problem(f"{entry.label}: {path.name} cannot be read (permission denied)")
    return best


def richest_folder(folder: Path) -> Path:
    """The folder under ``folder`` holding the most exercise modules (students nest them)."""
    return max([folder, *(p for p in folder.rglob("*") if p.is_dir() and not IGNORED & set(p.parts))],
               key=lambda f: (_module_count(f), -len(f.parts)))


def _module_count(folder: Path) -> int:
    return sum((folder / f"{name}.py").is_file() for name in NAMES)


def unpack(archive_path: Path, scratch: Path) -> Path:
    """Unpack the ``.py`` files of a zip into ``scratch``; refuse anything unsafe."""
    name = archive_path.name
    if not zipfile.is_zipfile(archive_path):
        raise Problem(f"{name} is not a zip file")
    target = Path(tempfile.mkdtemp(prefix="unpacked-", dir=scratch))
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise Problem(f"{name} holds {len(members)} files, more than {MAX_ZIP_MEMBERS}")
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise Problem(f"{name} unpacks to more than {MAX_ZIP_BYTES // MiB} MiB")
            for member in members:
                _unpack_member(archive, member, target, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError, ValueError) as error:
        raise Problem(f"{name} is damaged: {error}") from None
    return target


def _unpack_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, name: str) -> None:
    path = PurePosixPath(member.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in member.filename:
        raise Problem(f"{name} holds a file outside its own folder ({member.filename}); zip the folder again")
    if member.is_dir() or path.suffix != ".py" or IGNORED & set(path.parts):
        return
    if stat.S_ISLNK(member.external_attr >> 16):
        return  # a link to a file on the grading machine is never a student's module
    with archive.open(member) as source:
        data = source.read(MAX_MODULE_BYTES + 1)
    if len(data) > MAX_MODULE_BYTES:
        raise Problem(f"{name}: {member.filename} is larger than {MAX_MODULE_BYTES // MiB} MiB")
    destination = target.joinpath(*path.parts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(data)
