"""The uid level (root without namespaces), proved with a Python every user can read.

The isolation and adversarial suites run at the machine's best level. This runs them again,
forced to the uid level (``NN101_ISOLATION=uid``), under an interpreter whose standard library
the worker's uid can read: the uid level cannot work with one under a private home (pyenv's),
and refuses to grade there (see test_isolation's self-test). Cases that only the namespace level
can hold are skipped there with their reason (``Case.uid_gap``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT

PUBLIC_PYTHON = Path("/usr/bin/python3.11")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not PUBLIC_PYTHON.exists() or sys.version_info[:2] != (3, 11),
    reason="needs root and a system Python 3.11 that every user can read")


@pytest.fixture(scope="module")
def public_python(tmp_path_factory) -> str:
    """A venv of the system's Python that sees this environment's packages (numpy, TensorFlow, ...)."""
    home = tmp_path_factory.mktemp("public")
    for folder in (home, *home.parents):
        if folder == Path("/"):
            break
        folder.chmod(folder.stat().st_mode | 0o755) if folder.is_relative_to("/tmp") else None
    venv = home / "venv"
    subprocess.run([str(PUBLIC_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "parent-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return str(python)


def test_isolation_and_hostile_catalog_hold_at_the_uid_level(public_python):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NN101_", "PYTEST", "VIRTUAL_ENV"))}
    env.update(NN101_ISOLATION="uid", PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([public_python, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                             "tests/test_isolation.py", "tests/test_adversarial.py"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    tail = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert " passed" in result.stdout and "the uid level shares the file system" in result.stdout, tail
