"""The file names of LMS bulk downloads: which student a file or folder belongs to.

- Canvas ("Download Submissions"): one zip of loose files named
  ``<name>_<user id>_<submission id>_<original name>``, with ``_late`` (or ``_LATE``)
  after the name when submitted late. Canvas renames a resubmitted file
  ``softmax-1.py``, which :mod:`autograder.batch.choose` accepts as ``softmax.py``.
- Moodle ("Download all submissions"): a folder per student and plugin,
  ``<Full Name>_<participant id>_assignsubmission_file_`` (files in it), or, with
  "download submissions in folders" off, loose files
  ``<Full Name>_<participant id>_assignsubmission_file_<original name>``.

Files are grouped by the numeric id (a student's late and on-time files, or their
file and online-text folders, are one submission); the student id shown is
``<name>_<id>``, as in the download.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.errors import UsageError

CANVAS = re.compile(r"^(?P<name>[^_]+?)(?:_late)?_(?P<id>\d+)_(?P<submission>\d+)_(?P<original>.+)$",
                    re.IGNORECASE)
MAX_DOWNLOAD_BYTES = 2**30  # a whole class's modules, unpacked
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<original>.*)$")


@dataclass(frozen=True)
class LmsName:
    """What an LMS download's file name says."""

    system: str
    """``"canvas"`` or ``"moodle"``."""
    key: str
    """The LMS's own id of the student (what files are grouped by)."""
    student_id: str
    original: str
    """The name the student gave the file; ``""`` for a Moodle folder (its files keep theirs)."""


def parse(name: str, is_dir: bool) -> LmsName | None:
    """The LMS meaning of a top-level file or folder name, or None for a plain submission."""
    moodle = MOODLE.match(name)
    if moodle and (is_dir or moodle["original"]):
        return LmsName("moodle", moodle["id"], f"{moodle['name']}_{moodle['id']}",
                       "" if is_dir else moodle["original"])
    canvas = CANVAS.match(name)
    if canvas and not is_dir:
        return LmsName("canvas", canvas["id"], f"{canvas['name']}_{canvas['id']}", canvas["original"])
    return None


def unpack_download(archive_path: Path, target: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """Unpack an LMS download zip (given as SUBMISSIONS_DIR) into ``target``.

    Only what may be graded is written (modules, near-miss names, zips), links are
    skipped, and a member that cannot be written (a name too long, a file that is also
    a folder) is skipped with a note. Returns the top-level ``(path, name)`` items for
    :func:`autograder.batch.discover.discover`, and the notes.
    """
    from autograder.batch import intake

    notes, size = [], 0
    try:
        with zipfile.ZipFile(archive_path) as archive:
            for member in archive.infolist():
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                if (member.is_dir() or not parts or parts[0] in ("/", "..") or ".." in parts
                        or len(parts) > intake.MAX_DEPTH or stat.S_ISLNK(member.external_attr >> 16)
                        or not intake.wanted(parts[-1])):
                    continue
                size += member.file_size
                if size > MAX_DOWNLOAD_BYTES:
                    raise UsageError(f"{archive_path} unpacks to more than {MAX_DOWNLOAD_BYTES // 2**30} GiB")
                destination = target.joinpath(*parts)
                try:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as source, open(destination, "xb") as out:
                        shutil.copyfileobj(source, out)
                    stamp = datetime.datetime(*member.date_time).timestamp()
                    os.utime(destination, (stamp, stamp))  # the same files keep one fingerprint
                except (OSError, ValueError) as error:
                    notes.append(f"skipping {member.filename[:120]} in {archive_path.name}: "
                                 f"{getattr(error, 'strerror', None) or error}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError) as error:
        raise UsageError(f"{archive_path} is damaged ({error}): download it again") from None
    return [(path, path.name) for path in sorted(target.iterdir())], notes
