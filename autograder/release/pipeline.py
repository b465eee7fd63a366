"""The steps of ``nn101 release``, and of ``nn101 release --check`` (what CI runs).

release: solutions/*.py -> exercises/*.py (stubs) and README.md's exercise table;
solutions + lessons -> source/nn101/*.ipynb;
nbgrader generate_assignment -> release/nn101/; the student kit -> dist/ (folder, zip, wheel);
the leak check.
check: the same into a scratch directory, then compare with what is committed.
"""

from __future__ import annotations

import filecmp
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder import rules, stubs
from autograder.release import assignment, kit, leaks, notebooks, readme
from autograder.release.assignment import ASSIGNMENT, CONFIG_FILE


@dataclass(frozen=True)
class Outcome:
    """What a release or a check found: files out of date, leaks, and what was built."""

    stale: tuple[str, ...] = ()
    """Committed files that differ from what the sources give (check only)."""
    leaks: tuple[leaks.Leak, ...] = ()
    built: tuple[Path, ...] = field(default=())
    broken: tuple[rules.Finding, ...] = ()
    """Authoring rules broken (:mod:`autograder.rules`), each saying what to add where."""

    @property
    def return_code(self) -> int:
        return 1 if self.stale or self.leaks or self.broken else 0


def release(root: Path, dist: Path | None = None) -> Outcome:
    """Regenerate everything in place and build the kit into ``dist`` (default ``root/dist``)."""
    root = Path(root)
    stubs.generate_stubs(root / "solutions", root / "exercises")
    notebooks.generate_notebooks(root / "solutions", root / "source" / ASSIGNMENT, lessons(root))
    readme.update(root)
    released = assignment.generate_assignment(root / CONFIG_FILE, root, ASSIGNMENT)
    folder, archive = kit.build_kit(root, released, Path(dist) if dist else root / "dist")
    wheel = kit.build_wheel(folder, Path(dist) if dist else root / "dist")
    return Outcome(leaks=tuple(scan(root, folder, archive, wheel)), built=(folder, archive, wheel),
                   broken=tuple(rules.findings(root)))


def check(root: Path) -> Outcome:
    """Regenerate into a scratch directory; report committed files that differ, and leaks."""
    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="nn101-release-") as scratch:
        scratch = Path(scratch)
        stubs.generate_stubs(root / "solutions", scratch / "exercises")
        stale = _differences(scratch / "exercises", root / "exercises", "exercises", only_expected=True)
        stale += ["README.md (its exercise table)"] if readme.stale(root) else []
        source = scratch / "source"
        notebooks.generate_notebooks(root / "solutions", source / ASSIGNMENT, lessons(root))
        stale += _differences(source / ASSIGNMENT, root / "source" / ASSIGNMENT, f"source/{ASSIGNMENT}")
        released = assignment.release_into(source, root / CONFIG_FILE, scratch)
        stale += _differences(released, root / "release" / ASSIGNMENT, f"release/{ASSIGNMENT}")
        folder, archive = kit.build_kit(root, released, scratch / "dist")  # stale files are reported above
        found = scan(root, folder, archive, kit.build_wheel(folder, scratch / "dist"))
    return Outcome(stale=tuple(stale), leaks=tuple(found), broken=tuple(rules.findings(root)))


def lessons(root: Path) -> Path:
    """The lesson narratives of the repository ``root`` (not of the installed package)."""
    return root / "autograder" / "release" / "lessons"


def scan(root: Path, folder: Path, archive: Path, wheel: Path) -> list[leaks.Leak]:
    prints = leaks.fingerprints(root)
    return leaks.scan_kit(folder, prints) + leaks.scan_zip(archive, prints) + leaks.scan_wheel(wheel, prints)


def _differences(expected: Path, committed: Path, label: str, only_expected: bool = False) -> list[str]:
    """Files under ``label`` that are missing, out of date, or (unless ``only_expected``) extra."""
    want = {p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file()}
    have = {p.relative_to(committed).as_posix() for p in committed.rglob("*")
            if p.is_file() and not kit._is_junk(p)} if committed.is_dir() else set()
    names = want if only_expected else want | have
    return [f"{label}/{name}" for name in sorted(names)
            if name not in want or name not in have
            or not filecmp.cmp(expected / name, committed / name, shallow=False)]
