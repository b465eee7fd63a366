"""The file names of LMS bulk downloads: which student a file or folder belongs to.

- Canvas ("Download Submissions"): one zip of loose files named
  ``<name>_<user id>_<submission id>_<original name>``, with ``_LATE`` (older
  versions: ``_late``) after the name when submitted late. Canvas renames a
  resubmitted file ``softmax-1.py``, which :mod:`autograder.batch.choose` accepts as
  ``softmax.py``.
- Moodle ("Download all submissions"): a folder per student and plugin,
  ``<Full Name>_<participant id>_assignsubmission_file_`` (files in it), or, with
  "download submissions in folders" off, loose files
  ``<Full Name>_<participant id>_assignsubmission_file_<original name>``.

Only part of each name is the LMS's: the original name is the student's, and so may be
the name before the ids (Canvas's "sortable name" and Moodle's full name are often
editable by students). So the format is decided once per download, from all its names
(:func:`group`): the format that most names fit (ties: Moodle, Canvas, then plain
folders), and a name that does not fit it is a note, never a student. Moodle writes
the full name with ``_`` replaced by a space, so its names read one way only. A Canvas
name may read several ways (``x_777_123_456_a.py``: user 777, or user 123 called
``x_777``); a reading is dropped only when its user's own unambiguous files give that
user another name, and a file left with two users is a note: the true reading is
never dropped, so a file is given only to its own student.

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
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.errors import UsageError

CANVAS_IDS = re.compile(r"(?=_([0-9]+)_([0-9]+)_(.))", re.DOTALL)
"""Each place where ``_<user id>_<submission id>_<original name>`` may start in a Canvas file name."""
LATE = re.compile(r"_late$", re.IGNORECASE)
MAX_DOWNLOAD_BYTES = 2**30  # a whole class's modules, unpacked
MOODLE = re.compile(r"^(?P<name>[^_]+)_(?P<id>[0-9]+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<original>.*)$",
                    re.DOTALL)
PATTERNS = {"canvas": "<name>_<user id>_<submission id>_<file>",
            "moodle": "<Full Name>_<id>_assignsubmission_file_..."}
SYSTEMS = ("moodle", "canvas", "plain")  # in this order when as many names fit two


@dataclass(frozen=True)
class Reading:
    """One way to read an LMS file name."""

    key: str
    """The LMS's own id of the student (what files are grouped by)."""
    name: str
    """The student's name as the LMS wrote it (``_late`` removed)."""
    names: frozenset[str]
    """Every name the student may have (with and without a ``_late`` that may be theirs)."""
    original: str
    """The name the student gave the file; ``""`` for a Moodle folder (its files keep theirs)."""

    @property
    def student_id(self) -> str:
        return f"{self.name}_{self.key}"


@dataclass
class Download:
    """A folder of submissions read as one format (``system``: "canvas", "moodle" or "plain")."""

    system: str
    students: dict[str, list[tuple[Path, Reading]]] = field(default_factory=dict)
    """LMS id -> the student's files and folders, in name order (Canvas and Moodle only)."""
    plain: list[tuple[Path, str]] = field(default_factory=list)
    """The items for the rule "a folder or zip per student" (``system == "plain"`` only)."""
    notes: list[str] = field(default_factory=list)


def group(items: list[tuple[Path, str]]) -> Download:
    """Decide the format of a download from all its ``(path, name)`` items, and group them by student."""
    fits: dict[str, list[tuple[Path, str, list[Reading]]]] = {system: [] for system in SYSTEMS}
    for path, name in items:
        is_dir = path.is_dir() and not path.is_symlink()
        if is_dir or path.is_symlink() or name.lower().endswith(".zip"):
            fits["plain"].append((path, name, []))
        for system, readings in (("moodle", moodle_readings(name, is_dir)),
                                 ("canvas", [] if is_dir else canvas_readings(name))):
            if readings:
                fits[system].append((path, name, readings))
    system = max(SYSTEMS, key=lambda s: len(fits[s]))
    if not fits[system] or system == "plain":
        return Download("plain", plain=list(items))
    download = Download(system)
    fitting = {name for _, name, _ in fits[system]}
    download.notes += [f"skipping {name}: not a {system.title()} download's file name ({PATTERNS[system]}), "
                       f"as the others are; grade it on its own if it is a submission"
                       for _, name in items if name not in fitting]
    known = _known_names(fits[system])
    for path, name, readings in fits[system]:
        kept = [r for r in readings if r.key not in known or r.names & known[r.key]]
        if len({r.key for r in kept}) != 1:
            download.notes.append(_two_readings(name, kept or readings))
            continue
        download.students.setdefault(kept[0].key, []).append((path, kept[0]))
    return download


def _known_names(fits: list[tuple[Path, str, list[Reading]]]) -> dict[str, frozenset[str]]:
    """The names each LMS id has in the files that read as that id only (a student's own files)."""
    known: dict[str, frozenset[str]] = {}
    for _, _, readings in fits:
        if len({r.key for r in readings}) == 1:
            for reading in readings:
                known[reading.key] = known.get(reading.key, frozenset()) | reading.names
    return known


def _two_readings(name: str, readings: list[Reading]) -> str:
    options = " or ".join(f"user {r.key} ({r.name or 'no name'})" for r in readings)
    return (f"skipping {name}: cannot tell whose file it is, it reads as {options}; rename it so that only "
            "its student's own <name>_<user id>_<submission id>_ is left, and grade again")


def canvas_readings(name: str) -> list[Reading]:
    """Every way to read ``name`` as ``<name>[_LATE]_<user id>_<submission id>_<original name>``."""
    readings = []
    for found in CANVAS_IDS.finditer(name):
        prefix = name[:found.start()]
        user = LATE.sub("", prefix)
        original = name[found.start() + len(found[1]) + len(found[2]) + 3:]
        readings.append(Reading(found[1], user, frozenset({_nfc(prefix), _nfc(user)}), original))
    return readings


def moodle_readings(name: str, is_dir: bool) -> list[Reading]:
    """The one reading of a Moodle folder or file name (none if it is not one)."""
    found = MOODLE.match(name)
    if not found or not (is_dir or found["original"]):
        return []
    return [Reading(found["id"], found["name"], frozenset({_nfc(found["name"])}),
                    "" if is_dir else found["original"])]


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


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
