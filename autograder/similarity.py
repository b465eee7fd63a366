"""Rank pairs of students by how alike their code is, with copydetect (winnowed fingerprints).

Each student's code modules (every exercise but the quiz, whose right answers are
the same for everyone) are joined into one text in teaching order. copydetect
tokenises it (names become ``V``/``F``, comments and docstrings go, so renaming
variables and rewriting comments change nothing), fingerprints it by winnowing,
drops every fingerprint that also occurs in the boilerplate (the stubs every
student was given, built from ``solutions/``, plus any ``--boilerplate`` folder),
and compares every pair: ``first_share`` is the part of the first student's
remaining code found in the second's, and ``second_share`` the other way round.
Fingerprints do not depend on where code sits, so reordered functions still match.

Pairs are ranked by the mean of the two shares, most similar first. Nothing is
decided: a high rank is a reason for the instructor to read both submissions.
Source: Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for
document fingerprinting", SIGMOD 2003 (the method of MOSS and copydetect).
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError
from autograder.exercises import EXERCISES

NOT_CODE = ("quiz",)  # answers, not code: everyone who is right agrees
NOISE_TOKENS = 25  # copydetect's defaults: matches shorter than this are noise,
GUARANTEE_TOKENS = 30  # matches at least this long are always found


@dataclass(frozen=True)
class Pair:
    """Two students and how much of their code (beyond the boilerplate) they share."""

    first: str
    second: str
    first_share: float
    """Share (0..1) of ``first``'s fingerprinted code that also occurs in ``second``'s."""
    second_share: float
    """Share (0..1) of ``second``'s fingerprinted code that also occurs in ``first``'s."""
    tokens: int
    """Number of shared tokens (after copydetect's filtering)."""
    first_html: str = ""
    """``first``'s code, HTML-escaped, with the shared parts marked (for the HTML report)."""
    second_html: str = ""

    @property
    def similarity(self) -> float:
        """What pairs are ranked by: the mean of the two shares (0..1)."""
        return (self.first_share + self.second_share) / 2


@dataclass(frozen=True)
class Report:
    pairs: tuple[Pair, ...]
    """Every pair that shares any code, most similar first."""
    students: tuple[str, ...]
    """Everyone compared."""
    notes: tuple[str, ...]
    """Submissions left out, and why."""


def code_modules() -> tuple[str, ...]:
    return tuple(e.name for e in EXERCISES if e.name not in NOT_CODE)


def student_code(folder: Path, modules=None) -> str:
    """The code of the modules in ``folder`` joined in teaching order ('' if there are none)."""
    parts = []
    for name in modules or code_modules():
        path = folder / f"{name}.py"
        if path.is_file():
            parts.append(f"# ---- {name}.py ----\n" + path.read_text(encoding="utf-8", errors="replace"))
    return "\n\n".join(parts)


def stub_code(modules=None) -> str:
    """The stubs students were given, joined like :func:`student_code`."""
    from autograder.references import solutions_dir
    from autograder.stubs import make_stub

    folder = solutions_dir()
    return "\n\n".join(f"# ---- {name}.py ----\n" + make_stub((folder / f"{name}.py").read_text(encoding="utf-8"))
                       for name in modules or code_modules() if (folder / f"{name}.py").is_file())


def compare(codes: dict[str, str], boilerplate: list[str], notes: tuple[str, ...] = (),
            highlight: bool = False) -> Report:
    """Rank every pair of ``codes`` (student id -> code), ignoring what occurs in ``boilerplate``."""
    try:
        from copydetect import CopyDetector
    except ImportError:
        raise UsageError("similarity needs copydetect: pip install 'nn101[similarity]'") from None
    students = sorted(codes)
    with tempfile.TemporaryDirectory(prefix="nn101-similarity-") as scratch:
        detector = CopyDetector(extensions=["py"], noise_t=NOISE_TOKENS, guarantee_t=GUARANTEE_TOKENS,
                                display_t=0.0, autoopen=False, silent=True, truncate=False,
                                out_file=str(Path(scratch) / "unused.html"))
        files = {}
        for index, student in enumerate(students):  # numbered files: an id is not always a safe file name
            files[student] = Path(scratch) / f"{index}.py"
            files[student].write_text(codes[student], encoding="utf-8")
            detector.add_file(str(files[student]))
        for index, text in enumerate(boilerplate):
            path = Path(scratch) / f"boilerplate-{index}.py"
            path.write_text(text, encoding="utf-8")
            detector.add_file(str(path), "boilerplate")
        if len(students) < 2:
            return Report((), tuple(students), notes)
        with _stable_hash():
            detector.run()
        by_file = {str(path): student for student, path in files.items()}
        pairs = [_pair(row, by_file, highlight) for row in detector.get_copied_code_list()]
    pairs.sort(key=lambda p: (-p.similarity, -p.tokens, p.first, p.second))
    return Report(tuple(pairs), tuple(students), notes)


@contextlib.contextmanager
def _stable_hash():
    """Give copydetect a hash that is the same in every process.

    It hashes k-grams with Python's ``hash()``, which is salted per process
    (PYTHONHASHSEED): the same class would rank a little differently on each run.
    """
    from copydetect import utils

    def stable(text: str) -> int:
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little", signed=True)

    utils.hash = stable  # a module global shadows the builtin inside copydetect.utils
    try:
        yield
    finally:
        del utils.hash


def _pair(row, by_file: dict[str, str], highlight: bool) -> Pair:
    first_share, second_share, first_file, second_file, first_html, second_html, tokens = row
    first, second = by_file[first_file], by_file[second_file]
    if second < first:
        first, second, first_share, second_share = second, first, second_share, first_share
        first_html, second_html = second_html, first_html
    return Pair(first, second, round(float(first_share), 4), round(float(second_share), 4), int(tokens),
                first_html if highlight else "", second_html if highlight else "")


def class_codes(root: Path, items=None) -> tuple[dict[str, str], tuple[str, ...]]:
    """Each student's code in SUBMISSIONS_DIR ``root``, and notes on those left out.

    Submissions are found and read as ``grade-all`` reads them (folders, zips, LMS
    downloads; ``items`` as for :func:`~autograder.batch.discover.discover`), and the
    file compared for each exercise is the one that is graded.
    """
    from autograder.batch import scratch_folder
    from autograder.batch.discover import Problem, discover, prepare

    entries, notes = discover(root, items)
    codes, notes = {}, list(notes)
    for entry in entries:
        try:
            with scratch_folder() as scratch:
                code = student_code(prepare(entry, scratch, code_modules()).folder)
        except (Problem, OSError) as error:
            notes.append(f"skipping {entry.student_id}: {error}")
            continue
        if code.strip():
            codes[entry.student_id] = code
        else:
            notes.append(f"skipping {entry.student_id}: no code module")
    return codes, tuple(notes)
