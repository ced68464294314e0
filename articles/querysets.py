"""Reads of articles: search, topics, publication state. Chainable, lazy apart from one planning query."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.contrib.postgres.search import SearchQueryField
from django.db.models import F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from . import querylang

# Weights for D (body), C (unused), B (lead), A (title): a headline match is worth ten body matches.
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
SORTS = {"relevance", "newest", "oldest"}


@dataclass
class SearchPlan:
    """What a query turned into, for the page to explain itself."""

    query: str
    tsquery: str = ""
    stems: frozenset[str] = frozenset()
    dropped: list[str] = field(default_factory=list)  # words no article contains, left out of the AND
    partial: bool = False  # no article has every word: showing those with some, best first
    truncated: bool = False
    exact_forms: str = ""  # tsquery of the words as typed, for ranking exact spellings first
    topic: int | None = None  # a tag's id: only its articles match (its lexeme in their search vectors)

    @property
    def searchable(self) -> bool:
        return bool(self.tsquery)

    @property
    def match(self) -> str:
        """The tsquery the articles' search vectors must match: the words and, within a topic, its lexeme.

        The full-text index then intersects the topic with the words itself. Ranking uses `tsquery` alone: the
        ranking vector holds no topics."""
        if self.topic is None or not self.tsquery:
            return self.tsquery
        return f"({self.tsquery}) & '{topic_lexeme(self.topic)}'"

    def in_topic(self, tag_id: int) -> SearchPlan:
        return replace(self, topic=tag_id)


TOPIC_PREFIX = "#"  # no token holds it (tokens are runs of letters and digits), so no query word can match it


def topic_lexeme(tag_id: int) -> str:
    """The lexeme that marks a tag's articles in their search vectors (kept by the triggers of migration 0010)."""
    return f"{TOPIC_PREFIX}{int(tag_id)}"


def _exists(tsqueries: list[str]) -> list[bool]:
    """For each tsquery, whether any article matches it: one statement, each probe stops at its first hit."""
    sql = "SELECT " + ", ".join(
        "EXISTS (SELECT 1 FROM articles_article WHERE articles_article.search_vector @@ %s::tsquery)"
        for _ in tsqueries
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tsqueries)
        return list(cursor.fetchone())


def plan_search(q: str) -> SearchPlan:
    parsed = querylang.parse(q)
    compiled = querylang.compile_query(parsed)
    plan = SearchPlan(q, compiled.match, compiled.stems, truncated=parsed.truncated,
                      exact_forms=compiled.exact_forms)
    if len(compiled.clauses) < 2:
        return plan
    # A journalist's half-remembered headline often has one word no article contains (a typo, another
    # spelling): requiring it would return nothing, so such words are dropped and named to the user.
    # The whole query is probed alone first: usually it matches, and each word's probe builds that word's
    # bitmap from the full-text index (milliseconds each for common words at a million articles).
    if _exists([compiled.match])[0]:
        return plan
    found = _exists(compiled.clauses)
    loosen = any("<" in c for c, ok in zip(compiled.clauses, found) if not ok)
    if loosen:
        # A phrase no article has (words half-remembered in another order): loosen phrases to their words.
        compiled = querylang.compile_query(parsed, loosen=True)
        *found, all_found = _exists([*compiled.clauses, compiled.match])
        if all_found:
            plan.tsquery = compiled.match
            return plan
    drop = {i for i, ok in enumerate(found) if not ok}
    plan.dropped = [compiled.clause_texts[i] for i in sorted(drop)]
    if len(drop) == len(found):
        plan.tsquery = ""
        return plan
    reduced = querylang.compile_query(parsed, drop, loosen=loosen)
    plan.tsquery = reduced.match
    if len(found) - len(drop) > 1 and not _exists([reduced.match])[0]:
        plan.tsquery, plan.partial = reduced.any_match, True
    return plan


# The date of the article at a given fraction of the archive, newest first: an index-only walk of the date index
# (reltuples is the planner's row count, read for free).
_CUTOFF_SQL = """
SELECT published_at FROM articles_article WHERE published_at IS NOT NULL ORDER BY published_at {order}
OFFSET %s LIMIT 1
"""
# The table's size and its dates' histogram (equal-count buckets, from the last ANALYZE).
_DATES_SQL = """
SELECT greatest(c.reltuples, 0), s.histogram_bounds::text::timestamptz[] FROM pg_class c
LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = c.relname AND s.attname = 'published_at'
WHERE c.oid = 'articles_article'::regclass
"""
DATE_WALK = 20_000  # dates read from the index at most to find a slice's bound; beyond, the histogram's
_dates: tuple[float, str, tuple] | None = None  # (when read, database, (rows, histogram bounds))


def _table_dates(cursor) -> tuple[float, list | None]:
    """(rows, date histogram bounds) of the articles table, read again only after SEARCH_STATS_SECONDS: a large
    search asked for them on every request (a millisecond at 40k articles), and they change only when PostgreSQL
    analyzes the table."""
    global _dates
    now = time.monotonic()
    database = connection.settings_dict["NAME"]
    if _dates is None or now - _dates[0] >= settings.SEARCH_STATS_SECONDS or _dates[1] != database:
        cursor.execute(_DATES_SQL)
        _dates = (now, database, cursor.fetchone())
    return _dates[2]


def _quantile(bounds: list, at: float):
    """The date below which `at` of the articles fall, interpolated in PostgreSQL's histogram of equal-count
    buckets."""
    position = at * (len(bounds) - 1)
    i = min(int(position), len(bounds) - 2)
    return bounds[i] + (bounds[i + 1] - bounds[i]) * (position - i)


_TAG_NAMES_SQL = (
    "ARRAY(SELECT t.name FROM articles_article_tags at JOIN articles_tag t ON t.id = at.tag_id "
    "WHERE at.article_id = articles_article.id ORDER BY t.name)"
)


def _tsquery(literal: str):
    return Cast(Value(literal), SearchQueryField())


# Column references (not raw SQL naming the table), so the expressions survive Django's table aliasing when a
# search is used as a subquery (facets, pk__in=...).
class TsMatch(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = models.BooleanField()


class Rank(Func):
    template = (
        "coalesce((ts_filter(%(vector)s, '{a}') @@ %(query)s)::int"
        " + 0.5 * ts_rank(ts_filter(%(vector)s, '{a}'), %(query)s, 2)"
        f" + ts_rank('{RANK_WEIGHTS}', %(vector)s, %(query)s, 1)"
        f" + 0.3 * ts_rank('{RANK_WEIGHTS}', %(vector)s, %(exact)s, 1), 0)"
    )
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        compiled = dict(zip(("vector", "query", "exact"), (compiler.compile(e) for e in self.source_expressions)))
        # The template names each argument several times: substitute and repeat its parameters in order.
        sql, params = [], []
        for part in re.split(r"%\((vector|query|exact)\)s", self.template):
            if part in compiled:
                sql.append(compiled[part][0])
                params += compiled[part][1]
            else:
                sql.append(part)
        return "".join(sql), params


class ArticleQuerySet(models.QuerySet):
    _search_plan: SearchPlan | None = None

    def _clone(self):
        clone = super()._clone()
        clone._search_plan = self._search_plan
        return clone

    @property
    def search_plan(self) -> SearchPlan | None:
        return self._search_plan

    def for_listing(self, *, tag_names: bool = False):
        """What a result list shows: the source, and the tags as objects in one extra query in all (or, with
        `tag_names`, only their names, in this same query); never the stored vectors or the original file text."""
        qs = self.select_related("source").defer("raw_text", "search_vector", "rank_vector")
        return qs.with_tag_names() if tag_names else qs.prefetch_related("tags")

    def with_tag_names(self):
        """Each article's tag names, in name order, as the list `tag_names`, computed in this query for the rows
        it returns only (after any sort and limit): for lists that show names alone (the API, the CSV), where
        prefetching Tag objects took a query and a tenth of an API request's time."""
        return self.annotate(tag_names=RawSQL(_TAG_NAMES_SQL, [], output_field=ArrayField(models.TextField())))

    def published(self):
        """Articles readers may see: everything but those dated in the future (embargoed wire copy)."""
        return self.filter(Q(published_at__isnull=True) | Q(published_at__lte=timezone.now()))

    def for_topic(self, tag):
        from .models import Tag

        if isinstance(tag, Tag):
            return self.filter(tags=tag)
        return self.filter(tags__slug=tag)

    def from_source(self, source):
        from .models import Source

        if isinstance(source, Source):
            return self.filter(source=source)
        return self.filter(source__slug=source)

    def estimated_count(self) -> tuple[int, int]:
        """(rows, rows read) the planner expects for this queryset: one EXPLAIN, nothing read.

        `rows read` is the largest row count anywhere in the plan: for a phrase, the articles holding all its
        words, each of which must be checked. Close for single words (PostgreSQL keeps the commonest lexemes'
        frequencies); a guess for rare combinations, which is fine: it only decides whether a result set is too
        large to count and rank whole.
        """
        plan = json.loads(self.order_by().explain(format="json"))[0]["Plan"]
        most, todo = 0, [plan]
        while todo:
            node = todo.pop()
            most = max(most, int(node["Plan Rows"]))
            todo.extend(node.get("Plans", ()))
        return int(plan["Plan Rows"]), most

    def date_part(self, wanted: int, of: int, *, oldest: bool = False):
        """Only the articles dated in the newest (or oldest) slice of the archive that should hold about `wanted`
        of these `of` (1.5 × as many, if they are spread evenly over time), found through the date index alone.

        For very large result sets: a date bound lets PostgreSQL intersect the full-text and the date indexes
        instead of visiting every match. Undated articles fall outside it.
        """
        share = 1.5 * wanted / max(of, 1)
        if share >= 1:
            return self  # the whole archive: walking the date index to its end would only say so, slowly
        with connection.cursor() as cursor:
            rows, bounds = _table_dates(cursor)
            skip = int(rows * share)
            if skip <= DATE_WALK or not bounds or len(bounds) < 2:
                # Exact: walk the date index. Cheap for the thin newest slices of large result sets.
                cursor.execute(_CUTOFF_SQL.format(order="ASC" if oldest else "DESC"), [skip])
                row = cursor.fetchone()
                if not row:
                    return self
                cutoff = row[0]
            else:
                # A wide slice: walking hundreds of thousands of index entries would cost more than the search
                # it bounds, and an approximate bound only changes how much the search reads.
                cutoff = _quantile(bounds, share if oldest else 1 - share)
        return self.filter(published_at__lte=cutoff) if oldest else self.filter(published_at__gte=cutoff)

    def matching(self, plan: SearchPlan):
        """Only the filter of a search, unranked: for counts and facets, which need no ordering."""
        if not plan.searchable:
            return self.none()
        return self.filter(TsMatch(F("search_vector"), _tsquery(plan.match)))

    def search(self, q: str, *, sort: str = "relevance", plan: SearchPlan | None = None):
        """Articles matching the query, ranked. An empty or unsearchable query gives none()."""
        plan = plan or plan_search(q)
        qs = self.matching(plan)
        if plan.searchable:
            qs = qs.ranked(plan, sort)
        qs._search_plan = plan
        return qs

    def ranked(self, plan: SearchPlan, sort: str = "relevance"):
        """These articles in the order of a search (relevance, newest or oldest), without filtering them again:
        for a set already known to match."""
        # Relevance: a headline holding every query word first (the shorter the headline, the nearer the match),
        # then weighted term frequency over title, lead and body.
        rank = Rank(F("rank_vector"), _tsquery(plan.tsquery), _tsquery(plan.exact_forms or plan.tsquery))
        qs = self.annotate(rank=rank).ordered(sort)
        qs._search_plan = plan
        return qs

    def ordered(self, sort: str = "relevance"):
        newest = [F("published_at").desc(nulls_last=True), "-id"]
        if sort == "newest":
            return self.order_by(*newest)
        if sort == "oldest":
            return self.order_by(F("published_at").asc(nulls_last=True), "id")
        if "rank" in self.query.annotations:
            return self.order_by("-rank", *newest)
        return self.order_by(*newest)
