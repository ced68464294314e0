"""Plain data produced by the importer: one ParsedArticle per article found, one FileProblem per thing that could not
be imported. Nothing here knows about Django; the pipeline turns these into model rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

#: The format labels a ParsedArticle can carry (and that ``iter_records(fmt=...)`` accepts besides "auto").
FORMATS: tuple[str, ...] = ("text", "trec", "json", "jsonl")
#: Category labels longer than this are cut (they become tag keys, which are short fields).
MAX_CATEGORY_LENGTH = 100


@dataclass
class ParsedArticle:
    title: str
    """Headline, stripped. "" when the input has none."""
    body: str
    """Clean body text, paragraphs separated by "\\n\\n", without site boilerplate."""
    raw: str
    """The record's original decoded text, verbatim (whole file for text, the exact <DOC>..</DOC> or JSON object
    substring for multi-record files, the line for JSONL)."""
    origin: str
    """Where it came from, relative to the path given: "sport/a.txt", "day.json#17", "dump.zip:x/y.txt"."""
    format: str
    """One of FORMATS."""
    lead: str = ""
    credit: str = ""
    author: str = ""
    url: str = ""
    doc_id: str = ""
    published_at: datetime.datetime | None = None
    """Aware when the input carries an offset (or is an epoch number, then UTC); naive when it has none."""
    source_key: str = ""
    """Normalized publication key, see sources.source_key_for()."""
    categories: list[str] = field(default_factory=list)
    identity: str = field(default="", compare=False)
    """articles.identity.identity_hash(title, body) when a worker process parsed the record (the main process of
    an import is its busiest: each hash done beside the parse is one it does not do); "" when not computed."""
    notes: list[str] = field(default_factory=list)
    """Non-fatal oddities met while parsing (e.g. "unclosed <TEXT> tag", "incomplete UTF-8 character at end of file
    dropped"). Purely informational: the article is still good to import."""


@dataclass
class FileProblem:
    """A file, archive member or single record that could not be imported, with a reason meant for humans."""

    origin: str
    reason: str
