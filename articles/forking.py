"""Pools of forked worker processes that never outlive the process that made them.

An import or a rebuild forks workers after loading the analyzer's lexicon, so they share it. If that process is
killed outright (SIGKILL, the OOM killer), multiprocessing cannot stop them: they would wait for tasks forever,
each holding its copy of the caches. Linux's parent-death signal ends them with it. No Django imports.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _worker_init(parent: int) -> None:
    # The parent's handlers (run_indexer's SIGTERM flag) mean nothing here: the parent stops its workers itself.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent handles it
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers may outlive a killed parent there
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def fork_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of `processes` forked workers, each killed when this process dies, however it dies."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_worker_init, initargs=(os.getpid(),))
