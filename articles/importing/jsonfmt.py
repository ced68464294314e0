"""JSON article files: one array of objects (SaudiNewsNet), a single object, an object wrapping an array
({"articles": [...]}, as NewsAPI does), concatenated objects, and JSON Lines.

Arrays are parsed record by record with ``JSONDecoder.raw_decode`` so that each record's ``raw`` is the exact text of
its object in the file, and so that a truncated or broken file still yields the records before the damage.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from .profiles import strip_trailing_footer_lines
from .records import MAX_CATEGORY_LENGTH, FileProblem, ParsedArticle
from .sources import source_key_for, source_key_for_url
from .textutil import (
    date_dropped_note,
    join_paragraphs,
    normalize_inline,
    paragraphs,
    parse_date_value,
    storable,
    web_url,
)

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")  # JSON's own notion of whitespace

# Field names, lower-cased; for each field the first key that is present with a non-empty value wins.
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("content", "body", "text", "maintext", "article")
LEAD_KEYS = ("description", "summary", "abstract", "lead")
URL_KEYS = ("url", "link")
DATE_KEYS = (
    "date_publish",
    "published",
    "published_at",
    "publishedat",
    "date",
    "pubdate",
    "date_extracted",
    "datepublished",
    "publish_date",
    "created_at",
    "time",
)
SOURCE_KEYS = ("source", "source_domain", "site", "publisher")
AUTHOR_KEYS = ("author", "authors")
CATEGORY_KEYS = ("category", "categories", "section", "tags")
ID_KEYS = ("id", "doc_id", "docno", "_id", "guid")
CREDIT_KEYS = ("credit", "agency")
# Keys under which wrapper objects keep their list of articles.
WRAPPER_KEYS = ("articles", "items", "data", "results", "docs", "records", "entries", "posts")
_KNOWN_KEYS = frozenset(TITLE_KEYS + BODY_KEYS + LEAD_KEYS)

_HTML_TAG = re.compile(
    r"<(?:p|br|div|span|a|strong|em|b|i|h[1-6]|li|ul|ol)\b[^>]*>|</[a-z][a-z0-9]*\s*>", re.IGNORECASE
)
_HTML_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li)\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]{1,300}>")


class _BadField(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _as_text(value: object, key: str, separator: str) -> str:
    """Coerce a JSON value meant to be text. Numbers become strings, lists of strings are joined; booleans and objects
    are rejected because silently turning them into "True" or "{'a': 1}" would import garbage."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _BadField(f"field '{key}' is a boolean, expected text")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        parts: list[str] = []
        for item in value:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, (int, float)) and not isinstance(item, bool):
                parts.append(str(item))
            elif item is not None:
                raise _BadField(f"field '{key}' is a list containing {_type_name(item)}, expected text")
        return separator.join(parts)
    raise _BadField(f"field '{key}' is {_type_name(value)}, expected text")


def _pick(fields: dict[str, object], keys: tuple[str, ...], separator: str = " ") -> str:
    for key in keys:
        if key in fields:
            text = _as_text(fields[key], key, separator)
            if text.strip():
                return text
    return ""


def _name_of(value: object) -> str:
    """A person or publication given as a string or as an object such as {"name": ...} / {"id": ...}."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "title", "label", "id", "domain", "url"):
            inner = value.get(key)
            if isinstance(inner, str) and inner.strip():
                return inner.strip()
    return ""


def _pick_author(fields: dict[str, object]) -> str:
    for key in AUTHOR_KEYS:
        value = fields.get(key)
        names = [_name_of(v) for v in value] if isinstance(value, list) else [_name_of(value)]
        names = [n for n in names if n]
        if names:
            return "، ".join(names)
    return ""


def _pick_source(fields: dict[str, object]) -> str:
    for key in SOURCE_KEYS:
        name = _name_of(fields.get(key))
        if name:
            return name
    return ""


def _pick_categories(fields: dict[str, object]) -> list[str]:
    for key in CATEGORY_KEYS:
        value = fields.get(key)
        items = value if isinstance(value, list) else [value]
        labels = [normalize_inline(n)[:MAX_CATEGORY_LENGTH] for n in (_name_of(v) for v in items) if n]
        labels = [label for label in labels if label]
        if labels:
            return labels
    return []


def _pick_date(fields: dict[str, object]) -> object:
    for key in DATE_KEYS:
        value = fields.get(key)
        if isinstance(value, dict):  # MongoDB export: {"$date": ...}
            value = value.get("$date")
        if isinstance(value, bool) or value is None or value == "":
            continue
        if isinstance(value, (str, int, float)):
            return value
    return None


def _body_paragraphs(text: str) -> list[str]:
    if "<" in text and _HTML_TAG.search(text):
        # Some scrapers keep the article HTML; turn block ends into line breaks and drop the rest of the markup.
        text = html.unescape(_ANY_TAG.sub("", _HTML_BREAK.sub("\n", text)))
    return strip_trailing_footer_lines(paragraphs(text))


def article_from_object(obj: object, raw: str, origin: str, fmt: str) -> ParsedArticle | FileProblem:
    if not isinstance(obj, dict):
        return FileProblem(origin, f"JSON record is {_type_name(obj)}, not an object")
    fields: dict[str, object] = {}
    for key, value in obj.items():
        fields.setdefault(key.lower(), value)
    notes: list[str] = []
    try:
        title = normalize_inline(_pick(fields, TITLE_KEYS))
        body = join_paragraphs(_body_paragraphs(_pick(fields, BODY_KEYS, "\n")))
        lead = join_paragraphs(paragraphs(_pick(fields, LEAD_KEYS, "\n")))
        url = _pick(fields, URL_KEYS).strip()
        doc_id = normalize_inline(_pick(fields, ID_KEYS))
        credit = normalize_inline(_pick(fields, CREDIT_KEYS))
    except _BadField as problem:
        return FileProblem(origin, f"JSON record: {problem.reason}")
    if not storable(title).strip() and not storable(body).strip():
        if not _KNOWN_KEYS.intersection(fields):
            shown = ", ".join(sorted(fields)[:12]) or "none"
            return FileProblem(origin, f"JSON record has no title or body field (its keys: {shown})")
        return FileProblem(origin, "JSON record has an empty title and an empty body")
    date_value = _pick_date(fields)
    published_at = parse_date_value(date_value) if date_value is not None else None
    if date_value is not None and published_at is None:
        notes.append(date_dropped_note(str(date_value)))
    url, url_note = web_url(storable(url))
    if url_note:
        notes.append(url_note)
    source = storable(_pick_source(fields))
    source_key = source_key_for(source) if source else (source_key_for_url(url) if url else "")
    # JSON escapes can spell NUL ("\u0000") and lone surrogates ("\ud83d"), which PostgreSQL cannot store.
    categories = [c for c in (normalize_inline(storable(c)) for c in _pick_categories(fields)) if c]
    return ParsedArticle(
        title=storable(title),
        body=storable(body),
        raw=raw,
        origin=origin,
        format=fmt,
        lead=storable(lead),
        credit=storable(credit),
        author=storable(normalize_inline(_pick_author(fields))),
        url=url,
        doc_id=storable(doc_id),
        published_at=published_at,
        source_key=source_key,
        categories=categories,
        notes=notes,
    )


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {column}"


def _json_error(exc: json.JSONDecodeError) -> str:
    # Some messages already end in "at" ("Unterminated string starting at").
    joiner = " " if exc.msg.endswith(" at") else " at "
    return f"JSON: {exc.msg}{joiner}line {exc.lineno} column {exc.colno}"


def _iter_array(text: str, origin: str, start: int, check_trailing: bool) -> Iterator[ParsedArticle | FileProblem]:
    """Records of the array whose '[' is at ``start``."""
    idx = _WS.match(text, start + 1).end()
    count = 0
    if text.startswith("]", idx):
        yield FileProblem(origin, "JSON array is empty")
        idx += 1
    else:
        while True:
            record_origin = f"{origin}#{count}"
            try:
                obj, end = _DECODER.raw_decode(text, idx)
            except json.JSONDecodeError as exc:
                truncated = not text.rstrip().endswith(("]", "}"))
                hint = " (the file looks truncated)" if truncated else ""
                yield FileProblem(record_origin, f"{_json_error(exc)}{hint}; records from #{count} on were skipped")
                return
            except RecursionError:
                yield FileProblem(record_origin, f"JSON: nesting too deep; records from #{count} on were skipped")
                return
            yield article_from_object(obj, text[idx:end], record_origin, "json")
            count += 1
            idx = _WS.match(text, end).end()
            if idx >= len(text):
                yield FileProblem(
                    origin,
                    f"JSON: array not closed with ']' after record #{count - 1} "
                    "(the file looks truncated); the records before were imported",
                )
                return
            if text[idx] == ",":
                idx = _WS.match(text, idx + 1).end()
                if text.startswith("]", idx):  # trailing comma: not JSON, but harmless
                    idx += 1
                    break
                continue
            if text[idx] == "]":
                idx += 1
                break
            yield FileProblem(
                f"{origin}#{count}",
                f"JSON: Expecting ',' delimiter at {_where(text, idx)}; records from #{count} on were skipped",
            )
            return
    if check_trailing:
        rest = _WS.match(text, idx).end()
        if rest < len(text):
            yield FileProblem(origin, f"JSON: unexpected data after the array at {_where(text, rest)}")


def _wrapped_array_start(text: str, obj: dict[str, object], start: int, end: int) -> int | None:
    """Position of the '[' of the article list inside a wrapper object such as {"status": "ok", "articles": [...]}."""
    lowered = {k.lower(): k for k in obj}
    if _KNOWN_KEYS.intersection(lowered):
        return None
    for wrapper in WRAPPER_KEYS:
        key = lowered.get(wrapper)
        if key is None or not isinstance(obj[key], list) or not obj[key]:
            continue
        pattern = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:\s*\[")
        for m in pattern.finditer(text, start, end):
            candidate = m.end() - 1
            try:
                value, _ = _DECODER.raw_decode(text, candidate)
            except (json.JSONDecodeError, RecursionError):
                continue
            if value == obj[key]:
                return candidate
    return None


def _iter_objects(text: str, origin: str, start: int) -> Iterator[ParsedArticle | FileProblem]:
    """One object (origin without "#N"), a wrapper object holding the article list, or several objects one after
    another (pretty-printed "JSON lines", origins "#N")."""
    idx = start
    count = 0
    while True:
        try:
            obj, end = _DECODER.raw_decode(text, idx)
        except json.JSONDecodeError as exc:
            if count == 0:
                yield FileProblem(origin, _json_error(exc))
            else:
                yield FileProblem(f"{origin}#{count}", f"{_json_error(exc)}; records from #{count} on were skipped")
            return
        except RecursionError:
            yield FileProblem(origin if count == 0 else f"{origin}#{count}", "JSON: nesting too deep")
            return
        following = _WS.match(text, end).end()
        more = following < len(text)
        if count == 0:
            array_start = _wrapped_array_start(text, obj, idx, end) if isinstance(obj, dict) else None
            if array_start is not None:
                yield from _iter_array(text, origin, array_start, check_trailing=False)
                if more:
                    yield FileProblem(origin, f"JSON: unexpected data after the object at {_where(text, following)}")
                return
            if not more:
                yield article_from_object(obj, text[idx:end], origin, "json")
                return
        yield article_from_object(obj, text[idx:end], f"{origin}#{count}", "json")
        count += 1
        if not more:
            return
        if text[following] != "{":
            yield FileProblem(
                f"{origin}#{count}",
                f"JSON: unexpected data at {_where(text, following)}; records from #{count} on were skipped",
            )
            return
        idx = following


def parse_json(text: str, origin: str) -> Iterator[ParsedArticle | FileProblem]:
    """A JSON document (array, object, wrapper object or concatenated objects)."""
    start = _WS.match(text).end()
    if text.startswith("[", start):
        yield from _iter_array(text, origin, start, check_trailing=True)
    elif text.startswith("{", start):
        yield from _iter_objects(text, origin, start)
    else:
        yield FileProblem(origin, "JSON: the file does not start with '[' or '{'")


def parse_jsonl(text: str, origin: str) -> Iterator[ParsedArticle | FileProblem]:
    """JSON Lines: one object per line; a broken line costs only that record. N in "#N" counts non-blank lines.
    Split on "\\n" only: str.splitlines() would also split on U+2028, which JSON strings may contain literally."""
    count = 0
    for line_number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        record_origin = f"{origin}#{count}"
        count += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            joiner = " " if exc.msg.endswith(" at") else " at "
            yield FileProblem(record_origin, f"JSON (line {line_number}): {exc.msg}{joiner}column {exc.colno}")
            continue
        except RecursionError:
            yield FileProblem(record_origin, f"JSON (line {line_number}): nesting too deep")
            continue
        yield article_from_object(obj, line, record_origin, "jsonl")
    if count == 0:
        yield FileProblem(origin, "JSON Lines file has no records")


def looks_like_jsonl(text: str, filename: str = "") -> bool:
    """Several lines that each hold a whole object (pretty-printed JSON puts a lone "{" on its first line)."""
    if filename.lower().endswith((".jsonl", ".ndjson", ".jsonlines")):
        return True
    objectish = total = 0
    pos = 0
    while total < 50 and pos < len(text):
        newline = text.find("\n", pos)
        if newline < 0:
            newline = len(text)
        line = text[pos:newline].strip()
        pos = newline + 1
        if line:
            total += 1
            objectish += line.startswith("{") and line.endswith("}")
    return total >= 2 and objectish * 2 > total
