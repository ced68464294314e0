"""Sniffing the format of a decoded file and dispatching to the right parser.

Sniffing looks at the CONTENT (the extension only breaks the JSON-vs-JSONL tie): ``<DOC>`` -> trec, ``[``/``{`` ->
json or jsonl, HTML/XML/RTF -> refused with a reason, anything else -> plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .jsonfmt import looks_like_jsonl, parse_json, parse_jsonl
from .profiles import parse_plain_text
from .records import FORMATS, FileProblem, ParsedArticle
from .trec import looks_like_trec, parse_trec

#: sniff() results that are not importable, with the reason reported for them.
UNSUPPORTED: dict[str, str] = {
    "html": "HTML page, not an article file (save the article as plain text, or export it as JSON)",
    "xml": "XML document in an unsupported format (only TREC-style <DOC> files are read)",
    "rtf": "RTF document, not supported (save it as plain text)",
}

_HTML_START = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<!--", re.IGNORECASE)
_XML_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*(?:<!--.*?-->\s*)*", re.IGNORECASE | re.DOTALL)


def sniff(text: str, filename: str = "") -> str:
    """Return "trec", "json", "jsonl" or "text" for importable content, or a key of UNSUPPORTED."""
    start = len(text) - len(text.lstrip())
    first = text[start: start + 1]
    if first == "<":
        if looks_like_trec(text):
            return "trec"
        prolog = _XML_PROLOG.match(text, start)
        if prolog:
            after = text[prolog.end(): prolog.end() + 200]
            if looks_like_trec(after):
                return "trec"
            return "html" if _HTML_START.match(after) else "xml"
        if _HTML_START.match(text, start):
            return "html"
        return "text"
    if first == "[":
        return "json"
    if first == "{":
        if text.startswith("{\\rtf", start):
            return "rtf"
        return "jsonl" if looks_like_jsonl(text, filename) else "json"
    return "text"


def parse(text: str, origin: str, *, fmt: str = "auto", filename: str = "") -> Iterator[ParsedArticle | FileProblem]:
    """All records of one decoded file. ``fmt`` forces a format ("text", "trec", "json", "jsonl") or "auto"."""
    if fmt == "auto":
        fmt = sniff(text, filename)
        if fmt in UNSUPPORTED:
            yield FileProblem(origin, UNSUPPORTED[fmt])
            return
    elif fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected 'auto' or one of {', '.join(FORMATS)}")
    if fmt == "trec":
        yield from parse_trec(text, origin)
    elif fmt == "json":
        yield from parse_json(text, origin)
    elif fmt == "jsonl":
        yield from parse_jsonl(text, origin)
    else:
        yield parse_plain_text(text, origin)
