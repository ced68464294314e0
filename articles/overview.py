"""The archive at a glance, for the home page: how many articles, from which sources, over which years, the
topics, and the latest stories.

One call, a fixed number of queries (eight) whatever the size of the archive, and every list bounded: an archive
may hold thousands of topics and sources, and a century of years. Only what readers may see is counted (an
embargoed article, dated in the future, is not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .models import Article, Source, Tag

TOP_TOPICS = 30
TOP_SOURCES = 30
LATEST = 10
MAX_YEARS = 40  # the newest ones; an older archive links to the search page's year facet for the rest


@dataclass(frozen=True)
class Overview:
    article_count: int
    first: dt.datetime | None  # the oldest and newest dated articles
    last: dt.datetime | None
    years: list[tuple[int, int]]  # (year, articles), oldest first: the newest MAX_YEARS years that have any
    topics: list  # Tag rows, biggest first, each with `n`; at most TOP_TOPICS
    topic_count: int
    sources: list  # Source rows, biggest first, each with `n`; at most TOP_SOURCES
    source_count: int
    latest: list  # the newest dated articles, ready for a result list


def _visible() -> Q:
    """Through a tag's or source's `articles`: the ones readers may see."""
    return Q(articles__published_at__isnull=True) | Q(articles__published_at__lte=timezone.now())


def _biggest(model, limit: int, **filters) -> tuple[list, int]:
    """The `limit` rows with most visible articles (each with `n`), and how many rows have any: two queries."""
    rows = (
        model.objects.filter(**filters)
        .annotate(n=Count("articles", filter=_visible()))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )
    return list(rows[:limit]), rows.count()


def archive_overview() -> Overview:
    articles = Article.objects.published()
    totals = articles.order_by().aggregate(n=Count("pk"), first=Min("published_at"), last=Max("published_at"))
    by_year = list(
        articles.order_by()
        .filter(published_at__isnull=False)
        .annotate(year=ExtractYear("published_at"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
        .values_list("year", "n")[:MAX_YEARS]
    )
    topics, topic_count = _biggest(Tag, TOP_TOPICS, kind=Tag.Kind.TOPIC)
    sources, source_count = _biggest(Source, TOP_SOURCES)
    # Dated articles only, in the order of the (published_at, id) index: undated ones are not «latest».
    latest = list(articles.filter(published_at__isnull=False).order_by("-published_at", "-id").for_listing()[:LATEST])
    return Overview(
        article_count=totals["n"],
        first=totals["first"],
        last=totals["last"],
        years=sorted(by_year),
        topics=topics,
        topic_count=topic_count,
        sources=sources,
        source_count=source_count,
        latest=latest,
    )
