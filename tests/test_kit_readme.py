"""The kit's README and GitHub workflow, checked against the code paths their commands use.

Windows and macOS cannot run here, so every command of the README's per-system blocks is
matched against an allowlist of command shapes, each checked against what it relies on: the
Python versions the kit supports, the venv layout CPython's own ``sysconfig`` gives for that
system, the kit's extras, the paths in the built kit and the ``nn101`` command's own parser.
A command this file does not know fails the test: check it, then add its shape here. The Linux
block is also run for real, in ``test_kit.py``.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from autograder import cli
from autograder.release import kit

BLOCK = re.compile(r"<!-- kit-commands: (?P<system>[\w-]+) -->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```", re.S)
SYSTEMS = {"windows-powershell": "powershell", "windows-anaconda": "bat", "macos": "bash", "linux": "bash"}
VENV_SCHEME = {"windows-powershell": "nt_venv", "macos": "posix_venv", "linux": "posix_venv"}


def readme_blocks(readme: Path) -> dict[str, list[str]]:
    """``{system: [command, ...]}`` from the README's ``<!-- kit-commands: SYSTEM -->`` blocks."""
    blocks = {}
    for match in BLOCK.finditer(readme.read_text(encoding="utf-8")):
        assert SYSTEMS.get(match["system"]) == match["lang"], f"{match['system']} block in ```{match['lang']}"
        blocks[match["system"]] = [line.strip() for line in match["body"].splitlines() if line.strip()]
    return blocks


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return kit.build_kit(ROOT, ROOT / "release" / "nn101", tmp_path_factory.mktemp("dist"))[0]


def scripts_dir(system: str) -> str:
    """Where a venv named .venv keeps its scripts on ``system``, as CPython's sysconfig says."""
    path = sysconfig.get_paths(scheme=VENV_SCHEME[system], vars={"base": ".venv", "platbase": ".venv"})["scripts"]
    return path.replace("/", "\\") if system.startswith("windows") else path


def activation_script(name: str) -> bool:
    """Whether ``venv`` writes an activation script of this name (CPython's venv/scripts/common)."""
    scripts = Path(importlib.util.find_spec("venv").origin).parent / "scripts"
    return (scripts / "common" / name).is_file()


def argv(line: str, system: str) -> list[str]:
    """The arguments a program gets from ``line``: cmd.exe (Anaconda Prompt) leaves single quotes in."""
    if system == "windows-anaconda":
        return [word.strip('"') for word in shlex.split(line, posix=False)]
    return shlex.split(line)


def command_problem(line: str, system: str, kit_folder: Path, conda_envs: set[str]) -> str:
    """Why ``line`` would not work on ``system`` in the kit, or "" (the allowlist of command shapes)."""
    words = argv(line, system)
    extras = tomllib.loads((kit_folder / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    if m := re.fullmatch(r"(?:py -(?P<py>3\.\d+)|python3(?P<p3>\.\d+)?) -m venv \.venv", line):
        version = m["py"] or (f"3{m['p3']}" if m["p3"] else None)
        if m["py"] and system != "windows-powershell":
            return "the py launcher is Windows only"
        return f"Python {version} is not one the kit supports" if version and version not in kit.KIT_PYTHONS else ""
    if m := re.fullmatch(r"conda create -y -n (?P<env>\w+) python=(?P<v>3\.\d+) pip", line):
        conda_envs.add(m["env"])
        return "" if m["v"] in kit.KIT_PYTHONS else f"Python {m['v']} is not one the kit supports"
    if m := re.fullmatch(r"conda activate (?P<env>\w+)", line):
        return "" if m["env"] in conda_envs else "activates an environment the block did not create"
    if m := re.fullmatch(r"(?P<dir>\.venv[\\/]\w+)[\\/](?P<script>Activate\.ps1)", line):
        return "" if m["dir"] == scripts_dir(system) and activation_script(m["script"]) else "no such venv script"
    if m := re.fullmatch(r"source (?P<dir>\.venv/\w+)/(?P<script>activate)", line):
        return "" if m["dir"] == scripts_dir(system) and activation_script(m["script"]) else "no such venv script"
    if words[:5] == ["python", "-m", "pip", "install", "-e"] and len(words) == 6:
        target = re.fullmatch(r"\.(?:\[(?P<extra>\w+)\])?", words[5])
        if not target or (target["extra"] and target["extra"] not in extras):
            hint = " (use double quotes: cmd.exe keeps single quotes)" if "'" in words[5] else ""
            return f"pip cannot install {words[5]!r} from the kit{hint}"
        return ""
    if words[0] == "pytest":
        missing = [w for w in words[1:] if not w.startswith("-") and not (kit_folder / w).exists()]
        return f"no {', '.join(missing)} in the kit" if missing else ""
    if words[0] == "nn101":
        return nn101_problem(words[1:], kit_folder)
    return "a command this test does not know: check it on each system, then add its shape here"


def nn101_problem(argv: list[str], kit_folder: Path) -> str:
    try:
        args = cli.build_parser().parse_args(argv)
    except SystemExit:
        return "nn101 rejects these arguments"
    if not (kit_folder / "autograder" / "commands" / f"{args.command.replace('-', '_')}.py").is_file():
        return f"the kit has no 'nn101 {args.command}'"
    path = getattr(args, "path", None)
    return f"no {path} in the kit" if path and not (kit_folder / path).exists() else ""


def test_the_readme_sets_up_tests_and_grades_on_every_system(built):
    blocks = readme_blocks(built / "README.md")
    assert set(blocks) == set(SYSTEMS)
    problems = []
    for system, lines in blocks.items():
        conda_envs: set[str] = set()
        problems += [f"{system}: {line}: {why}" for line in lines
                     if (why := command_problem(line, system, built, conda_envs))]
        assert lines[-2:] == ["pytest exercises", "nn101 grade"], system
        assert any("pip install -e ." in line for line in lines), system
    assert problems == []
    assert blocks["macos"] == blocks["linux"]  # so running the Linux block (test_kit.py) covers macOS's commands


def test_the_readme_commands_outside_the_blocks_work_too(built):
    text = (built / "README.md").read_text(encoding="utf-8")
    inline = re.findall(r"`((?:pytest|nn101|python -m pip install) [^`]*)`", text)
    fenced, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
        elif inside and line.strip().startswith(("pytest", "nn101", "python -m pip")):
            fenced.append(line.split("#")[0].strip())
    lines = set(inline + fenced)
    assert {"pytest exercises/tests/test_softmax.py", "nn101 grade --only softmax",
            'python -m pip install -e ".[notebooks]"'} <= lines
    problems = [f"{line}: {why}" for line in sorted(lines)
                if (why := command_problem(line, "windows-anaconda" if '"' in line else "linux", built, set()))]
    assert problems == []


@pytest.mark.parametrize("line, system, expected", [
    ("py -3.10 -m venv .venv", "windows-powershell", "not one the kit supports"),
    ("python3.14 -m venv .venv", "linux", "not one the kit supports"),
    (".venv\\bin\\Activate.ps1", "windows-powershell", "no such venv script"),
    ("source .venv/Scripts/activate", "linux", "no such venv script"),
    ("python -m pip install -e '.[notebooks]'", "windows-anaconda", "double quotes"),
    ('python -m pip install -e ".[gpu]"', "linux", "cannot install"),
    ("pytest exercise", "linux", "no exercise in the kit"),
    ("nn101 grade --onyl softmax", "linux", "rejects"),
    ("nn101 audit", "linux", "the kit has no 'nn101 audit'"),
    ("conda activate base", "windows-anaconda", "did not create"),
    ("pip install tensorflow", "linux", "does not know"),
])
def test_a_wrong_command_is_caught(built, line, system, expected):
    assert expected in command_problem(line, system, built, set())


def test_the_workflow_runs_the_tests_and_grades_on_ubuntu_windows_and_macos(built):
    workflow = yaml.safe_load((built / ".github" / "workflows" / "nn101.yml").read_text())
    job = workflow["jobs"]["grade"]
    assert set(job["strategy"]["matrix"]["os"]) == {"ubuntu-latest", "windows-latest", "macos-latest"}
    assert job["runs-on"] == "${{ matrix.os }}" and job["strategy"]["fail-fast"] is False
    assert job["defaults"]["run"]["shell"] == "bash"  # one syntax for the run steps, Windows included
    setup = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) in kit.KIT_PYTHONS
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pip install -e ." in runs and "pytest exercises" in runs
    assert 'nn101 grade exercises --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "--format junit" in runs
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    assert "${{ matrix.os }}" in upload["with"]["name"]  # artifact names must differ between matrix jobs
    for line in runs.splitlines():
        if line.strip().startswith("nn101 "):
            assert nn101_problem(shlex.split(line.split(">>")[0])[1:], built) == "", line
