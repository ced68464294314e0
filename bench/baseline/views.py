"""The baseline's search page and JSON API: what a decent Django developer writes from the docs, nothing cleverer.

Same parameters as ours (q, page, page_size, source, tag, year, date_from, date_to, sort) and the same JSON shape
as /api/search for the fields both have. The query is SearchQuery(websearch) with PostgreSQL's built-in `arabic`
config against the stored vector; relevance is SearchRank over every match; the Paginator counts every match;
the source and year facets are values().annotate(Count) over every match; select_related / prefetch_related keep
the list to a fixed number of queries; SearchHeadline makes the snippets of the listed page.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from articles.models import Article

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
FACET_SIZE = 15


def baseline_search(qs, params):
    """(ordered queryset, matches, SearchQuery) for `qs`, an article queryset, and request-like `params`.

    `matches` is the filtered, unordered set (for counts and facets); the ordered one is by SearchRank, or by
    date for sort=newest/oldest.
    """
    q = (params.get("q") or "").strip()
    if params.get("source"):
        qs = qs.filter(source__slug=params["source"])
    if params.get("tag"):
        qs = qs.filter(tags__slug=params["tag"])
    year = params.get("year") or ""
    if year.isdecimal() and 1 <= int(year) <= 9999:
        qs = qs.filter(published_at__year=int(year))
    for name, lookup in (("date_from", "published_at__date__gte"), ("date_to", "published_at__date__lte")):
        try:
            value = parse_date(params.get(name) or "")
        except ValueError:  # well-formed but impossible, e.g. 2015-02-30
            value = None
        if value:
            qs = qs.filter(**{lookup: value})
    query = SearchQuery(q, config="arabic", search_type="websearch")
    matches = qs.filter(baseline__vector=query)
    sort = params.get("sort") or "relevance"
    if sort == "newest":
        ordered = matches.order_by(F("published_at").desc(nulls_last=True), "-id")
    elif sort == "oldest":
        ordered = matches.order_by(F("published_at").asc(nulls_last=True), "id")
    else:
        ordered = matches.annotate(rank=SearchRank(F("baseline__vector"), query)).order_by("-rank", "-published_at")
    return ordered, matches, query


def facets(matches):
    """Source and year counts over every match, the plain ORM way (two GROUP BY queries)."""
    sources = (
        matches.order_by()
        .values("source__slug", "source__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "source__name")[:FACET_SIZE]
    )
    years = (
        matches.order_by()
        .annotate(y=ExtractYear("published_at"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by(F("y").desc(nulls_last=True))
    )
    return {
        "sources": [
            {"value": s["source__slug"], "label": s["source__name"], "count": s["n"]}
            for s in sources
            if s["source__slug"]
        ],
        "years": [
            {
                "value": str(y["y"]) if y["y"] else "undated",
                "label": str(y["y"]) if y["y"] else "بلا تاريخ",
                "count": y["n"],
            }
            for y in years
        ],
    }


def _page(params, ordered, size):
    paginator = Paginator(ordered.select_related("source").prefetch_related("tags"), size)
    try:
        return paginator.page(params.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _add_snippets(page, query):
    """SearchHeadline for the listed articles only (one query)."""
    ids = [a.pk for a in page.object_list]
    heads = dict(
        Article.objects.filter(pk__in=ids)
        .annotate(h=SearchHeadline("body", query, config="arabic", max_words=35, min_words=15))
        .values_list("pk", "h")
    )
    for a in page.object_list:
        a.snippet = heads.get(a.pk, "")
    return page


def api_search(request):
    ordered, matches, query = baseline_search(Article.objects.all(), request.GET)
    try:
        size = min(max(int(request.GET.get("page_size", PAGE_SIZE)), 1), MAX_PAGE_SIZE)
    except ValueError:
        size = PAGE_SIZE
    page = _add_snippets(_page(request.GET, ordered, size), query)
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse(
        {
            "query": request.GET.get("q", ""),
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": next_url,
            "results": [
                {
                    "id": a.pk,
                    "title": a.display_title,
                    "url": a.url,
                    "source": a.source.name if a.source else None,
                    "published_at": a.published_at.isoformat() if a.published_at else None,
                    "tags": [t.name for t in a.tags.all()],
                    "snippet": a.snippet,
                    "path": a.get_absolute_url(),
                }
                for a in page.object_list
            ],
            "facets": facets(matches),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def search(request):
    ordered, matches, query = baseline_search(Article.objects.all(), request.GET)
    q = (request.GET.get("q") or "").strip()
    page = _add_snippets(_page(request.GET, ordered, PAGE_SIZE), query) if q else None
    return render(
        request,
        "baseline/search.html",
        {
            "q": q,
            "page": page,
            "facets": facets(matches) if q else None,
            "elided": page.paginator.get_elided_page_range(page.number) if page else [],
        },
    )
