"""TREC/CLEF-style ``<DOC>`` files (the ANT corpus and friends).

These are not well-formed XML (raw ``&``, no root element, sometimes unclosed tags), so they are tokenized with
regular expressions: only the known field tags are tags, anything else stays text. A field that is never closed ends
at the next known tag or at the end of its DOC, and the article records a note about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .records import MAX_CATEGORY_LENGTH, FileProblem, ParsedArticle
from .sources import source_key_for, source_key_for_url
from .textutil import (
    date_dropped_note,
    normalize_block,
    normalize_inline,
    parse_date_value,
    unescape_entities,
    web_url,
)

# Tag name -> field. Besides the ANT tags, a few common TREC/CLEF spellings.
_FIELD_OF_TAG: dict[str, str] = {
    "DOCNO": "docno",
    "DOCID": "docno",
    "URL": "url",
    "LINK": "url",
    "TITLE": "title",
    "HEADLINE": "title",
    "HEADER": "title",
    "TIME": "time",
    "DATE": "time",
    "DATETIME": "time",
    "CAT": "cat",
    "CATEGORY": "cat",
    "ABSTRACT": "abstract",
    "SUMMARY": "abstract",
    "LEAD": "abstract",
    "TEXT": "text",
    "BODY": "text",
    "SRC": "src",
    "SOURCE": "src",
    "AUTHOR": "author",
    "BYLINE": "author",
}
_TAG = re.compile(r"<(/?)(" + "|".join(_FIELD_OF_TAG) + r")\s*>", re.IGNORECASE)
_DOC_OPEN = re.compile(r"<DOC(?:\s[^<>]*)?>", re.IGNORECASE)
_DOC_CLOSE = re.compile(r"</DOC\s*>", re.IGNORECASE)
_PARAGRAPH_TAG = re.compile(r"</?P(?:\s[^<>]*)?>", re.IGNORECASE)


def looks_like_trec(text: str) -> bool:
    return _DOC_OPEN.match(text, _skip_space(text)) is not None


def _skip_space(text: str) -> int:
    return len(text) - len(text.lstrip())


def _split_docs(text: str) -> list[tuple[int, int, int, int]]:
    """(start, content_start, content_end, end) for every <DOC>; content_end == end means the DOC was never closed
    and runs to the next <DOC> or the end of the file."""
    opens = list(_DOC_OPEN.finditer(text))
    spans: list[tuple[int, int, int, int]] = []
    for i, m in enumerate(opens):
        limit = opens[i + 1].start() if i + 1 < len(opens) else len(text)
        close = _DOC_CLOSE.search(text, m.end(), limit)
        if close:
            spans.append((m.start(), m.end(), close.start(), close.end()))
        else:
            spans.append((m.start(), m.end(), limit, limit))
    return spans


def _fields(body: str, notes: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    open_field: str | None = None
    open_tag = ""
    content_start = 0
    for m in _TAG.finditer(body):
        closing, tag = m.group(1), m.group(2).upper()
        field = _FIELD_OF_TAG[tag]
        if open_field is not None:
            if closing and field == open_field:
                found.setdefault(open_field, []).append(body[content_start : m.start()])
                open_field = None
                continue
            # A new tag while a field is still open: that field was never closed.
            found.setdefault(open_field, []).append(body[content_start : m.start()])
            notes.append(f"unclosed <{open_tag}> tag")
            open_field = None
        if not closing:
            open_field, open_tag, content_start = field, tag, m.end()
    if open_field is not None:
        found.setdefault(open_field, []).append(body[content_start:])
        notes.append(f"unclosed <{open_tag}> tag")
    return found


def _first(found: dict[str, list[str]], field: str) -> str:
    for value in found.get(field, ()):
        if value.strip():
            return value
    return ""


def _article_from_doc(raw: str, body: str, origin: str, notes: list[str]) -> ParsedArticle | FileProblem:
    found = _fields(body, notes)
    if not found:
        return FileProblem(origin, "<DOC> contains none of the expected tags (<TITLE>, <TEXT>, ...)")

    def value(field: str) -> str:
        return unescape_entities(_first(found, field))

    title = normalize_inline(value("title"))
    text = value("text")
    if "<" in text:
        text = _PARAGRAPH_TAG.sub("\n", text)
    body_text = normalize_block(text)
    if not title and not body_text:
        return FileProblem(origin, "<DOC> has neither a <TITLE> nor a <TEXT>")

    url, url_note = web_url(value("url"))  # verbatim apart from the edges: spaces inside belong to the URL
    if url_note:
        notes.append(url_note)
    time_raw = normalize_inline(value("time"))
    published_at = parse_date_value(time_raw) if time_raw else None
    if time_raw and published_at is None:
        notes.append(date_dropped_note(time_raw))
    src = normalize_inline(value("src"))
    source_key = source_key_for(src) if src else (source_key_for_url(url) if url else "")
    categories = [
        c[:MAX_CATEGORY_LENGTH] for c in (normalize_inline(unescape_entities(v)) for v in found.get("cat", ())) if c
    ]
    return ParsedArticle(
        title=title,
        body=body_text,
        raw=raw,
        origin=origin,
        format="trec",
        lead=normalize_block(value("abstract")),
        author=normalize_inline(value("author")),
        url=url,
        doc_id=normalize_inline(value("docno")),
        published_at=published_at,
        source_key=source_key,
        categories=categories,
        notes=notes,
    )


def parse_trec(text: str, origin: str) -> Iterator[ParsedArticle | FileProblem]:
    """One record per <DOC>. Origins get "#N" only when the file holds more than one DOC."""
    spans = _split_docs(text)
    if not spans:
        yield FileProblem(origin, "no <DOC> element found")
        return
    single = len(spans) == 1
    for index, (start, content_start, content_end, end) in enumerate(spans):
        notes: list[str] = [] if content_end < end else ["unclosed <DOC> tag"]
        doc_origin = origin if single else f"{origin}#{index}"
        if single and not text[:start].strip() and not text[end:].strip():
            raw = text  # nothing but whitespace around the DOC: keep the file exactly
        else:
            raw = text[start:end]
        yield _article_from_doc(raw, text[content_start:content_end], doc_origin, notes)
