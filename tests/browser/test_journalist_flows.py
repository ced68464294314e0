"""A journalist's path through the archive in a real browser: search, facet, timeline, pages, article, topic;
the layout on a 375 px phone; and the same pages with JavaScript off."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def counted(text: str) -> int:
    """The number in «3 نتائج», «نتيجة واحدة», «مقالان», «لا نتائج»…"""
    if text.startswith("لا"):
        return 0
    if "واحد" in text:
        return 1
    if text.startswith(("نتيجتان", "مقالان")):
        return 2
    return int(re.search(r"\d+", text).group())


def result_count(page) -> int:
    return counted(page.locator("#results-heading").inner_text())


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_search_facet_timeline_pages_article_topic(page, screenshot):
    page.goto("/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.locator("#topics-heading").inner_text() == "المواضيع"
    assert page.locator("aside .facet li").count() >= 9  # the nine ANT topics and the source
    screenshot(page, "home")

    # Type a query: results with the words highlighted.
    page.locator("#q").fill("الحكومة")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("#q").input_value() == "الحكومة"
    total = result_count(page)
    assert total > 20
    assert page.locator(".results .snippet mark").count() >= 5
    assert page.locator(".results .snippet mark").first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    screenshot(page, "results")

    # Page through the results: every filter is kept.
    page.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert params(page.url)["q"] == ["الحكومة"]
    assert page.locator(".pagination a[aria-current=page]").inner_text() == "2"

    # Click a topic facet: a chip appears, the count falls, and the query stays.
    topics = page.locator("aside.facets section").filter(has=page.locator("h2", has_text="المواضيع"))
    facet = topics.locator("li").first
    label = facet.locator("a bdi").inner_text()
    expected = int(facet.locator(".count").inner_text())
    facet.locator("a").click()
    page.wait_for_url(re.compile(r"tag="))
    assert "page" not in params(page.url) and params(page.url)["q"] == ["الحكومة"]
    assert result_count(page) == expected < total
    assert page.locator(".chip", has_text=label).is_visible()

    # Click the tallest timeline bar: the results are those of its period.
    bars = page.locator("svg.timeline-chart a")
    assert bars.count() >= 1
    bar = page.locator("svg.timeline-chart a:has(rect.peak)").first
    start, end = bar.get_attribute("data-start"), bar.get_attribute("data-end")
    bar_count = counted(bar.get_attribute("aria-label").split(": ", 1)[1])  # «أغسطس 2016: 3 مقالات»
    bar.click()
    page.wait_for_url(re.compile(r"date_from="))
    query = params(page.url)
    assert query["date_from"] == [start] and query["date_to"] == [end] and "tag" in query
    assert result_count(page) == bar_count
    dates = page.locator(".results time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime').slice(0, 10))")
    assert dates and all(start <= d <= end for d in dates)

    # Open an article: the query words are highlighted there too.
    first = page.locator(".result-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/articles/\d+/\?q="))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".article mark").count() >= 1
    assert page.locator(".related li").count() >= 1
    screenshot(page, "article")

    # Follow one of its topics.
    tag = page.locator(".article .tags a").first
    tag_name = tag.inner_text()
    tag.click()
    page.wait_for_url(re.compile(r"/topics/[^/]+/$"))
    assert page.locator("h1").inner_text() == tag_name
    assert page.locator("svg.timeline-chart a").count() >= 2
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
    screenshot(page, "topic")

    # Search within the topic.
    page.locator("#topic-q").fill("تونس")
    page.locator("#topic-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))
    assert params(page.url)["q"] == ["تونس"] and "tag" in params(page.url)


def test_help_popover_and_did_you_mean(page, screenshot):
    page.goto("/search/?q=" + "الانتخابت")
    assert page.locator(".did-you-mean a").inner_text() == "الانتخابات"
    assert page.locator(".empty-state").is_visible()
    screenshot(page, "no-results")
    page.locator(".did-you-mean a").click()
    page.wait_for_url(re.compile(r"q="))
    assert result_count(page) > 0
    help_box = page.locator("details.help-popover")
    assert not help_box.locator(".query-help").is_visible()
    help_box.locator("summary").click()
    assert help_box.locator("dt", has_text="تونس -كرة").is_visible()
    screenshot(page, "query-help")
    help_box.locator("a", has_text="تونس -كرة").click()
    page.wait_for_url(re.compile(r"q="))
    assert params(page.url)["q"] == ["تونس -كرة"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/?q=الحكومة",
        "/search/?q=" + "الحكومة " * 80 + "&tag=politic&year=2017&date_from=2017-01-01",
        "/search/?q=xyzzy+qwerty",
        "/search/help/",
        "/topics/",
        "/topics/sport/",
        "/sources/jawharafm/",
        "/no-such-page/",
    ],
)
def test_no_horizontal_scrolling_on_a_phone(page, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    assert no_horizontal_scroll(page), path


def test_phone_screenshots(page, screenshot):
    page.set_viewport_size(PHONE)
    for name, path in (("home-phone", "/"), ("results-phone", "/search/?q=الحكومة"), ("topic-phone", "/topics/sport/")):
        page.goto(path)
        assert no_horizontal_scroll(page)
        screenshot(page, name)
    page.goto("/search/?q=الحكومة")
    page.locator(".result-title a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert no_horizontal_scroll(page)
    screenshot(page, "article-phone")


def test_pages_work_without_javascript(browser, live_server, ant_archive):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("#q").fill("الحكومة")
        page.locator(".hero button[type=submit]").click()
        page.wait_for_url(re.compile(r"/search/\?q="))
        assert page.locator(".results .snippet mark").count() > 0
        page.locator(".sort a", has_text="الأقدم").click()
        page.wait_for_url(re.compile(r"sort=oldest"))
        page.locator("input[name=date_from]").fill("2016-01-01")
        page.locator(".date-range button").click()
        page.wait_for_url(re.compile(r"date_from=2016-01-01"))
        query = params(page.url)
        assert query["q"] == ["الحكومة"] and query["sort"] == ["oldest"]
        dates = page.locator(".results time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime').slice(0, 10))")
        assert dates == sorted(dates) and dates[0] >= "2016-01-01"
        page.locator(".chip a").first.click()
        page.wait_for_url(lambda url: "date_from" not in url)
        page.locator("details.help-popover summary").click()
        assert page.locator("details.help-popover .query-help").is_visible()
    finally:
        context.close()
