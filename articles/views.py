"""The journalists' pages: home, search results, topics, sources and articles.

Every page runs a bounded number of queries, whatever the number of results: lists use select_related /
prefetch_related, counts and timelines are grouped queries.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDay, TruncMonth
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from . import timeline
from .forms import ALL_COPIES, SORT_CHOICES, UNDATED, refined_params
from .journalists.article_page import journalist_panel
from .journalists.citation import citation
from .links import changed, link_params, url_with
from .models import Article, Source, Tag, live_or_moved
from .overview import archive_overview
from .search import SearchOutcome, highlight, query_stems, related_articles, run_search
from .search.query import MAX_QUERY_CHARS
from .stories.copies import copies_of

PAGE_SIZE = 20
TOPICS_PAGE_SIZE = 120  # the topics page: an archive can have thousands of topics
FILTERS = ("source", "tag", "year", "date_from", "date_to")
RELATED_COUNT = 5


# --- shared pieces ---------------------------------------------------------------------------------------------


def _published_articles() -> Q:
    """For counting a tag's or source's articles that readers may see (not embargoed ones)."""
    return Q(articles__published_at__isnull=True) | Q(articles__published_at__lte=timezone.now())


def _listed_topics():
    """Topics with the count of their articles readers may see, biggest first; one known only from embargoed
    articles is not listed."""
    return (
        Tag.objects.filter(kind=Tag.Kind.TOPIC)
        .annotate(n=Count("articles", filter=_published_articles()))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )


def _queryset_dates(articles):
    """Per-month (or per-day) counts of a queryset's dated articles: one grouped query each."""
    dated = articles.order_by().filter(published_at__isnull=False)

    def counts(unit: str) -> dict:
        trunc = TruncMonth if unit == "month" else TruncDay
        return {
            timezone.localtime(p).date(): n
            for p, n in dated.annotate(p=trunc("published_at"))
            .values("p")
            .annotate(n=Count("pk"))
            .values_list("p", "n")
        }

    return counts


def _timeline(date_counts, params: QueryDict, *, label: str) -> dict | None:
    """Articles per month (per day for a short span, per year for a long one) as a chart whose bars link to the
    search page filtered to their period. `date_counts(unit)` gives {first day of a period: count}."""
    months = date_counts("month")
    if not months:
        return None
    unit = timeline.choose_unit(min(months), timeline.period_end(max(months), "month"))
    counts = date_counts("day") if unit == "day" else months
    buckets = timeline.series(counts, unit)
    base = changed(params, page=None, year=None)

    def href(bucket: timeline.Bucket) -> str:
        return url_with(
            "articles:search", changed(base, date_from=bucket.start.isoformat(), date_to=bucket.end.isoformat())
        )

    return {
        "svg": timeline.render_svg(buckets, href, label=label),
        "unit": unit,
        "peak": timeline.peak_bucket(buckets),
        "buckets": buckets,
    }


# --- pages -----------------------------------------------------------------------------------------------------


@require_safe
def home(request):
    at_a_glance = archive_overview()
    return render(
        request,
        "articles/home.html",
        {
            "overview": at_a_glance,
            "latest": at_a_glance.latest,
            "topics": at_a_glance.topics,
            "sources": at_a_glance.sources,
        },
    )


@require_safe
def search(request):
    if (refined := refined_params(request.GET)) is not None:
        return redirect(url_with("articles:search", refined))  # the refined query is the page's own q from here on
    outcome = run_search(request.GET)
    page = Paginator(outcome.hits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/search.html", _search_context(request.GET, outcome, page))


def _search_context(request_params: QueryDict, outcome: SearchOutcome, page) -> dict:
    filters, plan, browsing = outcome.filters, outcome.plan, outcome.browsing
    q = filters["q"]
    params = link_params(request_params)
    return {
        "form": outcome.form,
        "filters": filters,
        "plan": plan,
        "page": page,
        "params": params,
        "browsing": browsing,
        "notes": outcome.form.notes + outcome.notes,
        "understood": outcome.understood,
        "chips": _filter_chips(outcome, params),
        "facets": outcome.facets,
        "unavailable": outcome.unavailable,
        "timeline": (
            _timeline(outcome.date_counts, params, label="عدد المقالات المطابقة عبر الزمن") if outcome.active else None
        ),
        "suggestion": outcome.suggestion if q else None,
        "loose_query": _any_word_query(q),
        "feed_url": url_with("articles:search_feed", changed(params, sort=None)) if (q or browsing) else "",
        "csv_url": url_with("articles:search_csv", params) if q else "",
        "without_filters_url": url_with("articles:search", changed(params, **dict.fromkeys(FILTERS))),
        "sorts": [
            (value, label, url_with("articles:search", changed(params, sort=value)))
            for value, label in SORT_CHOICES
            if value != "relevance" or not browsing
        ],
        "unsearchable": (
            bool(q) and not plan.searchable and not plan.dropped and not outcome.unavailable and not browsing
        ),
        **_story_context(outcome, params),
    }


def _story_context(outcome: SearchOutcome, params: QueryDict) -> dict:
    """The count line's two numbers (articles, stories) and the switch between stories and every copy."""
    if not outcome.active:
        return {"collapsed": outcome.collapsed}
    stories = outcome.story_count
    return {
        "collapsed": outcome.collapsed,
        "article_count": outcome.count,
        "story_count": stories,
        # Offered only where it changes something: some story among the matches has copies.
        "copies_url": (
            url_with("articles:search", changed(params, copies=None if not outcome.collapsed else ALL_COPIES))
            if stories < outcome.count
            else ""
        ),
    }


def _any_word_query(q: str) -> str:
    """For an empty result: the same plain words joined by OR (nothing to offer for a query with operators)."""
    words = q.split()
    if len(words) < 2 or "OR" in words or any(ch in q for ch in '"|-=*'):
        return ""
    return " OR ".join(words)


def _filter_chips(outcome: SearchOutcome, params: QueryDict) -> list[dict]:
    """The active filters as removable chips: a label and the URL of the same search without it."""
    filters = outcome.filters
    names = {"source": outcome.source and outcome.source.name, "tag": outcome.tag and outcome.tag.name}
    chips = []
    for key, prefix in (("source", "المصدر"), ("tag", "الموضوع")):
        if filters[key]:
            chips.append((key, prefix, names.get(key) or filters[key]))
    if filters["year"]:
        chips.append(("year", "السنة", "بلا تاريخ" if filters["year"] == UNDATED else str(filters["year"])))
    for key, prefix in (("date_from", "من"), ("date_to", "إلى")):
        if filters[key]:
            chips.append((key, prefix, date_format(filters[key], "j F Y")))
    return [
        {
            "name": key,
            "prefix": prefix,
            "value": value,
            "remove_url": url_with("articles:search", changed(params, **{key: None})),
        }
        for key, prefix, value in chips
    ]


@require_safe
def search_help(request):
    return render(request, "articles/search_help.html")


@require_safe
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("source").prefetch_related("tags"), pk=pk)
    q = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    stems = query_stems(q) if q else frozenset()
    paragraphs = [highlight.highlight(p, stems) for p in article.body.splitlines() if p.strip()]
    return render(
        request,
        "articles/detail.html",
        {
            "article": article,
            "paragraphs": paragraphs,
            "title_html": highlight.highlight(article.display_title, stems),
            "q": q,
            "related": related_articles(article, RELATED_COUNT),
            "copies": copies_of(article),
            "citation": citation(
                article.display_title,
                article.source.name if article.source else "",
                article.published_at,
                article.safe_url,
                settings.ARCHIVE_BASE_URL + article.get_absolute_url(),
                timezone.get_current_timezone(),
            ),
            "journalist": journalist_panel(request.user, article),  # «في ملفاتك», «أضف إلى ملف»; None for a visitor
        },
    )


@require_safe
def topics(request):
    page = Paginator(_listed_topics(), TOPICS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/topics.html", {"page": page, "params": link_params(request.GET)})


def _live(model, slug: str, missing: str):
    """(row, moved) for a topic's or source's slug (models.live_or_moved); 404 with `missing` for an unknown one."""
    found, moved = live_or_moved(model, slug)
    if found is None:
        raise Http404(missing)
    return found, moved


def _listing_context(request, articles, *, label: str, **filter_slug) -> dict:
    """What a topic's or source's page lists (articles/listing.html): its articles, newest first, a page of them,
    and their timeline, whose bars search with the page's filter (`filter_slug`: tag= or source= its slug)."""
    return {
        "page": Paginator(articles.ordered("newest").for_listing(), PAGE_SIZE).get_page(request.GET.get("page")),
        "params": link_params(request.GET),
        "timeline": _timeline(_queryset_dates(articles), changed(QueryDict(mutable=True), **filter_slug), label=label),
    }


@require_safe
def topic(request, slug):
    tag, moved = _live(Tag, slug, "لا موضوع بهذا الاسم")
    if moved:  # the old slug of a merged or renamed topic: old links still land
        return redirect(tag, permanent=True)
    articles = Article.objects.published().for_topic(tag)
    # Co-occurring tags: the filter and the count share one join, so `n` counts the articles readers may see
    # having both tags (an embargoed article names none of its tags yet).
    related = (
        Tag.objects.filter(Q(articles__tags=tag) & _published_articles())
        .exclude(pk=tag.pk)
        .annotate(n=Count("articles"))
        .order_by("-n", "name")[:12]
    )
    context = _listing_context(request, articles, label=f"مقالات «{tag.name}» عبر الزمن", tag=tag.slug)
    return render(request, "articles/topic.html", {"tag": tag, "related_topics": related, **context})


@require_safe
def source(request, slug):
    src, moved = _live(Source, slug, "لا مصدر بهذا الاسم")
    if moved:  # the old slug of a source merged into another: old links still land
        return redirect(src, permanent=True)
    articles = Article.objects.published().from_source(src)
    span = articles.order_by().aggregate(first=Min("published_at"), last=Max("published_at"))
    top_topics = (
        Tag.objects.filter(Q(articles__source=src) & _published_articles())
        .annotate(n=Count("articles"))
        .order_by("-n", "name")[:12]
    )
    context = _listing_context(request, articles, label=f"مقالات {src.name} عبر الزمن", source=src.slug)
    return render(request, "articles/source.html", {"source": src, "span": span, "topics": top_topics, **context})


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico where no page names an icon (the JSON API, the feeds, the CSV): the site's
    own, from the static files, instead of a 404 in every log."""
    return redirect(static("img/favicon.ico"), permanent=True)
