"""Import benchmark: the whole shared corpus (ANT + SaudiNewsNet, 41,191 records) through import_paths.

Runs in its own database (newsarchive_bench on the embedded server, or BENCH_DATABASE_URL), emptied first, so it
never touches the archive. Reports articles/s end to end (parse, clean, analyze, insert, index) and per phase.

    .venv/bin/python bench/import_bench.py [--workers N] [--runs N]
"""

import argparse
import os
import resource
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


def cpu_seconds(backend_pid: int) -> tuple[float, float, float]:
    """CPU time (user + system) of this process (its threads: tantivy's indexing among them), of its reaped
    children (the analysis workers) and of this connection's PostgreSQL backend: what an import costs, whatever
    else the machine is doing."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    backend = 0.0
    try:  # the embedded server runs on this machine; with BENCH_DATABASE_URL it may not
        fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        pass
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, backend


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
    rates, costs = [], []
    for run in range(args.runs):
        with connection.cursor() as c:
            c.execute("TRUNCATE articles_article, articles_importbatch, articles_tag, articles_source CASCADE")
            c.execute("SELECT pg_backend_pid()")
            backend = c.fetchone()[0]
        cpu = cpu_seconds(backend)
        load = os.getloadavg()[0]
        report = import_paths(paths, workers=args.workers)
        parts = [after - before for after, before in zip(cpu_seconds(backend), cpu)]
        cpu = sum(parts)
        rates.append(report.rate)
        costs.append(cpu / max(report.imported, 1) * 1000)
        print(
            f"run {run + 1}: {report.records} records, created {report.created}, updated {report.updated}, "
            f"duplicates {report.duplicates}, failed {report.failed} in {report.elapsed:.1f} s "
            f"= {report.rate:.0f} articles/s; CPU {cpu:.1f} s = {costs[-1]:.2f} ms per article "
            f"(this process {parts[0]:.1f} s, workers {parts[1]:.1f} s, PostgreSQL {parts[2]:.1f} s; load average "
            f"{load:.1f} before)"
        )
        t = time.perf_counter()
        again = import_paths(paths, workers=args.workers)
        print(
            f"  re-run: created {again.created}, updated {again.updated}, duplicates {again.duplicates} "
            f"in {time.perf_counter() - t:.1f} s"
        )
    print(
        f"median: {statistics.median(rates):.0f} articles/s end to end, {statistics.median(costs):.2f} ms CPU per "
        f"article (workers={args.workers or 'default'})"
    )


if __name__ == "__main__":
    main()
