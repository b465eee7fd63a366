"""The kit's Python range and per-system dependencies (``scripts/check_kit_pythons.py``).

The markers are checked offline; a Python outside the range is shown not to resolve (pip against
PyPI, a few seconds; skipped without network). Resolving a supported pair takes 15 to 90 s, so it
runs only with NN101_CHECK_PYTHONS=1; ``python scripts/check_kit_pythons.py`` checks every pair.
"""

from __future__ import annotations

import os
import socket
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import check_kit_pythons as script  # noqa: E402

from autograder.release import kit  # noqa: E402


def test_the_kit_supports_the_pythons_its_tensorflow_has_wheels_for():
    assert kit.KIT_PYTHONS == ("3.11", "3.12", "3.13")
    assert kit.kit_requires_python() == ">=3.11,<3.14"


@pytest.mark.parametrize("system, tensorflow", [
    ("linux-x86_64", "tensorflow-cpu==2.21.0"), ("windows-amd64", "tensorflow-cpu==2.21.0"),
    ("macos-arm64", "tensorflow==2.21.0"), ("linux-aarch64", "tensorflow==2.21.0"),
])
def test_each_system_gets_the_tensorflow_that_has_wheels_for_it(system, tensorflow):
    wanted = script.requirements_for(script.SYSTEMS[system], "3.12")
    assert [r for r in wanted if r.startswith("tensorflow")] == [tensorflow]
    assert "numpy==2.4.6" in wanted and "notebook==7.6.5" in wanted and not [r for r in wanted if ";" in r]


def pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


NETWORK = pytest.mark.skipif(not pypi_reachable(), reason="needs pip's network access to PyPI")


@NETWORK
def test_a_python_outside_the_range_does_not_resolve():
    ok, detail = script.resolve(script.SYSTEMS["windows-amd64"], "3.14")
    assert not ok and "tensorflow-cpu==2.21.0" in detail


@NETWORK
@pytest.mark.skipif(os.environ.get("NN101_CHECK_PYTHONS") != "1",
                    reason="slow (pip resolves 130 packages on PyPI, 15 to 90 s): set NN101_CHECK_PYTHONS=1, "
                           "or run scripts/check_kit_pythons.py for every pair")
@pytest.mark.parametrize("system, python", [("windows-amd64", p) for p in kit.KIT_PYTHONS]
                         + [("macos-arm64", kit.KIT_PYTHONS[-1]), ("linux-x86_64", kit.KIT_PYTHONS[0])])
def test_the_kit_resolves_for_every_supported_python(system, python):
    ok, detail = script.resolve(script.SYSTEMS[system], python)
    assert ok, detail
