"""Pools of forked worker processes that never outlive the process that made them, and that only it stops.

An import or a rebuild forks workers after loading the analyzer's lexicon, so they share it. If that process is
killed outright (SIGKILL, the OOM killer), multiprocessing cannot stop them: they would wait for tasks forever,
each holding its copy of the caches. Linux's parent-death signal ends them with it.

Ctrl-C and a service manager's SIGTERM reach the whole process group, workers included. A worker ended by that
signal may die holding the task queue's lock (an idle worker holds it while it waits for a task), and the
parent's Pool.terminate() then waits for that lock forever; one ended while sending a result leaves BrokenPipe
tracebacks. So workers ignore both signals, except the SIGTERM that their own pool's terminate() sends, which a
shared flag, raised just before, tells apart. A worker that cannot run its handler (stuck on a lock it inherited
from a thread of the parent at fork time) is killed outright a few seconds later. No Django imports.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
STOP_GRACE_SECONDS = 5.0


def _worker_init(parent: int, stopping) -> None:
    def on_term(signum, frame):
        if stopping.value:  # the parent is terminating the pool: go now
            os._exit(0)

    # The parent's own handlers (run_indexer's SIGTERM flag, an import's Stopped) mean nothing here.
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers may outlive a killed parent there
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


class _Pool(multiprocessing.pool.Pool):
    def __init__(self, processes: int, context):
        self._stopping = context.Value("b", 0, lock=False)  # shared memory, inherited by the forked workers
        super().__init__(processes, initializer=_worker_init, initargs=(os.getpid(), self._stopping), context=context)

    def terminate(self) -> None:
        self._stopping.value = 1
        held, done = threading.Event(), threading.Event()
        self._inqueue._parent_holds = held
        reaper = threading.Thread(target=_reap, args=(list(self._pool), held, done), daemon=True)
        reaper.start()
        try:
            super().terminate()
        finally:
            done.set()
            held.set()

    @staticmethod
    def _help_stuff_finish(inqueue, task_handler, size):
        multiprocessing.pool.Pool._help_stuff_finish(inqueue, task_handler, size)
        held = getattr(inqueue, "_parent_holds", None)
        if held is not None:
            held.set()  # this process now holds the task queue's lock: a worker killed from here strands nothing


def _reap(workers, held: threading.Event, done: threading.Event) -> None:
    """Kill, STOP_GRACE_SECONDS after terminate() took the task queue's lock, the workers still alive."""
    held.wait()
    if done.wait(STOP_GRACE_SECONDS):
        return
    for worker in workers:
        if worker.exitcode is None:
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except (ProcessLookupError, TypeError):  # gone already
                pass


def fork_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of `processes` forked workers, each killed when this process dies, however it dies, and deaf to the
    process group's Ctrl-C and SIGTERM: this process stops them (terminate())."""
    return _Pool(processes, multiprocessing.get_context("fork"))
