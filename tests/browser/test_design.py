"""The designed site: its identity (wordmark, favicon), the home page's archive at a glance, and the results page
on a phone (the «تصفية» control at the top opens the filters)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.overview import TOP_TOPICS
from tests.factories import ArticleFactory, SourceFactory, TagFactory, ant


def when(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 12))


@pytest.fixture
def small_archive(db):
    """Real ANT articles: 3 from جوهرة أف أم in 2015–2016 on sport, 2 from موزاييك أف أم in 2017 on politics, and
    one embargoed (dated next week) from a third paper on a third topic."""
    jawhara = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    mosaique = SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    hidden = SourceFactory(key="okaz", name="عكاظ", slug="okaz")
    sport, politic = TagFactory(name="رياضة", slug="sport"), TagFactory(name="سياسة", slug="politic")
    secret = TagFactory(name="موضوع سري", slug="secret")
    dates = [when(2015, 3, 1), when(2016, 5, 2), when(2016, 7, 3), when(2017, 1, 4), when(2017, 6, 5)]
    made = []
    for i, published in enumerate(dates):
        doc = ant(i * 7)
        made.append(
            ArticleFactory(
                title=doc["title"],
                body=doc["body"],
                published_at=published,
                source=jawhara if i < 3 else mosaique,
                tags=[sport if i < 3 else politic],
            )
        )
    ArticleFactory(
        title="خبر لم يحن نشره",
        body=ant(99)["body"],
        source=hidden,
        tags=[secret],
        published_at=timezone.now() + dt.timedelta(days=7),
    )
    return made


def test_every_page_carries_the_wordmark_and_favicons(client, small_archive):
    html = client.get("/search/help/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg" type="image/svg\+xml">', html)
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.png" type="image/png" sizes="32x32">', html)
    assert re.search(
        r'<a class="brand" href="/"><img src="/static/img/logo\.svg" alt="" width="36" height="36">'
        r'<span><span class="brand-name">أرشيف الأخبار</span>',
        html,
    )
    assert "style=" not in html and "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_home_shows_the_archive_at_a_glance(client, small_archive):
    response = client.get("/")
    assertContains(response, '<p class="hero-lead">5 مقالات من مصدرين، من 2015 إلى 2017، في موضوعين:', html=False)
    for label, figure in (("المقالات", "5"), ("المصادر", "2"), ("المواضيع", "2")):
        assertContains(response, f"<div><dt>{label}</dt><dd>{figure}</dd></div>", html=True)
    assertContains(response, '<div><dt>الفترة</dt><dd><bdi dir="ltr">2015–2017</bdi></dd></div>', html=True)
    years = re.findall(
        r'href="/search/\?year=(\d+)"><span class="year">\d+</span> <span class="count">([^<]+)</span>',
        response.content.decode(),
    )
    assert years == [("2015", "مقال واحد"), ("2016", "مقالان"), ("2017", "مقالان")]
    latest = re.findall(r'<h3 class="result-title"><a href="/articles/(\d+)/"', response.content.decode())
    assert latest == [str(a.pk) for a in sorted(small_archive, key=lambda a: a.published_at, reverse=True)]
    assertContains(
        response,
        '<li><a href="/sources/jawhara/"><bdi>جوهرة أف أم</bdi></a> <span class="count">3</span></li>',
        html=True,
    )
    assertContains(
        response, '<li><a href="/topics/politic/"><bdi>سياسة</bdi></a> <span class="count">2</span></li>', html=True
    )
    for embargoed in ("عكاظ", "موضوع سري", "خبر لم يحن نشره"):
        assertNotContains(response, embargoed)


def test_home_runs_the_same_few_queries_for_a_bigger_archive(client, small_archive):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    few = queries()
    source = SourceFactory(key="more", name="صحيفة أخرى", slug="more")
    for i in range(TOP_TOPICS + 5):  # more topics than the page lists, over more years and sources
        ArticleFactory(
            title=f"خبر {i}",
            body=ant(i)["body"],
            published_at=when(2000 + i % 20, 1, 1),
            source=source,
            tags=[TagFactory(name=f"موضوع {i}", slug=f"t{i}")],
        )
    assert queries() == few <= 12
    response = client.get("/")
    box = re.search(
        r'<section class="side-box" aria-labelledby="topics-heading">(.*?)</section>', response.content.decode(), re.S
    ).group(1)
    assert box.count('<li><a href="/topics/') == TOP_TOPICS
    assertContains(response, f'<a href="/topics/">كل المواضيع ({TOP_TOPICS + 5 + 2})</a>', html=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_filters_open_from_the_top_of_the_results(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/search/?q=" + "تونس")
    control = page.locator(".filters > summary")
    first_result = page.locator(".result").first
    source_link = page.locator(".facets .facet a").first
    assert control.inner_text().startswith("تصفية")
    # Above the results and on the first screen; the filters themselves are closed until asked for.
    assert control.bounding_box()["y"] + control.bounding_box()["height"] < min(812, first_result.bounding_box()["y"])
    assert not source_link.is_visible()
    control.click()
    assert source_link.is_visible() and source_link.bounding_box()["y"] < first_result.bounding_box()["y"]
    name = source_link.inner_text()
    source_link.click()
    page.wait_for_url(re.compile(r"[?&]source="))
    assert page.locator(".chip", has_text=name).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_wide_screen_the_filters_stand_open_beside_the_results(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/search/?q=" + "تونس")
    assert not page.locator(".filters > summary").is_visible()
    facets, results = page.locator(".facets").bounding_box(), page.locator(".results").bounding_box()
    assert page.locator(".facets .facet a").first.is_visible()
    assert facets["x"] + facets["width"] <= results["x"]  # to the left of the results, in a right-to-left page
    assert abs(facets["y"] - page.locator(".results-bar").bounding_box()["y"]) < 40


# --- dates look the same everywhere ---------------------------------------------------------------------------


def test_the_date_filters_read_as_their_chips_do(client, small_archive):
    response = client.get("/search/", {"q": "تونس OR الترجي", "date_from": "01/03/2015", "date_to": "2016-07-31"})
    html = response.content.decode()
    # Typed by hand as day/month/year, given back in the one form the field asks for, and read out beside it in
    # the words of its chip, with the Hijri date.
    assert re.search(
        r'<label for="date-from">من</label> <input id="date-from" type="text" inputmode="numeric" '
        r'name="date_from" value="2015-03-01"',
        html,
    )
    assertContains(response, "<span>من: <bdi>1 مارس 2015</bdi></span>", html=True)  # the chip
    reading = re.search(
        r'value="2015-03-01"[^>]*> <span class="date-reading"><time datetime="2015-03-01"[^>]*>'
        r'([^<]+)</time><span class="hijri">.*?</span>([^<]+)</span>',
        html,
    )
    assert reading and reading.group(1) == "1 مارس 2015" and reading.group(2) == "10 جمادى الأولى 1436 هـ"
    assert 'type="date"' not in html


def test_django_formats_dates_as_the_public_pages_do(settings):
    from django.utils import formats, translation

    moment = timezone.make_aware(dt.datetime(2016, 12, 13, 0, 0))
    with translation.override("ar"):
        assert formats.localize(moment) == "13 ديسمبر 2016، 00:00"  # was «ديسمبر 13, 2016, منتصف الليل»
        assert formats.date_format(moment.date()) == "13 ديسمبر 2016"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"


def test_the_screenshots_the_readme_shows_are_there_and_small():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    linked = re.findall(r"\]\((docs/screenshots/[\w-]+\.png)\)", (root / "README.md").read_text(encoding="utf-8"))
    assert len(linked) == 10  # home, results, topic, article and the admin's list, at two widths
    for path in linked:
        assert 0 < (root / path).stat().st_size < 300_000, path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_headlines_are_ink_not_underlined_with_clear_hover_and_focus(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/search/?q=" + "تونس")
    title = page.locator(".result-title a").first
    style = "(el, p) => getComputedStyle(el)[p]"
    resting = (title.evaluate(style, "color"), title.evaluate(style, "textDecorationLine"))
    assert resting == ("rgb(30, 35, 40)", "none")  # ink, no underline
    title.hover()
    assert title.evaluate(style, "textDecorationLine") == "underline"
    assert title.evaluate(style, "color") != resting[0]
    page.mouse.move(0, 0)
    page.keyboard.press("Tab")  # from the keyboard: :focus-visible applies
    title.focus()
    assert title.evaluate(style, "outlineStyle") == "solid" and title.evaluate(style, "outlineWidth") == "3px"
    # A facet's count stands beside its label, not at the far side of the column.
    link = page.locator(".facet li a").first.bounding_box()
    count = page.locator(".facet li .count").first.bounding_box()
    assert 0 <= link["x"] - (count["x"] + count["width"]) < 20
