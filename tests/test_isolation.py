"""The worker's isolation, proved one property at a time by code that tries to break it.

Each test starts a worker on a tiny module ``probe.py`` and calls one function in it
through the real protocol. Properties that need root (uid drop, protected files,
killing by uid, no network) are skipped when the tests do not run as root.
"""

from __future__ import annotations

import base64
import ctypes
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from conftest import submission_with
from autograder import codec, forkserver, isolation, reaper, runner, sandbox, seccomp, seeding
from autograder.exercises import select
from autograder.limits import Limits
from autograder.references import solutions_dir
from autograder.checks.core import CHECKS_DIR
from autograder.sandbox import QUIET_ENV, UID_BASE, Worker, WorkerGone

ROOT = Path(sandbox.ROOT)
root_only = pytest.mark.skipif(not sandbox.is_root(), reason="needs root: the worker drops privileges only as root")
BEST = sandbox.isolation_level()
LEVELS = [level for level in ("namespace", "uid") if sandbox.LEVELS.index(level) >= sandbox.LEVELS.index(BEST)
          and (level != "uid" or sandbox.is_root())]
DENIED = {"namespace": "FileNotFoundError", "uid": "PermissionError"}
"""What opening course material gives: absent in the sandbox, unreadable at the uid level."""


STDLIB_FILE = str(Path(os.__file__).parent / "gzip.py")
PRIVATE_PYTHON = sandbox.is_root() and not reaper.readable_as(UID_BASE - 1, [STDLIB_FILE])
"""The interpreter lives under a private home (pyenv's): only bubblewrap's binds make it readable."""


@pytest.fixture(params=LEVELS, autouse=True)
def level(request, monkeypatch):
    """Every test runs at each level this machine offers (NN101_ISOLATION forces the weaker one)."""
    if request.param == "uid" and PRIVATE_PYTHON and "self_test" not in request.node.name:
        pytest.skip(f"the uid level needs a Python every user can read; {STDLIB_FILE} is private here")
    monkeypatch.setattr(isolation, "_level", request.param)
    return request.param


@root_only
def test_self_test_blames_a_private_python_on_the_environment(tmp_path, level):
    (tmp_path / "probe.py").write_text("import gzip\n")
    worker = Worker(tmp_path, Limits())
    if level == "uid" and PRIVATE_PYTHON:
        with pytest.raises(sandbox.WorkerStartError, match="cannot read the Python standard library"):
            worker.wait_ready(30)
    else:
        worker.wait_ready(30)
        assert worker.request({"op": "import", "module": "probe"}, 10)["ok"] is True
    worker.close()


def home_of(worker: Worker) -> str:
    """The worker's working folder as it sees it."""
    return "/submission" if worker.level == "namespace" else str(worker.home)


@pytest.fixture
def open_dir():
    """A folder every user may enter, like Gradescope's /autograder/results."""
    folder = Path(tempfile.mkdtemp(prefix="nn101-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


# Helpers every probe.py starts with (the worker's own view, as a student's code would get it).
PRELUDE = textwrap.dedent("""
    def outcomes(attempts):
        # "done" for each attempt that worked, else the name of the OSError it raised
        found = []
        for attempt in attempts:
            try:
                attempt()
                found.append("done")
            except OSError as error:
                found.append(type(error).__name__)
        return found


    def answers_pipe():
        # the worker's end of its answer pipe: the one descriptor that is a pipe open for writing
        import os, stat
        for fd in range(3, 1024):
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode) and os.write(fd, b"") == 0:
                    return fd
            except OSError:
                pass
        raise LookupError("no answer pipe")
""")


@pytest.fixture
def start(tmp_path):
    """``start(source, **limits)``: a ready worker with ``probe.py`` imported; closed afterwards."""
    workers = []

    def start(source: str, **limits) -> Worker:
        folder = tmp_path / f"submission{len(workers)}"
        folder.mkdir()
        (folder / "probe.py").write_text(PRELUDE + textwrap.dedent(source), encoding="utf-8")
        worker = Worker(folder, Limits(**{"call_seconds": 5.0, **limits}))
        workers.append(worker)
        worker.wait_ready(30)
        response = worker.request({"op": "import", "module": "probe"}, 10)
        assert response["ok"] is True, response
        return worker

    yield start
    for worker in workers:
        worker.close()


def call(worker: Worker, func: str, *args, seconds: float = 5.0) -> dict:
    request = {"op": "call", "module": "probe", "func": func,
               "args": codec.encode(list(args)), "kwargs": codec.encode({})}
    return worker.request(request, seconds)


def value(response: dict):
    assert response["ok"] is True, response
    return codec.decode(response["value"])


# ---- who the worker is -------------------------------------------------------------------

@root_only
def test_worker_runs_as_an_unprivileged_uid_of_its_own(start):
    worker = start("""
        import os
        def ids():
            status = open("/proc/self/status").read().splitlines()
            uids = [line.split()[1:] for line in status if line.startswith(("Uid:", "Gid:"))]
            return [os.getuid(), os.geteuid(), os.getgid(), os.getgroups(), uids]
    """)
    uid, euid, gid, groups, proc_ids = value(call(worker, "ids"))
    assert uid == euid == gid == worker.uid >= UID_BASE
    assert groups == []
    assert proc_ids == [[str(uid)] * 4, [str(gid)] * 4]  # real, effective, saved, file system


SECRETS = {"NN101_SECRET": "course-secret-that-must-not-leak", "AWS_SECRET_ACCESS_KEY": "grader-credential"}


def test_environment_is_minimal_and_holds_no_secret(start, monkeypatch):
    for name, secret in SECRETS.items():
        monkeypatch.setenv(name, secret)
    forkserver.close_all()  # the zygote starts now, while the grader holds the secrets
    worker = start("""
        import os
        def env():
            return dict(os.environ)
    """)
    environ = value(call(worker, "env"))
    assert set(environ) <= set(QUIET_ENV) | {"HOME"}
    assert environ["HOME"] == home_of(worker)
    if sandbox.is_root():  # what the processes started with, read from outside (root reads any)
        zygote = _zygote_pid(worker.process.server.process.pid)
        assert not _secrets_in_environ([zygote, *reaper.live_pids_of(worker.uid)])


def _secrets_in_environ(pids: list[int]) -> list[str]:
    found = []
    for pid in pids:
        initial = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
        found += [secret for secret in SECRETS.values() if secret in initial]
    return found


@root_only
def test_the_environment_check_finds_a_secret_where_there_is_one(monkeypatch):
    # its sensitivity twin: a zygote started with the grader's own environment is caught
    for name, secret in SECRETS.items():
        monkeypatch.setenv(name, secret)
    server = forkserver.ForkServer("numpy", sandbox.ROOT, dict(os.environ))
    try:
        server.wait_ready(60)
        assert _secrets_in_environ([server.process.pid]) == list(SECRETS.values())
    finally:
        server.close()


@root_only
def test_grader_process_is_out_of_reach(start, level):
    worker = start("""
        import os, signal
        def poke(grader):
            return outcomes([lambda: open(f"/proc/{grader}/environ").read(),
                             lambda: open(f"/proc/{grader}/mem", "rb").read(1),
                             lambda: os.kill(grader, signal.SIGKILL)])
    """)
    unseen = ["FileNotFoundError", "FileNotFoundError", "ProcessLookupError"]  # not in its PID namespace
    expected = unseen if level == "namespace" else ["PermissionError"] * 3
    assert value(call(worker, "poke", os.getpid())) == expected
    zygote = worker.process.server.process.pid
    assert value(call(worker, "poke", zygote)) == expected  # the process it was forked from


def test_working_directory_is_a_private_copy_of_the_modules(start, tmp_path):
    worker = start("""
        import os
        def where():
            return [os.getcwd(), sorted(os.listdir("."))]
    """)
    cwd, files = value(call(worker, "where"))
    assert cwd == home_of(worker) and not cwd.startswith(str(tmp_path))
    assert files == ["probe.py"]
    worker.close()
    assert worker.home is None or not worker.home.exists()


def test_linked_modules_are_not_copied(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "softmax.py").symlink_to(solutions_dir() / "softmax.py")
    (folder / "notes.py").mkdir()
    (folder / "own.py").write_text("x = 1\n")
    target = tmp_path / "copy"
    target.mkdir()
    sandbox.copy_submission(folder, target)
    assert sorted(p.name for p in target.iterdir()) == ["own.py"]


# ---- what the worker can reach -----------------------------------------------------------

@root_only
def test_network_is_unreachable(start):
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    worker = start("""
        import socket
        def connect(port):
            try:  # a bytes host: a str one needs the idna codec, which the worker cannot import
                socket.create_connection((b"127.0.0.1", port), timeout=2).close()
                return "connected"
            except OSError as error:
                return type(error).__name__
    """)
    if not worker.network_isolated:
        listener.close()
        pytest.skip("this kernel or container does not let the worker leave the network")
    outcome = value(call(worker, "connect", port))
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()
    assert outcome == "OSError"  # ENETUNREACH: not even a loopback interface


@root_only
def test_protect_takes_away_every_other_users_access(start, open_dir, level):
    (open_dir / "course").mkdir()
    (open_dir / "course" / "reference.py").write_text("answer = 42\n")
    (open_dir / "secret.txt").write_text("a course secret")
    (open_dir / "secret.txt").chmod(0o644)
    sandbox.protect([open_dir / "course", open_dir / "secret.txt"])
    worker = start(READ_ALL)
    targets = [open_dir / "course" / "reference.py", open_dir / "secret.txt", open_dir / "course"]
    assert value(call(worker, "read", [str(t) for t in targets])) == [DENIED[level]] * 3


@root_only
def test_references_hidden_suites_and_history_are_unreadable(start, level):
    sandbox.protect([solutions_dir(), CHECKS_DIR])  # what runner.grade does before grading
    targets = [solutions_dir() / "softmax.py", CHECKS_DIR / "softmax.py", ROOT / ".git" / "HEAD",
               ROOT / "autograder" / "alternatives" / "standins.py", ROOT / "source", solutions_dir(), CHECKS_DIR]
    targets = [t for t in targets if t.exists()]
    worker = start(READ_ALL)
    assert value(call(worker, "read", [str(t) for t in targets])) == [DENIED[level]] * len(targets)


@root_only
def test_the_course_repository_is_closed_but_for_the_interpreter(start, level):
    """Finding 4: the tests hold correct code; the whole repository is closed, not a list of it."""
    sandbox.protect([])
    targets = [ROOT / "README.md", ROOT / "tests", ROOT / "tests" / "test_similarity.py", ROOT]
    if level == "namespace" and Path(sys.prefix).is_relative_to(ROOT):
        targets.pop()  # the venv is bound inside: ROOT exists there as its parent, holding the venv alone
    worker = start(READ_ALL)
    assert value(call(worker, "read", [str(t) for t in targets])) == [DENIED[level]] * len(targets)
    sandbox.verify_unreadable([])  # proved as a worker's uid (a no-op at the namespace level)


@root_only
def test_a_course_folder_is_closed_except_the_allowlist(start, open_dir, level, monkeypatch):
    """Finding 3: nbgrader's course root (autograded/ included) is closed but for what workers need."""
    course = open_dir / "course"
    (course / "autograded" / "bob").mkdir(parents=True)
    (course / "venv" / "lib").mkdir(parents=True)
    (course / "autograded" / "bob" / "softmax.ipynb").write_text("bob's work")
    (course / "venv" / "lib" / "needed.py").write_text("x = 1")
    (course / "gradebook.db").write_text("grades")
    subprocess.run(["chmod", "-R", "u=rwX,go=rX", str(course)], check=True)
    interpreter = isolation.allowed_paths()
    monkeypatch.setattr(isolation, "allowed_paths", lambda: [*interpreter, str(course / "venv")])
    sandbox.protect([course])
    sandbox.verify_unreadable([course])
    worker = start(READ_ALL)
    targets = [course / "autograded" / "bob" / "softmax.ipynb", course / "autograded", course / "gradebook.db", course]
    expected = [DENIED[level]] * len(targets) + ["done" if level == "uid" else "FileNotFoundError"]
    assert value(call(worker, "read", [str(t) for t in [*targets, course / "venv" / "lib" / "needed.py"]])) == expected
    if level == "uid":  # reopened behind the grader's back: nobody is graded
        (course / "autograded").chmod(0o755)
        with pytest.raises(sandbox.WorkerStartError, match="autograded is readable"):
            sandbox.verify_unreadable([course])


@root_only
def test_a_secret_given_with_secret_file_is_protected(start, open_dir, level, monkeypatch):
    """Finding 5: ``--secret-file`` (seeding.load_secret(path)), not only $NN101_SECRET_FILE."""
    secret = open_dir / "course.secret"
    secret.write_text("correct-horse")
    secret.chmod(0o644)
    monkeypatch.delenv(seeding.SECRET_FILE_ENV, raising=False)
    monkeypatch.setattr(seeding, "_loaded", [])
    assert seeding.load_secret(str(secret)) == b"correct-horse"
    sandbox.protect([])
    sandbox.verify_unreadable([])
    worker = start(READ_ALL)
    assert value(call(worker, "read", [str(secret)])) == [DENIED[level]]


@root_only
def test_the_uid_level_is_offered_only_where_the_network_can_be_taken_away(level):
    """Finding 6: without CAP_SYS_ADMIN (Docker's default) a worker would keep the network."""
    capsh = shutil.which("capsh") or shutil.which("capsh", path="/usr/sbin:/sbin")
    if capsh is None:
        pytest.skip("needs capsh")
    script = ("from autograder import isolation\ntry:\n    print(isolation.network_closable(), isolation.isolation_level())\n"
              "except Exception as error:\n    print(type(error).__name__, error)\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    outputs = [subprocess.run([capsh, "--drop=cap_sys_admin", "--", "-c", f'exec "$0" -c "$1"', sys.executable,
                               script], env={**env, **extra}, capture_output=True, text=True, timeout=60).stdout
               for extra in ({}, {"NN101_ISOLATION": "uid"})]
    assert outputs[0].split() == ["False", "process"], outputs
    assert outputs[1].startswith("WorkerStartError NN101_ISOLATION=uid: a worker here would keep the network"), outputs


@root_only
def test_files_deep_in_world_writable_folders_and_message_queues_are_removed(start, open_dir, level, monkeypatch):
    """Finding 12: /tmp/.X11-unix-like folders (1777, not the worker's) and POSIX message queues."""
    shared = open_dir / "x11-unix"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setattr(reaper, "_world_writable", ([], 0.0))  # walked again: this folder is new
    queue = f"/nn101-left-{os.getpid()}".encode()
    worker = start("""
        import ctypes, os
        def litter(folder, queue):
            os.makedirs(os.path.join(folder, "deep", "er"))
            open(os.path.join(folder, "deep", "er", "file"), "w").write("x")
            open(os.path.join(folder, "file"), "w").write("x")
            return ctypes.CDLL(None, use_errno=True).mq_open(queue.encode(), os.O_CREAT | os.O_RDWR, 0o600, None)
    """)
    queue_fd = value(call(worker, "litter", str(shared), queue.decode()))
    assert (sorted(os.listdir(shared)) == ["deep", "file"]) == (level == "uid") and queue_fd >= 0
    worker.close()
    libc = ctypes.CDLL(None, use_errno=True)
    left = libc.mq_open(queue, os.O_RDONLY)
    gone = left == -1 and ctypes.get_errno() == errno.ENOENT
    if left >= 0:  # never leave it behind, even when this test fails
        libc.mq_close(left)
        libc.mq_unlink(queue)
    assert os.listdir(shared) == [] and gone


READ_ALL = """
    import os
    def read(paths):
        return outcomes([lambda path=path: os.listdir(path) if os.path.isdir(path) else open(path).read()
                         for path in paths])
"""


@root_only
def test_grader_files_cannot_be_written_or_deleted(start, open_dir, level):
    results = open_dir / "results.json"
    results.write_text('{"score": 3}')
    results.chmod(0o644)
    worker = start("""
        import os
        def vandalise(path):
            return outcomes([lambda: open(path, "w").write('{"score": 100}'), lambda: os.remove(path),
                             lambda: os.rename(path, path + ".old"), lambda: os.chmod(path, 0o777),
                             lambda: open(os.path.join(os.path.dirname(path), "extra.json"), "w")])
    """)
    assert value(call(worker, "vandalise", str(results))) == [DENIED[level]] * 5
    assert results.read_text() == '{"score": 3}' and sorted(os.listdir(open_dir)) == ["results.json"]


@root_only
def test_files_left_in_scratch_folders_are_removed(start):
    worker = start("""
        import os
        def litter():
            paths = ["/tmp/nn101-litter-%d" % os.getpid(), "/dev/shm/nn101-litter-%d" % os.getpid()]
            for path in paths:
                open(path, "w").write("x")
            os.mkdir(paths[0] + ".d")
            return paths + [paths[0] + ".d"]
    """)
    paths = value(call(worker, "litter"))
    # in the sandbox its /tmp and /dev/shm are its own: nothing ever reaches the host's
    assert all(os.path.exists(p) for p in paths) == (worker.level != "namespace")
    worker.close()
    assert not any(os.path.exists(p) for p in paths)


def test_keyrings_user_namespaces_and_io_uring_are_refused(start, level):
    if level != "namespace" or not seccomp.available():
        pytest.skip("the system-call filter comes with the namespace level, where libseccomp exists")
    worker = start("""
        import ctypes, os
        def attempts():
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            def errno_of(result):
                return "done" if result >= 0 else os.strerror(ctypes.get_errno())
            params = ctypes.create_string_buffer(120)
            return [errno_of(libc.syscall(248, b"user", b"left-for-later", b"x", 1, ctypes.c_long(-4))),  # add_key
                    errno_of(libc.unshare(0x10000000)),                                            # CLONE_NEWUSER
                    errno_of(libc.syscall(425, 8, params))]                                        # io_uring_setup
    """)
    assert value(call(worker, "attempts")) == ["Operation not permitted"] * 3


# ---- limits --------------------------------------------------------------------------------

def test_memory_bomb_hits_the_address_space_limit_and_the_worker_lives_on(start):
    worker = start("""
        import numpy as np
        def bomb():
            return float(np.ones(10 * 2**30 // 8).sum())  # 10 GB
        def fine():
            return 1.0
    """, memory_mb=1024)
    assert call(worker, "bomb")["kind"] == "memory"
    assert value(call(worker, "fine")) == 1.0


def test_file_size_is_capped(start):
    worker = start("""
        def write():
            with open("big.bin", "wb") as handle:
                handle.write(b"0" * (32 * 2**20))
    """, file_mb=4)
    response = call(worker, "write")
    assert response["ok"] is False and response["type"] == "OSError" and "File too large" in response["message"]


@root_only
def test_fork_bomb_is_capped_and_every_process_is_killed(start):
    worker = start("""
        import os, time
        def bomb():
            children = []
            while True:
                try:
                    pid = os.fork()
                except OSError:
                    return children
                if pid == 0:  # escape the worker's process group, then wait to be killed
                    os.setsid()
                    time.sleep(120)
                    os._exit(0)
                children.append(pid)
    """, processes=8)
    children = value(call(worker, "bomb"))
    assert 1 <= len(children) < 8
    alive = reaper.live_pids_of(worker.uid)
    if worker.level == "namespace":  # its pids are its PID namespace's own: count them instead
        assert len(alive) >= len(children)
    else:
        assert set(children) <= set(alive)
    worker.close()
    assert reaper.live_pids_of(worker.uid) == []


def test_wall_time_limit_stops_a_sleeping_call(start):
    worker = start("""
        import time
        def nap():
            time.sleep(60)
    """)
    with pytest.raises(WorkerGone) as gone:
        call(worker, "nap", seconds=0.5)
    assert gone.value.status == "time limit exceeded"
    assert worker.process.poll() is not None


def test_cpu_time_limit_stops_a_busy_worker(start):
    worker = start("""
        def spin():
            while True:
                pass
    """, cpu_seconds=1)
    with pytest.raises(WorkerGone) as gone:
        call(worker, "spin", seconds=30)
    assert gone.value.status == "time limit exceeded"


def test_printing_reaches_nobody(start, capfd):
    worker = start("""
        import sys, os
        def shout():
            for _ in range(50):
                print("x" * 100_000)
                sys.stderr.write("y" * 100_000)
            os.write(1, b"z" * 100_000)
            os.write(2, b"w" * 100_000)
            return 1
    """)
    assert value(call(worker, "shout")) == 1
    worker.close()  # its log (stderr until it was ready) is the one place output could have gone
    out, err = capfd.readouterr()
    assert out == "" and err == "" and "y" * 1000 not in worker._log_tail and "w" * 1000 not in worker._log_tail


# ---- the protocol --------------------------------------------------------------------------

def test_an_answer_over_the_output_cap_is_refused(start):
    worker = start("""
        import numpy as np
        def huge():
            return np.zeros(4 * 2**20)  # 32 MiB of float64
    """, output_mb=8)
    with pytest.raises(WorkerGone) as gone:
        call(worker, "huge")
    assert gone.value.status == "error" and "more than 8 MiB" in gone.value.detail


@pytest.mark.parametrize("forgery", [
    "b'[' * 2_000_000",                          # nesting that would overflow a recursive parser
    "b'[1, 2, 3]'",                              # valid JSON, but not an answer
    "b'{\"ok\": true, \"value\": 1, \"args\": [], \"id\": -5}'",  # an answer to another request
    "b'\\xff\\xfe not utf-8'",
])
def test_forged_answers_on_the_pipe_are_refused(start, forgery):
    worker = start(f"""
        import os, struct, time
        def forge():
            body = {forgery}
            os.write(answers_pipe(), struct.pack("!Q", len(body)) + body)
            time.sleep(30)
    """)
    with pytest.raises(WorkerGone) as gone:
        call(worker, "forge", seconds=10)
    assert gone.value.status == "error"


def test_a_worker_that_stops_reading_cannot_block_the_grader(start):
    worker = start("""
        import sys, time, json, os, struct
        ANSWERS = answers_pipe()
        def lie():
            request = sys._getframe(1).f_locals["request"]  # the grader's request, in the worker's frame
            body = json.dumps({"ok": True, "value": 1, "args": [], "id": request["id"]}).encode()
            os.write(ANSWERS, struct.pack("!Q", len(body)) + body)  # answer early ...
            time.sleep(60)                                     # ... and never read again
    """)
    assert value(call(worker, "lie", seconds=5)) == 1
    with pytest.raises(WorkerGone) as gone:
        call(worker, "lie", "x" * 2_000_000, seconds=1)  # larger than any pipe buffer
    assert gone.value.status == "time limit exceeded"


def test_a_worker_that_closes_its_pipe_does_not_hang_the_grader(start):
    worker = start("""
        import os, time
        def hang_up():
            for fd in range(3, 20):
                try:
                    os.close(fd)
                except OSError:
                    pass
            time.sleep(60)
    """)
    with pytest.raises(WorkerGone) as gone:
        call(worker, "hang_up", seconds=20)
    assert gone.value.status == "crashed"


def test_worker_dies_with_its_grader(tmp_path, level):
    (tmp_path / "probe.py").write_text("")
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {sandbox.ROOT!r})
        from autograder.sandbox import Worker
        from autograder.limits import Limits
        worker = Worker({str(tmp_path)!r}, Limits())
        worker.wait_ready(30)
        zygote = worker.process.server.process.pid
        family, pending = [], [zygote]  # host pids: the zygote (or bwrap) and everything below it
        while pending:
            pid = pending.pop()
            family.append(pid)
            pending += map(int, open(f"/proc/{{pid}}/task/{{pid}}/children").read().split())
        print(*family, flush=True)
        time.sleep(120)
    """)
    env = dict(os.environ, NN101_ISOLATION=level)
    grader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    pids = [int(pid) for pid in grader.stdout.readline().split()]
    # the zygote and the worker at least (confined: bwrap, its init, the zygote, keeper, init, worker)
    assert len(pids) >= 2 and all(_alive(pid) for pid in pids)
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    for _ in range(100):
        if not any(map(_alive, pids)):
            break
        time.sleep(0.05)
    assert not any(map(_alive, pids))
    # what the killed grader leaves (its worker folders) goes with the next grading process's sweep
    reaper.sweep_stale(sandbox.WORKER_PREFIX)
    assert not list(Path(tempfile.gettempdir()).glob(f"{sandbox.WORKER_PREFIX}{grader.pid}-*"))


# ---- the zygote: imports shared, processes not -------------------------------------------------

def test_worker_holds_no_descriptor_but_its_two_pipes(start):
    worker = start("""
        import os, stat
        def descriptors():
            kinds = []
            for fd in range(3, 4096):
                try:
                    mode = os.fstat(fd).st_mode
                except OSError:
                    continue
                kinds.append("pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "other")
            return kinds
    """)
    assert value(call(worker, "descriptors")) == ["pipe", "pipe"]  # no zygote socket, no log file


def test_each_submission_gets_a_fresh_process(start):
    source = """
        import numpy
        def mark():
            seen = getattr(numpy, "left_by_another_student", None)
            numpy.left_by_another_student = "x"  # state a later worker must not inherit
            return [seen, __import__("os").getpid()]
    """
    first, second = start(source), start(source)
    seen_first, pid_first = value(call(first, "mark"))
    seen_second, pid_second = value(call(second, "mark"))
    assert seen_first is None and seen_second is None
    assert first.process.pid != second.process.pid and first.process.server is second.process.server


@root_only
def test_the_zygote_never_holds_a_submissions_code(start):
    # every worker is a copy of the zygote's memory: whatever it held of one student, the next inherits
    marker = "VICTIM-MARKER-" + os.urandom(8).hex()
    victim = start(f"# {marker}\ndef f():\n    return 1\n")
    assert value(call(victim, "f")) == 1
    zygote = _zygote_pid(victim.process.server.process.pid)
    victim.close()
    # the marker as text, and as base64 at each of the three alignments it may have in a file
    needles = [marker.encode()] + [base64.b64encode(b"x" * k + marker.encode())[4:24] for k in range(3)]
    assert _memory_count(zygote, needles) == 0


def _zygote_pid(started: int) -> int:
    """The zygote's host pid: the process we started or, confined, the Python below bwrap's."""
    pending = [started]
    while pending:
        pid = pending.pop(0)
        if os.path.basename(os.readlink(f"/proc/{pid}/exe")).startswith("python"):
            return pid
        pending += map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    raise LookupError("no zygote")


def _memory_count(pid: int, needles: list[bytes]) -> int:
    found = 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as memory:
        for line in maps:
            parts = line.split()
            if not parts[1].startswith("r") or (len(parts) > 5 and parts[5].startswith("[v")):
                continue
            low, high = (int(x, 16) for x in parts[0].split("-"))
            data = bytearray()
            for start in range(low, high, 1 << 16):  # page by page: one unreadable page skips only itself
                try:
                    memory.seek(start)
                    data += memory.read(min(1 << 16, high - start))
                except (OSError, OverflowError, ValueError):
                    data += b"\0"
            found += sum(data.count(n) for n in needles)
    return found


def test_a_dead_zygote_is_replaced(start):
    start("def f():\n    return 1\n")
    server = next(iter(forkserver._servers.values()))
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    worker = start("def f():\n    return 2\n")
    assert value(call(worker, "f")) == 2 and worker.process.server is not server


@pytest.mark.parametrize("kind", ["numpy", "keras"])
def test_the_zygote_is_single_threaded_after_its_imports(kind, tmp_path):
    # forking a threaded process can copy a lock another thread holds; TensorFlow must not start any.
    # Unconfined here: its HOME (Keras' and Matplotlib's caches) is the test's folder, not /tmp.
    server = forkserver.ForkServer(kind, sandbox.ROOT, dict(QUIET_ENV, HOME=str(tmp_path),
                                                            MPLCONFIGDIR=str(tmp_path / "matplotlib")))
    try:
        server.wait_ready(180)
        assert server.threads == 1
    finally:
        server.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\tZ" not in next(line for line in status if line.startswith("State:"))
    except FileNotFoundError:
        return False


def test_a_zygote_that_dies_before_it_is_ready_is_a_start_error(tmp_path, monkeypatch):
    server = forkserver.ForkServer("numpy", sandbox.ROOT, QUIET_ENV)
    os.killpg(server.process.pid, signal.SIGKILL)
    monkeypatch.setattr(forkserver, "server_for", lambda *args: server)
    (tmp_path / "probe.py").write_text("")
    with pytest.raises(sandbox.WorkerStartError, match="numpy zygote could not start: it exited"):
        Worker(tmp_path, Limits())
    assert not server.alive()  # given up on: server_for starts a new one for the next submission


def test_a_worker_killed_by_sigkill_is_reported_as_killed_not_as_exit_status_1(tmp_path):
    """The zygote mirrors how its worker ended; SIGKILL (the OOM killer's signal) cannot get a handler,
    and trying to set one turned every such death into "exit status 1"."""
    folder = submission_with(tmp_path, {"softmax": "import os, signal\n\ndef softmax(z, axis=-1):\n"
                                                   "    os.kill(os.getpid(), signal.SIGKILL)\n"})
    results = runner.grade(folder, select("softmax"))
    messages = {c.message for c in results.exercise("softmax").checks}
    assert any("exit status -9" in m for m in messages), messages
    assert not results.grader_errors
