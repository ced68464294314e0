"""`run_search(params)`: the one entry point of search, for the results page, the API, the CSV, the feeds and
the admin. It makes the browse-or-search decision once, and every number it returns is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ..forms import ALL_COPIES, UNDATED, SearchForm
from ..models import Article, Source, SourceAlias, Tag, TagAlias, live_or_moved
from ..stories.copies import copies_by_story, source_names
from . import engine, highlight, index, suggest
from .query import ParsedQuery, QueryFilters, describe, parse

FACET_LIMIT = 15
STORY_CHUNK = 500  # stories whose first matching copy is looked up in one index read


@dataclass
class SearchOutcome:
    form: SearchForm
    filters: dict
    plan: engine.Plan
    browsing: bool  # no words, but a filter: the filtered articles, newest first
    source: Source | None = None
    tag: Tag | None = None
    unavailable: bool = False  # the index is being built: «الفهرس قيد البناء»
    parsed: ParsedQuery | None = None
    query_notes: tuple[str, ...] = ()  # filters of the query that found nothing to filter on (مصدر: unknown)
    _searcher: object = None
    _query: object = None
    _filters: engine.Filters | None = None

    @property
    def active(self) -> bool:
        """Whether there is anything to list: words that can be searched, or a filter to browse."""
        return self._query is not None

    @property
    def sort(self) -> str:
        return self.filters["sort"] if not (self.browsing and self.filters["sort"] == "relevance") else "newest"

    @property
    def collapsed(self) -> bool:
        """Each story listed once, as its earliest matching copy (the default), or every copy (?copies=all)."""
        return self.filters["copies"] != ALL_COPIES

    @cached_property
    def _summary(self) -> engine.Summary | None:
        """The count, stories, facets and months of every match, read together: one pass over the matches."""
        return engine.summary(self._searcher, self._query) if self.active else None

    @property
    def count(self) -> int:
        """Matching articles, every copy counted."""
        return self._summary.count if self.active else 0

    @property
    def story_count(self) -> int:
        """Matching stories: an article without copies is a story of its own."""
        if not self.active:
            return 0
        return self._summary.count - self._summary.grouped + self._summary.stories

    @property
    def result_count(self) -> int:
        """How many results the list holds: stories, or articles with ?copies=all."""
        return self.story_count if self.collapsed else self.count

    @cached_property
    def hits(self) -> Hits:
        return Hits(self)

    def ids(self, offset: int, limit: int, *, sort: str | None = None) -> list[int]:
        if not self.active:
            return []
        return engine.page_ids(self._searcher, self._ranked, sort or self.sort, offset, limit)

    def result_ids(self, start: int, stop: int | None = None) -> Iterator[int]:
        """Ids of the results start..stop-1, in order. Collapsed, a story stands where its best-placed match
        stands, shown as its earliest matching copy (who ran it first)."""
        if not self.active:
            return
        if not self.collapsed:
            stop = self.count if stop is None else stop
            for offset in range(start, stop, STORY_CHUNK):
                yield from self.ids(offset, min(STORY_CHUNK, stop - offset))
            return
        ranked = engine.collapsed(self._searcher, self._ranked, self.sort, stop or 0)
        items = islice(ranked, start, stop)
        while chunk := list(islice(items, STORY_CHUNK)):
            stories = [story for _, story in chunk if story is not None]
            first = (
                engine.earliest_matches(self._searcher, index.schema(), self._query, stories)
                if stories and self.sort != "oldest"
                else {}
            )
            yield from (first.get(story, pk) for pk, story in chunk)

    @cached_property
    def _ranked(self):
        return engine.ranked(self._query, self.plan.ranking)

    @cached_property
    def facets(self) -> dict | None:
        """Sources, topics and years over every match, with names: two small queries for the labels."""
        if not self.active:
            return None
        found = self._summary
        sources = {s.pk: s for s in Source.objects.filter(pk__in=found.sources).only("pk", "slug", "name")}
        tags = {t.pk: t for t in Tag.objects.filter(pk__in=found.topics).only("pk", "slug", "name", "kind")}
        by_count = lambda items: sorted(items, key=lambda r: (-r["count"], r["label"]))[:FACET_LIMIT]  # noqa: E731
        years = sorted((y for y in found.years if y), reverse=True) + ([0] if 0 in found.years else [])
        return {
            "total": self.count,
            "sources": by_count(
                {"value": s.slug, "label": s.name, "count": n}
                for pk, n in found.sources.items()
                if (s := sources.get(pk))
            ),
            "tags": by_count(
                {"value": t.slug, "label": t.name, "kind": t.kind, "count": n}
                for pk, n in found.topics.items()
                if (t := tags.get(pk))
            ),
            "years": [
                {"value": str(y) if y else UNDATED, "label": str(y) if y else "بلا تاريخ", "count": found.years[y]}
                for y in years
            ],
        }

    def date_counts(self, unit: str) -> dict[dt.date, int]:
        """Dated matches per month or day, for the timeline."""
        if not self.active:
            return {}
        if unit == "month":
            return engine.month_starts(self._summary.months)
        return engine.day_buckets(self._searcher, self._query)

    @cached_property
    def suggestion(self) -> str | None:
        """«Did you mean …»: a respelling of the query's rare or unknown words with common words of the index, as
        the articles spell them, offered only when it finds more articles (with the same filters) than the query
        as typed, without dropping words of its own."""
        q = self.filters["q"]
        if not q or self._searcher is None:
            return None
        schema = index.schema()
        now = self._filters.published_before if self._filters else engine.now_seconds()
        alternative = suggest.suggest(self._searcher, schema, q, spell=_speller(self._searcher, schema, now))
        if not alternative or alternative == q:
            return None
        other = engine.plan(self._searcher, schema, alternative)
        if not other.searchable or other.dropped:
            return None
        as_typed = self.count if self.plan.searchable and not self.plan.dropped and not self.plan.partial else 0
        found = engine.count(self._searcher, engine.filtered(schema, other.match, self._filters))
        return alternative if found > as_typed else None

    @property
    def understood(self) -> str:
        """«فُهم بحثك هكذا: …»: the query as parsed, when it was read otherwise than written."""
        return describe(self.parsed) if self.parsed is not None and self.parsed.notes else ""

    @property
    def notes(self) -> list[str]:
        """What the page says about the query: how it was read, and the names the archive does not know."""
        return (self.parsed.notes if self.parsed else []) + list(self.query_notes)

    def snippet(self, article: Article) -> str:
        return highlight.snippet(article.body or article.lead or article.title, self.plan.stems)


class Hits(Sequence):
    """The results in order, as a Paginator wants them: `count()` and slices, each slice one index read and one
    query for its rows (with their source and tags), each row given its highlighted `snippet_html`. Collapsed,
    each row also carries `copies`: its story's published copies, earliest first (empty for an article alone),
    read in one more query."""

    def __init__(self, outcome: SearchOutcome, *, tag_names: bool = False):
        self.outcome = outcome
        self.tag_names = tag_names

    def count(self) -> int:
        return self.outcome.result_count

    def __len__(self) -> int:
        return self.outcome.result_count

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop, _ = key.indices(len(self))
        ids = list(self.outcome.result_ids(start, stop))
        rows = Article.objects.filter(pk__in=ids).for_listing(tag_names=self.tag_names).in_bulk()
        articles = [rows[pk] for pk in ids if pk in rows]
        copies = (
            copies_by_story([a.story_group for a in articles if a.story_group is not None])
            if self.outcome.collapsed
            else {}
        )
        for article in articles:
            article.snippet_html = self.outcome.snippet(article)
            article.copies = copies.get(article.story_group, [])
            article.copy_sources = source_names(article.copies)
        return articles


def run_search(params) -> SearchOutcome:
    """Everything a search shows, from request parameters (a QueryDict or a dict): the form with its notes, the
    plan (dropped words, partial matches), the exact count, facets and pages of results."""
    form = SearchForm(params)
    filters = form.filters()
    # ?source= and ?tag= also take the old slug of a merged or renamed row, as its page redirects.
    source, _ = live_or_moved(Source, filters["source"])
    tag, _ = live_or_moved(Tag, filters["tag"])
    parsed = parse(filters["q"])
    # Only a filter, of the form or of the query (مصدر:الرياض): the filtered articles, newest first.
    browsing = not parsed.clauses and (
        bool(parsed.filters) or any(filters[k] for k in ("source", "tag", "year", "date_from", "date_to"))
    )
    empty = engine.Plan(filters["q"])
    try:
        searcher = index.searcher()
    except index.IndexUnavailable:
        return SearchOutcome(form, filters, empty, browsing, source, tag, unavailable=True, parsed=parsed)
    schema = index.schema()
    values = _filters(filters, source, tag)
    unknown = _query_filters(parsed.filters, values)

    def outcome(plan: engine.Plan) -> SearchOutcome:
        found = SearchOutcome(
            form,
            filters,
            plan,
            browsing,
            source,
            tag,
            parsed=parsed,
            query_notes=unknown,
            _searcher=searcher,
            _filters=values,
        )
        if plan.searchable or browsing:
            found._query = engine.filtered(schema, plan.match, values)
        return found

    if not filters["q"]:
        return outcome(empty)
    hopeful = outcome(engine.plan(searcher, schema, filters["q"], parsed, hopeful=True))
    if not hopeful.plan.unchecked or hopeful.count:
        return hopeful
    # Nothing has every word: perhaps no article at all (drop those words, loosen the phrase), so plan again.
    return outcome(engine.plan(searcher, schema, filters["q"], parsed))


def query_stems(q: str) -> frozenset[str]:
    """The stems a query highlights (an article page opened from results), without reading the index."""
    return engine.compile_query(index.schema(), parse(q)).stems


def search_ids(q: str, *, sort: str = "relevance") -> tuple[engine.Plan, list[int]]:
    """(plan, ids of every article matching `q`, in order), embargoed ones included: for querysets that apply
    filters of their own (the admin's search box). The query's own filters (source: topic: after: …) apply, as
    on the site; a query of filters alone lists the articles they keep, newest first."""
    searcher = index.searcher()
    schema = index.schema()
    parsed = parse(q)
    plan = engine.plan(searcher, schema, q, parsed)
    if not plan.searchable and not parsed.filters:
        return plan, []
    values = engine.Filters()  # no embargo: editors see every article
    _query_filters(parsed.filters, values)
    query = engine.filtered(schema, plan.match, values)
    total = engine.count(searcher, query)
    if not plan.searchable:
        sort = "newest"
    return plan, engine.page_ids(searcher, engine.ranked(query, plan.ranking), sort, 0, total)


def _speller(searcher, schema, published_before: int):
    """`spell(form)` for suggest(): how published articles that hold a normalized form (الحكومه) write it
    (الحكومة), read from their stored text (the index keeps none): one query for a few headlines, most often."""
    embargo = engine.Filters(published_before=published_before).queries(schema)

    def spell(form: str) -> str | None:
        for field, ids in suggest.holders(searcher, schema, form, extra=embargo):
            # A cursor, not the ORM: building a queryset costs more than this sub-millisecond query. `field` is
            # one of the index's three text fields (title, lead, body), the columns of the same names.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {field} FROM {Article._meta.db_table} WHERE id = ANY(%s)", [ids])
                found = suggest.spelling(form, (text for (text,) in cursor.fetchall()))
            if found:
                return found
        return None

    return spell


def _filters(filters: dict, source: Source | None, tag: Tag | None) -> engine.Filters:
    out = engine.Filters(published_before=engine.now_seconds())
    out.impossible = bool(filters["source"] and source is None or filters["tag"] and tag is None)
    out.source_id = source.pk if source else None
    out.tag_id = tag.pk if tag else None
    out.after_id, out.through_id = filters["after"], filters["through"]
    year = filters["year"]
    if year == UNDATED:
        out.year = 0
    elif year:
        out.since, out.until = _start(dt.date(year, 1, 1)), _start(dt.date(year + 1, 1, 1))
    if filters["date_from"]:
        out.since = max(out.since or -(1 << 62), _start(filters["date_from"]))
    if filters["date_to"]:
        out.until = min(out.until or (1 << 62), _start(filters["date_to"] + dt.timedelta(days=1)))
    return out


RECENT_DAYS = {"week": 7, "month": 30, "year": 365}


def _query_filters(query: QueryFilters, out: engine.Filters) -> tuple[str, ...]:
    """The query's own filters (source: topic: dates) added to `out`; the notes for names nothing answers to."""
    notes = []
    if query.sources:
        ids = set()
        for name in query.sources:
            found = _source_ids(name)
            notes += [] if found else [f"لا نعرف مصدرا اسمه «{name}»."]
            ids |= found
        out.source_ids = sorted(ids)
        out.impossible = out.impossible or not ids
    for name in query.topics:
        found = _tag_ids(name)
        notes += [] if found else [f"لا نعرف موضوعا اسمه «{name}»."]
        out.topic_sets.append(sorted(found))
        out.impossible = out.impossible or not found
    out.not_source_ids = sorted({pk for name in query.not_sources for pk in _source_ids(name)})
    out.not_topic_ids = sorted({pk for name in query.not_topics for pk in _tag_ids(name)})
    since = [_start(query.since)] if query.since else []
    if query.recent:
        since.append(_start(timezone.localdate() - dt.timedelta(days=RECENT_DAYS[query.recent])))
    if since:
        out.since = max([out.since or -(1 << 62), *since])
    if query.until:
        out.until = min(out.until or (1 << 62), _start(query.until))
    return tuple(notes)


def _source_ids(name: str) -> set[int]:
    """Sources a query names: by slug, by name (any case), or by an old alias of either."""
    return _named_ids(Source, SourceAlias, "source_id", name)


def _tag_ids(name: str) -> set[int]:
    return _named_ids(Tag, TagAlias, "tag_id", name)


def _named_ids(model, alias_model, alias_target: str, name: str) -> set[int]:
    named = Q(slug=name) | Q(name__iexact=name)
    return set(model.objects.filter(named).values_list("pk", flat=True)) | set(
        alias_model.objects.filter(named).values_list(alias_target, flat=True)
    )


def _start(day: dt.date) -> int:
    return int(timezone.make_aware(dt.datetime.combine(day, dt.time.min)).timestamp())
