#!/usr/bin/env python
"""Kill `manage.py import_articles` with SIGKILL at random moments, rerun it each time, and check that nothing was
lost, doubled or half-written.

    .venv/bin/python scripts/kill_import.py [--corpus ../shared/corpus/ant_corpus_v1.1] [--kills 20] [--seed N]

1. A clean single run of the corpus gives the reference: every article (by content hash) with its text lengths,
   source and tags.
2. The archive is emptied; then, `--kills` times, an import of the same corpus is started and killed with SIGKILL
   after a random delay (between a fraction of a second and the reference run's duration), and started again.
   Runs that finish before their kill are counted and do not count as kills.
3. A last run goes to the end, then the checks: the same articles as the reference (count and content hashes), no
   duplicate, no half-written article (every text length, source and tag set as in the reference, a search vector
   on each), every ImportBatch finished or marked interrupted (one per kill), no worker process left behind, no
   database session left open in a transaction.

Runs against its own database on the embedded server (EMBEDDED_PG_DATABASE, default newsarchive_killtest), which it
empties: never point it at the archive. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ant_corpus_v1.1"
PROTECTED = {"newsarchive", "postgres", "template0", "template1"}


def setup_django(database: str | None) -> None:
    if database:
        os.environ["EMBEDDED_PG_DATABASE"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "kill-import-script-" + "x" * 40)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- state of the archive -------------------------------------------------------------------------------------


def empty_archive() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if name in PROTECTED:
        raise SystemExit(f"refusing to empty the database {name!r}: use a database of its own")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_article, articles_importbatch, articles_tag, articles_source CASCADE")


def snapshot() -> dict[str, tuple]:
    """content hash -> (title, lead and body lengths, source key, sorted tag names)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.content_hash, length(a.title), length(a.lead), length(a.body), coalesce(s.key, ''),
                   coalesce((SELECT string_agg(t.name, '|' ORDER BY t.name) FROM articles_article_tags x
                             JOIN articles_tag t ON t.id = x.tag_id WHERE x.article_id = a.id), '')
            FROM articles_article a LEFT JOIN articles_source s ON s.id = a.source_id
            """
        )
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def check(reference: dict[str, tuple], kills: int) -> list[str]:
    """Everything that is wrong with the archive after the kills and the final run."""
    from django.db import connection
    from django.db.models import Count

    from articles.models import Article, ImportBatch
    from articles.search import check as search_check

    problems = []
    now = snapshot()
    count = Article.objects.count()
    if count != len(reference):
        problems.append(f"{count} articles, a clean run stores {len(reference)}")
    missing, extra = reference.keys() - now.keys(), now.keys() - reference.keys()
    if missing or extra:
        problems.append(f"{len(missing)} articles missing and {len(extra)} unexpected")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_article WHERE url <> '' GROUP BY url HAVING count(*) > 1) d"
        )
        if dup_urls := cursor.fetchone()[0]:
            problems.append(f"{dup_urls} URLs stored twice")
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_article GROUP BY md5(title || '|' || body) "
            "HAVING count(*) > 1) d"
        )
        if dup_texts := cursor.fetchone()[0]:
            problems.append(f"{dup_texts} texts stored twice")
    half = [h for h in reference.keys() & now.keys() if now[h] != reference[h]]
    if half:
        h = half[0]
        problems.append(
            f"{len(half)} articles differ from the clean run (half-written?), e.g. {h[:12]}: "
            f"{now[h]} instead of {reference[h]}"
        )
    # The final run drained the outbox: the search index holds exactly what PostgreSQL holds.
    problems += [f"search index: {p}" for p in search_check.compare(sample=50)]
    if titled_no_body := sum(1 for h, v in now.items() if v[2] == 0 and reference.get(h, v)[2] > 0):
        problems.append(f"{titled_no_body} articles with a title but no body")
    statuses = dict(ImportBatch.objects.order_by().values_list("status").annotate(n=Count("pk")))
    unfinished = {s: n for s, n in statuses.items() if s not in ("finished", "interrupted")}
    if unfinished:
        problems.append(f"import batches neither finished nor interrupted: {unfinished}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        if open_tx := cursor.fetchone()[0]:
            problems.append(f"{open_tx} database sessions left idle in a transaction")
    return problems


# --- running and killing --------------------------------------------------------------------------------------


def start_import(paths: list[str], env: dict[str, str], batch_size: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_articles",
            *paths,
            "--batch-size",
            str(batch_size),
            "-v",
            "0",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(proc: subprocess.Popen, delay: float, when=None) -> dict:
    """SIGKILL `proc` after `delay` seconds, or as soon as `when()` is true, unless it finished first; then make sure
    its analysis workers die with it."""
    import psutil

    deadline = time.monotonic() + delay
    children: list = []
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            children = psutil.Process(proc.pid).children(recursive=True) or children
        except psutil.NoSuchProcess:
            pass
        if when is not None and when():
            break
        time.sleep(min(0.02, max(deadline - time.monotonic(), 0)))
    if proc.poll() is not None:
        stderr = proc.stderr.read() if proc.stderr else ""
        return {"killed": False, "returncode": proc.returncode, "stderr": stderr[-2000:], "orphans": []}
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()  # reaped, so its pid no longer exists for the next run's stale-batch check
    if proc.stderr:
        proc.stderr.close()
    # The analysis workers get EOF on their task pipe when the parent dies; give them a moment.
    _, alive = psutil.wait_procs(children, timeout=10)
    orphans = [p.pid for p in alive]
    for p in alive:  # ours: do not let them pile up over 20 kills
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    return {"killed": True, "returncode": None, "stderr": "", "orphans": orphans}


def articles_count() -> int:
    from articles.models import (
        Article,  # autocommit: each count sees every transaction committed so far
    )

    return Article.objects.count()


def run_kills(
    paths: list[str],
    env: dict[str, str],
    *,
    kills: int,
    max_delay: float,
    batch_size: int,
    rng: random.Random,
    total: int,
    log=print,
    max_attempts: int | None = None,
) -> dict:
    """Start, kill, restart; returns a summary. Stops after `kills` kills (or `max_attempts` starts).

    Each kill lands at a random moment: either a random delay after the start (it may land while Django starts,
    while files are read again, or mid-write), or once a random number of new articles is committed (mid-import
    for sure). A run is also killed once it has added about its share of the corpus (`total` / `kills`), so that
    the kills are spread over the whole import instead of the first runs storing everything."""
    summary = {"kills": 0, "finished_before_kill": 0, "orphans": 0, "kills_mid_write": 0, "history": [], "failures": []}
    attempts = 0
    max_attempts = max_attempts or kills * 3
    step = max(1, total // max(kills, 1))
    while summary["kills"] < kills and attempts < max_attempts:
        attempts += 1
        before = articles_count()
        threshold = min(before + rng.randint(1, step), total - 1) if before < total - 1 else None
        by_time = attempts % 2 == 1 or threshold is None
        delay = rng.uniform(0.1, max_delay) if by_time else max_delay * 5
        if by_time:
            how = f"after {delay:5.2f} s" + (f" (or {threshold - before} new articles)" if threshold else "")
        else:
            how = f"once {threshold - before} new articles were committed"
        proc = start_import(paths, env, batch_size)
        outcome = kill_after(proc, delay, when=(lambda t=threshold: articles_count() >= t) if threshold else None)
        stored = articles_count()
        if outcome["killed"]:
            summary["kills"] += 1
            summary["orphans"] += len(outcome["orphans"])
            summary["kills_mid_write"] += stored > before
            summary["history"].append((before, stored))
            log(
                f"kill {summary['kills']:2d}/{kills} {how}: {before} -> {stored} articles stored"
                + (f", {len(outcome['orphans'])} workers outlived it" if outcome["orphans"] else "")
            )
        else:
            summary["finished_before_kill"] += 1
            if outcome["returncode"] != 0:
                summary["failures"].append(outcome["stderr"])
            log(f"run finished before its kill ({how}), exit {outcome['returncode']}, {stored} articles")
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="+", default=[str(DEFAULT_CORPUS)], help="files or folders to import")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--database", default=os.environ.get("EMBEDDED_PG_DATABASE", "newsarchive_killtest"))
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    rng = random.Random(seed)

    if os.environ.get("DATABASE_URL"):
        raise SystemExit("kill_import.py runs on the embedded server only (unset DATABASE_URL)")
    if args.database in PROTECTED:
        raise SystemExit(f"refusing to use the database {args.database!r}")
    setup_django(args.database)
    env = dict(os.environ, EMBEDDED_PG_DATABASE=args.database)
    env.pop("DJANGO_DEBUG", None)
    migrate = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if migrate.returncode:
        print(migrate.stderr)
        return 1

    print(f"database {args.database}, corpus {' '.join(args.corpus)}, seed {seed}")
    empty_archive()
    started = time.monotonic()
    clean = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_articles",
            *args.corpus,
            "--batch-size",
            str(args.batch_size),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    clean_seconds = time.monotonic() - started
    if clean.returncode:
        print(clean.stderr[-3000:])
        return 1
    reference = snapshot()
    print(f"clean run: {len(reference)} articles in {clean_seconds:.1f} s")

    empty_archive()
    summary = run_kills(
        args.corpus,
        env,
        kills=args.kills,
        max_delay=clean_seconds,
        batch_size=args.batch_size,
        rng=rng,
        total=len(reference),
    )
    final = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_articles",
            *args.corpus,
            "--batch-size",
            str(args.batch_size),
            "-v",
            "0",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    problems = check(reference, summary["kills"])
    if final.returncode:
        problems.append(f"the final run failed: {final.stderr[-1000:]}")
    problems += [f"a run failed: {f[-500:]}" for f in summary["failures"]]
    if summary["orphans"]:
        problems.append(f"{summary['orphans']} analysis workers outlived their killed import")
    if summary["kills"] < args.kills:
        problems.append(f"only {summary['kills']} kills landed (runs finished first)")

    from articles.models import ImportBatch

    interrupted = ImportBatch.objects.filter(status=ImportBatch.Status.INTERRUPTED).count()
    print()
    print(
        f"kills survived: {summary['kills']} (runs that finished before their kill: "
        f"{summary['finished_before_kill']}); {summary['kills_mid_write']} of them killed a run that had "
        "committed articles"
    )
    print("articles stored before and at each kill: " + ", ".join(f"{a}->{b}" for a, b in summary["history"]))
    print(
        f"final: {articles_count()} articles (clean run: {len(reference)}); batches marked interrupted: "
        f"{interrupted}; seed {seed}"
    )
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        return 1
    print("OK: same articles as a clean run, no duplicate, nothing half-written, every batch finished or interrupted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
