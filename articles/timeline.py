"""The timeline above search results and on topic pages: article counts per period, drawn as an inline SVG.

Pure Python, no Django imports: the view counts articles per month (or per day for a short period) in one grouped
query; here those counts become a gap-free series of bars (months, or years for long spans) and SVG markup. The
chart reads right to left like the page: the oldest period is on the right.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .arabic_numbers import ARTICLE, counted

# Django's Arabic month names (its `date` filter writes the dates beside the chart): the two must agree.
MONTHS = ["يناير", "فبراير", "مارس", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
MAX_MONTHS = 36  # beyond three years of months, bars get too thin to click on a phone: count per year instead
MAX_DAYS = 62  # a span this short is drawn per day, so a bar clicked in a month chart still shows a shape

# Drawing units (the SVG scales to the width of its container).
WIDTH, HEIGHT = 560, 190
PAD_X, PAD_TOP, PAD_BOTTOM = 8, 28, 38
FONT_SIZE = 20
MAX_LABELS = 5


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    end: dt.date  # the last day of the period, inclusive
    count: int
    unit: str  # "day", "month" or "year"

    @property
    def label(self) -> str:
        if self.unit == "year":
            return str(self.start.year)
        if self.unit == "month":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        return f"{self.start.day} {MONTHS[self.start.month - 1]} {self.start.year}"

    @property
    def short_label(self) -> str:
        if self.unit == "day":
            return f"{self.start.day} {MONTHS[self.start.month - 1]}"
        return self.label

    @property
    def description(self) -> str:
        return f"{self.label}: {articles_count(self.count)}"


def articles_count(n: int) -> str:
    """«3 مقالات», «11 مقالا», «100 مقال»: the noun agrees with the number, as a reader expects."""
    return "لا مقالات" if n == 0 else counted(n, ARTICLE)


def choose_unit(first: dt.date, last: dt.date) -> str:
    """The bar width for a span of dates: day, month or year."""
    if (last - first).days < MAX_DAYS:
        return "day"
    if _month_index(last) - _month_index(first) >= MAX_MONTHS:
        return "year"
    return "month"


def series(counts: Mapping[dt.date, int], unit: str) -> list[Bucket]:
    """Counts keyed by any day inside each period → one bucket per period from the first to the last, gaps as 0.

    `counts` may be finer than `unit` (month counts for a yearly series): they are summed into their period.
    """
    if not counts:
        return []
    totals: dict[dt.date, int] = {}
    for day, n in counts.items():
        start = _period_start(day, unit)
        totals[start] = totals.get(start, 0) + n
    out = []
    start, last = min(totals), max(totals)
    while start <= last:
        nxt = _next_start(start, unit)
        out.append(Bucket(start, nxt - dt.timedelta(days=1), totals.get(start, 0), unit))
        start = nxt
    return out


def render_svg(buckets: list[Bucket], href: Callable[[Bucket], str], *, label: str) -> str:
    """Accessible SVG markup: each non-empty bar is a link (to `href(bucket)`) titled with its period and count.

    Everything interpolated is escaped here, so hrefs carrying a reader's query are safe.
    """
    if not buckets:
        return ""
    n = len(buckets)
    peak = max(b.count for b in buckets)
    chart_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = (WIDTH - 2 * PAD_X) / n
    gap = min(slot * 0.2, 6)
    parts = [
        (
            f'<svg class="timeline-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
            f'aria-label="{_attr(label)}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        ),
        f'<line class="axis" x1="{PAD_X}" x2="{WIDTH - PAD_X}" y1="{HEIGHT - PAD_BOTTOM}" y2="{HEIGHT - PAD_BOTTOM}"/>',
    ]
    labelled = _label_indices(n, max(len(b.short_label) for b in buckets))
    for i, b in enumerate(buckets):
        # Right to left: the first (oldest) period takes the rightmost slot.
        x = WIDTH - PAD_X - (i + 1) * slot
        h = round(chart_h * b.count / peak, 1) if peak else 0
        y = HEIGHT - PAD_BOTTOM - h
        classes = "bar peak" if b.count == peak and peak else "bar"
        bar = (
            f'<rect class="hit" x="{x:.1f}" y="{PAD_TOP}" width="{slot:.1f}" height="{chart_h}"/>'
            f'<rect class="{classes}" x="{x + gap / 2:.1f}" y="{y:.1f}" width="{max(slot - gap, 1):.1f}" '
            f'height="{max(h, 0):.1f}"/>'
        )
        title = f"<title>{_text(b.description)}</title>"
        if b.count:
            parts.append(
                f'<a href="{_attr(href(b))}" aria-label="{_attr(b.description)}" '
                f'data-start="{b.start.isoformat()}" data-end="{b.end.isoformat()}">{title}{bar}</a>'
            )
        else:
            parts.append(f"<g>{title}{bar}</g>")
        if i in labelled:
            parts.append(_tick(b.short_label, x + slot / 2))
        if b.count == peak and peak and i == _first_peak(buckets, peak):
            parts.append(
                f'<text class="peak-label" x="{x + slot / 2:.1f}" y="{max(y - 6, FONT_SIZE):.1f}" '
                f'text-anchor="middle" font-size="{FONT_SIZE}">{peak}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _tick(text: str, centre: float) -> str:
    """A period label centred under its bar, or flush with the chart's edge when centring would cut it off.

    The text is right-to-left, so text-anchor "start" is its right end and "end" its left end.
    """
    half = len(text) * FONT_SIZE * 0.55 / 2  # an estimate: Arabic glyphs average about half the font size
    x, anchor = centre, "middle"
    if centre + half > WIDTH - PAD_X:
        x, anchor = WIDTH - PAD_X, "start"
    elif centre - half < PAD_X:
        x, anchor = PAD_X, "end"
    return (
        f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="{anchor}" direction="rtl" '
        f'font-size="{FONT_SIZE}">{_text(text)}</text>'
    )


def peak_bucket(buckets: list[Bucket]) -> Bucket | None:
    """The first period with the most articles (when the story peaked), or None for an empty chart."""
    peak = max((b.count for b in buckets), default=0)
    return buckets[_first_peak(buckets, peak)] if peak else None


def _label_indices(n: int, longest: int) -> set[int]:
    """Which bars get a period label: as many as fit side by side, evenly spaced, the oldest and newest included."""
    label_width = longest * FONT_SIZE * 0.6 + 16  # a generous estimate: Arabic glyphs are narrower than this
    slot = (WIDTH - 2 * PAD_X) / n
    for fit in range(min(MAX_LABELS, n), 1, -1):
        indices = sorted({round(k * (n - 1) / (fit - 1)) for k in range(fit)})
        if min(b - a for a, b in itertools.pairwise(indices)) * slot >= label_width:
            return set(indices)
    return {0}


def _first_peak(buckets: list[Bucket], peak: int) -> int:
    return next(i for i, b in enumerate(buckets) if b.count == peak)


def period_end(day: dt.date, unit: str) -> dt.date:
    """The last day of the period (of `unit`) that contains `day`."""
    return _next_start(_period_start(day, unit), unit) - dt.timedelta(days=1)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _period_start(day: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return dt.date(day.year, 1, 1)
    if unit == "month":
        return dt.date(day.year, day.month, 1)
    return day


def _next_start(start: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return dt.date(start.year + 1, 1, 1)
    if unit == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + dt.timedelta(days=1)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _text(value: str) -> str:
    return html.escape(value, quote=False)
