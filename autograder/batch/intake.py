"""Read a student's submission as plain data, touching only what is really theirs.

A submission (a folder, a zip, or the loose files of an LMS download) becomes a list
of :class:`Candidate` files: the bytes of every file that may be a module
(``*.py`` and near-miss names such as ``losses.py.txt``), with its path inside the
submission and its modification time. Nothing is unpacked to disk, so a member name
too long for the file system, a member that is both a file and a folder, or a zip
member 1,800 folders deep cannot make the grader fail.

The rules (issue #10, "intake copies only regular files"):

- folders are walked iteratively, each step opened with ``O_NOFOLLOW`` relative to
  its parent, so no symbolic link is followed, whatever is swapped in meanwhile;
- only regular files with a single link are read: a hard link may point at a file
  outside the submission (a reference solution), devices and fifos are skipped;
- zip members that are links are skipped; a zip inside the submission is opened, one
  level deep (students zip their zip);
- depth, entry count and total size are bounded; what is left out is said in a note.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.limits import MiB

MAX_DEPTH = 12  # folders below the submission's own (a kit zip is 2-3 deep)
MAX_ENTRIES = 2000  # files and folders looked at
MAX_BYTES = 64 * MiB  # read or unpacked in all
MAX_MODULE_BYTES = 4 * MiB
IGNORED = {"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints", "node_modules"}
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError, ValueError)


class Problem(Exception):
    """One submission cannot be graded; the message says why, for the grade book."""


@dataclass(frozen=True)
class Candidate:
    """One file of a submission that may be a module."""

    path: str
    """Where it was, relative to the submission (``my_work/softmax.py``; ``a.zip/softmax.py`` in a zip)."""
    data: bytes
    mtime: float
    """Last modification, seconds since the epoch (a zip member's recorded date)."""

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


@dataclass
class Intake:
    """What was read from one submission, and what was left out and why."""

    label: str
    files: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: int = 0
    size: int = 0
    _skipped: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, path: str) -> None:
        self._skipped.setdefault(reason, []).append(path)

    def count(self, path: str, size: int = 0) -> bool:
        """Count one entry of ``size`` bytes; False once a bound is reached."""
        self.entries += 1
        self.size += size
        if self.entries > MAX_ENTRIES:
            self.skip(f"more than {MAX_ENTRIES} files and folders", path)
            return False
        if self.size > MAX_BYTES:
            self.skip(f"more than {MAX_BYTES // MiB} MiB in all", path)
            return False
        return True

    def finish(self) -> Intake:
        for reason, paths in self._skipped.items():
            shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
            self.notes.append(f"skipped {shown}: {reason}")
        self._skipped = {}
        return self


def wanted(name: str) -> bool:
    """Whether a file named ``name`` is read: modules, near-miss module names, notebooks and zips."""
    lower = name.lower()
    return ".py" in lower or lower.endswith((".zip", ".ipynb"))


def read_folder(root: Path, label: str) -> Intake:
    """Every wanted regular file under the folder ``root``, without following any link."""
    intake = Intake(label)
    try:
        root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        raise Problem(f"{label} is a link or cannot be opened: submit the files themselves") from None
    try:
        stack: list[tuple[str, ...]] = [()]
        while stack:
            parts = stack.pop()
            try:
                fd = _open_dir(root_fd, parts)
            except OSError:
                intake.skip("not a readable folder", "/".join(parts))
                continue
            try:
                with os.scandir(fd) as listing:
                    names = sorted(e.name for e in listing)
                for name in names:
                    _visit(intake, fd, parts, name, stack)
            finally:
                os.close(fd)
    finally:
        os.close(root_fd)
    return intake.finish()


def _open_dir(root_fd: int, parts: tuple[str, ...]) -> int:
    """Open ``root/parts`` one component at a time, refusing links (no path string is resolved)."""
    fd = os.dup(root_fd)
    for part in parts:
        try:
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
        finally:
            os.close(fd)
        fd = child
    return fd


def _visit(intake: Intake, fd: int, parts: tuple[str, ...], name: str, stack: list) -> None:
    path = "/".join((*parts, name))
    if name in IGNORED or name.startswith("."):
        return
    try:
        info = os.stat(name, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return intake.skip("cannot be read", path)
    if not intake.count(path):
        return
    if stat.S_ISDIR(info.st_mode):
        if len(parts) >= MAX_DEPTH:
            return intake.skip(f"nested deeper than {MAX_DEPTH} folders", path)
        return stack.append((*parts, name))
    if stat.S_ISLNK(info.st_mode):
        return intake.skip("a link (submit the file itself)", path)
    if not stat.S_ISREG(info.st_mode):
        return intake.skip("not a regular file", path)
    if not wanted(name):
        return
    if info.st_nlink > 1:
        return intake.skip("a hard link to a file elsewhere (submit a copy)", path)
    data = _read_regular(fd, name, intake, path)
    if data is not None:
        _add(intake, path, data, info.st_mtime, nested=True)


def _read_regular(fd: int, name: str, intake: Intake, path: str) -> bytes | None:
    limit = MAX_BYTES if path.lower().endswith((".zip", ".ipynb")) else MAX_MODULE_BYTES
    try:
        file_fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    except OSError:
        return intake.skip("cannot be read (permission denied)", path)
    with open(file_fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:  # swapped since the stat
            return intake.skip("not a regular file", path)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Problem(f"{intake.label}: {path} is larger than {limit // MiB} MiB")
    intake.size += len(data)
    return data


def _add(intake: Intake, path: str, data: bytes, mtime: float, nested: bool) -> None:
    """Keep a module file; open a zip (``nested``: only if this is not already inside one)."""
    if not path.lower().endswith(".zip"):
        intake.files.append(Candidate(path, data, mtime))
    elif nested:
        _read_zip_members(intake, io.BytesIO(data), path, prefix=path + "/", nested=False)
    else:
        intake.skip("a zip inside a zip inside the submission (only one level is opened)", path)


def read_file(path: Path, name: str) -> Intake:
    """One loose file (of an LMS download) that the student called ``name``; a zip is opened."""
    intake = Intake(name)
    try:
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        raise Problem(f"{name} cannot be opened") from None
    try:
        info = os.stat(path.name, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            intake.skip("not a regular file (a link, a device or a fifo)", name)
        elif info.st_nlink > 1:
            intake.skip("a hard link to a file elsewhere (submit a copy)", name)
        elif wanted(name) and intake.count(name, info.st_size):
            data = _read_regular(fd, path.name, intake, name)
            if data is not None:
                _add(intake, name, data, info.st_mtime, nested=True)
    finally:
        os.close(fd)
    return intake.finish()


def read_zip(archive_path: Path, label: str) -> Intake:
    """Every wanted member of the zip ``archive_path`` (one level of inner zips opened)."""
    intake = Intake(label)
    try:
        fd = os.open(archive_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        raise Problem(f"{label} is a link or cannot be opened: submit the zip itself") from None
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode) or not zipfile.is_zipfile(handle):
            raise Problem(f"{label} is not a zip file")
        _read_zip_members(intake, handle, "", prefix="", nested=True)
    return intake.finish()


def _read_zip_members(intake: Intake, source, path: str, prefix: str, nested: bool) -> None:
    name = path or intake.label
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_ENTRIES:
                raise Problem(f"{name} holds {len(members)} files, more than {MAX_ENTRIES}")
            if sum(m.file_size for m in members) > MAX_BYTES:
                raise Problem(f"{name} unpacks to more than {MAX_BYTES // MiB} MiB")
            for member in members:
                _read_member(intake, archive, member, prefix, nested)
    except ZIP_ERRORS as error:
        if not path:
            raise Problem(f"{name} is damaged: {error}") from None
        intake.skip(f"a damaged zip ({error})", path)


def _read_member(intake: Intake, archive: zipfile.ZipFile, member: zipfile.ZipInfo, prefix: str,
                 nested: bool) -> None:
    raw = member.filename.replace("\\", "/")
    parts = PurePosixPath(raw).parts
    if raw.startswith("/") or ".." in parts or ":" in raw:
        raise Problem(f"{intake.label} holds a file outside its own folder ({member.filename}); zip the folder again")
    path = prefix + raw
    if member.is_dir() or IGNORED & set(parts) or any(p.startswith(".") for p in parts):
        return
    if not intake.count(path, member.file_size):
        return
    if len(parts) > MAX_DEPTH + 1:
        return intake.skip(f"nested deeper than {MAX_DEPTH} folders", path[:80] + "...")
    if stat.S_ISLNK(member.external_attr >> 16):
        return intake.skip("a link (submit the file itself)", path)
    if not wanted(parts[-1]):
        return
    limit = MAX_BYTES if raw.lower().endswith((".zip", ".ipynb")) else MAX_MODULE_BYTES
    with archive.open(member) as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise Problem(f"{intake.label}: {member.filename} is larger than {limit // MiB} MiB")
    mtime = _zip_time(member)
    _add(intake, path, data, mtime, nested)


def _zip_time(member: zipfile.ZipInfo) -> float:
    import datetime

    try:
        return datetime.datetime(*member.date_time).timestamp()
    except (ValueError, OverflowError):
        return 0.0
