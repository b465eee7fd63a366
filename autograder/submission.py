"""How checks reach student code: one call in, plain data out.

A check holds a :class:`ModuleProxy` and calls ``proxy.call("softmax", z)``. Behind
it, :class:`IsolatedSubmission` runs the call in a worker process
(:mod:`autograder.sandbox`) and :class:`InProcessSubmission` runs it right here
(a notebook's own functions, or a student's local test run). Both pass every
value through :mod:`autograder.codec`, so checks see the same plain data either
way, and both turn whatever went wrong into a :class:`StudentError`.
"""

from __future__ import annotations

import copy
import hashlib
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

from autograder import codec, container, models, needs, parsing, probes, verifier, withheld, worker
from autograder.checks.core import Fail
from autograder.limits import KERAS_LIMITS, NUMPY_LIMITS, Limits
from autograder.sandbox import Worker, WorkerGone


class StudentError(Exception):
    """Student code could not produce an answer; ``status`` is a models status."""

    def __init__(self, status: str, message: str, exception: str = "", hidden_message: str | None = None,
                 importing: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.exception = exception
        """The name of the exception the student's code raised, if it raised one."""
        self.hidden_message = message if hidden_message is None else hidden_message
        """What a hidden check may show: no text the student's code wrote (:mod:`autograder.withheld`)."""
        self.importing = importing
        """Raised while importing the module: a check's formula hint would be beside the point."""


class VerificationError(Exception):
    """The trusted process could not recompute something: a grader error, never the student's."""


TEXT_FIELDS = ("kind", "message", "type", "where")
# A probe runs on a module; the verifying worker has none of the student's, so it names one every
# worker has imported (probes.verify does not use it).
VERIFY_MODULE = "numpy"
PRINTED_TAIL = 600
"""Characters of a student's printed output kept and shown under a failed visible check."""
MAX_SOURCE_BYTES = 1 << 20
"""A module larger than this is not read for the library-function policy (it still runs)."""
BUDGET_MESSAGE = ("Time budget for this submission used up: this check did not run and scores 0. "
                  "Hint: make your functions faster (no sleeps, no needless loops).")
BUDGET_CUT = ("The time budget for this submission ran out during this check, at {what}: it scores 0 (time "
              "limit exceeded). Hint: make your functions faster (no sleeps, no needless loops).")


def student_error(response: dict, what: str) -> StudentError:
    """Turn a worker's error response into a beginner-readable :class:`StudentError`."""
    response = {k: v if type(v) is str else "" for k, v in response.items() if k in TEXT_FIELDS}
    kind, message = response.get("kind"), response.get("message", "")
    if kind == "not_implemented":
        return StudentError(models.NOT_ATTEMPTED, f"{what} still raises NotImplementedError: write it first.")
    if kind == "memory":
        return StudentError(models.MEMORY, f"{what} ran out of memory (memory limit exceeded).")
    hidden = withheld.message(kind, what, response.get("type", ""), response.get("where", ""))
    if kind == "exit":
        return StudentError(models.ERROR, f"{what} stopped the program: {message}. Return a value instead.",
                            hidden_message=hidden)
    if kind == "bad_return":
        return StudentError(models.ERROR, f"{what}: {message}. Return a NumPy array or a plain number.",
                            hidden_message=hidden)
    if kind == "missing":
        return StudentError(models.ERROR, f"{message}. Keep the function names of the exercise.",
                            hidden_message=hidden)
    where = response.get("where", "")
    where = f" ({where})" if where and where.split(":", 1)[0] not in message else ""  # a SyntaxError says it
    return StudentError(models.ERROR, f"{what} raised {response.get('type')}: {message}{where}",
                        str(response.get("type", "")), hidden)


IMPORT_HINTS = {
    "SyntaxError": "Python could not read the file: fix the line shown (a missing colon, bracket or quote "
                   "is the usual cause).",
    "IndentationError": "indent the body of each def and loop by the same 4 spaces; fix the line shown.",
    "ModuleNotFoundError": "import only NumPy and the other exercise modules (e.g. `from softmax import "
                           "softmax`); check the module name's spelling.",
    "ImportError": "check the name you import: the function must exist in that module under that exact name.",
    "NameError": "a name used at the top level of the file is not defined: define or import it first.",
}


def import_error(error: StudentError, module: str) -> StudentError:
    """``error`` (raised while importing ``module``) with a hint about the import itself."""
    hint = IMPORT_HINTS.get(error.exception, "the error happens when Python loads the file, outside your "
                                             "functions: look at the top-level code at the line shown.")
    def hinted(text: str) -> str:
        return text if "Hint:" in text else f"{text} Hint: {hint}"

    return StudentError(error.status, hinted(error.message), error.exception, hinted(error.hidden_message),
                        importing=True)


def _decode(response: dict, key: str, what: str):
    try:
        return codec.decode(response.get(key))
    except codec.NotPlainData as exc:
        raise StudentError(models.ERROR, f"{what} returned {exc}, which cannot be graded.",
                           hidden_message=withheld.message("bad_return", what)) from None


class Submission:
    """Common interface; subclasses implement :meth:`_send`."""

    redact: Callable[[str], str] = staticmethod(lambda text: text)

    def __init__(self):
        self._probed: dict[str, object] = {}
        """Answers of the probes run so far, by request."""
        self._verified: dict[str, object] = {}
        """Answers of the verifications run so far, by request."""
        self.printed = ""
        """The tail of what the student's code printed during the current check (see :data:`PRINTED_TAIL`)."""
        self.deadline: float | None = None
        """``time.monotonic()`` after which no call into student code may run (the ``--budget``)."""

    def call(self, module: str, func: str, args: tuple, kwargs: dict) -> tuple[object, list]:
        """Call ``module.func(*args, **kwargs)``; return ``(value, args after the call)``."""
        what = f"{func}()"
        response = self._send(module, {"op": "call", "func": func, **_encode_args(args, kwargs)}, what)
        after = _decode(response, "args", what)
        if type(after) is not list or len(after) != len(args):
            raise StudentError(models.ERROR, f"{what}: the worker sent a malformed answer.")
        return _decode(response, "value", what), after

    def probe(self, module: str, name: str, args: tuple, kwargs: dict, fresh: bool = False):
        """Run the trusted helper ``autograder.probes.<name>`` on the student's module.

        Asked again with the same arguments, it answers from memory: checks that need the
        same answer (a model built with the defaults, a training run) share one run. With
        ``fresh=True`` it always runs the student's code again (and remembers the new
        answer): for a check whose point is the repetition (same seed, same order?).
        """
        what = f"{module}.py"
        request = {"op": "probe", "name": name, **_encode_args(args, kwargs)}
        key = hashlib.sha256(codec.pack({"module": module, **request})).hexdigest()
        if fresh or key not in self._probed:
            response = self._send(module, request, what)
            value = _decode(response, "value", what)
            if not probes.answer_is_valid(name, value):
                raise StudentError(models.ERROR, f"{what}: the grader's helper sent back a damaged answer "
                                                 "(did your code change the grader or NumPy?).")
            self._probed[key] = value
        return copy.deepcopy(self._probed[key])

    def verify(self, func: str, args: tuple):
        """``autograder.keras_verify.<func>(*args)`` on plain data, where no student code runs.

        The checks confirm what a probe reported by recomputing it here (see
        :mod:`autograder.keras_verify`); the same request is answered from memory.
        """
        request = {"op": "probe", "module": VERIFY_MODULE, "name": "verify", **_encode_args((func, *args), {})}
        key = hashlib.sha256(codec.pack(request)).hexdigest()
        if key not in self._verified:
            response = self._verify(request)
            if response.get("type") == "Refused":  # Keras refused the student's own settings
                raise Fail(f"Keras could not rebuild your model from the settings it reports "
                           f"({str(response.get('message'))[:200]}).",
                           hint="use settings Keras accepts: e.g. SGD(learning_rate) with a momentum between 0 "
                                "and 1, and at most one of clipnorm and clipvalue.")
            if response.get("ok") is not True:  # anything else is the grader's problem
                raise VerificationError(f"{func} failed: {response.get('type')}: {response.get('message')}")
            self._verified[key] = codec.decode(response.get("value"))
        return copy.deepcopy(self._verified[key])

    def _send(self, module: str, request: dict, what: str) -> dict:
        raise NotImplementedError

    def _verify(self, request: dict) -> dict:
        raise NotImplementedError

    def source(self, module: str) -> str | None:
        """The text of the student's ``module`` as a file, read (never imported) on this side;
        None where there is no such file (a notebook's functions)."""
        return None

    def _checked(self, response: dict, what: str) -> dict:
        printed = response.get("printed")
        if type(printed) is str and printed:  # the worker's capture of print(); plain text, capped here
            self.printed = self.redact((self.printed + printed)[-PRINTED_TAIL:])
        if response.get("ok") is True:
            return response
        response = dict(response)
        for key in ("message", "type"):
            if type(response.get(key)) is str:
                response[key] = self.redact(response[key])
        where = response.get("where")
        if type(where) is str and self.redact(where) != where:
            # the student's own line may equal a reference line: keep "file, line N", drop the code
            response["where"] = where.split(":", 1)[0]
        raise student_error(response, what)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _encode_args(args: tuple, kwargs: dict) -> dict:
    return {"args": codec.encode(list(args)), "kwargs": codec.encode(dict(kwargs))}


class IsolatedSubmission(Submission):
    """A submission folder graded through worker processes, one per kind at a time."""

    def __init__(self, path: Path, kinds: dict[str, str], limits: dict[str, Limits] | None = None,
                 redact: Callable[[str], str] | None = None):
        super().__init__()
        self.path = Path(path)
        self.kinds = kinds
        self.limits = limits or {"numpy": NUMPY_LIMITS, "keras": KERAS_LIMITS}
        if redact is not None:
            self.redact = redact
        self._worker: Worker | None = None
        self._worker_kind: tuple[str, Limits] | None = None
        self._plans: dict[str, tuple[str, Limits]] = {}
        self._imported: set[str] = set()
        self._broken: dict[str, StudentError] = {}

    def _send(self, module: str, request: dict, what: str) -> dict:
        kind, limits = self._worker_for(module)
        if module in self._broken:
            raise self._broken[module]
        self._import(module, kind, limits)
        seconds, cut = self._seconds(limits.call_seconds, what)
        try:
            response = self._worker.request({**request, "module": module}, seconds)
        except WorkerGone as gone:
            self._drop_worker()
            error = self._gone_error(module, gone, what)
            if cut and gone.status == models.TIMEOUT:
                error = StudentError(models.TIMEOUT, BUDGET_CUT.format(what=what))
            if gone.status == models.GRADER_ERROR:  # e.g. out of memory, whoever's fault: never another OOM kill
                self._broken[module] = error
            raise error from None
        return self._checked(response, what)

    def _gone_error(self, module: str, gone: WorkerGone, what: str) -> StudentError:
        """Why the worker is gone, for the student.

        A NumPy exercise needs a few MiB. When the container's OOM killer ended a process while a
        worker ran one, and that worker had started with :data:`~autograder.container.FAIR_ROOM_MB`
        free (twice that with TensorFlow, whose runtime grows in each worker), the student's code
        took the memory, in the worker or in processes it forked: their failure. Otherwise (little
        room, or the Keras exercise) it is the machine's.
        """
        kind = self._plans.get(module, ("numpy",))[0]
        room = container.FAIR_ROOM_MB * (1 if kind == "numpy" else 2)
        if (gone.out_of_memory and self.kinds.get(module, "numpy") == "numpy" and gone.free_mb is not None
                and gone.free_mb >= room):
            return StudentError(models.MEMORY, f"{what} used more memory than the grading machine has: "
                                               f"{gone.free_mb} MiB were free (memory limit exceeded). Hint: "
                                               "use smaller arrays, and start no processes.")
        return StudentError(gone.status, f"{what}: {gone.detail} ({gone.status}).")

    def _seconds(self, limit: float, what: str) -> tuple[float, bool]:
        """``(seconds, cut)``: ``limit``, or the budget's time left when that is less (``cut``)."""
        if self.deadline is None:
            return limit, False
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise StudentError(models.TIMEOUT, BUDGET_CUT.format(what=what))
        return min(limit, left), left < limit

    def _worker_for(self, module: str) -> tuple[str, Limits]:
        """The kind of worker and its limits for ``module``: a NumPy exercise that imports
        TensorFlow runs where TensorFlow is imported already, with room for it in memory."""
        if module not in self._plans:
            self._plans[module] = self._plan(module)
            unreadable = self._unreadable(module)
            if unreadable is not None:
                self._broken[module] = unreadable
        return self._plans[module]

    def _unreadable(self, module: str) -> StudentError | None:
        """The student's error for a module Python's parser cannot take in (too big, too deeply
        nested); None otherwise. A plain syntax error is left to the worker, which shows the line."""
        path = self.path / f"{module}.py"
        if path.is_symlink() or not path.is_file():
            return None
        try:
            parsing.parse(path.read_bytes()[:parsing.MAX_SOURCE_BYTES + 1])
        except parsing.Unreadable as error:
            if error.lineno is None:
                return StudentError(models.ERROR, f"Your {module}.py cannot be read: {error.reason}.",
                                    "Unreadable", importing=True)
        except OSError:
            pass
        return None

    def _plan(self, module: str) -> tuple[str, Limits]:
        kind = self.kinds.get(module, "numpy")
        if kind == "numpy" and needs.needs_tensorflow(self.path, module):
            keras = self.limits["keras"]
            return "keras", replace(self.limits["numpy"], memory_mb=keras.memory_mb, processes=keras.processes,
                                    start_seconds=keras.start_seconds)
        return kind, self.limits[kind]

    def _import(self, module: str, kind: str, limits: Limits) -> None:
        if self._worker is not None and self._worker_kind != (kind, limits):
            self._drop_worker()
        if self._worker is None:
            worker = Worker(self.path, limits, kind)
            worker.wait_ready(limits.start_seconds)  # closes the worker if it raises
            self._worker, self._worker_kind = worker, (kind, limits)
        if module in self._imported:
            return
        what = f"Importing your {module}.py"
        seconds, cut = self._seconds(limits.import_seconds, what)
        try:
            response = self._worker.request({"op": "import", "module": module}, seconds)
            if response.get("ok") is not True and response.get("type") == "ModuleNotFoundError" \
                    and f"'{module}'" in response.get("message", ""):
                raise StudentError(models.ERROR, f"There is no {module}.py in the submission.{self._near_miss(module)}",
                                   importing=True)
            try:
                self._checked(response, what)
            except StudentError as error:
                raise import_error(error, module) from None
        except WorkerGone as gone:
            self._drop_worker()
            if cut and gone.status == models.TIMEOUT:  # the budget, not the module: later checks say so
                raise StudentError(models.TIMEOUT, BUDGET_CUT.format(what=what)) from None
            self._broken[module] = self._gone_error(module, gone, what)
            raise self._broken[module] from None
        except StudentError as error:
            self._broken[module] = error
            raise
        self._imported.add(module)

    def _near_miss(self, module: str) -> str:
        """" Hint: rename ..." when a file looks like the module saved under another name."""
        names = sorted(p.name for p in self.path.glob("*.py") if p.stem != module
                       and p.stem.lower().replace(" ", "").startswith(module.lower()))
        return f" Hint: rename {names[0]!r} to {module}.py." if names else ""

    def source(self, module: str) -> str | None:
        path = self.path / f"{module}.py"
        if not module.isidentifier() or path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")

    def _drop_worker(self) -> None:
        if self._worker is not None:
            self._worker.close()
        self._worker, self._imported = None, set()

    def _verify(self, request: dict) -> dict:
        """Ask this grading process's verifier (:mod:`autograder.verifier`): a worker that never
        imports student code, shared by the submissions it grades."""
        try:
            return verifier.verify(request, self.limits["keras"])
        except verifier.VerifierGone as gone:  # never the student's fault: it ran none of their code
            raise StudentError(models.GRADER_ERROR, f"The grader's own run of your model stopped: {gone.detail} "
                                                    "(grader error; your instructor has been notified).") from None

    def close(self) -> None:
        self._drop_worker()


class InProcessSubmission(Submission):
    """Student functions that already live in this process (a notebook, a local test run).

    No isolation: use it only for code whose author is the one running it.
    """

    def __init__(self, modules: dict[str, object]):
        super().__init__()
        self.modules = {name: _as_namespace(m) for name, m in modules.items()}

    def _send(self, module: str, request: dict, what: str) -> dict:
        if module not in self.modules:
            raise StudentError(models.ERROR, f"There is no {module}.py in the submission.")
        request = copy.deepcopy({**request, "module": module})
        return self._checked(worker.answer(request, self.modules.__getitem__), what)

    def _verify(self, request: dict) -> dict:
        return worker.answer(copy.deepcopy(request))  # the student's code is the one running it


def _as_namespace(module):
    return SimpleNamespace(**module) if isinstance(module, dict) else module


class ModuleProxy:
    """What a check holds: one student module, called by function name."""

    def __init__(self, submission: Submission, module: str):
        self.submission = submission
        self.module = module
        self.calls: list[tuple[str, str, tuple]] = []
        """What the current check asked for: ``("call", func, args)``, ``("probe", name, args)``."""

    def call(self, func: str, *args, **kwargs):
        """Call the student's ``func``; return its value as plain data."""
        return self.call_with_args(func, *args, **kwargs)[0]

    def call_with_args(self, func: str, *args, **kwargs):
        """Like :meth:`call`, also returning the arguments as they were after the call."""
        self.calls.append(("call", func, ()))
        return self.submission.call(self.module, func, args, kwargs)

    def probe(self, name: str, *args, fresh: bool = False, **kwargs):
        """Run the trusted helper ``autograder.probes.<name>``; ``fresh=True`` never answers
        from memory (see :meth:`Submission.probe`)."""
        self.calls.append(("probe", name, args[:1]))
        return self.submission.probe(self.module, name, args, kwargs, fresh)

    def verify(self, func: str, *args):
        """Recompute with ``autograder.keras_verify.<func>`` where no student code runs."""
        return self.submission.verify(func, args)
