"""bench/scale/generate.py: deterministic, unique, realistic records that the real import path accepts."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from articles.importing import sources
from articles.importing.pipeline import import_paths
from articles.models import Article, Source, Tag
from bench.scale import generate as gen

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
ANT = SHARED / "corpus" / "ant_corpus_v1.1"
SNN_DAY = SHARED / "corpus" / "saudinewsnet" / "dataset" / "2015-08-11.json"  # the smallest day file

pytestmark = pytest.mark.skipif(not (ANT.exists() and SNN_DAY.exists()), reason=f"shared corpus not found at {SHARED}")


@pytest.fixture(scope="module")
def corpus():
    return gen.load_corpus(ANT, [SNN_DAY])


def _records(folder: Path) -> list[dict]:
    return [json.loads(line) for path in sorted(folder.glob("scale-*.jsonl")) for line in path.open(encoding="utf-8")]


def test_same_seed_and_index_give_the_same_bytes_whatever_the_chunking(corpus, tmp_path):
    gen.generate(corpus, tmp_path / "a", seed=3, start=0, count=200, chunk_size=100, log=lambda m: None)
    gen.generate(corpus, tmp_path / "b", seed=3, start=0, count=200, chunk_size=200, log=lambda m: None)
    a = b"".join(p.read_bytes() for p in sorted((tmp_path / "a").glob("scale-*.jsonl")))
    b = (tmp_path / "b" / "scale-000001.jsonl").read_bytes()
    assert a == b and a.count(b"\n") == 200
    assert a.decode().split("\n")[150] + "\n" == gen.record_line(corpus, 3, 150)
    # A slice on its own (growing an archive) is the same as the slice of the whole.
    gen.generate(corpus, tmp_path / "c", seed=3, start=100, count=100, chunk_size=100, log=lambda m: None)
    assert (tmp_path / "c" / "scale-000002.jsonl").read_bytes() == (tmp_path / "a" / "scale-000002.jsonl").read_bytes()
    assert not (tmp_path / "c" / "scale-000001.jsonl").exists()
    assert gen.record_line(corpus, 4, 150) != gen.record_line(corpus, 3, 150)
    with pytest.raises(SystemExit, match="--force"):  # never mixes files of another seed into a folder
        gen.generate(corpus, tmp_path / "a", seed=4, start=0, count=100, chunk_size=100, log=lambda m: None)
    with pytest.raises(ValueError, match="multiples"):
        gen.generate(corpus, tmp_path / "d", seed=3, start=50, count=100, chunk_size=100, log=lambda m: None)


def test_records_have_unique_ids_dates_in_window_and_real_sources_and_topics(corpus):
    records = [gen.make_record(corpus, 6, i) for i in range(3000)]
    assert len({r["id"] for r in records}) == len({r["url"] for r in records}) == 3000
    assert records[42]["url"] == "https://scale.example/00000042" and records[42]["id"] == "scale-00000042"
    low, high = dt.datetime(2006, 1, 1, tzinfo=gen.TZ), dt.datetime(2025, 12, 31, 23, 59, tzinfo=gen.TZ)
    dates = [dt.datetime.fromisoformat(r["published_at"]) for r in records]
    assert all(low <= d <= high for d in dates)
    assert {d.year for d in dates} == set(range(2006, 2026))  # spread over all 20 years
    assert {r["source"] for r in records} <= set(sources.KNOWN_SOURCES)
    assert {"jawharafm", "alriyadh", "okaz"} <= {r["source"] for r in records}
    ant = [r for r in records if r["source"] == "jawharafm"]
    assert {r["category"] for r in ant} == set(sources.CATEGORY_NAMES)  # ANT topics, ANT's own keys
    assert all("category" not in r for r in records if r["source"] != "jawharafm")
    assert all(r["title"].strip() and r["content"].strip() for r in records)
    real_headlines = {h for g in corpus.groups for h in g.headlines}
    assert sum(r["title"] in real_headlines for r in records) > 0.6 * len(records)
    # Paragraphs are real ones, from the article's own topic or newspaper (a reprint's are its original's, edited).
    pools = {(g.source, g.topic): set(g.paragraphs) for g in corpus.groups}
    originals = [r for i, r in enumerate(records) if gen._original_of(6, i) == i]
    for r in originals[:300]:
        pool = pools[(r["source"], r.get("category", ""))]
        assert all(p in pool for p in r["content"].split("\n"))


def test_a_share_of_the_saudi_articles_are_other_papers_reprints_of_earlier_ones(corpus):
    records = [gen.make_record(corpus, 6, i) for i in range(3000)]
    reprints = [(i, gen._original_of(6, i)) for i in range(3000)]
    reprints = [(records[i], records[j]) for i, j in reprints if j != i and records[j]["source"] != "jawharafm"]
    saudi = sum(r["source"] != "jawharafm" for r in records)
    assert 0.5 * gen.REPRINTS * saudi < len(reprints) < 1.5 * gen.REPRINTS * saudi
    for copy, original in reprints:
        assert original["source"] != "jawharafm" and copy["id"] != original["id"]
        delay = dt.datetime.fromisoformat(copy["published_at"]) - dt.datetime.fromisoformat(original["published_at"])
        assert dt.timedelta(0) <= delay < dt.timedelta(hours=48)
        words = set(original["content"].split())
        assert len(set(copy["content"].split()) & words) > 0.3 * len(set(copy["content"].split()))


@pytest.mark.django_db
def test_generated_articles_import_then_only_skip_and_share_the_ant_topic_tags(corpus, tmp_path):
    import_paths([ROOT / "fixtures" / "ant" / "sport"])  # real ANT (TREC) articles first: their topic tag exists
    real_sport = Tag.objects.get(key="sport")
    real = Article.objects.count()
    gen.generate(corpus, tmp_path, seed=6, start=0, count=200, chunk_size=100, log=lambda m: None)
    records = _records(tmp_path)

    report = import_paths([tmp_path])
    assert (report.records, report.created, report.duplicates, report.failed) == (200, 200, 0, 0)
    again = import_paths([tmp_path])
    assert (again.created, again.updated, again.duplicates, again.failed) == (0, 0, 200, 0)
    assert Article.objects.count() == real + 200

    generated = Article.objects.filter(url__startswith=gen.URL_PREFIX)
    topics = {r["category"] for r in records if "category" in r}
    assert set(Tag.objects.filter(articles__in=generated).values_list("key", flat=True).distinct()) == topics
    assert Tag.objects.filter(key="sport").get() == real_sport  # the same row as the TREC import's topic
    assert all(Tag.objects.get(key=k).name == sources.CATEGORY_NAMES[k] for k in topics)
    sport = sum(r.get("category") == "sport" for r in records)
    assert generated.filter(tags=real_sport).count() == sport
    assert set(Source.objects.filter(articles__in=generated).values_list("key", flat=True)) == {
        r["source"] for r in records
    }
    a = generated.get(url=records[7]["url"])
    assert a.doc_id == records[7]["id"] and a.title == records[7]["title"] and a.source.key == records[7]["source"]
    assert a.published_at == dt.datetime.fromisoformat(records[7]["published_at"])
    assert a.body == "\n\n".join(records[7]["content"].split("\n"))
