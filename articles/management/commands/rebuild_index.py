"""manage.py rebuild_index: build a fresh search index from PostgreSQL beside the live one, then swap it in."""
import sys
import time

from django.core.management.base import BaseCommand

from articles.search import index


class Command(BaseCommand):
    help = "يبني فهرس البحث من جديد من قاعدة البيانات ثم يستبدله بالفهرس الحالي دفعة واحدة."

    def handle(self, *args, verbosity, **options):
        bar = None
        if verbosity > 0 and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit=" مقال", dynamic_ncols=True, file=sys.stderr)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        started = time.monotonic()
        try:
            done = index.rebuild(progress=progress)
        finally:
            if bar is not None:
                bar.close()
        elapsed = time.monotonic() - started
        if verbosity > 0:
            self.stdout.write(f"فُهرس {done} مقال في {elapsed:.1f} ث ({done / max(elapsed, 1e-9):.0f} مقال/ث)")
