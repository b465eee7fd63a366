"""Gradescope: build ``autograder.zip`` and run inside Gradescope's ``/autograder`` tree.

The zip holds this kit's source (engine, hidden checks, references), ``setup.sh``
(installs the pinned dependencies once, when Gradescope builds the image) and
``run_autograder`` (grades ``/autograder/submission`` into
``/autograder/results/results.json`` with ``nn101 gradescope run``).
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

from autograder import models, runner, seeding
from autograder.batch import discover, scratch_folder
from autograder.exercises import EXERCISES, Exercise
from autograder.reporters import gradescope as gradescope_report

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ("pyproject.toml", "README.md", "autograder", "solutions")
SKIP = {"__pycache__", ".ipynb_checkpoints", "mutants", "alternatives"}

SETUP_SH = """#!/usr/bin/env bash
# Runs once, as root, when Gradescope builds the image: install nn101 and its pinned dependencies.
set -euo pipefail
cd /autograder/source
if ! command -v python3.11 >/dev/null; then
  apt-get install -y python3.11 python3.11-venv || {
    python3 -m pip install uv && uv python install 3.11 && ln -sf "$(uv python find 3.11)" /usr/local/bin/python3.11; }
fi
python3.11 -m venv /autograder/nn101-venv
/autograder/nn101-venv/bin/pip install -q -e .
chmod 700 /autograder/source
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Runs for every submission: grade /autograder/submission into /autograder/results/results.json.
export TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0
root="${NN101_AUTOGRADER_ROOT:-/autograder}"
python="${NN101_PYTHON:-$root/nn101-venv/bin/python}"
if [ -f "$root/source/secret" ]; then export NN101_SECRET_FILE="$root/source/secret"; fi
cd "$root/source" && exec "$python" -m autograder gradescope run --root "$root" "$@"
"""


def build_zip(output: Path, secret_file: Path | None = None) -> Path:
    """Write ``autograder.zip``: setup.sh and run_autograder at the root, the kit beside them."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            archive.writestr(info, text)
        for item in INCLUDE:
            for path in _files(ROOT / item):
                archive.write(path, path.relative_to(ROOT).as_posix())
        if secret_file is not None:
            archive.write(secret_file, "secret")
    return output


def _files(path: Path):
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        if child.is_file() and not SKIP & set(child.relative_to(path).parts):
            yield child


def student_id(root: Path) -> str:
    """Gradescope's user id(s) from submission_metadata.json; empty if there is none."""
    try:
        users = json.loads((root / "submission_metadata.json").read_text())["users"]
        return "+".join(str(u["id"]) for u in users)
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def run(root: Path, exercises: tuple[Exercise, ...] = EXERCISES) -> models.Results:
    """Grade ``root/submission`` and write ``root/results/results.json``; never leave it unwritten."""
    results_file = root / "results" / "results.json"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = _grade_chosen_files(root, exercises)
        data = gradescope_report.as_dict(results)
        found = [] if any(e.source for e in results.exercises) else ["Graded no .py files."]
        data["output"] = " ".join([data.get("output", ""), *found, *results.warnings]).strip()  # + files graded
    except Exception as error:  # noqa: BLE001 - a results.json must exist whatever happened
        results = None
        data = {"score": 0, "tests": [], "output": f"The autograder failed: {error}. Your instructor has been told."}
    tmp = results_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, results_file)
    return results


def _grade_chosen_files(root: Path, exercises: tuple[Exercise, ...]) -> models.Results:
    """Grade the file chosen per exercise (a whole kit, a renamed copy: see ``batch.choose``), read safely."""
    import dataclasses

    entry = discover.Entry(student_id(root), root / "submission")
    with scratch_folder() as scratch:
        try:
            prepared = discover.prepare(entry, scratch, [e.name for e in exercises])
        except discover.Problem as problem:  # graded as it is: every check says which module is missing
            (scratch / "modules").mkdir()
            prepared = discover.Prepared(scratch / "modules", {}, (str(problem),))
        results = runner.grade(prepared.folder, exercises, student_id=entry.student_id, secret=seeding.load_secret())
    chosen = tuple(dataclasses.replace(e, source=prepared.sources.get(e.name, "")) for e in results.exercises)
    return dataclasses.replace(results, submission=str(root / "submission"), exercises=chosen,
                               warnings=(*results.warnings, *prepared.notes))
