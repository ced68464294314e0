"""manage.py reindex_articles: rebuild every article's search vector after an analyzer change."""
import time

from django.core.management.base import BaseCommand, CommandError

from articles.indexing import reindex


class Command(BaseCommand):
    help = "إعادة بناء فهرس البحث لكل المقالات (بعد تغيير المحلل)، على دفعات."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=0, help="عمليات التحليل (0 = عدد المعالجات)")
        parser.add_argument("--stale-only", action="store_true", help="فقط المقالات المفهرسة بنسخة أقدم من المحلل")

    def handle(self, *args, batch_size, workers, stale_only, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size يجب أن يكون موجبا")
        started = time.monotonic()

        def progress(done, total):
            if verbosity > 1:
                self.stderr.write(f"  {done}/{total}")

        done = reindex(batch_size=batch_size, workers=workers or None, stale_only=stale_only, progress=progress)
        elapsed = time.monotonic() - started
        if verbosity > 0:
            self.stdout.write(f"أعيدت فهرسة {done} مقال في {elapsed:.1f} ث ({done / max(elapsed, 1e-9):.0f} مقال/ث)")
