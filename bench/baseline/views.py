"""The baseline's search page and JSON API: what a decent Django developer writes from the docs, nothing cleverer.

Same parameters as ours (q, page, page_size, source, tag, year, date_from, date_to, sort), select_related and
prefetch_related against N+1 queries, a Paginator (so a COUNT over every match), source and year facets with
values().annotate(Count), and SearchHeadline snippets for the listed page.
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


def baseline_results(params):
    """(ranked queryset, matching queryset, query) for request parameters."""
    q = params.get("q", "").strip()
    qs = Article.objects.all()
    if params.get("source"):
        qs = qs.filter(source__slug=params["source"])
    if params.get("tag"):
        qs = qs.filter(tags__slug=params["tag"])
    if (params.get("year") or "").isdigit():
        qs = qs.filter(published_at__year=int(params["year"]))
    for name, lookup in (("date_from", "published_at__date__gte"), ("date_to", "published_at__date__lte")):
        value = parse_date(params.get(name) or "") if params.get(name) else None
        if value:
            qs = qs.filter(**{lookup: value})
    query = SearchQuery(q, config="arabic", search_type="websearch")
    matches = qs.filter(baseline__vector=query)
    sort = params.get("sort", "relevance")
    if sort == "newest":
        ranked = matches.order_by(F("published_at").desc(nulls_last=True), "-id")
    elif sort == "oldest":
        ranked = matches.order_by(F("published_at").asc(nulls_last=True), "id")
    else:
        ranked = matches.annotate(rank=SearchRank(F("baseline__vector"), query)).order_by("-rank", "-published_at")
    return ranked, matches, query


def _page(params, ranked, size):
    paginator = Paginator(ranked.select_related("source").prefetch_related("tags"), size)
    try:
        return paginator.page(params.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(1)


def _facets(matches):
    return {
        "sources": list(matches.values("source__key", "source__name").annotate(n=Count("pk")).order_by("-n")[:15]),
        "years": list(matches.annotate(y=ExtractYear("published_at")).values("y").annotate(n=Count("pk")).order_by("-y")),
    }


def _with_snippets(page, query):
    ids = [a.pk for a in page.object_list]
    heads = dict(Article.objects.filter(pk__in=ids).annotate(
        h=SearchHeadline("body", query, config="arabic", max_words=35, min_words=15)).values_list("pk", "h"))
    for a in page.object_list:
        a.snippet = heads.get(a.pk, "")
    return page


def api_search(request):
    ranked, matches, query = baseline_results(request.GET)
    try:
        size = min(max(int(request.GET.get("page_size", PAGE_SIZE)), 1), 100)
    except ValueError:
        size = PAGE_SIZE
    page = _with_snippets(_page(request.GET, ranked, size), query)
    return JsonResponse({
        "count": page.paginator.count,
        "results": [{
            "id": a.pk, "title": a.title, "url": a.url, "source": a.source.name if a.source else None,
            "published_at": a.published_at.isoformat() if a.published_at else None,
            "tags": [t.name for t in a.tags.all()], "snippet": a.snippet,
        } for a in page.object_list],
        "facets": _facets(matches),
        "next": page.next_page_number() if page.has_next() else None,
    }, json_dumps_params={"ensure_ascii": False})


def search(request):
    ranked, matches, query = baseline_results(request.GET)
    page = _with_snippets(_page(request.GET, ranked, PAGE_SIZE), query)
    return render(request, "baseline/search.html", {"page": page, "q": request.GET.get("q", ""),
                                                     "facets": _facets(matches)})
