"""Gradescope: build ``autograder.zip`` and run inside Gradescope's ``/autograder`` tree.

The zip holds this kit's source (engine, hidden checks, references), ``setup.sh`` (installs
bubblewrap, a Python 3.11 that the worker's uid can read and the pinned dependencies, once, when
Gradescope builds the image), ``gradescope.json`` (the build's settings: visibility of hidden checks,
rate limit) and ``run_autograder`` (grades ``/autograder/submission`` into
``/autograder/results/results.json`` with ``nn101 gradescope run``).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder import models, rate_limit, runner, seeding
from autograder.batch import discover, scratch_folder
from autograder.errors import UsageError
from autograder.exercises import EXERCISES, Exercise
from autograder.rate_limit import RateLimit
from autograder.reporters import gradescope as gradescope_report
from autograder.reporters.gradescope import HIDDEN_VISIBILITIES

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ("pyproject.toml", "README.md", "autograder", "solutions", "release")  # release: notebooks are read against it
SKIP = {"__pycache__", ".ipynb_checkpoints"}  # the stand-ins (alternatives/) are graded with; the CLI imports all
SETTINGS_FILE = "gradescope.json"

SETUP_SH = r"""#!/usr/bin/env bash
# Runs once, as root, when Gradescope builds the image: install bubblewrap, a Python 3.11 that
# every user can read, and nn101 with its pinned dependencies. Stops at the first failure and says
# which step failed (Gradescope shows this output on the autograder's settings page).
set -euo pipefail
root="${NN101_AUTOGRADER_ROOT:-/autograder}"
venv="$root/nn101-venv"
step="starting"
trap 'echo "setup.sh: FAILED while $step (exit $?, line $LINENO: $BASH_COMMAND)" >&2' ERR
fail() { echo "setup.sh: FAILED while $step: $*" >&2; exit 1; }
say() { step="$1"; echo "setup.sh: $step"; }
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1
umask 022  # what is installed must be readable by the worker's uid
cd "$root/source"

say "updating the apt package lists (a fresh image has none)"
apt-get update -q

say "installing bubblewrap, the sandbox that student code runs in"
apt-get install -y -q --no-install-recommends bubblewrap ca-certificates
command -v bwrap >/dev/null || fail "bubblewrap is installed but bwrap is not on PATH"

# The worker runs student code under a uid of its own: it must be able to read the interpreter and
# its standard library (a Python under a private home, as `uv python install` makes by default,
# fails every import that was not made in advance). Prefer the distribution's python3.11.
if apt-cache show python3.11 >/dev/null 2>&1; then
  say "installing python3.11 from apt"
  apt-get install -y -q --no-install-recommends python3.11 python3.11-venv
  python="$(command -v python3.11)"
elif command -v python3.11 >/dev/null; then
  python="$(command -v python3.11)"
  say "using the image's $python (apt has no python3.11)"
else
  say "installing Python 3.11 under /opt/nn101-python with uv (apt has no python3.11)"
  apt-get install -y -q --no-install-recommends python3 python3-venv
  python3 -m venv /opt/nn101-uv
  /opt/nn101-uv/bin/pip install -q "uv==0.13.8"
  UV_PYTHON_INSTALL_DIR=/opt/nn101-python /opt/nn101-uv/bin/uv python install 3.11
  python="$(UV_PYTHON_INSTALL_DIR=/opt/nn101-python /opt/nn101-uv/bin/uv python find --managed-python 3.11)"
  chmod -R a+rX /opt/nn101-python
fi

as_nobody() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp TF_CPP_MIN_LOG_LEVEL=3 "$@"); }
unreadable() { find "$@" \( -type f ! -perm -o+r -o -type d ! -perm -o+rx \) -print -quit; }

say "checking that another user can run $python and read its standard library"
stdlib="$("$python" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"
as_nobody "$python" -c "import gzip, pdb, pydoc, venv, ensurepip" && [ -z "$(unreadable "$stdlib")" ] \
  || fail "$python or its standard library ($stdlib) is not readable by other users: use a Python 3.11 under /usr or /opt with world-readable files"

say "creating $venv and installing nn101 with its pinned dependencies"
"$python" -m venv "$venv"
"$venv/bin/pip" install -q -e .

say "checking that another user can import the dependencies"
as_nobody "$venv/bin/python" -c "import numpy, sklearn, matplotlib, tensorflow, keras" \
  && [ -z "$(unreadable "$venv")" ] || fail "$venv is not readable by other users (check the modes of $root and $venv)"

say "protecting the course material (solutions, hidden checks, secret) from student code"
chmod 700 "$root/source"
step="done"
echo "setup.sh: done: $("$venv/bin/python" --version), $(bwrap --version)"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Runs for every submission: grade /autograder/submission into /autograder/results/results.json.
export TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0
root="${NN101_AUTOGRADER_ROOT:-/autograder}"
python="${NN101_PYTHON:-$root/nn101-venv/bin/python}"
if [ -f "$root/source/secret" ]; then export NN101_SECRET_FILE="$root/source/secret"; fi
cd "$root/source" && exec "$python" -m autograder gradescope run --root "$root" "$@"
"""


@dataclass(frozen=True)
class Settings:
    """What ``nn101 gradescope build`` fixes for every run of the zip (``gradescope.json`` in it)."""

    hidden_visibility: str = "after_due_date"
    """Gradescope's visibility for hidden checks: one of :data:`HIDDEN_VISIBILITIES`."""
    rate_limit: RateLimit | None = None
    """At most so many graded submissions per window; None for no limit."""

    def __post_init__(self):
        if self.hidden_visibility not in HIDDEN_VISIBILITIES:
            raise UsageError(f"--hidden-visibility takes one of {', '.join(HIDDEN_VISIBILITIES)}; "
                             f"got {self.hidden_visibility!r}")

    def to_json(self) -> str:
        return json.dumps({"hidden_visibility": self.hidden_visibility,
                           "rate_limit": str(self.rate_limit) if self.rate_limit else None}) + "\n"

    @classmethod
    def load(cls, source: Path) -> Settings:
        """The settings in ``source/gradescope.json``; the defaults if the zip has none."""
        try:
            data = json.loads((source / SETTINGS_FILE).read_text())
        except FileNotFoundError:
            return cls()
        limit = data.get("rate_limit")
        return cls(data.get("hidden_visibility", cls.hidden_visibility), RateLimit.parse(limit) if limit else None)


def build_zip(output: Path, secret_file: Path | None = None, settings: Settings = Settings()) -> Path:
    """Write ``autograder.zip``: setup.sh, run_autograder and gradescope.json at the root, the kit beside them.

    The zip holds the references, the hidden checks and the secret: it is written readable by its
    owner only (mode 600).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    with os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file, \
            zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            archive.writestr(info, text)
        archive.writestr(SETTINGS_FILE, settings.to_json())
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


def read_metadata(root: Path) -> dict:
    """``root/submission_metadata.json`` as Gradescope writes it; empty if missing or unreadable."""
    try:
        data = json.loads((root / "submission_metadata.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def student_id(metadata: dict) -> str:
    """Gradescope's user id(s) from the submission metadata; empty if there is none."""
    try:
        return "+".join(str(u["id"]) for u in metadata["users"])
    except (KeyError, TypeError):
        return ""


def run(root: Path, exercises: tuple[Exercise, ...] = EXERCISES,
        settings: Settings | None = None) -> models.Results | None:
    """Grade ``root/submission`` into ``root/results/results.json``; never leave it unwritten.

    Returns the :class:`models.Results`, or None when the submission was not graded (over the
    rate limit, or the grader failed: then the newest previous results are kept, if any).
    """
    metadata, results = read_metadata(root), None
    try:
        settings = settings or Settings.load(root / "source")
        verdict = rate_limit.check(settings.rate_limit, metadata) if settings.rate_limit else None
        if verdict is not None and verdict.limited:
            data = gradescope_report.over_the_limit(verdict, settings.rate_limit)
        else:
            results = _grade_chosen_files(root, exercises, student_id(metadata))
            data = gradescope_report.graded(results, settings.hidden_visibility, settings.rate_limit, verdict)
    except Exception as error:  # noqa: BLE001 - a results.json must exist whatever happened
        print(f"nn101: the autograder failed:\n{traceback.format_exc()}", file=sys.stderr)
        data = gradescope_report.grader_failed(error, rate_limit.last_results(metadata))
    results_file = root / "results" / "results.json"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = results_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, results_file)
    return results


def _grade_chosen_files(root: Path, exercises: tuple[Exercise, ...], student: str) -> models.Results:
    """Grade the file chosen per exercise (a whole kit, a renamed copy: see ``batch.choose``), read safely."""
    import dataclasses

    from autograder import notebook_grading

    entry = discover.Entry(student, root / "submission")
    with scratch_folder() as scratch:
        try:
            prepared = discover.prepare(entry, scratch, [e.name for e in exercises])
        except discover.Problem as problem:  # graded as it is: every check says which module is missing
            (scratch / "modules").mkdir()
            prepared = discover.Prepared(scratch / "modules", {}, (str(problem),))
        results = runner.grade(prepared.folder, exercises, student_id=entry.student_id, secret=seeding.load_secret())
        results = notebook_grading.relabel(results, prepared.conversion, with_notes=False)  # notebook cells
    chosen = tuple(dataclasses.replace(e, source=prepared.sources.get(e.name, "")) for e in results.exercises)
    return dataclasses.replace(results, submission=str(root / "submission"), exercises=chosen,
                               warnings=(*results.warnings, *prepared.notes))
