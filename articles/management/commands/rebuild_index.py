"""manage.py rebuild_index: build a fresh search index from PostgreSQL beside the live one, then swap it in."""

import time

from django.core.management.base import BaseCommand

from articles.arabic_numbers import ARTICLE, counted
from articles.management.progress import progress_bar
from articles.search import index


class Command(BaseCommand):
    help = "يبني فهرس البحث من جديد من قاعدة البيانات ثم يستبدله بالفهرس الحالي دفعة واحدة."

    def handle(self, *args, verbosity, **options):
        started = time.monotonic()
        with progress_bar(verbosity) as progress:
            done = index.rebuild(progress=progress)
        elapsed = time.monotonic() - started
        if verbosity > 0:
            rate = done / max(elapsed, 1e-9)
            self.stdout.write(f"فُهرس {counted(done, ARTICLE)} في {elapsed:.1f} ث ({rate:.0f} مقال/ث)")
