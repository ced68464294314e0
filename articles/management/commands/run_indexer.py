"""manage.py run_indexer: keep the search index in step with PostgreSQL, for production (beside gunicorn).

Drains the outbox every SEARCH_INDEXER_POLL seconds; rebuilds the index from PostgreSQL when it is missing or
broken. One runs at a time: a second one waits, saying so, until the first stops.
"""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from articles.arabic_numbers import ARTICLE, counted
from articles.search import analysis, index

INDEXER_LOCK = "articles.search.indexer"
REVALIDATE_SECONDS = 30  # how often the live index is checked on disk even when nothing is written


class Command(BaseCommand):
    help = "يبقي فهرس البحث مطابقا لقاعدة البيانات (يعمل باستمرار بجانب خادم الويب)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="افرغ قائمة الانتظار مرة واحدة ثم اخرج")

    def handle(self, *args, once, verbosity, **options):
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [INDEXER_LOCK])
            if not cursor.fetchone()[0]:
                self.stderr.write("مفهرس آخر يعمل على هذا الأرشيف: ننتظر حتى يتوقف…")
                # Polling, not a blocking lock call: a waiting indexer must still stop on SIGTERM.
                while not stopping:
                    time.sleep(max(settings.SEARCH_INDEXER_POLL, 0.5))
                    cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [INDEXER_LOCK])
                    if cursor.fetchone()[0]:
                        break
                else:
                    return
        analysis.lexicon()  # before the first change waits for it
        self.stdout.write(f"المفهرس يعمل على {index.index_dir()}")
        checked = time.monotonic()
        while not stopping:
            if time.monotonic() - checked > REVALIDATE_SECONDS:
                index.revalidate()
                checked = time.monotonic()
            done = index.drain()
            if done and verbosity > 0:
                self.stdout.write(f"فُهرس {counted(done, ARTICLE)}")
            if once:
                break
            time.sleep(settings.SEARCH_INDEXER_POLL)
