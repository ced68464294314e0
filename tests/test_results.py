"""Very large result sets (articles/results.py): an estimated count, relevance over the newest matches, facets
over those, exact date order; and the exact path below the threshold. Thresholds are lowered so that a dozen
real articles make a «large» result set."""
import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.querysets import plan_search
from articles.results import collect
from tests.factories import ArticleFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db

BODY = "قال وزير الصحة إن الحكومة ستفتح مستشفى جديدا في الجهة."


@pytest.fixture
def archive():
    """Twelve articles about the ministry spread over twelve years (a newer one each year), plus eight others."""
    old, new = SourceFactory(key="old-paper", name="الجريدة القديمة"), SourceFactory(key="new-paper", name="الجريدة الجديدة")
    now = timezone.now()
    ministry = [
        ArticleFactory(title=f"الوزير يفتتح مستشفى رقم {i}", body=BODY, source=new if i >= 8 else old,
                       published_at=now - dt.timedelta(days=365 * (12 - i)))
        for i in range(12)
    ]
    for i in range(8):
        ArticleFactory(title=f"مهرجان الموسيقى في دورته {i}", body="افتتح المهرجان دورته بحفل كبير.",
                       published_at=now - dt.timedelta(days=365 * i + 30))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")  # the planner's estimate decides which path a search takes
    return ministry


@pytest.fixture
def small_thresholds(settings):
    settings.SEARCH_LARGE_RESULT = 5
    settings.SEARCH_RANKED_RESULTS = 4


def test_estimated_count_is_close_for_a_word(archive):
    rows, read = Article.objects.matching(plan_search("مستشفى")).estimated_count()
    assert 6 <= rows <= read <= 24  # 12 real matches
    # A phrase: its candidates (every article with both words) are what must be read and checked.
    rows, read = Article.objects.matching(plan_search('"وزير الصحة"')).estimated_count()
    assert read >= rows


def test_a_large_result_set_ranks_the_newest_matches_and_estimates_the_count(archive, small_thresholds):
    found = collect(Article.objects.published(), plan_search("مستشفى"), q="مستشفى")
    assert not found.exact
    newest_first = sorted(archive, key=lambda a: a.published_at, reverse=True)
    ranked = list(found.ordered)
    # Relevance ordered the newest slice only: every listed match is among the newest, none of the oldest.
    assert 1 <= len(ranked) == found.listed == found.sample < 12
    assert {a.pk for a in ranked} <= {a.pk for a in newest_first[:len(ranked)]}
    assert found.count >= found.sample
    # The facets count that same slice, not every match: the new paper's 4 articles and the old paper's newest.
    counts = {f["value"]: f["count"] for f in found.facets["sources"]}
    expected = {"new-paper": 0, "old-paper": 0}
    for a in ranked:
        expected[a.source.key] += 1
    assert counts == {k: n for k, n in expected.items() if n}
    assert sum(counts.values()) == len(ranked)


def test_date_order_is_exact_as_far_as_it_lists(archive, small_thresholds):
    for sort, oldest_first in (("oldest", True), ("newest", False)):
        found = collect(Article.objects.published(), plan_search("مستشفى"), q="مستشفى", sort=sort)
        assert not found.exact and 1 <= found.listed < 12
        expected = sorted(archive, key=lambda a: a.published_at, reverse=not oldest_first)[:found.listed]
        assert list(found.ordered) == expected


def test_topic_filter_narrows_the_text_matches(archive, small_thresholds):
    from django.http import QueryDict

    from articles.views import _run_search

    health = TagFactory(name="صحة", slug="health")
    for a in archive[:3]:  # the three oldest
        a.tags.add(health)
    for params, expected in (("tag=health", set(archive[:3])),
                             ("source=old-paper", set(archive[:8])),
                             ("tag=health&source=new-paper", set()),
                             ("tag=no-such-topic", set())):
        form, filters, base, plan, results = _run_search(QueryDict(f"q=مستشفى&{params}"))
        # A known topic is matched by the full-text index with the words (its lexeme), not by a join.
        assert (plan.topic == health.pk) == (filters["tag"] == "health")
        assert ("articles_article_tags" in str(base.query)) == (filters["tag"] == "no-such-topic")
        found = collect(base, plan, q="مستشفى")
        assert set(found.ordered) <= expected and (found.listed >= 1) == bool(expected)
        assert set(results) == expected
        if filters["tag"] and expected:
            # The topic's three matches are the oldest of all: still listed, and counted exactly, not «about 9»
            # over an empty list.
            assert set(found.ordered) == expected and found.exact and found.count == 3


def test_below_the_threshold_everything_is_counted_and_ranked(archive):
    found = collect(Article.objects.published(), plan_search("مستشفى"), q="مستشفى")
    assert found.exact and found.count == found.listed == 12
    assert len(list(found.ordered)) == 12


def test_api_labels_an_estimated_count(client, archive, small_thresholds):
    data = client.get(reverse("articles:api_search"), {"q": "مستشفى"}).json()
    assert data["count_exact"] is False
    assert data["count"] >= data["ranked"] == len(data["results"]) >= 1
    exact = client.get(reverse("articles:api_search"), {"q": "مهرجان"}).json()  # 8 matches: still large here
    assert exact["count_exact"] is False or exact["count"] == 8


def test_page_says_about_and_explains_the_ranking(client, archive, small_thresholds):
    response = client.get(reverse("articles:search"), {"q": "مستشفى"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "نحو " in html
    assert 'class="estimate-note"' in html and "حسب الأهمية" in html


def test_page_below_threshold_shows_the_exact_count(client, archive):
    response = client.get(reverse("articles:search"), {"q": "مستشفى"})
    assert "estimate-note" not in response.content.decode()
    assert response.context["page"].paginator.count == 12


def test_a_phrase_rarer_than_its_words_widens_the_date_slice(small_thresholds):
    """Both words are in every article, the phrase only in four old ones. The newest slice (sized by the words'
    count) holds none of them; the next is sized by what it held, which here is the whole archive: every match
    read, so the count is exact, in two reads."""
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    apart = [ArticleFactory(title=f"جولة في الجهات {i}", body="زار الوزير الجهة وتحدث عن الصحة والتعليم.",
                            published_at=now - dt.timedelta(days=30 * i)) for i in range(16)]
    together = [ArticleFactory(title=f"تصريح رقم {i}", body="قال وزير الصحة إن المستشفى جاهز.",
                               published_at=now - dt.timedelta(days=30 * (16 + i))) for i in range(4)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as queries:
        found = collect(Article.objects.published(), plan_search('"وزير الصحة"'), q='"وزير الصحة"', sort="newest")
        listed = list(found.ordered)
    assert listed == sorted(together, key=lambda a: a.published_at, reverse=True) and not set(listed) & set(apart)
    assert found.exact and found.count == 4
    reads = [q["sql"] for q in queries if "@@" in q["sql"] and "LIMIT" in q["sql"] and "EXPLAIN" not in q["sql"]]
    assert len(reads) == 2 and '"published_at" >=' in reads[0]


@pytest.mark.parametrize("walk", [10**9, 0], ids=["date index", "histogram"])
def test_date_part_is_the_newest_slice_either_way(archive, monkeypatch, walk):
    from articles import querysets

    monkeypatch.setattr(querysets, "DATE_WALK", walk)  # 0: every slice bound from the dates' histogram
    interpolated = []
    quantile = querysets._quantile
    monkeypatch.setattr(querysets, "_quantile", lambda *a: interpolated.append(a) or quantile(*a))
    everything = Article.objects.published()
    part = list(everything.date_part(4, 20).order_by("-published_at"))  # 30 % of 20 articles
    newest = list(everything.order_by("-published_at"))
    assert 4 <= len(part) <= 9 and part == newest[:len(part)]
    assert everything.date_part(4, 20, oldest=True).count() <= 9
    assert everything.date_part(20, 20) is everything  # the whole archive: no bound at all
    assert bool(interpolated) == (walk == 0)


def test_a_server_process_reads_the_table_statistics_once_a_minute(archive, settings, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from articles import querysets

    settings.SEARCH_STATS_SECONDS = 60
    monkeypatch.setattr(querysets, "DATE_WALK", 0)  # every slice from the histogram, so each needs the statistics
    monkeypatch.setattr(querysets, "_dates", None)
    everything = Article.objects.published()

    def statistics_reads():
        with CaptureQueriesContext(connection) as queries:
            list(everything.date_part(4, 20))
        return sum("pg_stats" in q["sql"] for q in queries)

    assert statistics_reads() == 1
    assert statistics_reads() == 0  # within the minute: reused
    clock = querysets.time.monotonic()
    monkeypatch.setattr(querysets.time, "monotonic", lambda: clock + 61)
    assert statistics_reads() == 1
