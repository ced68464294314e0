"""What one article puts in the search index: the schema and the only function that builds a document.

Text fields hold our analyzer's output, never raw text: tantivy's whitespace tokenizer only splits what
`search.analysis` already normalized and stemmed, so no engine re-analyzes Arabic behind our back.
- `title`, `lead`, `body`: one stem per word position (a stop word keeps its position as `_`, so phrases with
  stop words inside still line up);
- `title_x`, `lead_x`, `body_x`: the normalized surface form at each position, for «=word» and for ranking the
  spelling as typed above other inflections;
- `title_near`: each pair of neighbouring headline words (stop words between them skipped), in either order, for
  ranking a headline that holds the query's words side by side above one that holds them apart (proximity, as
  Lucene's shingles give it);
- numbers for filtering, faceting and ordering (fast fields);
- `story`: the article's story (articles.stories), only when the story has other copies: results show each story
  once, and the stories among a search's matches are counted from it (an article without copies has no value,
  so counting reads only the grouped matches).
No Django imports: the indexer hands it plain rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import tantivy

from . import analysis

SCHEMA_VERSION = 5
TEXT_FIELDS = ("title", "lead", "body")
EXACT_SUFFIX = "_x"
STOP = "_"  # never a token (tokens are runs of letters and digits): holds a stop word's position
NEAR_FIELD = "title_near"

# Date order keys: seconds since 1900 in the high 34 bits (to the year 2444), the article id in the low 30 (a
# billion articles), so one fast field orders by date and breaks ties by id, as PostgreSQL's (published_at, id)
# does. Undated articles get 0: last whichever way the dates run.
_EPOCH = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
_ID_BITS = 30
_MAX_SECONDS = (1 << (64 - _ID_BITS)) - 2
_ID_MASK = (1 << _ID_BITS) - 1


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        builder.add_text_field(name + EXACT_SUFFIX, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field(NEAR_FIELD, tokenizer_name="whitespace", index_option="basic")
    builder.add_unsigned_field("source", indexed=True, fast=True)
    builder.add_unsigned_field("topics", indexed=True, fast=True)  # multi-valued: every tag of the article
    builder.add_integer_field("ts", indexed=True, fast=True)  # seconds since 1970, UTC; absent when undated
    builder.add_integer_field("year", indexed=True, fast=True)  # in the archive's time zone; 0 when undated
    builder.add_integer_field("month", fast=True)  # yyyymm, for the timeline
    builder.add_integer_field("day", fast=True)  # yyyymmdd
    builder.add_unsigned_field("newest", fast=True)
    builder.add_unsigned_field("oldest", fast=True)
    builder.add_unsigned_field("story", indexed=True, fast=True)
    return builder.build()


@dataclass(frozen=True)
class ArticleRow:
    """An article as the index needs it, read from PostgreSQL in one query."""

    id: int
    title: str
    lead: str
    body: str
    source_id: int | None
    published_at: dt.datetime | None
    tag_ids: tuple[int, ...] = ()
    content_hash: str = ""
    story_id: int | None = None  # None for an article with no copies


def analyzed_fields(text: str) -> tuple[str, str]:
    """(stems, surface forms) of one field, space-separated, one per word position."""
    tokens = analysis.tokenize(text) if text else []
    if not tokens:
        return "", ""
    if max(map(len, tokens)) > analysis.MAX_TOKEN_CHARS:
        # A pasted blob, not a word: it keeps its position, as a gap.
        tokens = [STOP if len(t) > analysis.MAX_TOKEN_CHARS else t for t in tokens]
    stems = " ".join([s or STOP for s in analysis.term_list(tokens)])
    return stems, " ".join(tokens)


def near_pair(a: str, b: str) -> str:
    """The one token for two stems side by side, whichever comes first."""
    return f"{a}+{b}" if a <= b else f"{b}+{a}"


def near_pairs(stems: str) -> str:
    """The neighbour pairs of a field's stems (as `analyzed_fields` gives them), space-separated."""
    words = [s for s in stems.split() if s != STOP]
    return " ".join({near_pair(a, b) for a, b in zip(words, words[1:]) if a != b})


def date_keys(published_at: dt.datetime | None, tz: ZoneInfo, pk: int) -> dict[str, int]:
    """The date fields of one article: ts, year, month, day, newest, oldest."""
    if published_at is None:
        return {"year": 0, "newest": 0, "oldest": 0}
    local = published_at.astimezone(tz)
    seconds = min(max(int((published_at - _EPOCH).total_seconds()), 0), _MAX_SECONDS)
    return {
        "ts": int(published_at.timestamp()),
        "year": local.year,
        "month": local.year * 100 + local.month,
        "day": local.year * 10_000 + local.month * 100 + local.day,
        "newest": (seconds + 1) << _ID_BITS | (pk & _ID_MASK),
        "oldest": (_MAX_SECONDS + 1 - seconds) << _ID_BITS | (_ID_MASK - (pk & _ID_MASK)),
    }


def analyzed_texts(row) -> list[tuple[str, str]]:
    """(stems, forms) of the title, the lead and the body of an ArticleRow (or of any record with those three):
    the analysis, which may run in another process."""
    return [analyzed_fields(text) for text in (row.title, row.lead, row.body)]


def build_document(row: ArticleRow, tz: ZoneInfo, texts: list[tuple[str, str]] | None = None) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", row.id)
    for name, (stems, forms) in zip(TEXT_FIELDS, texts or analyzed_texts(row)):
        if stems:
            doc.add_text(name, stems)
            doc.add_text(name + EXACT_SUFFIX, forms)
            if name == "title" and (pairs := near_pairs(stems)):
                doc.add_text(NEAR_FIELD, pairs)
    if row.source_id is not None:
        doc.add_unsigned("source", row.source_id)
    for tag_id in row.tag_ids:
        doc.add_unsigned("topics", tag_id)
    if row.story_id is not None:
        doc.add_unsigned("story", row.story_id)
    for name, value in date_keys(row.published_at, tz, row.id).items():
        if name in ("newest", "oldest"):
            doc.add_unsigned(name, value)
        else:
            doc.add_integer(name, value)
    return doc
