"""The timeline chart builder, without a database: periods, gaps, right-to-left layout, labels, escaping."""

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from articles import timeline
from articles.templatetags.archive import in_sources, in_stories
from articles.timeline import Bucket, articles_count, choose_unit, period_end, render_svg, series

SVG = "{http://www.w3.org/2000/svg}"
D = dt.date


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


@pytest.mark.parametrize(
    "first, last, unit",
    [
        (D(2017, 4, 1), D(2017, 4, 30), "day"),
        (D(2017, 3, 1), D(2017, 4, 30), "day"),  # two months: 61 days
        (D(2017, 3, 1), D(2017, 5, 31), "month"),
        (D(2015, 1, 1), D(2017, 12, 31), "month"),  # 36 months
        (D(2015, 1, 1), D(2018, 1, 31), "year"),  # 37 months
    ],
)
def test_choose_unit(first, last, unit):
    assert choose_unit(first, last) == unit


def test_series_fills_gaps_in_order():
    buckets = series({D(2016, 11, 1): 3, D(2017, 2, 1): 5}, "month")
    assert [(b.start, b.end, b.count) for b in buckets] == [
        (D(2016, 11, 1), D(2016, 11, 30), 3),
        (D(2016, 12, 1), D(2016, 12, 31), 0),
        (D(2017, 1, 1), D(2017, 1, 31), 0),
        (D(2017, 2, 1), D(2017, 2, 28), 5),
    ]


def test_series_sums_months_into_years():
    buckets = series({D(2015, 3, 1): 2, D(2015, 11, 1): 4, D(2017, 1, 1): 1}, "year")
    assert [(b.start, b.end, b.count) for b in buckets] == [
        (D(2015, 1, 1), D(2015, 12, 31), 6),
        (D(2016, 1, 1), D(2016, 12, 31), 0),
        (D(2017, 1, 1), D(2017, 12, 31), 1),
    ]


def test_series_of_nothing_is_empty_and_draws_nothing():
    assert series({}, "month") == []
    assert render_svg([], lambda b: "#", label="x") == ""


@pytest.mark.parametrize(
    "day, unit, end",
    [
        (D(2016, 2, 10), "month", D(2016, 2, 29)),
        (D(2017, 12, 5), "month", D(2017, 12, 31)),
        (D(2017, 6, 5), "year", D(2017, 12, 31)),
        (D(2017, 6, 5), "day", D(2017, 6, 5)),
    ],
)
def test_period_end(day, unit, end):
    assert period_end(day, unit) == end


def test_labels_are_arabic():
    assert Bucket(D(2017, 4, 1), D(2017, 4, 30), 3, "month").label == "إبريل 2017"
    assert Bucket(D(2017, 1, 1), D(2017, 12, 31), 3, "year").label == "2017"
    assert Bucket(D(2017, 4, 17), D(2017, 4, 17), 3, "day").short_label == "17 إبريل"


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "لا مقالات"),
        (1, "مقال واحد"),
        (2, "مقالان"),
        (3, "3 مقالات"),
        (10, "10 مقالات"),
        (11, "11 مقالا"),
        (100, "100 مقال"),
        (103, "103 مقالات"),
        (111, "111 مقالا"),
    ],
)
def test_counted_agrees_with_the_number(n, text):
    assert articles_count(n) == text


def test_bars_link_to_their_period_and_read_right_to_left():
    buckets = series({D(2016, 11, 1): 3, D(2017, 1, 1): 0, D(2017, 2, 1): 5}, "month")
    svg = parse(render_svg(buckets, lambda b: f"/search/?date_from={b.start}&date_to={b.end}", label="المقالات"))
    links = svg.findall(f"{SVG}a")
    # Empty months are drawn (a gap in the story is information) but are not links: they would lead nowhere.
    assert [a.get("href") for a in links] == [
        "/search/?date_from=2016-11-01&date_to=2016-11-30",
        "/search/?date_from=2017-02-01&date_to=2017-02-28",
    ]
    assert [a.find(f"{SVG}title").text for a in links] == ["نوفمبر 2016: 3 مقالات", "فبراير 2017: 5 مقالات"]
    assert [a.get("aria-label") for a in links] == ["نوفمبر 2016: 3 مقالات", "فبراير 2017: 5 مقالات"]
    oldest_x, newest_x = (float(a.find(f"{SVG}rect").get("x")) for a in links)
    assert oldest_x > newest_x  # the oldest period on the right, like the page's reading direction
    assert svg.get("aria-label") == "المقالات"


def test_bar_heights_are_proportional_and_the_peak_is_marked():
    buckets = series({D(2017, 1, 1): 2, D(2017, 2, 1): 8, D(2017, 3, 1): 4}, "month")
    svg = parse(render_svg(buckets, lambda b: "#", label="x"))
    bars = [r for r in svg.iter(f"{SVG}rect") if "bar" in r.get("class").split()]
    heights = [float(r.get("height")) for r in bars]
    assert heights[1] == pytest.approx(4 * heights[0]) == pytest.approx(2 * heights[2])
    assert [("peak" in r.get("class").split()) for r in bars] == [False, True, False]
    assert timeline.peak_bucket(buckets).start == D(2017, 2, 1)
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "peak-label"] == ["8"]


def test_hrefs_are_escaped():
    hostile = '/search/?q="><script>alert(1)</script>&x=1'
    raw = render_svg(series({D(2017, 1, 1): 1}, "month"), lambda b: hostile, label='<b>"x"</b>')
    assert "<script>" not in raw and "<b>" not in raw
    svg = parse(raw)
    assert svg.find(f"{SVG}a").get("href") == hostile  # escaped in the markup, intact once parsed
    assert svg.get("aria-label") == '<b>"x"</b>'


def extent(tick: ET.Element) -> tuple[float, float]:
    """(left, right) of a right-to-left label: "start" is its right end, "end" its left end."""
    x, width = float(tick.get("x")), len(tick.text) * timeline.FONT_SIZE * 0.55
    return {"middle": (x - width / 2, x + width / 2), "start": (x - width, x), "end": (x, x + width)}[
        tick.get("text-anchor")
    ]


@pytest.mark.parametrize(
    "unit, periods",
    [("month", n) for n in (1, 2, 3, 5, 7, 12, 24, 36)]
    + [("year", n) for n in (2, 5, 12)]
    + [("day", n) for n in (1, 9, 31, 61)],
)
def test_period_labels_fit_without_overlapping_and_include_both_ends(unit, periods):
    start = D(2015, 1, 1)
    days = [start + dt.timedelta(days=d) for d in range(periods)] if unit == "day" else None
    counts = (
        {d: 1 for d in days}
        if unit == "day"
        else {D(2015 + m // 12, m % 12 + 1, 1) if unit == "month" else D(2000 + m, 1, 1): 1 for m in range(periods)}
    )
    buckets = series(counts, unit)
    assert len(buckets) == periods
    svg = parse(render_svg(buckets, lambda b: "#", label="x"))
    ticks = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    spans = sorted(extent(t) for t in ticks)
    assert all(a_right <= b_left for (_, a_right), (b_left, _) in itertools.pairwise(spans))
    assert spans[0][0] >= 0 and spans[-1][1] <= timeline.WIDTH
    labels = {t.text for t in ticks}
    assert buckets[0].short_label in labels and (periods == 1 or buckets[-1].short_label in labels)
    assert len(ticks) <= timeline.MAX_LABELS


def test_viewbox_scales_to_the_container():
    svg = render_svg(series({D(2017, 1, 1): 1}, "month"), lambda b: "#", label="x")
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg) and 'width="100%"' in svg


@pytest.mark.parametrize("n, text", [(1, "قصة واحدة"), (2, "قصتين"), (5, "5 قصص"), (4814, "4814 قصة")])
def test_after_fi_the_dual_is_genitive(n, text):
    assert in_stories(n) == text
    assert in_sources(2) == "مصدرين"


def test_the_clock_of_a_copy_is_local_and_a_bare_day_has_none(settings):
    import datetime as dt

    from articles.templatetags.archive import clock

    settings.TIME_ZONE = "Asia/Riyadh"
    assert clock(dt.datetime(2015, 7, 21, 11, 5, tzinfo=dt.UTC)) == "14:05"
    assert clock(dt.datetime(2015, 7, 20, 21, 0, tzinfo=dt.UTC)) == ""  # midnight in Riyadh
    assert clock(None) == "" and clock("") == ""
