"""A throwaway Dask cluster on 127.0.0.1 for the class benchmark: a scheduler and N workers.

Each process runs in its own session and stops by itself after ``lifetime``; leaving
the ``with`` block kills them all. Workers run ``--nthreads 1`` (one submission at a
time each, as the README advises) and import this repository's ``autograder``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def local_cluster(workers: int, lifetime: str = "1800s"):
    """Yield the scheduler's address once ``workers`` workers have joined."""
    from distributed import Client

    folder = Path(tempfile.mkdtemp(prefix="nn101-dask-bench-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    scheduler_file = folder / "scheduler.json"
    log = (folder / "cluster.log").open("w")
    started = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                 "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file),
                                 "--idle-timeout", lifetime], cwd=folder, env=env, stdout=log, stderr=log,
                                start_new_session=True)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        for _ in range(workers):
            started.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--host", "127.0.0.1", "--lifetime", lifetime],
                cwd=folder, env=env, stdout=log, stderr=log, start_new_session=True))
        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
