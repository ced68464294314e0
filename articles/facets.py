"""Facet counts over a result set: sources, topics, years (with «undated» as a value)."""
from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.core.exceptions import EmptyResultSet
from django.db import connection

from .forms import UNDATED


class CountedPaginator(Paginator):
    """A Paginator told the count in advance (from the facet query), sparing a COUNT over every match."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count

# One statement: the matching articles are found once (a MATERIALIZED CTE, so PostgreSQL cannot fold it into
# three joins and re-scan the full-text index, or pick a plan that reads every article row), then grouped three
# ways. Measured on 41k articles: 3 queries of 5-100 ms became one of about 10 ms.
_FACETS_SQL = """
WITH m AS MATERIALIZED ({matches})
SELECT 's', s.slug, s.name, '', count(*) FROM m JOIN articles_source s ON s.id = m.source_id
  GROUP BY s.slug, s.name
UNION ALL
SELECT 't', t.slug, t.name, t.kind, count(*) FROM m
  JOIN articles_article_tags at ON at.article_id = m.id JOIN articles_tag t ON t.id = at.tag_id
  GROUP BY t.slug, t.name, t.kind
UNION ALL
SELECT 'y', coalesce(extract(year FROM m.published_at AT TIME ZONE %s)::int::text, ''), '', '', count(*) FROM m
  GROUP BY 2
"""


def facet_counts(matches, *, limit: int = 15) -> dict:
    """Counts over `matches`, an article queryset (its ordering and annotations are ignored)."""
    try:
        sql, params = matches.order_by().values("id", "source_id", "published_at").query.sql_with_params()
    except EmptyResultSet:  # none(), or an empty id list: nothing to count
        return {"total": 0, "sources": [], "tags": [], "years": []}
    with connection.cursor() as cursor:
        cursor.execute(_FACETS_SQL.format(matches=sql), [*params, settings.TIME_ZONE])
        rows = cursor.fetchall()
    sources = sorted((r for r in rows if r[0] == "s"), key=lambda r: (-r[4], r[2]))[:limit]
    tags = sorted((r for r in rows if r[0] == "t"), key=lambda r: (-r[4], r[2]))[:limit]
    # Newest year first, «undated» last.
    years = sorted((r for r in rows if r[0] == "y" and r[1]), key=lambda r: r[1], reverse=True)
    years += [r for r in rows if r[0] == "y" and not r[1]]
    return {
        # Every match falls in exactly one year bucket («undated» included): the result count, for free.
        "total": sum(r[4] for r in rows if r[0] == "y"),
        "sources": [{"value": r[1], "label": r[2], "count": r[4]} for r in sources],
        "tags": [{"value": r[1], "label": r[2], "kind": r[3], "count": r[4]} for r in tags],
        "years": [{"value": r[1] or UNDATED, "label": r[1] or "بلا تاريخ", "count": r[4]} for r in years],
    }
