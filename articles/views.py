"""The journalists' pages: home, search results, topics, sources and articles.

Every page runs a bounded number of queries, whatever the number of results: lists use select_related /
prefetch_related, counts and timelines are grouped queries.
"""
from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Max, Min, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDay, TruncMonth
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from . import arabic, timeline
from .facets import CountedPaginator
from .forms import UNDATED, SearchForm, apply_filters
from .models import Article, IndexedWord, Source, SourceAlias, Tag, TagAlias
from .querylang import MAX_QUERY_CHARS
from .querysets import SearchPlan, plan_search
from .results import collect
from .vocabulary import suggest

PAGE_SIZE = 20
FILTERS = ("source", "tag", "year", "date_from", "date_to")
RELATED_COUNT = 5
RELATED_TERMS = 6  # the rarest title words an article's neighbours must share one of
RELATED_MAX_DOCS = 1000  # a word in more articles than this names a country or a ministry, not a story
FEED_SIZE = 50


def _run_search(params):
    """Form, filters, plan and the ranked queryset shared by the page, the API and the CSV.

    Words within a topic are matched together with it by the full-text index (the topic's lexeme is in each of
    its articles' search vectors), not through a join on the tags table, which made PostgreSQL either walk the
    whole topic or intersect two large bitmaps."""
    form = SearchForm(params)
    filters = form.filters()
    plan = plan_search(filters["q"])
    topic = None
    if filters["tag"] and plan.searchable:
        topic = Tag.objects.filter(slug=filters["tag"]).values_list("pk", flat=True).first()
    if topic is not None:
        plan = plan.in_topic(topic)
        base = apply_filters(Article.objects.published(), {**filters, "tag": None})
    else:
        base = apply_filters(Article.objects.published(), filters)
    results = base.search(filters["q"], sort=filters["sort"], plan=plan)
    return form, filters, base, plan, results


def _page(paginator: Paginator, number):
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _snippet(article: Article, stems) -> str:
    return arabic.snippet(article.body or article.lead or article.title, stems)


# --- shared pieces ---------------------------------------------------------------------------------------------


def _link_params(params: QueryDict) -> QueryDict:
    """The request's parameters as links should carry them: no page, no empty values, the query cut to what is
    searched (a 10 kB pasted query would otherwise be repeated in every link of the page)."""
    out = QueryDict(mutable=True)
    for key, values in params.lists():
        if key == "page":
            continue
        kept = [v[:MAX_QUERY_CHARS] if key == "q" else v for v in values if v.strip()]
        if kept:
            out.setlist(key, kept)
    return out


def _url(name: str, params: QueryDict, **kwargs) -> str:
    url = reverse(name, kwargs=kwargs or None)
    return f"{url}?{params.urlencode()}" if params else url


def _with(params: QueryDict, **changes) -> QueryDict:
    """A copy of `params` with some keys set (None removes them)."""
    out = params.copy()
    for key, value in changes.items():
        out.pop(key, None)
        if value is not None:
            out[key] = value
    return out


def _published_articles() -> Q:
    """For counting a tag's or source's articles that readers may see (not embargoed ones)."""
    return Q(articles__published_at__isnull=True) | Q(articles__published_at__lte=timezone.now())


def _listing(qs):
    return qs.for_listing()


def _timeline(articles, link_params: QueryDict, *, label: str) -> dict | None:
    """Articles per month (per day for a short span, per year for a long one) as a chart whose bars link to the
    search page filtered to their period. One grouped query, two for a short span."""
    dated = articles.order_by().filter(published_at__isnull=False)
    months = {
        timezone.localtime(p).date(): n
        for p, n in dated.annotate(p=TruncMonth("published_at")).values("p").annotate(n=Count("pk")).values_list("p", "n")
    }
    if not months:
        return None
    unit = timeline.choose_unit(min(months), timeline.period_end(max(months), "month"))
    counts = months
    if unit == "day":
        counts = {
            timezone.localtime(p).date(): n
            for p, n in dated.annotate(p=TruncDay("published_at")).values("p").annotate(n=Count("pk")).values_list("p", "n")
        }
    buckets = timeline.series(counts, unit)
    base = _with(link_params, page=None, year=None)

    def href(bucket: timeline.Bucket) -> str:
        return _url("articles:search", _with(base, date_from=bucket.start.isoformat(), date_to=bucket.end.isoformat()))

    return {
        "svg": timeline.render_svg(buckets, href, label=label),
        "unit": unit,
        "peak": timeline.peak_bucket(buckets),
        "buckets": buckets,
    }


# --- pages -----------------------------------------------------------------------------------------------------


@require_GET
def home(request):
    # Dated articles only, in the order of the (published_at, id) index: undated ones are not «latest».
    latest = _listing(Article.objects.published().filter(published_at__isnull=False).order_by("-published_at", "-id"))[:10]
    topics = (
        Tag.objects.filter(kind=Tag.Kind.TOPIC).annotate(n=Count("articles", filter=_published_articles()))
        .order_by("-n", "name")
    )
    sources = Source.objects.annotate(n=Count("articles", filter=_published_articles())).order_by("-n", "name")
    return render(request, "articles/home.html", {"latest": latest, "topics": topics, "sources": sources})


@require_GET
def search(request):
    form, filters, base, plan, results = _run_search(request.GET)
    q = filters["q"]
    params = _link_params(request.GET)
    # Without words but with a filter (a topic, a source, a period: where the timeline's bars lead), the page
    # lists those articles, newest first, instead of nothing.
    browsing = not q and any(filters[name] for name in FILTERS)
    found = None
    if browsing or plan.searchable:
        found = collect(base, None if browsing else plan, q=q, sort=filters["sort"])
        paginator = CountedPaginator(_listing(found.ordered), PAGE_SIZE, count=found.listed)
    else:
        paginator = Paginator(_listing(results), PAGE_SIZE)
    page = _page(paginator, request.GET.get("page"))
    for article in page.object_list:
        article.snippet_html = _snippet(article, plan.stems)
    chips = _filter_chips(filters, params)
    feed_params = _with(params, sort=None)
    context = {
        "form": form, "filters": filters, "plan": plan, "page": page, "params": params, "browsing": browsing,
        "notes": form.notes, "chips": chips,
        "found": found,
        "facets": found.facets if found else None,
        # Over every match, so only when they were all counted (a common word's timeline would read them all),
        # and then over the ids already found, not by matching the words again.
        "timeline": (_timeline(found.matches, params, label="عدد المقالات المطابقة عبر الزمن")
                     if found and found.exact else None),
        "suggestion": _suggestion(q, base, _found_as_typed(plan, page)) if q else None,
        "loose_query": _any_word_query(q),
        "feed_url": _url("articles:search_feed", feed_params) if (q or browsing) else "",
        "csv_url": _url("articles:search_csv", params) if q else "",
        "without_filters_url": _url("articles:search", _with(params, **dict.fromkeys(FILTERS))),
        "sorts": [
            (value, label, _url("articles:search", _with(params, sort=value)))
            for value, label in (("relevance", "الأهمية"), ("newest", "الأحدث"), ("oldest", "الأقدم"))
            if value != "relevance" or not browsing
        ],
        "unsearchable": bool(q) and not plan.searchable and not plan.dropped,
    }
    return render(request, "articles/search.html", context)


def _any_word_query(q: str) -> str:
    """For an empty result: the same plain words joined by OR (nothing to offer for a query with operators)."""
    words = q.split()
    if len(words) < 2 or "OR" in words or any(ch in q for ch in '"|-=*'):
        return ""
    return " OR ".join(words)


def _filter_chips(filters: dict, params: QueryDict) -> list[dict]:
    """The active filters as removable chips: a label and the URL of the same search without it."""
    names = {}
    if filters["source"]:
        names["source"] = Source.objects.filter(slug=filters["source"]).values_list("name", flat=True).first()
    if filters["tag"]:
        names["tag"] = Tag.objects.filter(slug=filters["tag"]).values_list("name", flat=True).first()
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
        {"name": key, "prefix": prefix, "value": value,
         "remove_url": _url("articles:search", _with(params, **{key: None}))}
        for key, prefix, value in chips
    ]


def _found_as_typed(plan: SearchPlan, page) -> int:
    """How many articles match the query as typed: none when words had to be dropped or loosened to find any."""
    return page.paginator.count if plan.searchable and not plan.dropped and not plan.partial else 0


def _suggestion(q: str, base, found: int) -> str | None:
    """«Did you mean …»: a respelling of the query's rare or unknown words, offered only when it finds more
    articles here (with the same filters) than the query as typed."""
    alternative = suggest(q)
    if not alternative or alternative == q:
        return None
    plan = plan_search(alternative)
    # A respelling that still has words no article contains would only lead to another «we left out …».
    if not plan.searchable or plan.dropped:
        return None
    return alternative if base.matching(plan)[: found + 1].count() > found else None


@require_GET
def search_help(request):
    return render(request, "articles/search_help.html")


@require_GET
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("source").prefetch_related("tags"), pk=pk)
    q = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    stems = plan_search(q).stems if q else frozenset()
    paragraphs = [arabic.highlight(p, stems) for p in article.body.splitlines() if p.strip()]
    return render(request, "articles/detail.html", {
        "article": article, "paragraphs": paragraphs, "title_html": arabic.highlight(article.display_title, stems),
        "q": q, "related": _related_articles(article),
    })


def _related_articles(article: Article) -> list[Article]:
    """Articles sharing the rarest words of this one's headline, ranked by text match plus shared tags.

    Two queries: the words' document counts from the vocabulary, then the ranking. Rare words find the same
    story; common ones (تونس، الحكومة) would only find the same country.
    """
    stems = {s for _, s, _ in arabic.analyze(article.display_title) if len(s) >= 3}
    tag_ids = [t.pk for t in article.tags.all()]
    terms = []
    if stems:
        counts = dict(IndexedWord.objects.filter(term__in=stems).values_list("term", "doc_count"))
        if counts:
            rare = [t for t, n in counts.items() if 2 <= n <= RELATED_MAX_DOCS]
            terms = sorted(rare, key=lambda t: (counts[t], t))[:RELATED_TERMS]
        else:
            # An empty vocabulary (not refreshed yet) must not hide every neighbour: use all the words.
            terms = sorted(stems, key=len, reverse=True)[:RELATED_TERMS]
    if terms:
        tsquery = " | ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)
        related = (
            Article.objects.published().exclude(pk=article.pk).matching(SearchPlan(article.display_title, tsquery))
            .annotate(score=RawSQL(
                "ts_rank(articles_article.search_vector, %s::tsquery) + 0.1 * (SELECT count(*) FROM "
                "articles_article_tags at WHERE at.article_id = articles_article.id AND at.tag_id = ANY(%s::bigint[]))",
                [tsquery, tag_ids],
            ))
            .order_by("-score", "-published_at", "-id")
        )
    elif tag_ids:
        related = Article.objects.published().exclude(pk=article.pk).filter(tags__in=tag_ids).distinct().ordered("newest")
    else:
        return []
    return list(related.select_related("source")[:RELATED_COUNT])


@require_GET
def topics(request):
    tags = (
        Tag.objects.filter(kind=Tag.Kind.TOPIC).annotate(n=Count("articles", filter=_published_articles()))
        .order_by("-n", "name")
    )
    return render(request, "articles/topics.html", {"topics": tags})


def _tag_or_alias(slug: str):
    """(tag, None) for a live slug, (None, tag) for the old slug of a renamed or merged tag; 404 otherwise."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is not None:
        return tag, None
    alias = TagAlias.objects.select_related("tag").filter(slug=slug).first()
    if alias is None:
        raise Http404("لا موضوع بهذا الاسم")
    return None, alias.tag


@require_GET
def topic(request, slug):
    tag, moved_to = _tag_or_alias(slug)
    if moved_to:
        return redirect(moved_to, permanent=True)
    articles = Article.objects.published().for_topic(tag)
    page = _page(Paginator(_listing(articles.ordered("newest")), PAGE_SIZE), request.GET.get("page"))
    # Co-occurring tags: the filter and the count share one join, so `n` counts articles having both tags.
    related = (
        Tag.objects.filter(articles__tags=tag).exclude(pk=tag.pk).annotate(n=Count("articles"))
        .order_by("-n", "name")[:12]
    )
    return render(request, "articles/topic.html", {
        "tag": tag, "page": page, "related_topics": related, "params": _link_params(request.GET),
        "timeline": _timeline(articles, _with(QueryDict(mutable=True), tag=tag.slug),
                              label=f"مقالات «{tag.name}» عبر الزمن"),
    })


@require_GET
def source(request, slug):
    src = Source.objects.filter(slug=slug).first()
    if src is None:
        # The old slug of a source merged into another: old links still land.
        alias = get_object_or_404(SourceAlias.objects.select_related("source"), slug=slug)
        return redirect(alias.source, permanent=True)
    articles = Article.objects.published().from_source(src)
    span = articles.order_by().aggregate(first=Min("published_at"), last=Max("published_at"))
    page = _page(Paginator(_listing(articles.ordered("newest")), PAGE_SIZE), request.GET.get("page"))
    top_topics = (
        Tag.objects.filter(articles__source=src).annotate(n=Count("articles")).order_by("-n", "name")[:12]
    )
    return render(request, "articles/source.html", {
        "source": src, "page": page, "span": span, "topics": top_topics, "params": _link_params(request.GET),
        "timeline": _timeline(articles, _with(QueryDict(mutable=True), source=src.slug),
                              label=f"مقالات {src.name} عبر الزمن"),
    })

