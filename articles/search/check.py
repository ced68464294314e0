"""Does the index say what PostgreSQL says? Ids, counts per source and year, and a sample of fields."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from tantivy import Occur, Query

from . import engine, index
from .document import analyzed_fields, date_keys

_MAX_LISTED = 20


def compare(*, sample: int = 200) -> list[str]:
    """Human-readable differences (none when the index is exactly in step; articles still waiting in the outbox
    are named as such, since the indexer has yet to see them)."""
    try:
        searcher = index.live_index().searcher()
    except index.IndexUnavailable as exc:
        return [f"no usable index: {exc}"]
    schema = index.schema()
    everything = Query.all_query()
    hits = searcher.search(everything, max(searcher.num_docs, 1), count=False).hits
    indexed = searcher.fast_field_values("id", [a for _, a in hits])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM articles_article")
        stored = {r[0] for r in cursor}
    out = []
    pending = index.pending()
    if pending:
        out.append(f"{pending} articles are still waiting in the outbox")
    doubled = len(indexed) - len(set(indexed))
    if doubled:
        out.append(f"{doubled} articles are in the index more than once")
    for label, ids in (("missing from the index", stored - set(indexed)), ("in the index only", set(indexed) - stored)):
        if ids:
            out.append(f"{len(ids)} articles {label}: {', '.join(map(str, sorted(ids)[:_MAX_LISTED]))}")
    out += _compare_counts(searcher, everything)
    out += _compare_sample(searcher, schema, sample)
    return out


def _compare_counts(searcher, everything) -> list[str]:
    found = engine.summary(searcher, everything)
    facets = {"sources": found.sources, "topics": found.topics}
    with connection.cursor() as cursor:
        cursor.execute("SELECT source_id, count(*) FROM articles_article WHERE source_id IS NOT NULL GROUP BY 1")
        sources = dict(cursor.fetchall())
        cursor.execute("SELECT tag_id, count(*) FROM articles_article_tags GROUP BY 1")
        topics = dict(cursor.fetchall())
    out = []
    for name, stored in (("sources", sources), ("topics", topics)):
        if facets[name] != stored:
            wrong = sorted(k for k in stored.keys() | facets[name].keys() if stored.get(k) != facets[name].get(k))
            out.append(f"{name} counts differ for ids {', '.join(map(str, wrong[:_MAX_LISTED]))}")
    return out


def _compare_sample(searcher, schema, sample: int) -> list[str]:
    """For a random sample of articles: the document with their id has their title's stems, source, topics and
    date keys and story."""
    rows = index.article_rows("WHERE a.id IN (SELECT id FROM articles_article ORDER BY random() LIMIT %s)", [sample])
    tz = ZoneInfo(settings.TIME_ZONE)
    out = []
    for row in rows:
        parts = [(Occur.Must, Query.term_query(schema, "id", row.id))]
        if row.source_id is not None:
            parts.append((Occur.Must, Query.term_query(schema, "source", row.source_id)))
        parts += [(Occur.Must, Query.term_query(schema, "topics", t)) for t in row.tag_ids]
        stems = [s for s in analyzed_fields(row.title)[0].split() if s != "_"][:5]
        parts += [(Occur.Must, Query.term_query(schema, "title", s)) for s in stems]
        found = searcher.search(Query.boolean_query(parts), 1).hits
        if not found:
            out.append(f"article {row.id}: its document lacks its title words, source or topics")
            continue
        newest = searcher.fast_field_values("newest", [found[0][1]])[0]
        if newest != date_keys(row.published_at, tz, row.id)["newest"]:
            out.append(f"article {row.id}: its date differs in the index")
        if searcher.fast_field_values("story", [found[0][1]])[0] != row.story_id:
            out.append(f"article {row.id}: its story differs in the index")
    return out
