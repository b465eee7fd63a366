"""The other ways nn101 runs, proved with the same suites: the uid level, and an ordinary user.

The isolation and adversarial suites run at the machine's best level, as root. This runs them
again, under an interpreter whose standard library every user can read (the system's Python;
pyenv's lives under a private home, where the uid level refuses to grade, see test_isolation's
self-test):

- forced to the uid level (``NN101_ISOLATION=uid``), where every case must hold too (none is
  skipped for a ``Case.uid_gap`` any more: the course is closed by an allowlist);
- as an ordinary user (uid 65534), where bubblewrap takes a user namespace: a student grading
  their own work, or a course that grades without root, at the namespace level.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT

PUBLIC_PYTHON = Path("/usr/bin/python3.11")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not PUBLIC_PYTHON.exists() or sys.version_info[:2] != (3, 11),
    reason="needs root and a system Python 3.11 that every user can read")


@pytest.fixture(scope="module")
def public_python() -> str:
    """A venv of the system's Python that sees this environment's packages (numpy, TensorFlow, ...)."""
    home = Path(tempfile.mkdtemp(prefix="nn101-public-"))  # every user may enter it
    venv = home / "venv"
    subprocess.run([str(PUBLIC_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "parent-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    home.chmod(0o755)
    yield str(python)
    shutil.rmtree(home, ignore_errors=True)


def test_isolation_and_hostile_catalog_hold_at_the_uid_level(public_python):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NN101_", "PYTEST", "VIRTUAL_ENV"))}
    env.update(NN101_ISOLATION="uid", PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([public_python, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                             "tests/test_isolation.py", "tests/test_adversarial.py"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    tail = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert " passed" in result.stdout and "at the uid level:" not in result.stdout, tail  # no case skipped there


def test_isolation_and_hostile_catalog_hold_for_an_ordinary_user(public_python):
    if shutil.which("bwrap") is None or shutil.which("setpriv") is None:
        pytest.skip("needs bubblewrap and setpriv")
    tmp_path = Path(tempfile.mkdtemp(prefix="nn101-user-"))  # pytest's own tmp is root's alone
    copy = tmp_path / "course"  # a copy the user may read: as root, the suites protect the original
    for part in ("autograder", "solutions", "tests", "exercises", "pyproject.toml"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, copy / part)
    (tmp_path / "tmp").mkdir()
    subprocess.run(["chmod", "-R", "a+rwX", str(tmp_path)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NN101_", "PYTEST", "VIRTUAL_ENV"))}
    env.update(PYTHONPATH=str(copy), TF_CPP_MIN_LOG_LEVEL="3", HOME=str(tmp_path),  # its caches and
               MPLCONFIGDIR=str(tmp_path / "matplotlib"), TMPDIR=str(tmp_path / "tmp"))  # pytest's tmp go too
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", public_python,
                             "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_isolation.py",
                             "tests/test_adversarial.py"],
                            cwd=copy, env=env, capture_output=True, text=True, timeout=1200)
    shutil.rmtree(tmp_path, ignore_errors=True)
    tail = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert " passed" in result.stdout, tail
