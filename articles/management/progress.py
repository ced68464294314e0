"""The progress bar of the long-running commands (rebuild_index, regroup_articles): on a terminal only."""
import contextlib
import sys


@contextlib.contextmanager
def progress_bar(verbosity: int):
    """Yields progress(done, total), which draws a bar on stderr when it is a terminal and does nothing else."""
    bar = None
    if verbosity > 0 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" مقال", dynamic_ncols=True, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        yield progress
    finally:
        if bar is not None:
            bar.close()
