"""Template filters for the journalists' pages: Hijri dates and Arabic number agreement."""

import datetime as dt

from django import template
from django.utils import timezone

from ..arabic_numbers import ARTICLE, RESULT, SOURCE, STORY, TOPIC, Noun, counted
from ..journalists.access import feed_url_for
from ..journalists.citation import hijri_date

register = template.Library()


@register.filter
def hijri(value) -> str:
    """«20 رجب 1438 هـ» for a date or datetime (in the site's time zone); "" outside the Umm al-Qura tables."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return hijri_date(value)  # the tables cover 1924–2077; an archive date outside them simply has no Hijri line


@register.filter
def clock(value) -> str:
    """«14:05» in the site's time zone; "" for midnight, which is how a source that gives only the day is read."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return "" if (local.hour, local.minute) == (0, 0) else local.strftime("%H:%M")


def _count(n, noun: Noun, none: str, *, oblique: bool = False) -> str:
    n = _int(n)
    return none if n == 0 else counted(n, noun, oblique=oblique)


@register.filter
def count_articles(n) -> str:
    """«مقال واحد», «3 مقالات», «25 مقالا», «100 مقال»."""
    return _count(n, ARTICLE, "لا مقالات")


@register.filter
def count_results(n) -> str:
    """«نتيجة واحدة», «3 نتائج», «25 نتيجة»."""
    return _count(n, RESULT, "لا نتائج")


# After «في» the dual is genitive (oblique): «في قصتين», «في مصدرين».
@register.filter
def in_stories(n) -> str:
    """After «في»: «قصة واحدة», «قصتين», «3 قصص», «25 قصة»."""
    return _count(n, STORY, "لا قصص", oblique=True)


@register.filter
def in_sources(n) -> str:
    """After «في»: «مصدر واحد», «مصدرين», «3 مصادر», «14 مصدرا»."""
    return _count(n, SOURCE, "لا مصادر", oblique=True)


@register.filter
def in_topics(n) -> str:
    """After «في»: «موضوع واحد», «موضوعين», «3 مواضيع», «25 موضوعا»."""
    return _count(n, TOPIC, "لا مواضيع", oblique=True)


def _int(n) -> int:
    try:
        return int(n)
    except (TypeError, ValueError):
        return 0


# --- feed links for ARCHIVE_REQUIRE_LOGIN (articles/journalists/access.py) ----------------------------------------


@register.simple_tag(takes_context=True)
def feed_url(context, url: str) -> str:
    """`{% feed_url some_feed_url %}` (or `… as name`): the feed's URL with the reader's secret token while the
    archive requires an account and they are logged in, so a feed reader can open it; the URL unchanged otherwise.
    Escaped like any variable."""
    request = context.get("request")
    return feed_url_for(getattr(request, "user", None), url) if url else ""
