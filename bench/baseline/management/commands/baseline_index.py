"""manage.py baseline_index --settings=bench.settings [--rebuild] [--chunk 50000] [--workers 2]

Brings the plain-Django baseline's stored vectors up to date: every article without a BaselineDocument gets one,
computed by PostgreSQL from Django's own expression, as the Django docs write it:

    SearchVector("title", weight="A", config="arabic") + SearchVector("lead", weight="B", config="arabic")
        + SearchVector("body", weight="C", config="arabic")

in INSERT … SELECT statements over id ranges of `--chunk` ids, on `--workers` connections at once, printing
progress and rate. `--rebuild` empties the table first (after an import that changed existing articles). When the
table starts empty the GIN index is dropped and built after the fill, as anyone loading a large table would.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from django.contrib.postgres.search import SearchVector
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.db.models import Max, Min

from articles.models import Article
from bench.baseline.models import BaselineDocument

TABLE = BaselineDocument._meta.db_table


def document_vector():
    return (
        SearchVector("title", weight="A", config="arabic")
        + SearchVector("lead", weight="B", config="arabic")
        + SearchVector("body", weight="C", config="arabic")
    )


def fill_sql(low: int, high: int) -> tuple[str, list]:
    """INSERT … SELECT of the missing documents for article ids low..high (SQL and parameters)."""
    select = (
        Article.objects.filter(pk__range=(low, high), baseline__isnull=True)
        .order_by()
        .annotate(v=document_vector())
        .values_list("pk", "v")
    )
    sql, params = select.query.sql_with_params()
    return f"INSERT INTO {TABLE} (article_id, vector) {sql}", list(params)


def fill_range(low: int, high: int, using=None) -> int:
    """Add the missing documents for ids low..high on the current thread's connection; rows added."""
    sql, params = fill_sql(low, high)
    with (connections[using] if using else connection).cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


class Command(BaseCommand):
    help = "Fill the plain-Django baseline's stored tsvectors (benchmarks only, --settings=bench.settings)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=50_000, help="article ids per statement")
        parser.add_argument("--workers", type=int, default=2, help="statements running at once")
        parser.add_argument("--rebuild", action="store_true", help="recompute every document")

    def handle(self, *args, chunk, workers, rebuild, **options):
        started = time.monotonic()
        if rebuild:
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {TABLE}")
        bounds = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
        total = Article.objects.count()
        have = BaselineDocument.objects.count()
        if not total or have >= total:
            self.stdout.write(f"baseline: {have} documents for {total} articles, nothing to do")
            return
        index = BaselineDocument._meta.indexes[0]
        build_index_after = have == 0
        if build_index_after:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX IF EXISTS {index.name}")

        def work(low_high):
            try:
                return fill_range(*low_high)
            finally:
                connection.close()  # this thread's own connection

        low, high = bounds["low"], bounds["high"]
        ranges = [(i, min(i + chunk - 1, high)) for i in range(low, high + 1, chunk)]
        missing, done = total - have, 0
        with ThreadPoolExecutor(max(1, workers)) as pool:
            for n in pool.map(work, ranges):
                done += n
                elapsed = time.monotonic() - started
                self.stdout.write(f"  {done:,}/{missing:,} documents, {done / max(elapsed, 1e-6):,.0f}/s")
        t = time.monotonic()
        with connection.cursor() as cursor:
            # The migration's index, rebuilt if this run (or an interrupted one) dropped it.
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {index.name} ON {TABLE} USING gin (vector)")
            if build_index_after:
                self.stdout.write(f"  GIN index built in {time.monotonic() - t:.1f} s")
            cursor.execute(f"ANALYZE {TABLE}")
        elapsed = time.monotonic() - started
        self.stdout.write(f"baseline: {done} documents added in {elapsed:.1f} s ({done / elapsed:.0f}/s)")
