"""The journalists' pages, rendered through Django's test client on the real PostgreSQL database.

What is checked is what a journalist relies on: the order of results, the filters that every link keeps, the
HTML that carries them, escaping of hostile input, and a query count that does not grow with the results.
"""

import datetime as dt
import itertools
import re
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import views
from articles.models import Article, SourceAlias, TagAlias
from articles.search import index
from articles.templatetags.archive import hijri
from tests.factories import ArticleFactory, SourceFactory, TagFactory, ant_in

pytestmark = pytest.mark.django_db


def when(y, m, d, h=12):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def hrefs(response, pattern: str) -> list[str]:
    """Unescaped href values of the links whose markup matches `pattern` (a regex over the whole <a …> tag)."""
    html = response.content.decode()
    return [
        unescape(m.group(1))
        for m in re.finditer(r'<a\b[^>]*href="([^"]*)"[^>]*>', html)
        if re.search(pattern, m.group(0))
    ]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


@pytest.fixture
def sources():
    return SimpleNamespace(
        jawhara=SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara"),
        mosaique=SourceFactory(
            key="mosaique", name="موزاييك أف أم", slug="mosaique", url="https://www.mosaiquefm.net/"
        ),
    )


@pytest.fixture
def tags():
    return SimpleNamespace(
        sport=TagFactory(name="رياضة", slug="sport"),
        politic=TagFactory(name="سياسة", slug="politic"),
        economy=TagFactory(name="اقتصاد", slug="economy"),
    )


@pytest.fixture
def corpus(sources, tags):
    """Real ANT articles: 8 on sport, 8 on politics, 6 on the economy, from two sources."""
    made = []
    for category, count in (("sport", 8), ("politic", 8), ("economy", 6)):
        tag = getattr(tags, category)
        for i, doc in enumerate(ant_in(category)[:count]):
            made.append(
                ArticleFactory(
                    title=doc["title"],
                    body=doc["body"],
                    published_at=doc["published_at"],
                    source=sources.jawhara if i % 2 == 0 else sources.mosaique,
                    tags=[tag],
                )
            )
    return made


# --- home, topics ----------------------------------------------------------------------------------------------


def test_home_shows_search_topics_latest_and_sources(client, corpus, tags):
    response = client.get("/")
    assert response.status_code == 200
    assertContains(response, '<html lang="ar" dir="rtl">')
    assertContains(response, "<title>أرشيف الأخبار العربية</title>", html=True)
    assertContains(
        response, '<input id="q" type="search" name="q" placeholder="مثال: وزير الدفاع" autofocus>', html=True
    )
    assertContains(
        response, '<li><a href="/topics/sport/"><bdi>رياضة</bdi></a> <span class="count">8</span></li>', html=True
    )
    assertContains(
        response,
        '<li><a href="/sources/jawhara/"><bdi>جوهرة أف أم</bdi></a> <span class="count">11</span></li>',
        html=True,
    )
    newest = max(corpus, key=lambda a: a.published_at)
    assert response.context["latest"][0] == newest
    assertContains(response, "طريقة كتابة البحث")


def test_embargoed_articles_are_not_counted_or_listed(client, corpus, tags):
    future = ArticleFactory(
        title="خبر الفسفاط القادم",
        body="نص عن الفسفاط لم يحن نشره بعد.",
        published_at=timezone.now() + dt.timedelta(days=3),
        tags=[tags.sport],
    )
    response = client.get("/topics/")
    assertContains(
        response,
        '<li><a href="/topics/sport/"><bdi>رياضة</bdi></a> <span class="count">8 مقالات</span></li>',
        html=True,
    )
    assertNotContains(client.get("/topics/sport/"), future.title)
    assert client.get(f"/articles/{future.pk}/").status_code == 404


# --- search: results, ranking, highlighting --------------------------------------------------------------------


@pytest.fixture
def phosphate(sources, tags):
    """Three articles about phosphate (a word no ANT fixture has): one in the headline, two in the body only."""
    headline = ArticleFactory(
        title="إنتاج الفسفاط يرتفع في قفصة",
        body=ant_in("economy")[10]["body"],
        published_at=when(2016, 5, 3),
        source=sources.jawhara,
        tags=[tags.economy],
    )
    body_old = ArticleFactory(
        title=ant_in("economy")[11]["title"],
        body=ant_in("economy")[11]["body"] + "\nوتحدث الوزير عن الفسفاط.",
        published_at=when(2015, 2, 1),
        source=sources.mosaique,
        tags=[tags.economy],
    )
    body_new = ArticleFactory(
        title=ant_in("politic")[12]["title"],
        body=ant_in("politic")[12]["body"] + "\nوذُكر الفسفاط في النقاش.",
        published_at=when(2017, 6, 9),
        source=sources.jawhara,
        tags=[tags.politic],
    )
    return SimpleNamespace(headline=headline, body_old=body_old, body_new=body_new)


def test_search_ranks_headline_matches_first_and_sorts_by_date(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط"})
    assert response.status_code == 200
    assert response.context["page"].object_list[0] == phosphate.headline
    assertContains(response, '<h2 id="results-heading" class="count-line">3 نتائج</h2>', html=True)
    newest = client.get("/search/", {"q": "الفسفاط", "sort": "newest"}).context["page"].object_list
    assert list(newest) == [phosphate.body_new, phosphate.headline, phosphate.body_old]
    oldest = client.get("/search/", {"q": "الفسفاط", "sort": "oldest"}).context["page"].object_list
    assert list(oldest) == [phosphate.body_old, phosphate.headline, phosphate.body_new]


def test_search_keeps_the_query_and_highlights_it(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط"})
    assertContains(
        response, '<input id="q" type="search" name="q" value="الفسفاط" placeholder="مثال: وزير الدفاع">', html=True
    )
    assertContains(response, "<title>«الفسفاط» — البحث — أرشيف الأخبار</title>", html=True)
    # The snippet marks the word whatever its clitics; the headline links to the article with the query.
    assertContains(response, "<mark>الفسفاط</mark>")
    assertContains(
        response,
        f'<a href="/articles/{phosphate.headline.pk}/?q=%D8%A7%D9%84%D9%81%D8%B3%D9%81%D8%A7%D8%B7" '
        f'dir="auto">إنتاج الفسفاط يرتفع في قفصة</a>',
        html=True,
    )


def test_results_show_source_date_with_hijri_and_linked_tags(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط", "sort": "newest"})
    assertContains(response, '<a href="/sources/jawhara/"><bdi>جوهرة أف أم</bdi></a>', html=True)
    # 9 June 2017 is 14 Ramadan 1438 (Umm al-Qura): a tooltip and a second, muted line.
    assertContains(
        response, '<time datetime="2017-06-09T12:00:00+01:00" title="14 رمضان 1438 هـ">9 يونيو 2017</time>', html=True
    )
    assertContains(
        response,
        '<ul class="tags" aria-label="الوسوم"><li><a href="/topics/politic/"><bdi>سياسة</bdi></a></li></ul>',
        html=True,
    )


def test_hijri_filter_handles_dates_outside_the_calendar_tables():
    assert hijri(when(2017, 4, 17)) == "20 رجب 1438 هـ"
    assert hijri(dt.date(1900, 1, 1)) == ""
    assert hijri(None) == ""


def test_facets_count_and_filter_keeping_the_query(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط"})
    facets = response.context["facets"]
    assert {f["value"]: f["count"] for f in facets["sources"]} == {"jawhara": 2, "mosaique": 1}
    assert {f["value"]: f["count"] for f in facets["tags"]} == {"economy": 2, "politic": 1}
    assert {f["value"]: f["count"] for f in facets["years"]} == {"2015": 1, "2016": 1, "2017": 1}
    [economy] = hrefs(response, r"tag=economy")
    assert query_of(economy) == {"q": ["الفسفاط"], "tag": ["economy"]}
    filtered = client.get("/search/" + economy)
    assert set(filtered.context["page"].object_list) == {phosphate.headline, phosphate.body_old}
    # The active facet is marked, and clicking it again removes it.
    [active] = hrefs(filtered, r'class="active"')
    assert query_of(active) == {"q": ["الفسفاط"]}


def test_active_filters_are_removable_chips(client, phosphate):
    params = {
        "q": "الفسفاط",
        "source": "jawhara",
        "tag": "economy",
        "year": "2016",
        "date_from": "2016-01-01",
        "date_to": "2016-12-31",
        "sort": "newest",
    }
    response = client.get("/search/", params)
    assert list(response.context["page"].object_list) == [phosphate.headline]
    chips = response.context["chips"]
    assert [(c["prefix"], c["value"]) for c in chips] == [
        ("المصدر", "جوهرة أف أم"),
        ("الموضوع", "اقتصاد"),
        ("السنة", "2016"),
        ("من", "1 يناير 2016"),
        ("إلى", "31 ديسمبر 2016"),
    ]
    for chip in chips:
        expected = {k: [v] for k, v in params.items() if k != chip["name"]}
        assert query_of(chip["remove_url"]) == expected
    assertContains(response, "<span>الموضوع: <bdi>اقتصاد</bdi></span>", html=True)
    [clear] = hrefs(response, r'class="clear-filters"')
    assert query_of(clear) == {"q": ["الفسفاط"], "sort": ["newest"]}


def test_date_range_filters_results(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط", "date_from": "2016-01-01", "date_to": "2017-06-09"})
    assert set(response.context["page"].object_list) == {phosphate.headline, phosphate.body_new}
    assertContains(response, 'name="date_from" value="2016-01-01"')
    bad = client.get("/search/", {"q": "الفسفاط", "date_from": "2016-13-45"})
    assert bad.status_code == 200 and bad.context["page"].paginator.count == 3
    assertContains(bad, "تجاهلنا تاريخا غير صالح")


PAGINATION_FILTERS = {
    "source": "jawhara",
    "tag": "economy",
    "year": "2017",
    "date_from": "2017-03-01",
    "date_to": "2017-03-31",
    "sort": "oldest",
}


@pytest.mark.parametrize(
    "names",
    [c for n in range(len(PAGINATION_FILTERS) + 1) for c in itertools.combinations(PAGINATION_FILTERS, n)],
    ids=lambda names: "+".join(names) or "query-only",
)
def test_pagination_keeps_every_filter(client, monkeypatch, sources, tags, names):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for day in range(1, 6):
        ArticleFactory(
            title=f"شحنات الفسفاط: الدفعة {day}",
            body=ant_in("economy")[day]["body"],
            published_at=when(2017, 3, day),
            source=sources.jawhara,
            tags=[tags.economy],
        )
    params = {"q": "الفسفاط", **{name: PAGINATION_FILTERS[name] for name in names}}
    response = client.get("/search/", params)
    page = response.context["page"]
    assert page.paginator.count == 5 and page.number == 1
    [next_url] = hrefs(response, r'rel="next"')
    assert query_of(next_url) == {**{k: [v] for k, v in params.items()}, "page": ["2"]}
    numbered = hrefs(response, r'aria-label="صفحة \d+"')
    assert [query_of(u)["page"] for u in numbered] == [["2"], ["3"]]
    assert all(
        {k: v for k, v in query_of(u).items() if k != "page"} == {k: [v] for k, v in params.items()} for u in numbered
    )
    second = client.get("/search/" + next_url)
    assert second.context["page"].number == 2
    [prev_url] = hrefs(second, r'rel="prev"')
    assert query_of(prev_url) == {**{k: [v] for k, v in params.items()}, "page": ["1"]}
    # Facet links change one filter and keep the others, starting again from page 1.
    facet_links = [u for u in hrefs(response, r'href="\?') if "page" not in query_of(u)]
    assert facet_links
    for url in facet_links:
        kept = {k: v for k, v in query_of(url).items() if k not in ("source", "tag", "year")}
        assert kept == {k: [v] for k, v in params.items() if k not in ("source", "tag", "year")}


def test_filters_without_words_list_articles_newest_first(client, corpus, tags):
    response = client.get("/search/", {"tag": "sport"})
    listed = list(response.context["page"].object_list)
    assert len(listed) == 8
    assert listed == sorted(listed, key=lambda a: a.published_at, reverse=True)
    assertContains(response, "<span>الموضوع: <bdi>رياضة</bdi></span>", html=True)
    assert response.context["timeline"] is not None
    assertNotContains(response, "/search.csv")  # the CSV export is of a search, and there is none


def test_empty_state_offers_ways_out(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط قفصة", "tag": "politic"})
    assert response.context["page"].paginator.count == 0
    assertContains(
        response,
        '<a href="/search/?q=%D8%A7%D9%84%D9%81%D8%B3%D9%81%D8%A7%D8%B7+%D9%82%D9%81%D8%B5%D8%A9">'
        "البحث نفسه دون المرشحات</a>",
        html=True,
    )
    [loose] = hrefs(response, r'class="any-word"')
    assert query_of(loose) == {"q": ["الفسفاط OR قفصة"], "tag": ["politic"]}
    assertContains(response, '<a href="/search/help/">طريقة كتابة البحث</a>', html=True)
    assert client.get("/search/" + loose).context["page"].paginator.count == 1


def test_no_query_shows_the_syntax_help(client, corpus):
    response = client.get("/search/")
    assert response.status_code == 200
    for example in ('"وزير الدفاع"', "تونس -كرة", "اقتصاد OR مالية", "تكنولوج*"):
        assertContains(response, f'<bdi dir="rtl">{example}</bdi>', html=True)
    help_page = client.get("/search/help/")
    assertContains(help_page, "<h1>طريقة كتابة البحث</h1>", html=True)
    assertContains(help_page, '<bdi dir="rtl">تونس -كرة</bdi>', html=True)


def test_did_you_mean_offers_a_spelling_that_has_results(client, corpus, sources):
    for day, place in enumerate(("صفاقس", "سوسة", "بنزرت"), 1):
        ArticleFactory(
            title=f"الاستعداد لإجراء الانتخابات البلدية في {place}",
            body=f"أعلنت الهيئة العليا المستقلة للانتخابات عن موعد الانتخابات البلدية في ولاية {place}.",
            published_at=when(2017, 4, day),
            source=sources.jawhara,
        )
    response = client.get("/search/", {"q": "الانتخابت"})  # الانتخابات without its last alef
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"] == "الانتخابات"
    assertContains(
        response,
        '<p class="did-you-mean">هل تقصد: <a href="?q=%D8%A7%D9%84%D8%A7%D9%86%D8%AA%D8%AE%D8%A7%D8%A8%D8%A7%D8%AA" '
        'dir="auto">الانتخابات</a>؟</p>',
        html=True,
    )
    suggested = client.get("/search/", {"q": "الانتخابات"})
    assert suggested.context["page"].paginator.count >= 3
    assert suggested.context["suggestion"] is None  # a correct spelling gets no suggestion


def test_dropped_words_are_named(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط زخرفلاتيس"})
    assert response.context["page"].paginator.count == 3
    assertContains(
        response,
        '<p class="note" role="status">لم نجد أي مقال فيه: «<bdi>زخرفلاتيس</bdi>»، فبحثنا دونها.</p>',
        html=True,
    )


def test_timeline_bars_link_to_their_period(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط", "source": "jawhara"})
    chart = response.context["timeline"]
    assert chart["unit"] == "month"  # May 2016 to June 2017
    bars = hrefs(response, r"data-start=")
    assert [query_of(u) for u in bars] == [
        {"q": ["الفسفاط"], "source": ["jawhara"], "date_from": ["2016-05-01"], "date_to": ["2016-05-31"]},
        {"q": ["الفسفاط"], "source": ["jawhara"], "date_from": ["2017-06-01"], "date_to": ["2017-06-30"]},
    ]
    assertContains(response, "<title>مايو 2016: مقال واحد</title>", html=True)
    assert list(client.get(bars[0]).context["page"].object_list) == [phosphate.headline]


def test_timeline_counts_per_year_for_long_spans(client, corpus):
    response = client.get("/search/", {"tag": "politic"})
    chart = response.context["timeline"]
    assert chart["unit"] == "year"  # the politics fixtures run from 2014 to 2017
    assert sum(b.count for b in chart["buckets"]) == 8
    assert [b.label for b in chart["buckets"]] == ["2014", "2015", "2016", "2017"]


def test_feed_and_csv_links_carry_the_search(client, phosphate):
    response = client.get("/search/", {"q": "الفسفاط", "tag": "economy", "sort": "newest", "page": "1"})
    q = "q=%D8%A7%D9%84%D9%81%D8%B3%D9%81%D8%A7%D8%B7"
    assertContains(
        response,
        f'<link rel="alternate" type="application/atom+xml" title="تلقيمة «الفسفاط»" '
        f'href="/search/feed/?{q}&amp;tag=economy">',
        html=True,
    )
    [csv] = hrefs(response, r'class="csv"')
    assert csv == f"/search.csv?{q}&tag=economy&sort=newest"
    assert client.get(csv).status_code == 200


# --- hostile input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '<script>alert("x")</script>',
        '"><img src=x onerror=alert(1)> الفسفاط',
        "'; DROP TABLE articles_article; -- الفسفاط",
        "الفسفاط\x00<b>",
        "%' OR 1=1 --",
    ],
)
def test_hostile_queries_are_rendered_escaped(client, phosphate, q):
    response = client.get("/search/", {"q": q, "source": '"><script>alert(2)</script>'})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert Article.objects.count() == 3


def test_ten_kilobyte_query_is_cut_and_escaped(client, phosphate):
    q = ("الفسفاط <script>alert(1)</script> " * 300)[:10_000]
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assertContains(response, "الاستعلام طويل جدا")
    assertNotContains(response, "<script>alert")
    # Links carry the query as searched (500 characters), not 10 kB each.
    assert len(response.content) < 250_000


def test_hostile_article_text_is_escaped(client, sources):
    article = ArticleFactory(
        title='<script>alert("t")</script> شحنة الفسفاط',
        body='<img src=x onerror=alert(1)> الفسفاط & "الذهب" <b>',
        published_at=when(2017, 1, 1),
        source=sources.jawhara,
    )
    for url in ("/search/?q=الفسفاط", f"/articles/{article.pk}/?q=الفسفاط", "/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


# --- topics, sources, articles ---------------------------------------------------------------------------------


def test_topic_page(client, corpus, tags, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    both = ArticleFactory(
        title="ميزانية وزارة الشباب والرياضة",
        body=ant_in("sport")[20]["body"],
        published_at=when(2017, 5, 1),
        tags=[tags.sport, tags.economy],
    )
    response = client.get("/topics/sport/")
    assert response.status_code == 200
    assertContains(response, "<title>رياضة — المواضيع — أرشيف الأخبار</title>", html=True)
    listed = list(response.context["page"].object_list)
    assert listed[0] == max([both, *[a for a in corpus if tags.sport in a.tags.all()]], key=lambda a: a.published_at)
    assert listed == sorted(listed, key=lambda a: a.published_at, reverse=True)
    assertContains(response, '<input type="hidden" name="tag" value="sport">', html=True)
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" title="تلقيمة موضوع رياضة" href="/topics/sport/feed/">',
        html=True,
    )
    # Related topics: tags that share articles with this one, with the number they share.
    assert [(t.slug, t.n) for t in response.context["related_topics"]] == [("economy", 1)]
    bars = hrefs(response, r"data-start=")
    assert bars and all(query_of(u)["tag"] == ["sport"] and "date_from" in query_of(u) for u in bars)
    [next_url] = hrefs(response, r'rel="next"')
    assert next_url == "?page=2"


def test_old_topic_and_source_slugs_redirect(client, corpus, tags, sources):
    TagAlias.objects.create(tag=tags.sport, name="رياضات", slug="sports-old")
    SourceAlias.objects.create(source=sources.jawhara, name="الجوهرة", slug="jawhara-old")
    response = client.get("/topics/sports-old/")
    assert response.status_code == 301 and response["Location"] == "/topics/sport/"
    response = client.get("/sources/jawhara-old/")
    assert response.status_code == 301 and response["Location"] == "/sources/jawhara/"
    assert client.get("/topics/nothing-here/").status_code == 404


def test_source_page_shows_counts_and_date_span(client, corpus, sources):
    response = client.get("/sources/jawhara/")
    assert response.status_code == 200
    mine = [a for a in corpus if a.source == sources.jawhara]
    first = min(a.published_at for a in mine)
    assertContains(response, f"<div><dt>عدد المقالات</dt><dd>{len(mine)}</dd></div>", html=True)
    assert response.context["span"]["first"] == first
    first_html = client.get("/search/", {"source": "jawhara", "sort": "oldest"}).content.decode()
    oldest_time = re.search(
        r'<time datetime="[^"]*"[^>]*>[^<]*</time>', first_html.split('<ol class="results"')[1]
    ).group(0)
    assertContains(response, f"<div><dt>أقدم مقال</dt><dd>{oldest_time}", html=False)
    assert {t.slug for t in response.context["topics"]} == {"sport", "politic", "economy"}


@pytest.fixture
def story(sources, tags):
    """Two articles on the same story (sharing the rare name خماخم) and one on something else."""
    meeting = ant_in("sport")[0]  # «ماجدولين الشارني تلتقي خماخم بحضور السلامي و جراية»
    first = ArticleFactory(
        title=meeting["title"],
        body=meeting["body"],
        published_at=meeting["published_at"],
        source=sources.jawhara,
        tags=[tags.sport],
    )
    follow_up = ArticleFactory(
        title="خماخم يطعن في قرار تجميد نشاطه",
        body="قرر منصف خماخم الطعن في العقوبة.\nوقال إنه سيلجأ إلى القضاء.",
        published_at=when(2017, 4, 20),
        source=sources.mosaique,
        tags=[tags.sport],
    )
    other = ArticleFactory(
        title=ant_in("economy")[0]["title"],
        body=ant_in("economy")[0]["body"],
        published_at=ant_in("economy")[0]["published_at"],
        source=sources.jawhara,
        tags=[tags.economy],
    )
    for i in range(1, 6):
        doc = ant_in("sport")[i]
        ArticleFactory(title=doc["title"], body=doc["body"], published_at=doc["published_at"], tags=[tags.sport])
    return SimpleNamespace(first=first, follow_up=follow_up, other=other)


def test_article_page(client, story):
    response = client.get(f"/articles/{story.first.pk}/")
    assert response.status_code == 200
    assertContains(response, f"<title>{story.first.title} — أرشيف الأخبار</title>", html=True)
    assertContains(
        response,
        '<ul class="tags" aria-label="الوسوم"><li><a href="/topics/sport/"><bdi>رياضة</bdi></a></li></ul>',
        html=True,
    )
    assertContains(
        response, '<time datetime="2017-04-17T13:44:00+01:00" title="20 رجب 1438 هـ">17 إبريل 2017</time>', html=True
    )
    # One paragraph per line of the body.
    assert len(response.context["paragraphs"]) == len([p for p in story.first.body.splitlines() if p.strip()])
    assertNotContains(response, "<mark>")
    assertContains(response, '<h2 id="related-heading">مقالات ذات صلة</h2>', html=True)


def test_article_page_highlights_the_search_words(client, story):
    response = client.get(f"/articles/{story.first.pk}/", {"q": "خماخم"})
    assertContains(response, "<mark>خماخم</mark>", count=3)  # the headline and twice in the body
    [back] = hrefs(response, r'class="back"')
    assert query_of(back) == {"q": ["خماخم"]}


def test_related_articles_share_rare_words_first(client, story):
    related = client.get(f"/articles/{story.first.pk}/").context["related"]
    assert related[0] == story.follow_up
    assert story.first not in related and story.other not in related


def test_undated_articles(client, corpus):
    undated = ArticleFactory(title="بيان دون تاريخ حول الفسفاط", body="نص البيان عن الفسفاط.", published_at=None)
    assert undated not in client.get("/").context["latest"]
    response = client.get("/search/", {"q": "الفسفاط"})
    assert response.context["facets"]["years"] == [{"value": "undated", "label": "بلا تاريخ", "count": 1}]
    assertContains(response, '<span class="undated">بلا تاريخ</span>', html=True)
    assert response.context["timeline"] is None  # nothing to draw without dates
    [link] = hrefs(response, r"year=undated")
    assert list(client.get("/search/" + link).context["page"].object_list) == [undated]


def test_edit_link_only_for_staff(client, admin_client, story):
    edit = f'<a class="edit" href="/admin/articles/article/{story.first.pk}/change/">تحرير في لوحة الإدارة</a>'
    assertNotContains(client.get(f"/articles/{story.first.pk}/"), "تحرير في لوحة الإدارة")
    assertContains(admin_client.get(f"/articles/{story.first.pk}/"), edit, html=True)


def test_not_found_and_server_error_pages_are_arabic(client, monkeypatch):
    response = client.get("/articles/987654321/")
    assert response.status_code == 404
    assertContains(response, "<h1>الصفحة غير موجودة</h1>", html=True, status_code=404)
    assertContains(response, '<html lang="ar" dir="rtl">', status_code=404)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get("/topics/")
    assert response.status_code == 500
    assertContains(response, "<h1>حدث خطأ في الخادم</h1>", html=True, status_code=500)
    assertContains(response, '<html lang="ar" dir="rtl">', status_code=500)


# --- query counts ----------------------------------------------------------------------------------------------


PAGES = [
    "/",
    "/topics/",
    "/topics/sport/",
    "/sources/jawhara/",
    "/search/?q=تونس",
    "/search/?q=تونس&tag=sport&sort=newest",
    "/search/?tag=sport",
    "/search/feed/?q=تونس",
    "/topics/sport/feed/",
]


def _queries(client, url) -> int:
    index.drain()  # what the indexer would have done by now: the page's own queries are counted
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_results(client, sources, tags):
    def add(docs, tag):
        for doc in docs:
            ArticleFactory(
                title=doc["title"],
                body=doc["body"] + "\nتونس",
                published_at=doc["published_at"],
                source=sources.jawhara,
                tags=[tag, tags.economy],
            )

    add(ant_in("sport")[:3], tags.sport)
    first = ArticleFactory(title="خبر من تونس", body="تونس", published_at=when(2017, 1, 1), tags=[tags.sport])
    detail = f"/articles/{first.pk}/"
    few = {url: _queries(client, url) for url in [*PAGES, detail]}
    add(ant_in("sport")[3:40], tags.sport)
    add(ant_in("politic")[:20], tags.politic)
    many = {url: _queries(client, url) for url in [*PAGES, detail]}
    assert many == few
    assert max(many.values()) <= 16


def test_search_page_query_budget(client, phosphate, django_assert_max_num_queries):
    index.drain()  # what the indexer has done by now: the page's own queries are counted
    with django_assert_max_num_queries(14):
        client.get("/search/", {"q": "الفسفاط", "source": "jawhara", "tag": "economy"})


def test_search_within_results_ands_the_new_words_and_keeps_every_filter(client):
    from tests.factories import ArticleFactory, SourceFactory

    mosaique = SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    ArticleFactory(title="وزير الصحة يزور مستشفى قابس", body="زار وزير الصحة مستشفى قابس الجامعي.", source=mosaique)
    ArticleFactory(title="وزير الصحة في صفاقس", body="زار وزير الصحة صفاقس اليوم.", source=mosaique)
    page = client.get("/search/", {"q": "وزير OR والي", "source": "mosaique"}).content.decode()
    assert "ابحث في هذه النتائج" in page and 'name="within"' in page
    response = client.get("/search/", {"q": "وزير OR والي", "source": "mosaique", "page": "2", "within": "قابس"})
    assert response.status_code == 302
    refined = client.get(response["Location"])
    assert refined.context["filters"]["q"] == "(وزير OR والي) قابس"
    assert refined.context["filters"]["source"] == "mosaique"
    assert [a.title for a in refined.context["page"].object_list] == ["وزير الصحة يزور مستشفى قابس"]
    unchanged = client.get("/search/", {"q": "وزير", "within": "  "})
    assert unchanged.status_code == 302 and client.get(unchanged["Location"]).context["filters"]["q"] == "وزير"


# --- credits ---------------------------------------------------------------------------------------------------


def test_the_credits_page_lists_what_the_archive_holds_by_corpus_with_its_licence(client, tmp_path):
    """ANT (Jawhara FM, Apache-2.0) and SaudiNewsNet (its papers, CC BY-NC-SA) are told apart by their sources,
    as imported; a source of neither is listed apart; the footer of every page links the page."""
    import json

    from articles.importing.pipeline import import_paths

    records = [
        {
            "title": "وزير الدفاع يزور جدة",
            "body": "زار وزير الدفاع جدة أمس.",
            "source": "alriyadh",
            "published_at": "2015-08-01T10:00:00+03:00",
        },
        {
            "title": "سبق تنشر الخبر",
            "body": "نشرت سبق خبر الزيارة.",
            "source": "sabq",
            "published_at": "2015-08-02T10:00:00+03:00",
        },
        {
            "title": "خبر محلي",
            "body": "نص خبر محلي من صحيفة أخرى.",
            "source": "صحيفة الحي",
            "published_at": "2020-01-01T10:00:00+03:00",
        },
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    import_paths(["fixtures/ant", path])
    ant_count = Article.objects.filter(source__key="jawharafm").count()
    assert ant_count >= 300
    response = client.get("/credits/")
    assert response.status_code == 200
    html = response.content.decode()
    sections = re.findall(r'<section class="credits-corpus".*?</section>', html, re.S)
    assert len(sections) == 3
    ant, saudi, other = sections
    assert "ANT Corpus v1.1" in ant and "Apache-2.0" in ant and "جوهرة أف أم" in ant
    assert f"{ant_count} مقال" in ant or f"{ant_count} مقالا" in ant
    assert "SaudiNewsNet" in saudi and "CC BY-NC-SA 4.0" in saudi
    assert "الرياض" in saudi and "سبق" in saudi and "مقالان" in saudi and "جوهرة" not in saudi
    assert "مصادر أخرى" in other and "صحيفة" in other and "مقال واحد" in other
    footer = hrefs(client.get("/"), r".")
    assert "/credits/" in footer


def test_the_credits_page_names_only_the_corpora_the_archive_holds(client, sources):
    ArticleFactory(source=sources.jawhara)  # key jawhara: an archive's own source, not ANT's jawharafm
    html = client.get("/credits/").content.decode()
    assert "ANT Corpus" not in html and "SaudiNewsNet" not in html and "مصادر أخرى" in html


def test_favicon_ico_at_the_root_is_the_sites_own_icon(client):
    """What a browser asks for when a page (a feed, the API's JSON) names no icon: the static file, not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/img/favicon") and response["Location"].endswith(".ico")
    assert client.post("/favicon.ico").status_code == 405
