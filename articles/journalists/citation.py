"""«انسخ الاستشهاد»: how to cite an article, in Arabic, as plain text.

Pure Python, no Django imports: the view passes the article's fields, its web address (already checked to be
http/https) and its absolute permalink, and the site's time zone, in which the day of publication is reckoned.

    جوهرة أف أم. «وزير المالية يعلن الميزانية». نُشر في 5 مارس 2017 (الموافق 6 جمادى الآخرة 1438 هـ).
    الرابط الأصلي:
    https://…
    في أرشيف الأخبار العربية:
    https://archive.example.org/articles/42/
"""

from __future__ import annotations

import datetime as dt
import re

from hijridate import Gregorian

from ..timeline import MONTHS

ARCHIVE_NAME = "أرشيف الأخبار العربية"
# Embedding, override and isolate controls: an unclosed RLO in a headline would reverse the rest of whatever
# document the citation is pasted into, so a citation carries the words without them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def gregorian_date(day: dt.date) -> str:
    """«5 مارس 2017», with the month names of the site's own dates (Django's Arabic `F`)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def hijri_date(day: dt.date) -> str:
    """«6 جمادى الآخرة 1438 هـ» (Umm al-Qura); "" outside its tables (1924–2077)."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    return f"{h.day} {h.month_name('ar')} {h.year} {h.notation('ar')}"


def _day(published_at: dt.datetime | dt.date | None, tz: dt.tzinfo | None) -> dt.date | None:
    if published_at is None:
        return None
    if isinstance(published_at, dt.datetime):
        if published_at.tzinfo is not None and tz is not None:
            published_at = published_at.astimezone(tz)
        return published_at.date()
    return published_at


def date_phrase(published_at, tz=None) -> str:
    day = _day(published_at, tz)
    if day is None:
        return "دون تاريخ نشر"
    hijri = hijri_date(day)
    return f"نُشر في {gregorian_date(day)}" + (f" (الموافق {hijri})" if hijri else "")


def _plain(text: str | None) -> str:
    return " ".join(_BIDI_CONTROLS.sub("", text or "").split())


def citation(
    title: str, source_name: str | None, published_at, url: str, permalink: str, tz: dt.tzinfo | None = None
) -> str:
    """The citation: a line for the reference, then each address under its label. `url` must already be a web
    address (http or https) or empty: it is written as given."""
    first = [
        part
        for part in (_plain(source_name), f"«{_plain(title) or 'بلا عنوان'}»", date_phrase(published_at, tz))
        if part
    ]
    lines = [". ".join(first) + "."]
    # Each address on a line of its own, after its label: a line that starts with the address reads left to right,
    # where one after an Arabic label would show its final «/» at the wrong end.
    if url:
        lines += ["الرابط الأصلي:", _BIDI_CONTROLS.sub("", url).strip()]
    if permalink:
        lines += [f"في {ARCHIVE_NAME}:", permalink]
    return "\n".join(lines)
