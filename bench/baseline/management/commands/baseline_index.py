"""manage.py baseline_index --settings=bench.settings: bring the baseline's stored vectors up to date.

Articles without a BaselineDocument get one, computed by PostgreSQL's to_tsvector('arabic', …), in id ranges on
two connections at once (the machine's two cores). When the table starts empty, the GIN index is built after
the fill, as anyone loading a large table would.
"""
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
from django.core.management.base import BaseCommand
from django.db import connection

FILL = """
INSERT INTO baseline_baselinedocument (article_id, vector)
SELECT a.id, setweight(to_tsvector('arabic', coalesce(a.title, '')), 'A')
          || setweight(to_tsvector('arabic', coalesce(a.lead, '')), 'B')
          || setweight(to_tsvector('arabic', coalesce(a.body, '')), 'D')
FROM articles_article a
WHERE a.id BETWEEN %s AND %s
  AND NOT EXISTS (SELECT 1 FROM baseline_baselinedocument b WHERE b.article_id = a.id)
"""


class Command(BaseCommand):
    help = "Fill the plain-Django baseline's tsvectors (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=20_000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, chunk, workers, **options):
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id), count(*) FROM articles_article")
            low, high, total = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM baseline_baselinedocument")
            (have,) = cursor.fetchone()
        if not total or have >= total:
            self.stdout.write(f"baseline: {have} documents, nothing to do")
            return
        rebuild = have == 0
        if rebuild:
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX IF EXISTS baseline_vector_gin")
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)

        def fill(bounds):
            with psycopg.connect(**params, autocommit=True) as conn:
                return conn.execute(FILL, bounds).rowcount

        ranges = [(i, min(i + chunk - 1, high)) for i in range(low, high + 1, chunk)]
        done = 0
        with ThreadPoolExecutor(workers) as pool:
            for n in pool.map(fill, ranges):
                done += n
                self.stdout.write(f"  {done}/{total - have}", ending="\r")
        if rebuild:
            with connection.cursor() as cursor:
                cursor.execute("CREATE INDEX baseline_vector_gin ON baseline_baselinedocument USING gin (vector)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE baseline_baselinedocument")
        elapsed = time.monotonic() - started
        self.stdout.write(f"baseline: {done} documents added in {elapsed:.1f} s ({done / elapsed:.0f}/s)")
