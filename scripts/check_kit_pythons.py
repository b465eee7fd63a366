"""Check that the student kit's dependencies resolve, as wheels, for every Python and system it supports.

    python scripts/check_kit_pythons.py                              # every Python x every system
    python scripts/check_kit_pythons.py --python 3.13 --system windows-amd64

The kit installs on the CPython versions in ``autograder.release.kit.KIT_PYTHONS`` (those the
pinned TensorFlow has wheels for). This machine has one Python, so for each (Python, system)
pair the script asks pip to resolve the kit's dependencies (and its ``[notebooks]`` extra)
without installing anything::

    pip install --dry-run --ignore-installed --only-binary=:all: --python-version X
                --platform TAG [--platform TAG ...] --target TMP  <requirements>

after evaluating the kit's own environment markers (``tensorflow-cpu`` or ``tensorflow``) for that
system. Only wheels count: a student's machine must not need a compiler. Needs pip's network
access to PyPI. Limit: pip evaluates the markers of *transitive* dependencies for the machine it
runs on; a wheel missing for one of those on another system shows only there.

Exit status 0 when every pair resolves, 1 otherwise; one line per pair, with pip's error if any.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from packaging.markers import default_environment  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402

from autograder.release import kit  # noqa: E402


@dataclass(frozen=True)
class System:
    """A student's system: its wheel platform tags and the PEP 508 marker values pip would see there."""

    name: str
    platforms: tuple[str, ...]
    markers: dict


def _manylinux(arch: str) -> tuple[str, ...]:
    return tuple(f"manylinux_2_{minor}_{arch}" for minor in range(17, 29)) + (f"manylinux2014_{arch}",)


SYSTEMS = {
    system.name: system for system in (
        System("linux-x86_64", _manylinux("x86_64"),
               {"sys_platform": "linux", "platform_machine": "x86_64", "platform_system": "Linux", "os_name": "posix"}),
        System("windows-amd64", ("win_amd64",),
               {"sys_platform": "win32", "platform_machine": "AMD64", "platform_system": "Windows", "os_name": "nt"}),
        System("macos-arm64", tuple(f"macosx_{major}_0_arm64" for major in range(11, 15)),
               {"sys_platform": "darwin", "platform_machine": "arm64", "platform_system": "Darwin", "os_name": "posix"}),
        System("linux-aarch64", _manylinux("aarch64"),
               {"sys_platform": "linux", "platform_machine": "aarch64", "platform_system": "Linux", "os_name": "posix"}),
    )
}


def requirements_for(system: System, python: str, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The kit's requirements (with the notebooks extra) that apply on ``system`` with ``python``, markers dropped."""
    environment = dict(default_environment(), python_version=python, python_full_version=f"{python}.0",
                       implementation_name="cpython", platform_python_implementation="CPython", **system.markers)
    wanted = []
    for line in kit.kit_dependencies(pyproject) + kit.kit_notebook_dependencies(pyproject):
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            requirement.marker = None
            wanted.append(str(requirement))
    return wanted


def resolve(system: System, python: str, timeout: float = 600) -> tuple[bool, str]:
    """Ask pip to resolve the kit for (``system``, ``python``); ``(True, "N packages")`` or ``(False, why)``."""
    with tempfile.TemporaryDirectory(prefix="nn101-kit-resolve-") as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                   "--only-binary=:all:", "--python-version", python, "--target", str(Path(scratch) / "target"),
                   "--report", str(report), "--disable-pip-version-check"]
        for tag in system.platforms:
            command += ["--platform", tag]
        try:
            done = subprocess.run(command + requirements_for(system, python), capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"pip did not finish within {timeout:g} s"
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
            return False, (errors or done.stderr.strip().splitlines() or ["pip failed"])[-1]
        installed = json.loads(report.read_text(encoding="utf-8"))["install"]
        return True, f"{len(installed)} packages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", choices=kit.KIT_PYTHONS,
                        help="a Python version to check (repeatable; default: all the kit supports)")
    parser.add_argument("--system", action="append", choices=sorted(SYSTEMS),
                        help="a student system to check (repeatable; default: all)")
    args = parser.parse_args(argv)
    failures = 0
    print(f"kit requires-python {kit.kit_requires_python()}")
    for python in args.python or kit.KIT_PYTHONS:
        for name in args.system or SYSTEMS:
            ok, detail = resolve(SYSTEMS[name], python)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} Python {python} on {name}: {detail}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
