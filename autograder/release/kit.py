"""The student kit: what a student downloads, as a folder, a zip and a wheel.

    nn101-student-kit/
      README.md           kit/README.md
      .github/workflows/  kit/.github: runs the visible tests and nn101 grade on every push
      pyproject.toml      the course's dependencies, the ``nn101`` command, pytest settings
      exercises/          the generated stubs and the visible tests
      notebooks/          the nbgrader release notebooks
      autograder/         the engine and the visible checks, without anything secret

Left out: ``solutions/``, ``source/``, the hidden checks (each check file is cut at its
mark, :func:`autograder.checks.core.visible_part`), the mutant and alternative machinery, the instructor commands and this package; caches and checkpoints everywhere.
The wheel (``nn101_student_kit-<version>-py3-none-any.whl``) is the kit's ``autograder`` package
and the ``nn101`` command, built from the kit folder by setuptools through ``pip wheel``: one
file a notebook (Colab, a university JupyterHub) installs with ``%pip install <path or URL>``.
The leak checker (:mod:`autograder.release.leaks`) then scans what was built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from autograder.checks.core import visible_part

KIT_NAME = "nn101-student-kit"
# Parts of autograder/ that never reach students (paths relative to the repository).
SECRET_DIRS = ("autograder/mutants", "autograder/alternatives", "autograder/release")
INSTRUCTOR_DIRS = ("autograder/batch",)
INSTRUCTOR_FILES = (
    "autograder/commands/audit.py", "autograder/commands/release.py", "autograder/commands/gradescope.py",
    "autograder/commands/grade_all.py", "autograder/audit.py", "autograder/gradescope.py",
    "autograder/summary.py", "autograder/stubs.py", "autograder/idscan.py",
    "autograder/commands/merge.py", "autograder/commands/similarity.py", "autograder/commands/export.py",
    "autograder/distributed.py", "autograder/shards.py", "autograder/similarity.py", "autograder/lms_export.py",
    "autograder/commands/grade_all_nbgrader.py", "autograder/gradebook.py", "autograder/autograded.py",
)
JUNK = ("__pycache__", ".ipynb_checkpoints", ".pytest_cache", "*.pyc", "*.pyo", "*.egg-info", ".DS_Store")
ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed, so the same kit gives the same zip
WHEEL_SECONDS = 600  # setuptools builds the wheel in a few seconds; a hung build must not hang the release

# The CPython versions the kit installs on: those its pinned TensorFlow (2.21) has wheels for.
# The instructor side stays on what was verified (the course pyproject's requires-python).
KIT_PYTHONS = ("3.11", "3.12", "3.13")
# Course pins that have no wheel for some student systems, and the package that does: tensorflow-cpu
# 2.21 has wheels for Linux x86_64 and Windows only; macOS (Apple silicon) and Linux ARM use tensorflow.
# Each: (where the pin itself installs, the other package, where that one does), as PEP 508 markers.
PLATFORM_VARIANTS = {
    "tensorflow-cpu": ("sys_platform != 'darwin' and platform_machine != 'aarch64'",
                       "tensorflow", "sys_platform == 'darwin' or platform_machine == 'aarch64'"),
}


def excluded(relative: str) -> bool:
    """Whether the repository file ``relative`` (posix path) stays out of the kit."""
    if relative in INSTRUCTOR_FILES:
        return True
    return any(relative == d or relative.startswith(d + "/") for d in SECRET_DIRS + INSTRUCTOR_DIRS)


def build_kit(root: Path, release_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    """Build ``out_dir/nn101-student-kit/`` and its zip from the repository ``root``."""
    root, out_dir = Path(root), Path(out_dir)
    kit = out_dir / KIT_NAME
    if kit.exists():
        shutil.rmtree(kit)
    kit.mkdir(parents=True)
    for relative in _package_files(root):
        _copy(root / relative, kit / relative)
    shutil.copytree(root / "exercises", kit / "exercises", ignore=shutil.ignore_patterns(*JUNK))
    shutil.copytree(release_dir, kit / "notebooks", ignore=shutil.ignore_patterns(*JUNK))
    templates = root / "kit"
    shutil.copyfile(templates / "README.md", kit / "README.md")
    shutil.copytree(templates / ".github", kit / ".github")  # the GitHub Classroom workflow
    (kit / "pyproject.toml").write_text(kit_pyproject(root / "pyproject.toml", templates / "pyproject.toml"),
                                        encoding="utf-8")
    return kit, zip_kit(kit, out_dir / f"{KIT_NAME}.zip")


def _package_files(root: Path) -> list[str]:
    files = []
    for path in sorted((root / "autograder").rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not _is_junk(path) and not excluded(relative):
            files.append(relative)
    return files


def _is_junk(path: Path) -> bool:
    return any(path.match(pattern) or any(part == pattern for part in path.parts) for pattern in JUNK)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix == ".py" and source.parent.name == "checks" and source.parent.parent.name == "autograder":
        target.write_text(visible_part(source.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        shutil.copyfile(source, target)


def kit_pyproject(course_pyproject: Path, template: Path) -> str:
    """The kit's pyproject: the template with the course's pinned dependencies filled in."""
    project = tomllib.loads(course_pyproject.read_text(encoding="utf-8"))["project"]
    return (template.read_text(encoding="utf-8")
            .replace("@VERSION@", project["version"])
            .replace("@PYTHON@", kit_requires_python())
            .replace("@CLASSIFIERS@", _toml_list([f"Programming Language :: Python :: {v}" for v in KIT_PYTHONS]))
            .replace("@DEPENDENCIES@", _toml_list(kit_dependencies(course_pyproject)))
            .replace("@NOTEBOOKS@", _toml_list(kit_notebook_dependencies(course_pyproject))))


def kit_requires_python() -> str:
    """``">=3.11,<3.14"`` for :data:`KIT_PYTHONS` 3.11 to 3.13."""
    major, last = KIT_PYTHONS[-1].split(".")
    return f">={KIT_PYTHONS[0]},<{major}.{int(last) + 1}"


def kit_dependencies(course_pyproject: Path) -> list[str]:
    """The course's pinned dependencies, with :data:`PLATFORM_VARIANTS` split by environment marker.

    ``tensorflow-cpu==2.21.0`` becomes ``tensorflow-cpu==2.21.0; <where>`` and
    ``tensorflow==2.21.0; <elsewhere>``.
    """
    dependencies = []
    for requirement in _project(course_pyproject)["dependencies"]:
        name, _, pin = requirement.partition("==")
        if name.strip() in PLATFORM_VARIANTS and pin:
            where, other, elsewhere = PLATFORM_VARIANTS[name.strip()]
            dependencies += [f"{requirement}; {where}", f"{other}=={pin}; {elsewhere}"]
        else:
            dependencies.append(requirement)
    return dependencies


def kit_notebook_dependencies(course_pyproject: Path) -> list[str]:
    """The ``[notebooks]`` extra of the kit: Jupyter without nbgrader (grading stays on the instructor's side)."""
    notebooks = _project(course_pyproject).get("optional-dependencies", {}).get("notebooks", [])
    return [d for d in notebooks if not d.startswith("nbgrader")]


def _project(course_pyproject: Path) -> dict:
    return tomllib.loads(Path(course_pyproject).read_text(encoding="utf-8"))["project"]


def _toml_list(items: list[str]) -> str:
    return "[\n" + "".join(f'    "{item}",\n' for item in items) + "]"


def zip_kit(kit: Path, target: Path) -> Path:
    """Zip ``kit`` (as its own top folder), files in sorted order with a fixed time stamp."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in kit.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{kit.name}/{path.relative_to(kit).as_posix()}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    tmp.replace(target)
    return target


class WheelError(RuntimeError):
    """Building the kit's wheel failed; the message ends with the build tool's last lines."""


def build_wheel(kit: Path, out_dir: Path) -> Path:
    """Build the kit folder ``kit`` into ``out_dir/nn101_student_kit-<version>-py3-none-any.whl``.

    Built from a scratch copy (setuptools writes ``build/`` and ``*.egg-info`` next to its sources),
    offline and with this environment's setuptools (``--no-build-isolation --no-index``), with the
    zip time stamps fixed through ``SOURCE_DATE_EPOCH``. Raises :class:`WheelError`.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("nn101_student_kit-*.whl"):
        old.unlink()
    epoch = int(datetime(*ZIP_TIME, tzinfo=timezone.utc).timestamp())
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), PIP_DISABLE_PIP_VERSION_CHECK="1")
    with tempfile.TemporaryDirectory(prefix="nn101-wheel-") as scratch:
        source = Path(scratch) / KIT_NAME
        shutil.copytree(kit, source, ignore=shutil.ignore_patterns(*JUNK))
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                   "--no-index", "--wheel-dir", str(out_dir), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=WHEEL_SECONDS)
        except subprocess.TimeoutExpired:
            raise WheelError(f"pip wheel did not finish within {WHEEL_SECONDS} s") from None
    wheels = sorted(out_dir.glob("nn101_student_kit-*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise WheelError(f"building the kit's wheel failed (needs setuptools>=64 and pip): {tail}")
    return wheels[0]
