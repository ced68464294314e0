"""The search index alone at sizes beyond what one machine's PostgreSQL holds comfortably (5M articles and more).

    .venv/bin/python bench/scale/index_only.py --count 5000000 [--out /work/scale-data/index-5m] [--rounds 3]

No database: the articles are bench/scale/generate.py's (same seed, same recombination of the real corpus), analyzed
by our analyzer and written by `search.document.build_document` exactly as the indexer writes them. Analysis is
cached per paragraph (generated bodies reuse real paragraphs), so the run measures tantivy rather than the
analyzer; the analyzer's own cost is what `rebuild_index` and the import benchmarks measure.

Measured: indexing wall time and documents/s, the index's size on disk (bytes per article), and then, for every
query of bench/search_bench.py's mix, what a results page asks of the index: the plan (with its probes), the exact
count, the BM25 top 20 and the exact source / topic / year facets, timed in-process, several rounds; p50, p95 and
max, with the largest count. Results go to bench/results/index_only.json (keyed by size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import tantivy  # noqa: E402

from articles.search import engine  # noqa: E402
from articles.search.document import ArticleRow, analyzed_fields, build_document, build_schema  # noqa: E402
from bench.scale import generate as gen  # noqa: E402
from bench.search_bench import QUERIES  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "index_only.json"
TZ = ZoneInfo("Africa/Tunis")


class CachedAnalysis:
    """analyzed_fields() of generated texts, reusing each real paragraph's analysis: a body's tokens are its
    paragraphs' tokens in order, so joining them gives exactly the analysis of the whole body."""

    def __init__(self):
        self.paragraphs: dict[str, tuple[str, str]] = {}

    def paragraph(self, text: str) -> tuple[str, str]:
        found = self.paragraphs.get(text)
        if found is None:
            found = self.paragraphs[text] = analyzed_fields(text)
        return found

    def body(self, content: str) -> tuple[str, str]:
        parts = [self.paragraph(p) for p in content.split("\n")]
        parts = [p for p in parts if p[0]]
        return " ".join(p[0] for p in parts), " ".join(p[1] for p in parts)


def build(count: int, out: Path, seed: int) -> dict:
    corpus = gen.load_corpus()
    sources = {name: i + 1 for i, name in enumerate(sorted({g.source for g in corpus.groups}))}
    topics = {name: i + 1 for i, name in enumerate(sorted({g.topic for g in corpus.groups if g.topic}))}
    cache = CachedAnalysis()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    index = tantivy.Index(build_schema(), str(out))
    writer = index.writer(1_000_000_000, 2)
    started = time.perf_counter()
    for i in range(count):
        record = gen.make_record(corpus, seed, i)
        lead = record.get("description", "")
        texts = [
            analyzed_fields(record["title"]),
            cache.paragraph(lead) if lead else ("", ""),
            cache.body(record["content"]),
        ]
        row = ArticleRow(
            i + 1,
            "",
            "",
            "",
            sources[record["source"]],
            dt.datetime.fromisoformat(record["published_at"]),
            (topics[record["category"]],) if record.get("category") else (),
        )
        writer.add_document(build_document(row, TZ, texts))
        if (i + 1) % 500_000 == 0:
            writer.commit()
            print(f"  {i + 1:,} documents, {(i + 1) / (time.perf_counter() - started):,.0f}/s", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return {
        "count": count,
        "index_seconds": round(seconds, 1),
        "docs_per_second": round(count / seconds),
        "index_bytes": size,
        "bytes_per_article": round(size / count, 1),
    }


def measure(out: Path, rounds: int) -> dict:
    index = tantivy.Index.open(str(out))
    searcher = index.searcher()
    schema = build_schema()
    times: dict[str, list[float]] = {}
    largest = (0, "")
    for _ in range(rounds):
        for _, q in QUERIES:
            t = time.perf_counter()
            plan = engine.plan(searcher, schema, q)
            query = engine.filtered(schema, plan.match, engine.Filters())
            n = engine.summary(searcher, query).count  # the count and every facet, in one pass
            engine.page_ids(searcher, engine.ranked(query, plan.ranking), "relevance", 0, 20)
            times.setdefault(q, []).append((time.perf_counter() - t) * 1000)
            largest = max(largest, (n, q))
    per_query = [statistics.median(v) for v in times.values()]
    every = sorted(t for v in times.values() for t in v)
    return {
        "queries": len(QUERIES),
        "rounds": rounds,
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(every[int(0.95 * (len(every) - 1))], 1),
        "max_ms": round(every[-1], 1),
        "slowest_query_median_ms": round(max(per_query), 1),
        "largest_count": largest[0],
        "largest_query": largest[1],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5_000_000)
    ap.add_argument(
        "--out", type=Path, default=Path(os.environ.get("SCALE_DATA_DIR", "/work/scale-data")) / "index-only"
    )
    ap.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true", help="measure the index already in --out")
    args = ap.parse_args()
    result = {} if args.skip_build else build(args.count, args.out, args.seed)
    result.update(measure(args.out, args.rounds))
    result["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=1, ensure_ascii=False))
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved[str(args.count)] = {**saved.get(str(args.count), {}), **result}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
