"""Hostile and broken submissions, each with the status it must get.

A case is the reference solutions with ``code`` appended to one module (a later
``def`` replaces a function; a bare line runs at import) and ``files`` added. So
the cases stay valid as the references evolve. Which checks a case reaches is
worked out from the checks themselves (``build.uses``), not listed by hand:

- ``reach="module"``: the module cannot be used at all: every check of it.
- ``reach="any"``: every check that calls ``replaces`` (directly or through
  another function of the module), however it uses the answer.
- ``reach="value"``: only checks that use the value ``replaces`` returns (a check
  that only looks at whether the arguments were modified is not fooled by it).

Every reached check must get ``status`` and 0 points; every other check of the
module, and the quiz (graded last, in the same run), must get full marks.
Tokens such as ``__RESULTS_FILE__`` are replaced by real paths when building.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder import models

ERROR, FAILED, PASSED = models.ERROR, models.FAILED, models.PASSED
CRASHED, TIMEOUT, MEMORY = models.CRASHED, models.TIMEOUT, models.MEMORY
DENIED = "__DENIED__"
"""Opening course material: absent in the sandbox (FileNotFoundError), unreadable at the uid level."""


@dataclass(frozen=True)
class Case:
    name: str
    module: str
    status: str
    code: str | bytes = ""
    replaces: str = ""
    reach: str = "module"
    files: dict = field(default_factory=dict)
    """Extra files of the submission: name -> text, or -> ``"@link:<path>"`` for a symlink."""
    message: str = ""
    """Text every reached check's message must contain."""
    limits: dict = field(default_factory=dict)
    """Overrides of the catalog's short limits (see ``build.LIMITS``)."""
    root_only: bool = False
    """Holds only when grading as root (uid drop, protected files, kill by uid)."""
    known_gap: str = ""
    """Why the case does not hold yet (a check to fix): run as a strict expected failure."""
    uid_gap: str = ""
    """Why the case cannot hold at the uid level (no namespaces): skipped there, with this reason."""


CASES = (
    # ---- the module cannot be imported ------------------------------------------------------
    Case("syntax error", "softmax", ERROR, "def broken(:\n    pass\n", message="SyntaxError"),
    Case("exception at import", "softmax", ERROR, "raise RuntimeError('boom at import')\n",
         message="RuntimeError: boom at import"),
    Case("sys.exit(0) at import", "softmax", ERROR, "import sys\nsys.exit(0)\n", message="exit(0)"),
    Case("os._exit(0) at import", "softmax", CRASHED, "import os\nos._exit(0)\n"),
    Case("infinite loop at import", "softmax", TIMEOUT, "while True:\n    pass\n", limits={"import_seconds": 1}),
    Case("memory bomb at import", "softmax", MEMORY, "import numpy as np\n_hog = np.ones(10 * 2**30 // 8)\n"),
    Case("fork bomb at import", "softmax", ERROR, "import os\nwhile True:\n    os.fork()\n",
         message="BlockingIOError", root_only=True),
    Case("source that is not UTF-8", "softmax", ERROR, b'_greeting = "caf\xe9 cr\xe8me"  # Latin-1 bytes\n',
         message="SyntaxError"),
    Case("an expression nested too deeply for Python's parser", "softmax", ERROR, "x = " + "-" * 200_000 + "1\n",
         message="cannot be read"),  # the trusted side parses it too (needs, policy): the student's error
    Case("the module is a link to the reference solution", "softmax", ERROR,
         files={"softmax.py": "@link:__SOLUTIONS__/softmax.py"}, message="There is no softmax.py"),
    Case("closes its answer pipe and sleeps", "softmax", CRASHED,
         "import os, time\nfor _fd in range(3, 30):\n    try:\n        os.close(_fd)\n    except OSError:\n"
         "        pass\ntime.sleep(60)\n"),
    Case("writes a forged answer into the pipe", "softmax", ERROR,
         "import os, stat, struct\n_body = b'[' * 1_000_000\n"
         "for _fd in range(3, 1024):  # the answer pipe: the one pipe open for writing\n"
         "    try:\n"
         "        if stat.S_ISFIFO(os.fstat(_fd).st_mode) and os.write(_fd, b'') == 0:\n"
         "            os.write(_fd, struct.pack('!Q', len(_body)) + _body)\n"
         "    except OSError:\n"
         "        pass\n", message="unreadable answer"),
    # ---- harmless tricks: everything still passes ---------------------------------------------
    Case("prints hundreds of MB", "softmax", PASSED,
         "import sys\nprint('x' * 200_000_000)\nsys.stderr.write('y' * 100_000_000)\n"),
    Case("a numpy.py that shadows NumPy", "softmax", PASSED,
         files={"numpy.py": "raise SystemExit('fake numpy')\nallclose = lambda *a, **k: True\n"}),
    Case("sitecustomize.py that kills the interpreter", "softmax", PASSED,
         files={"sitecustomize.py": "import os\nos._exit(1)\n", "usercustomize.py": "import os\nos._exit(1)\n"}),
    Case("tries to kill the grader", "softmax", PASSED,
         "import os, signal\nfor _pid in (os.getppid(), 1):\n    try:\n        os.kill(_pid, signal.SIGKILL)\n"
         "    except OSError:\n        pass\n", root_only=True),
    Case("tries to overwrite and delete the results file", "activations", PASSED, """
import os
for _attempt in (lambda: open(__RESULTS_FILE__, "w").write('{"score": 999}'), lambda: os.remove(__RESULTS_FILE__),
                 lambda: open(__RESULTS_FILE__ + ".tmp", "w").write("{}")):
    try:
        _attempt()
    except OSError:
        pass
""", root_only=True),
    # ---- the function misbehaves when called --------------------------------------------------
    Case("sys.exit(0) in a function", "softmax", ERROR,
         "def softmax(z, axis=-1):\n    import sys\n    sys.exit(0)\n", "softmax", "any", message="exit(0)"),
    Case("os._exit(0) in a function", "losses", CRASHED,
         "def softmax_cross_entropy_gradient(logits, y_true):\n    import os\n    os._exit(0)\n",
         "softmax_cross_entropy_gradient", "any"),
    Case("infinite loop in a function", "losses", TIMEOUT,
         "def softmax_cross_entropy_gradient(logits, y_true):\n    while True:\n        pass\n",
         "softmax_cross_entropy_gradient", "any", limits={"call_seconds": 1}),
    Case("sleep in a function", "losses", TIMEOUT,
         "import time\ndef softmax_cross_entropy_gradient(logits, y_true):\n    time.sleep(60)\n",
         "softmax_cross_entropy_gradient", "any", limits={"call_seconds": 1}),
    Case("memory bomb in a function", "softmax", MEMORY,
         "def softmax(z, axis=-1):\n    return np.ones(10 * 2**30 // 8)\n", "softmax", "any"),
    Case("fork bomb in a function", "losses", ERROR,
         "import os\ndef softmax_cross_entropy_gradient(logits, y_true):\n    while True:\n        os.fork()\n",
         "softmax_cross_entropy_gradient", "any",
         message="BlockingIOError", root_only=True),
    Case("recursion bomb", "activations", ERROR, "def relu(z):\n    return relu(z)\n", "relu", "any",
         message="RecursionError"),
    Case("recursion through C that overflows the stack", "losses", CRASHED,
         "import sys\ndef softmax_cross_entropy_gradient(logits, y_true):\n    sys.setrecursionlimit(10**7)\n"
         "    return softmax_cross_entropy_gradient.__call__(logits, y_true)\n",
         "softmax_cross_entropy_gradient", "any"),
    Case("an exception whose message cannot be printed", "activations", ERROR, """
class Sneaky(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")
def relu(z):
    raise Sneaky()
""", "relu", "any", message="could not be shown"),
    Case("returns more data than the output cap", "activations", ERROR,
         "def relu(z):\n    return np.zeros(300_000)\n", "relu", "any", message="more than 1 MiB of data",
         limits={"output_mb": 1}),
    # ---- what comes back is not a plain answer ------------------------------------------------
    Case("returns an object whose __eq__ is always True", "activations", ERROR, """
class AlwaysEqual:
    def __eq__(self, other):
        return True
    __ne__ = lambda self, other: False
    __array_priority__ = 1000
    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)
def relu(z):
    return AlwaysEqual()
""", "relu", "any", message="AlwaysEqual"),
    Case("returns an ndarray subclass", "activations", ERROR, """
class Agreeable(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)
def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0).view(Agreeable)
""", "relu", "any", message="subclass of numpy.ndarray"),
    Case("returns a NaN-filled array", "activations", FAILED,
         "def relu(z):\n    return np.full(np.shape(z), np.nan)\n", "relu", "value"),
    Case("returns a NaN-filled softmax", "softmax", FAILED,
         "def softmax(z, axis=-1):\n    return np.full(np.shape(z), np.nan)\n", "softmax", "value"),
    Case("returns the wrong shape", "activations", FAILED,
         "def relu(z):\n    return np.maximum(np.asarray(z, dtype=float), 0)[None]\n", "relu", "value"),
    Case("returns the wrong dtype (complex)", "activations", ERROR,
         "def relu(z):\n    return np.maximum(np.asarray(z, dtype=float), 0).astype(complex)\n", "relu", "any",
         message="complex128"),
    Case("returns a list", "activations", FAILED,
         "def relu(z):\n    return np.maximum(np.asarray(z, dtype=float), 0).tolist()\n", "relu", "value"),
    Case("returns a structure nested too deeply", "activations", ERROR,
         "def relu(z):\n    out = []\n    for _ in range(100):\n        out = [out]\n    return out\n",
         "relu", "any", message="nested too deeply"),
    # ---- plain data that the checks cannot digest: the student's failure, never a grader error --
    Case("returns a ragged list", "activations", FAILED, "def relu(z):\n    return [[0.0], [1.0, 2.0]]\n",
         "relu", "value"),
    # ---- the library-function policy: no hiding place -------------------------------------------
    Case("a forbidden function through a helper module", "softmax", FAILED,
         "from helpers import normalise\ndef softmax(z, axis=-1):\n    return normalise(z, axis=axis)\n",
         "softmax", "any", files={"helpers.py": "from scipy.special import softmax as normalise\n"},
         message="not allowed"),
    Case("a forbidden function by a computed name", "softmax", FAILED,
         "import scipy.special as _special\ndef softmax(z, axis=-1):\n"
         "    return getattr(_special, 'soft' + 'max')(z, axis=axis)\n", "softmax", "any", message="not allowed"),
    # ---- tampering with the grader ------------------------------------------------------------
    Case("monkeypatches numpy.testing and numpy.allclose", "activations", FAILED, """
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_equal = lambda *a, **k: None
def relu(z):
    return z
""", "relu", "value"),
    Case("monkeypatches builtins", "activations", FAILED, """
import builtins
builtins.all = lambda *a, **k: True
builtins.any = lambda *a, **k: False
builtins.abs = lambda x: 0
def relu(z):
    return z
""", "relu", "value"),
    Case("monkeypatches the check library", "activations", FAILED, """
try:
    import autograder.checks.expect as _expect
    import autograder.checks.core as _core
    _expect.close = _expect.equal = lambda *a, **k: None
    _expect.array = lambda value, *a, **k: value
    _core.Fail = type("Fail", (Exception,), {})
except Exception:
    pass
try:
    import pytest
    pytest.approx = lambda *a, **k: a[0]
except Exception:
    pass
def relu(z):
    return z
""", "relu", "value"),
    Case("patches the worker to turn its errors into answers", "activations", ERROR, """
import autograder.worker as _worker, autograder.codec as _codec
_worker._error = lambda *a, **k: {"ok": True, "value": _codec.encode([0.0]), "args": []}
def relu(z):
    raise ValueError("not done")
""", "relu", "module", message="No module named 'autograder'"),  # the worker's modules are out of reach
    Case("overwrites the reference solution to match its answer", "activations", FAILED, """
for _path in (__SOLUTIONS__ + "/activations.py", __CHECKS__ + "/activations.py"):
    try:
        with open(_path, "a") as _handle:
            _handle.write("\\ndef relu(z):\\n    return z\\n")
    except OSError:
        pass
def relu(z):
    return z
""", "relu", "value", root_only=True),
    # ---- reading secrets and showing them -----------------------------------------------------
    Case("raises the hidden checks' source", "activations", ERROR,
         "def relu(z):\n    raise RuntimeError(open(__CHECKS__ + '/activations.py').read())\n", "relu", "any",
         message=DENIED, root_only=True),
    Case("prints and raises the reference solution", "activations", ERROR,
         "def relu(z):\n    text = open(__SOLUTIONS__ + '/activations.py').read()\n    print(text)\n"
         "    raise RuntimeError(text)\n", "relu", "any", message=DENIED, root_only=True),
    Case("borrows a correct implementation from the grader's own files", "softmax", ERROR, """
def softmax(z, axis=-1):
    namespace = {"np": np}
    exec(open(__ROOT__ + "/autograder/alternatives/standins.py").read(), namespace)
    exec(namespace["STANDINS"]["softmax"], namespace)
    return namespace["softmax"](z, axis)
""", "softmax", "any", message=DENIED, root_only=True),
    Case("raises the course secret file", "activations", ERROR,
         "def relu(z):\n    raise RuntimeError(open(__SECRET_FILE__).read())\n", "relu", "any",
         message=DENIED, root_only=True),
    Case("raises the course secret from the environment", "activations", ERROR, """
import os
def relu(z):
    raise RuntimeError("secret: " + repr(os.environ.get("NN101_SECRET")) + repr(os.environ.get("NN101_SECRET_FILE")))
""", "relu", "any", message="secret: NoneNone"),
    # ---- issue #10: what a shared file system, /tmp, IPC and process table let through -----------
    Case("opens the course folder (dist/autograder.zip, nbgrader's submitted/, the grader's tests)", "activations",
         ERROR, "def relu(z):\n    for name in ('/tests/test_similarity.py', '/README.md', '/dist/autograder.zip',\n"
         "                 '/submitted', '/autograded'):\n        open(__ROOT__ + name, 'rb')\n", "relu", "any",
         message=DENIED, root_only=True),  # the uid level closes all of it but the interpreter (allowlist)
    Case("reads a secret file given with --secret-file", "activations", ERROR,
         "def relu(z):\n    raise RuntimeError(open(__OPTION_SECRET__).read().encode().hex())\n", "relu", "any",
         message=DENIED, root_only=True),
    Case("leaves SysV shared memory behind, readable by all", "activations", PASSED, """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_segments = [_libc.shmget(0, 256 * 2**20, 0o1000 | 0o666) for _ in range(12)]  # IPC_CREAT, mode 666
"""),
    Case("leaves files in /run/lock, /dev/shm and /tmp", "activations", PASSED, """
for _place in ("/run/lock", "/dev/shm", "/tmp", "/var/tmp"):
    try:
        open(_place + "/nn101-left-behind", "w").write("x")
    except OSError:
        pass
"""),
    Case("makes 1,200 nested folders at import", "activations", PASSED, """
import os
_path = "deep"
for _ in range(1200):
    try:
        os.mkdir(_path)
    except OSError:
        break
    _path += "/d"
"""),
    Case("starts a daemon that outlives the worker and rewrites the results", "activations", PASSED, """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(3)
        try:
            open(__RESULTS_FILE__, "w").write('{"score": 1000}')
        finally:
            os._exit(0)
    os._exit(0)
"""),
    Case("attaches to the grader with ptrace", "activations", ERROR, """
import ctypes
def relu(z):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.ptrace(16, __GRADER_PID__, 0, 0) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace refused")
    return z
""", "relu", "any", message="OSError"),
    Case("quotes a reference line in its error", "activations", ERROR,
         "def relu(z):\n    raise RuntimeError('look: ' + __REFERENCE_LINE__)\n", "relu", "any",
         message="withheld"),
)
