#!/usr/bin/env python
"""How good are the admin's tag suggestions? Top-1 / top-3 accuracy on the ANT corpus, a tenth held out.

    .venv/bin/python scripts/suggest_eval.py [--corpus PATH] [--fold 0 | --all-folds] [--json out.json]

Runs the production code path end to end: ANT is imported through `articles.importing.pipeline.import_paths` into
a database of its own (the embedded server's `newsarchive_suggest_eval`, never the app's), the model is trained
with `articles.suggest.train` on nine tenths of the tagged articles and each held-out article is scored from its
stored text with `articles.suggest.suggest_for_article`.

The split is by content hash (stable across runs and machines). ANT has the same story filed under two
categories 28 times: the importer makes those one article with both topics, and a suggestion counts as right when
it is any of the article's topics. `strict` repeats the measure on single-topic articles only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "suggest-eval-only-never-serves-requests")
# A database of its own: training replaces the suggestion model, which must not touch the app's.
os.environ.setdefault("EMBEDDED_PG_DATABASE", "newsarchive_suggest_eval")

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ant_corpus_v1.1"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--fold", type=int, default=0, choices=range(10), help="which tenth to hold out (0-9)")
    parser.add_argument("--all-folds", action="store_true", help="run the ten folds and report their mean")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument(
        "--allow-database-url", action="store_true", help="run against DATABASE_URL (its suggestion model is replaced)"
    )
    args = parser.parse_args(argv)

    if os.environ.get("DATABASE_URL") and not args.allow_database_url:
        parser.error("DATABASE_URL is set: this would retrain that database's model (pass --allow-database-url)")
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}")

    import django

    django.setup()
    from django.core.management import call_command

    from articles.importing.pipeline import import_paths
    from articles.models import Article

    call_command("migrate", verbosity=0, interactive=False)
    corpus = Article.objects.all()  # the database is the corpus's own
    if corpus.count() < 9000:
        print(f"importing {args.corpus} …", file=sys.stderr)
        report = import_paths([args.corpus.resolve()], fmt="auto")
        print(
            f"  {report.created} created, {report.duplicates} duplicates, {report.failed} failed "
            f"in {report.elapsed:.0f} s",
            file=sys.stderr,
        )

    rows = list(corpus.filter(tags__isnull=False).distinct().values_list("pk", "content_hash"))
    folds = range(10) if args.all_folds else [args.fold]
    runs = [evaluate_fold(rows, fold) for fold in folds]
    result = (
        runs[0]
        if len(runs) == 1
        else {
            "folds": len(runs),
            "top1": round(statistics.mean(r["top1"] for r in runs), 4),
            "top3": round(statistics.mean(r["top3"] for r in runs), 4),
            "top1_range": [min(r["top1"] for r in runs), max(r["top1"] for r in runs)],
            "top3_range": [min(r["top3"] for r in runs), max(r["top3"] for r in runs)],
            "latency_ms_median": round(statistics.median(r["latency_ms"]["median"] for r in runs), 2),
            "latency_ms_max": max(r["latency_ms"]["max"] for r in runs),
            "per_fold": runs,
        }
    )
    result["corpus"] = str(args.corpus)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


def evaluate_fold(rows: list[tuple[int, str]], fold: int) -> dict:
    """Train on the nine tenths of `rows` (pk, content hash) outside `fold`, score the tenth inside it."""
    from articles import suggest
    from articles.models import Article

    held = {pk for pk, h in rows if int(h[:8], 16) % 10 == fold}
    train_ids = [pk for pk, _ in rows if pk not in held]
    print(
        f"fold {fold}: {len(rows)} tagged articles, training on {len(train_ids)}, holding out {len(held)}",
        file=sys.stderr,
    )

    trained = suggest.train(Article.objects.filter(pk__in=train_ids))
    print(
        f"trained: {trained.tags} tags, {trained.terms} terms, {trained.weights} weights in {trained.seconds:.1f} s",
        file=sys.stderr,
    )

    top1 = top3 = strict_n = strict1 = strict3 = 0
    latencies = []
    confusion: Counter[tuple[str, str]] = Counter()
    per_topic: Counter[str] = Counter()
    per_topic_hits: Counter[str] = Counter()
    for article in Article.objects.filter(pk__in=held).prefetch_related("tags").order_by("pk"):
        truth = {t.name for t in article.tags.all()}
        started = time.perf_counter()
        ranked = [s.tag.name for s in suggest.suggest_for_article(article, limit=3, exclude_current=False)]
        latencies.append((time.perf_counter() - started) * 1000)
        hit1 = bool(ranked) and ranked[0] in truth
        hit3 = bool(truth & set(ranked))
        top1 += hit1
        top3 += hit3
        if len(truth) == 1:
            (label,) = truth
            strict_n += 1
            strict1 += hit1
            strict3 += hit3
            per_topic[label] += 1
            per_topic_hits[label] += hit1
            if not hit1 and ranked:
                confusion[(label, ranked[0])] += 1

    n = len(held)
    latencies.sort()
    return {
        "fold": fold,
        "train_articles": len(train_ids),
        "held_out": n,
        "top1": round(top1 / n, 4),
        "top3": round(top3 / n, 4),
        "strict": {"articles": strict_n, "top1": round(strict1 / strict_n, 4), "top3": round(strict3 / strict_n, 4)},
        "per_topic_top1": {t: round(per_topic_hits[t] / per_topic[t], 3) for t, _ in per_topic.most_common()},
        "most_confused": [f"{a} → {b}: {c}" for (a, b), c in confusion.most_common(5)],
        "latency_ms": {
            "median": round(statistics.median(latencies), 2),
            "p95": round(latencies[int(0.95 * (n - 1))], 2),
            "max": round(latencies[-1], 2),
        },
        "training_seconds": round(trained.seconds, 2),
        "model": {"tags": trained.tags, "terms": trained.terms, "weights": trained.weights},
    }


if __name__ == "__main__":
    sys.exit(main())
