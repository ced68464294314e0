"""Search on real PostgreSQL with real Arabic articles: matching, ranking, the query planner's fallbacks,
and the machine-readable contracts (JSON API, CSV)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.importing.pipeline import import_paths
from articles.models import Article
from articles.search import index
from tests.factories import ArticleFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db


def article(title, body, days_ago=0, **kw):
    return ArticleFactory(title=title, body=body, published_at=timezone.now() - dt.timedelta(days=days_ago), **kw)


@pytest.fixture
def ministers():
    return {
        "title": article("وزير الدفاع يزور الجنوب", "زار وزير الدفاع الوطني ولاية تطاوين وتفقد الوحدات العسكرية.", 5),
        "body": article("زيارة ميدانية إلى الحدود", "أدى الوزير زيارة إلى الحدود رفقة قيادات الجيش.", 1),
        "plural": article("اجتماع مجلس الوزراء", "انعقد اجتماع الوزراء برئاسة رئيس الحكومة.", 2),
        "trap": article("زير الماء في الريف", "ما يزال زير الماء يستعمل في الأرياف لتبريد الماء.", 3),
    }


def ids(qs):
    return [a.pk for a in qs]


def test_root_letter_waw_is_kept_and_broken_plural_found(ministers):
    found = set(ids(Article.objects.search("وزير")))
    assert found == {ministers["title"].pk, ministers["body"].pk, ministers["plural"].pk}
    assert ids(Article.objects.search("زير")) == [ministers["trap"].pk]


def test_headline_match_ranks_above_body_match_and_newer_breaks_ties(ministers):
    ranked = ids(Article.objects.search("وزير"))
    assert ranked[0] == ministers["title"].pk
    assert ids(Article.objects.search("وزير", sort="newest"))[0] == ministers["body"].pk
    assert ids(Article.objects.search("وزير", sort="oldest"))[0] == ministers["title"].pk


def test_a_headline_holding_the_words_side_by_side_ranks_above_one_holding_them_apart():
    # The apart one repeats the words in its body, and is newer: without proximity it would come first.
    apart = article(
        "وفاة امرأة اختناقا بالغاز في سيدي بوزيد",
        "سيدي بوزيد: وفاة امرأة. وفاة ثانية في سيدي بوزيد، وسيدي بوزيد تنعى.",
        1,
    )
    beside = article("سيدي بوزيد : وفاة طفلة بعد سقوطها في ماجل", "سقطت الطفلة في ماجل مهجور.", 30)
    assert ids(Article.objects.search("وفاة سيدي بوزيد"))[:2] == [beside.pk, apart.pk]
    # any order of the typed words, and stop words between the headline's words do not break the pair
    assert ids(Article.objects.search("بوزيد وفاة سيدي"))[0] == beside.pk


def test_an_unclosed_quote_that_matches_no_phrase_still_finds_the_headline():
    target = article('تراجع صافي أرباح "سبكيم " 39% بنهاية النصف الأول', "أعلنت الشركة نتائجها.")
    qs = Article.objects.search('"سبكيم تراجع أرباح صافي')
    assert ids(qs) == [target.pk]
    assert not qs.search_plan.dropped


def test_spelling_variants_give_the_same_results(ministers):
    base = set(ids(Article.objects.search("الحكومة")))
    assert base
    for variant in ("الحكومه", "الحُكومة", "الحكـــومة", "حكومة"):
        assert set(ids(Article.objects.search(variant))) == base


def test_exact_spelling_switch(ministers):
    assert ids(Article.objects.search("=الوزراء")) == [ministers["plural"].pk]


def test_unknown_word_is_dropped_and_named(ministers):
    qs = Article.objects.search("وزير الدفاع قشقوشة")
    assert ids(qs)[0] == ministers["title"].pk
    assert qs.search_plan.dropped == ["قشقوشة"]


def test_no_article_with_all_words_falls_back_to_partial_matches(ministers):
    qs = Article.objects.search("وزير الماء")
    assert qs.search_plan.partial
    assert set(ids(qs)) >= {ministers["trap"].pk, ministers["title"].pk}


def test_empty_or_stopword_query_gives_none():
    assert not Article.objects.search("").exists()
    assert not Article.objects.search("في من").exists()
    assert Article.objects.search("   ").search_plan.searchable is False


def test_search_chains_with_topic_and_published():
    tag = TagFactory(name="رياضة", kind="topic")
    a = article("الترجي يفوز على النجم", "فاز الترجي على النجم الساحلي في مباراة قوية.")
    a.tags.add(tag)
    article("النجم يستعد للمباراة", "يستعد النجم الساحلي لمباراة الترجي.", days_ago=-3)  # embargoed: future date
    assert ids(Article.objects.published().for_topic(tag).search("النجم")) == [a.pk]


def test_api_contract(client, ministers):
    src = SourceFactory(key="jawharafm", name="جوهرة أف أم")
    Article.objects.filter(pk=ministers["title"].pk).update(source=src, url="https://example.org/a")
    r = client.get(reverse("articles:api_search"), {"q": "وزير", "page_size": 2})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    data = r.json()
    assert data["count"] == 3 and len(data["results"]) == 2 and "page=2" in data["next"]
    first = data["results"][0]
    assert set(first) >= {"id", "title", "url", "source", "published_at", "tags", "snippet", "path"}
    assert first["url"] == "https://example.org/a" and first["source"] == "جوهرة أف أم"
    assert "<mark>وزير</mark>" in first["snippet"]
    assert "jawharafm" in {f["value"] for f in data["facets"]["sources"]}
    last = client.get(reverse("articles:api_search"), {"q": "وزير", "page_size": 2, "page": 2}).json()
    assert last["next"] is None and len(last["results"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"page": "1000000000"},
        {"date_from": "2020-13-45"},
        {"year": "abcd"},
        {"tag": "لا-يوجد"},
        {"sort": "random"},
        {"q": '"' * 50 + "'; DROP TABLE articles_article; --"},
        {"q": "وزير " * 3000},
    ],
)
def test_api_never_fails_on_bad_parameters(client, ministers, params):
    """Bad filters are dropped with a note (bad paging is refused: tests/test_api_paging.py)."""
    r = client.get(reverse("articles:api_search"), {"q": "وزير", **params})
    assert r.status_code == 200
    assert len(r.json()["results"]) <= 100


def test_csv_is_the_whole_ranked_result_set(client, ministers):
    Article.objects.filter(pk=ministers["title"].pk).update(title='=HYPERLINK("x") وزير الدفاع يزور الجنوب')
    r = client.get(reverse("articles:search_csv"), {"q": "وزير"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert [int(row["id"]) for row in rows] == ids(Article.objects.search("وزير"))
    assert set(rows[0]) == {"id", "title", "url", "source", "published_at", "date", "tags", "path", "group"}
    assert rows[0]["title"].startswith("'=HYPERLINK")  # spreadsheet formulas are neutralized


def test_query_count_of_api_does_not_grow_with_results(client, settings, django_assert_max_num_queries):
    for i in range(30):
        article(f"وزير الصحة في زيارة رقم {i}", "زار وزير الصحة المستشفى الجهوي.", i)
    index.drain()
    settings.SEARCH_INDEX_SYNC = False  # as in production: the indexer drains, the web process only reads
    with django_assert_max_num_queries(3):  # facet labels (sources, topics), the page's rows
        r = client.get(reverse("articles:api_search"), {"q": "وزير الصحة", "page_size": 25})
    assert r.json()["count"] == 30


@pytest.mark.slow
def test_seed_and_fixtures_search_end_to_end():
    import_paths(["fixtures"])
    seed = Article.objects.get(origin_path__endswith="000_10bca5d35ef868a9.txt")
    assert ids(Article.objects.search("ناكاتاني"))[:1] == [seed.pk]
    assert seed.pk in ids(Article.objects.search('"وزير الدفاع الياباني"'))
    assert seed.pk in ids(Article.objects.search("المسئولين"))  # مسؤولون in the text


def test_a_merged_topic_or_source_slug_still_filters_the_search(client):
    """?tag=<old slug> after a merge finds the merged topic's articles, as /topics/<old slug>/ redirects to it;
    ?source= likewise for a merged source."""
    from articles.tagging import merge_sources, merge_tags

    football = TagFactory(name="كرة القدم", slug="football")
    sport = TagFactory(name="رياضة", slug="sport")
    jawhara = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    old_source = SourceFactory(key="jawhara-fm", name="جوهرة", slug="jawhara-fm")
    a = article(
        "النجم الساحلي يفوز على الترجي",
        "فاز النجم الساحلي على الترجي في الدربي.",
        2,
        tags=[football],
        source=old_source,
    )
    b = article(
        "الترجي يستعد للنهائي", "يستعد الترجي لمواجهة النجم الساحلي في النهائي.", 1, tags=[sport], source=jawhara
    )
    article("الترجي في الصحافة", "كتبت الصحف عن الترجي.", 3, source=SourceFactory(key="mosaique", slug="mosaique"))
    merge_tags(sport, [football])
    merge_sources(jawhara, [old_source])
    assert client.get("/topics/football/").status_code == 301
    for params in ({"tag": "football"}, {"tag": "sport"}, {"source": "jawhara-fm"}, {"source": "jawhara"}):
        data = client.get(reverse("articles:api_search"), {"q": "الترجي", "sort": "newest", **params}).json()
        assert [r["id"] for r in data["results"]] == [b.pk, a.pk], params
    page = client.get(reverse("articles:search"), {"q": "الترجي", "tag": "football"}).content.decode()
    assert "الموضوع" in page and "رياضة" in page
    assert client.get(reverse("articles:api_search"), {"q": "الترجي", "tag": "no-such"}).json()["count"] == 0


def test_the_admin_search_box_honours_the_query_filters(admin_client):
    """source:, topic: and dates written in the admin's search box filter its list, as on the site."""
    sport = TagFactory(name="رياضة", slug="sport")
    mosaique = SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    old = ArticleFactory(
        title="الترجي يفوز بالكأس",
        body="فاز الترجي بالكأس.",
        tags=[sport],
        published_at=timezone.make_aware(dt.datetime(2015, 5, 1, 12)),
    )
    new = ArticleFactory(
        title="الترجي يستعد للموسم",
        body="يستعد الترجي للموسم الجديد.",
        source=mosaique,
        published_at=timezone.make_aware(dt.datetime(2017, 5, 1, 12)),
    )
    ArticleFactory(
        title="النجم يستعد",
        body="يستعد النجم للموسم.",
        source=mosaique,
        published_at=timezone.make_aware(dt.datetime(2017, 6, 1, 12)),
    )

    def listed(q):
        response = admin_client.get("/admin/articles/article/", {"q": q})
        assert response.status_code == 200
        return [a.pk for a in response.context["cl"].result_list]

    assert sorted(listed("الترجي")) == sorted([old.pk, new.pk])
    assert listed("الترجي مصدر:mosaique") == [new.pk]
    assert listed('الترجي source:"موزاييك أف أم"') == [new.pk]
    assert listed("الترجي موضوع:رياضة") == [old.pk]
    assert listed("الترجي after:2016") == [new.pk] and listed("الترجي before:2016") == [old.pk]
    assert listed("مصدر:mosaique") == [mosaique.articles.order_by("-published_at")[0].pk, new.pk]
