"""Alerts benchmark: `send_alerts` with 1,000 saved searches on the whole shared corpus (41k articles), through a
real SMTP server (aiosmtpd on loopback).

Runs in its own database (newsarchive_alerts on the embedded server), which keeps the imported corpus between
runs. 100 journalists save 10 searches each, drawn from the search benchmark's query mix with its filters; every
watermark is put NEW articles below the newest, as if that many had arrived since the last alert. Then it times
one run of send_due_alerts (the mails), and a second (nothing new: the cost of checking alone).

    .venv/bin/python bench/alerts_bench.py [--searches 1000] [--new 2000]
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("EMBEDDED_PG_DATABASE", "newsarchive_alerts")


class Counter:
    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


def _archive():
    from articles.importing.pipeline import import_paths
    from articles.models import Article

    if Article.objects.count() < 40_000:
        t = time.perf_counter()
        import_paths([SHARED / "corpus" / "ant_corpus_v1.1", SHARED / "corpus" / "saudinewsnet" / "dataset"])
        print(f"imported the corpus in {time.perf_counter() - t:.0f} s")
    return Article.objects.count()


def _saved_searches(n: int, new: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from search_bench import FILTERS, QUERIES

    from articles.journalists.models import SavedSearch
    from articles.models import Article

    User = get_user_model()
    SavedSearch.objects.all().delete()
    User.objects.filter(username__startswith="bench-journalist-").delete()
    users = User.objects.bulk_create(
        User(username=f"bench-journalist-{i}", email=f"j{i}@example.org") for i in range(max(1, n // 10))
    )
    top = Article.objects.aggregate(m=Max("id"))["m"]
    rng = random.Random(7)
    frequency = SavedSearch.Frequency.IMMEDIATE
    SavedSearch.objects.bulk_create(
        SavedSearch(
            user=users[i % len(users)],
            name=f"بحث {i}",
            frequency=frequency,
            params={"q": rng.choice(QUERIES)[1], **rng.choice(FILTERS)},
            seen_through=top - new,
            alerted_through=top - new,
        )
        for i in range(n)
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--searches", type=int, default=1000)
    ap.add_argument("--new", type=int, default=2000, help="articles arrived since the last alert")
    args = ap.parse_args()
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command

    from articles.journalists.alerts import send_due_alerts
    from articles.search import index

    call_command("migrate", verbosity=0)
    articles = _archive()
    index.drain()
    _saved_searches(args.searches, args.new)
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=8425)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        for label in ("with news", "nothing new"):
            t = time.perf_counter()
            run = send_due_alerts()
            took = time.perf_counter() - t
            print(
                f"{label}: {run.checked} saved searches on {articles} articles in {took:.1f} s "
                f"({took / max(run.checked, 1) * 1000:.1f} ms each): {run.sent} mailed, {run.empty} empty, "
                f"{len(run.failed)} failed"
            )
    finally:
        controller.stop()
    print(f"the SMTP server received {counter.messages} messages")


if __name__ == "__main__":
    main()
