"""Progress of the long-running commands: a bar on a terminal, a line every so often when output is redirected
(a log file, cron, `| tee`), so a long import is never silent until its end."""

import contextlib
import sys
import time

#: Without a terminal, a progress line at least every PROGRESS_SECONDS, or every PROGRESS_FILES files.
PROGRESS_SECONDS = 30.0
PROGRESS_FILES = 1000


class ProgressLines:
    """Writes `line()` to `stream` when `every` more units are done or `seconds` have passed since the last line."""

    def __init__(self, stream, *, every: int = PROGRESS_FILES, seconds: float = PROGRESS_SECONDS, clock=time.monotonic):
        self.stream, self.every, self.seconds, self.clock = stream, max(1, every), seconds, clock
        self.started = self.last_time = clock()
        self.last_done = 0

    def elapsed(self) -> float:
        return self.clock() - self.started

    def update(self, done: int, line) -> None:
        """`line` is called only when a line is due, with the seconds elapsed since the start."""
        now = self.clock()
        if done - self.last_done >= self.every or (done > self.last_done and now - self.last_time >= self.seconds):
            self.stream.write(line(now - self.started) + "\n")
            self.stream.flush()
            self.last_done, self.last_time = done, now


@contextlib.contextmanager
def progress_bar(verbosity: int, unit: str = " مقال"):
    """Yields progress(done, total): a bar on stderr when it is a terminal, else a line now and then."""
    bar = lines = None
    if verbosity > 0 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=unit, dynamic_ncols=True, file=sys.stderr)
    elif verbosity > 0:
        lines = ProgressLines(sys.stderr, every=10_000)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()
        elif lines is not None:
            lines.update(done, lambda seconds: f"… {done} من {total} ({seconds:.0f} ث)")

    try:
        yield progress
    finally:
        if bar is not None:
            bar.close()
