"""Machine-readable search results: the JSON API and the CSV export (journalists' tools and the evaluation)."""
import csv

from django.conf import settings
from django.db.models.expressions import RawSQL
from django.http import JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from .facets import CountedPaginator
from .results import collect
from .views import PAGE_SIZE, _page, _run_search, _snippet
from django.core.paginator import Paginator

API_MAX_PAGE_SIZE = 100


@require_GET
def api_search(request):
    form, filters, base, plan, results = _run_search(request.GET)
    try:
        page_size = min(max(int(request.GET.get("page_size", PAGE_SIZE)), 1), API_MAX_PAGE_SIZE)
    except ValueError:
        page_size = PAGE_SIZE
    found = collect(base, plan, q=filters["q"], sort=filters["sort"]) if plan.searchable else None
    facets = found.facets if found else {}
    listing = (found.ordered if found else results).for_listing(tag_names=True)
    paginator = (CountedPaginator(listing, page_size, count=found.listed) if found
                 else Paginator(listing, page_size))
    page = _page(paginator, request.GET.get("page"))
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse({
        "query": filters["q"],
        "count": found.count if found else 0,
        # False for very large result sets: `count` is then an estimate, and relevance order and facets cover
        # the newest `ranked` matches (pages stop there; sort=newest/oldest pages through all of them).
        "count_exact": found.exact if found else True,
        "count_at_least": found.at_least if found else False,  # `count` is a lower bound
        "ranked": found.listed if found else 0,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": next_url,
        "partial": plan.partial,
        "truncated": plan.truncated,  # the query was longer than we search: only its start was used
        "dropped": plan.dropped,
        "notes": form.notes,
        "results": [{
            "id": a.pk,
            "title": a.display_title,
            "url": a.url,
            "source": a.source.name if a.source else None,
            "published_at": a.published_at.isoformat() if a.published_at else None,
            "tags": a.tag_names,
            "snippet": _snippet(a, plan.stems),
            "path": a.get_absolute_url(),
        } for a in page.object_list],
        "facets": {k: v for k, v in facets.items() if k != "total"},
    }, json_dumps_params={"ensure_ascii": False})


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """Neutralize spreadsheet formulas: a cell starting with = + - @ (or a tab/CR) is prefixed with '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def search_csv(request):
    form, filters, base, plan, results = _run_search(request.GET)
    cap = settings.SEARCH_CSV_MAX_ROWS
    rows = (
        results.with_tag_names().annotate(source_name=RawSQL(
            "(SELECT s.name FROM articles_source s WHERE s.id = articles_article.source_id)", []))
        .values_list("pk", "title", "url", "source_name", "published_at", "tag_names")[:cap]
    )
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the Arabic as UTF-8
        yield writer.writerow(["id", "title", "url", "source", "published_at", "tags", "path"])
        for pk, title, url, source, published, tags in rows.iterator(chunk_size=2000):
            yield writer.writerow([
                pk, _csv_cell(title), _csv_cell(url), _csv_cell(source),
                published.isoformat() if published else "", _csv_cell("|".join(tags)), f"/articles/{pk}/",
            ])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search.csv"'
    response["X-Result-Cap"] = str(cap)
    return response


