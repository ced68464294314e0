"""Stopping a long command (an import) with Ctrl-C or SIGTERM: one Arabic sentence and the shell's exit status
(130, 143), never a traceback. No Django imports."""

from __future__ import annotations

import contextlib
import signal


class Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGINT or SIGTERM. A KeyboardInterrupt, so that psycopg cancels the query in
    flight and rolls back as it does for Ctrl-C, and every `except Exception` lets it through."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum  # what a shell reports for a process ended by the signal


_requested: list[int] = []  # the signal received inside stoppable(), if any


def stopped_by(exc: BaseException | None) -> Stopped | None:
    """The Stopped behind `exc` (cleanup after a signal may fail in turn, on a connection cut mid-query), or the
    signal received, when Python dropped the exception (raised inside a finalizer, it is only printed)."""
    seen, todo = set(), [exc]
    while todo:  # both links: a database error wrapped by Django has the driver's as cause, the signal as context
        exc = todo.pop()
        if exc is None or id(exc) in seen:
            continue
        if isinstance(exc, Stopped):
            return exc
        seen.add(id(exc))
        todo += [exc.__cause__, exc.__context__]
    return requested()


def requested() -> Stopped | None:
    return Stopped(_requested[-1]) if _requested else None


@contextlib.contextmanager
def stoppable():
    """Inside, SIGINT and SIGTERM raise Stopped, so the code's own cleanup runs (an import rolls back the batch in
    flight and marks its ImportBatch interrupted). A second signal during that cleanup is ignored: cutting it short
    would leave the batch «running» and the index unflushed."""

    def handler(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _requested.append(signum)
        raise Stopped(signum)

    _requested.clear()
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
