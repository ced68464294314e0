"""Machine-readable search results: the JSON API and the CSV export (journalists' tools and the evaluation)."""

import csv
import unicodedata
from itertools import islice

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .forms import ALL_COPIES
from .models import Article
from .search import Hits, run_search
from .stories.copies import copies_of
from .views import PAGE_SIZE

API_MAX_PAGE_SIZE = 100
CSV_CHUNK = 2000


BAD_PAGE = "رقم الصفحة (page) عدد صحيح من 1 فصاعدا."
BAD_PAGE_SIZE = f"حجم الصفحة (page_size) عدد صحيح من 1 إلى {API_MAX_PAGE_SIZE}."


def _whole(value: str | None, default: int, largest: int) -> int | None:
    """A paging parameter: `default` when absent or empty, the number when it is a whole number from 1 to
    `largest`, None otherwise: the API refuses it rather than guess (a page=0 read as the last page would be a
    guess)."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not (text.isdecimal() and text.isascii()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= largest else None


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _page(paginator: Paginator, number: int):
    """Page `number`, or an empty one past the last (the page asked for, never another)."""
    if number <= paginator.num_pages:
        return paginator.page(number)
    return Page([], number, paginator)


@require_safe
def api_search(request):
    number = _whole(request.GET.get("page"), 1, 1 << 62)
    size = _whole(request.GET.get("page_size"), PAGE_SIZE, API_MAX_PAGE_SIZE)
    if number is None or size is None:
        return _json({"error": BAD_PAGE if number is None else BAD_PAGE_SIZE}, status=400)
    outcome = run_search(request.GET)
    page = _page(Paginator(Hits(outcome, tag_names=True), size), number)
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    plan = outcome.plan
    data = {
        "query": outcome.filters["q"],
        "count": outcome.count,  # every matching article, exactly
        "stories": outcome.story_count,  # the stories they make: an article without copies is one
        "copies": "all" if not outcome.collapsed else "first",  # each story listed once (its first copy), or all
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": next_url,
        "partial": plan.partial,
        "truncated": plan.truncated,  # the query was longer than we search: only its start was used
        "dropped": plan.dropped,
        "notes": (
            outcome.form.notes
            + outcome.notes
            + (["الفهرس قيد البناء: أعد المحاولة بعد قليل."] if outcome.unavailable else [])
        ),
        "results": [_result(a, with_copies=outcome.collapsed) for a in page.object_list],
        "facets": {k: v for k, v in (outcome.facets or {}).items() if k != "total"},
    }
    return _json(data, status=503 if outcome.unavailable else 200)


def _result(a: Article, *, with_copies: bool) -> dict:
    """One search result. Listed once (`with_copies`), a story carries its published copies, earliest first,
    this one included."""
    return {
        **_article_summary(a),
        "url": a.url,
        "tags": a.tag_names,
        "group": a.story_group,  # shared by copies of one story; null for a story with no copies
        **({"copies": [{**_article_summary(c), "first": c.first} for c in a.copies]} if with_copies else {}),
        "snippet": a.snippet_html,
    }


def _article_summary(a: Article) -> dict:
    return {
        "id": a.pk,
        "title": a.display_title,
        "source": a.source.name if a.source else None,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "path": a.get_absolute_url(),
    }


@require_safe
def api_article(request, pk: int):
    """One article with its copies in other papers (`copies`, earliest first, `first` marking who ran it first)."""
    article = Article.objects.published().select_related("source").with_tag_names().filter(pk=pk).first()
    if article is None:
        return _json({"error": "لا يوجد مقال بهذا الرقم."}, status=404)
    copies = copies_of(article)
    data = {
        **_article_summary(article),
        "url": article.url,
        "lead": article.lead,
        "body": article.body,
        "tags": article.tag_names,
        "group": copies[0].story_group if copies else None,
        "copies": [{**_article_summary(c), "first": c.first} for c in copies if c.pk != article.pk],
    }
    return _json(data)


class _Echo:
    def write(self, value):
        return value


_FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Neutralize spreadsheet formulas: a cell starting with = + - @ (or a tab/CR) is prefixed with '. The sign is
    judged after NFKC, because spreadsheets read a fullwidth «＝» or a small «﹢» as the ASCII sign."""
    text = "" if value is None else str(value)
    return "'" + text if unicodedata.normalize("NFKC", text[:1])[:1] in _FORMULA_SIGNS else text


_SOURCE_NAME = RawSQL("(SELECT s.name FROM articles_source s WHERE s.id = articles_article.source_id)", [])


def _csv_rows(outcome, cap: int):
    """The ranked results (each story once, unless ?copies=all), up to `cap` rows, read from the index and
    PostgreSQL a chunk at a time."""
    results = outcome.result_ids(0, cap) if outcome.plan.searchable else iter(())
    while ids := list(islice(results, CSV_CHUNK)):
        rows = {
            r[0]: r
            for r in Article.objects.filter(pk__in=ids)
            .with_tag_names()
            .annotate(source_name=_SOURCE_NAME, story_group=F("story_link__story"))
            .values_list("pk", "title", "url", "source_name", "published_at", "tag_names", "story_group")
        }
        yield from (rows[pk] for pk in ids if pk in rows)


def _local(published) -> tuple[str, str]:
    """(the time in the archive's zone with its offset, the day alone): the day the pages show. In UTC, an article
    of 13 December at 00:00 in Tunis read as the 12th."""
    if published is None:
        return "", ""
    local = timezone.localtime(published)
    return local.isoformat(), local.date().isoformat()


@require_safe
def search_csv(request):
    # An export is for counting coverage: every copy is a row, its `group` column telling the copies of one story
    # apart, unless ?copies=first asks for each story once, as the page lists them.
    params = request.GET.copy()
    if not params.get("copies"):
        params["copies"] = ALL_COPIES
    outcome = run_search(params)
    cap = settings.SEARCH_CSV_MAX_ROWS
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the Arabic as UTF-8
        yield writer.writerow(["id", "title", "url", "source", "published_at", "date", "tags", "path", "group"])
        for pk, title, url, source, published, tags, group in _csv_rows(outcome, cap):
            yield writer.writerow(
                [
                    pk,
                    csv_cell(title),
                    csv_cell(url),
                    csv_cell(source),
                    *_local(published),
                    csv_cell("|".join(tags)),
                    f"/articles/{pk}/",
                    "" if group is None else group,
                ]
            )

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search.csv"'
    response["X-Result-Cap"] = str(cap)
    return response
