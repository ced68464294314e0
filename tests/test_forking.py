"""Forked worker pools die with the process that made them, even when it is killed outright (SIGKILL): an
import or a rebuild killed mid-way must not leave its workers running on."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Both workers busy with a long task, as when an import is killed while they parse or analyze: without the
# parent-death signal they would go on for the whole task after their parent is gone.
SCRIPT = """
import os, time
from articles.forking import fork_pool
pool = fork_pool(2)
pool.apply(os.getpid)  # the workers are up
jobs = [pool.apply_async(time.sleep, (120,)) for _ in range(2)]
time.sleep(0.5)
print("ready", flush=True)
time.sleep(120)
"""


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_workers_of_a_pool_die_when_its_process_is_killed_outright():
    parent = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert parent.stdout.readline().strip() == "ready"
        workers = children(parent.pid)
        assert len(workers) == 2
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), "a worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
