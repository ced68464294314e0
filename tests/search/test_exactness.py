"""Every number a search shows is exact: the count and each facet equal those of the whole result set, for every
query of the speed benchmark's mix, alone and with its filters. The oracle is independent of the index: the
result set's rows grouped in PostgreSQL, and for single words the analyzer run over every stored article."""

import csv
import io
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from articles.importing.pipeline import import_paths
from articles.search import analysis
from bench.search_bench import FILTERS, QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def archive():
    import_paths(["fixtures"])


def _csv_ids(client, params) -> list[int]:
    response = client.get("/search.csv", params)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [int(r["id"]) for r in rows]


def _grouped(ids: list[int]) -> dict[str, Counter]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.slug, count(*) FROM articles_article a JOIN articles_source s ON s.id = a.source_id "
            "WHERE a.id = ANY(%s) GROUP BY 1",
            [ids],
        )
        sources = Counter(dict(cursor.fetchall()))
        cursor.execute(
            "SELECT t.slug, count(*) FROM articles_article_tags l JOIN articles_tag t ON t.id = l.tag_id "
            "WHERE l.article_id = ANY(%s) GROUP BY 1",
            [ids],
        )
        tags = Counter(dict(cursor.fetchall()))
        cursor.execute(
            "SELECT coalesce(extract(year FROM published_at AT TIME ZONE %s)::int::text, 'undated'), "
            "count(*) FROM articles_article WHERE id = ANY(%s) GROUP BY 1",
            [settings.TIME_ZONE, ids],
        )
        years = Counter(dict(cursor.fetchall()))
    return {"sources": sources, "tags": tags, "years": years}


def test_counts_and_facets_equal_the_whole_result_set_for_the_benchmark_mix(client, archive):
    checked = 0
    for _, q in QUERIES:
        for extra in FILTERS:
            params = {"q": q, **extra}
            data = client.get("/api/search", {**params, "page_size": 100}).json()
            ids = _csv_ids(client, params)
            assert data["count"] == len(ids) == len(set(ids)), params
            oracle = _grouped(ids)
            for name in ("sources", "tags"):
                shown = {f["value"]: f["count"] for f in data["facets"][name]}
                assert shown == dict(oracle[name].most_common(len(shown))) or all(
                    oracle[name][k] == n for k, n in shown.items()
                ), (params, name)
            assert {f["value"]: f["count"] for f in data["facets"]["years"]} == dict(oracle["years"]), params
            checked += bool(ids)
    assert checked > len(QUERIES)  # most combinations match something on the sample archive


def test_single_words_match_exactly_the_articles_whose_text_has_them(client, archive):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title, lead, body FROM articles_article")
        stems = {pk: {s for text in texts for _, s in analysis.analyze(text)} for pk, *texts in cursor}
    for word in ("تونس", "الحكومة", "وزير", "مهرجان", "الوزراء", "مستشفى"):
        stem = analysis.stem(analysis.tokenize(word)[0])
        expected = {pk for pk, found in stems.items() if stem in found}
        assert expected, word
        assert set(_csv_ids(client, {"q": word})) == expected, word
        assert client.get("/api/search", {"q": word}).json()["count"] == len(expected)


def test_relevance_ranks_every_match_and_date_order_reads_them_all(client, archive):
    ids = _csv_ids(client, {"q": "تونس"})
    newest = _csv_ids(client, {"q": "تونس", "sort": "newest"})
    oldest = _csv_ids(client, {"q": "تونس", "sort": "oldest"})
    assert set(ids) == set(newest) == set(oldest)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM articles_article WHERE id = ANY(%s) ORDER BY published_at DESC NULLS LAST, id DESC", [ids]
        )
        by_date = [r[0] for r in cursor]
        cursor.execute(
            "SELECT id FROM articles_article WHERE id = ANY(%s) ORDER BY published_at ASC NULLS LAST, id ASC", [ids]
        )
        by_date_oldest = [r[0] for r in cursor]
    assert newest == by_date
    assert oldest == by_date_oldest
