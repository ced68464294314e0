"""Import benchmark: the whole shared corpus (ANT + SaudiNewsNet, 41,191 records) through import_paths.

Runs in its own database (newsarchive_bench on the embedded server, or BENCH_DATABASE_URL), emptied first, so it
never touches the archive. Reports articles/s end to end (parse, clean, analyze, insert, index) and per phase.

    .venv/bin/python bench/import_bench.py [--workers N] [--runs N]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("EMBEDDED_PG_DATABASE", "newsarchive_bench")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.importing.pipeline import import_paths
    from articles.importing.reader import iter_records

    call_command("migrate", verbosity=0)
    paths = [SHARED / "corpus" / "ant_corpus_v1.1", SHARED / "corpus" / "saudinewsnet" / "dataset"]
    t = time.perf_counter()
    n = sum(1 for _ in iter_records(paths))
    parse = time.perf_counter() - t
    print(f"parse only: {n} records in {parse:.1f} s ({n / parse:.0f}/s)")
    rates = []
    for run in range(args.runs):
        with connection.cursor() as c:
            c.execute("TRUNCATE articles_article, articles_importbatch, articles_tag, articles_source CASCADE")
        report = import_paths(paths, workers=args.workers)
        rates.append(report.rate)
        print(
            f"run {run + 1}: {report.records} records, created {report.created}, updated {report.updated}, "
            f"duplicates {report.duplicates}, failed {report.failed} in {report.elapsed:.1f} s "
            f"= {report.rate:.0f} articles/s"
        )
        t = time.perf_counter()
        again = import_paths(paths, workers=args.workers)
        print(
            f"  re-run: created {again.created}, updated {again.updated}, duplicates {again.duplicates} "
            f"in {time.perf_counter() - t:.1f} s"
        )
    print(f"median: {statistics.median(rates):.0f} articles/s end to end (workers={args.workers or 'default'})")


if __name__ == "__main__":
    main()
