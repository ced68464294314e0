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

# Plain text that is not an article: documentation, code and configuration, known by the file's extension (a
# corpus's notes.md, a scraper's settings.yml), or text without a single Arabic letter (an English notice, a
# checksum list). Their reasons start with "skipped": counted and named as skipped, neither imported nor failed.
NOT_ARTICLE_SUFFIXES = frozenset(
    {
        ".md",
        ".markdown",
        ".rst",
        ".adoc",
        ".org",
        ".tex",
        ".py",
        ".js",
        ".ts",
        ".css",
        ".sh",
        ".bat",
        ".ps1",
        ".yml",
        ".yaml",
        ".toml",
        ".ini",
        ".cfg",
        ".conf",
        ".log",
        ".sql",
        ".diff",
        ".patch",
        ".lock",
        ".sha256",
        ".md5",
        ".sig",
        ".asc",
    }
)
SKIPPED_SUFFIX = "skipped: not an article (a documentation, code or configuration file, by its name {suffix})"
SKIPPED_NO_ARABIC = "skipped: not an article (plain text without a single Arabic letter)"
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")

_HTML_START = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<!--", re.IGNORECASE)
_XML_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*(?:<!--.*?-->\s*)*", re.IGNORECASE | re.DOTALL)


def sniff(text: str, filename: str = "") -> str:
    """Return "trec", "json", "jsonl" or "text" for importable content, or a key of UNSUPPORTED."""
    start = len(text) - len(text.lstrip())
    first = text[start : start + 1]
    if first == "<":
        if looks_like_trec(text):
            return "trec"
        prolog = _XML_PROLOG.match(text, start)
        if prolog:
            after = text[prolog.end() : prolog.end() + 200]
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


def not_an_article(text: str, filename: str) -> str | None:
    """Why plain text found by sniffing is not an article, or None. Only for "auto": a forced --format text reads
    what it is given."""
    name = filename.rsplit("/", 1)[-1].lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix in NOT_ARTICLE_SUFFIXES:
        return SKIPPED_SUFFIX.format(suffix=suffix)
    if not _ARABIC_LETTER.search(text):
        return SKIPPED_NO_ARABIC
    return None


def parse(text: str, origin: str, *, fmt: str = "auto", filename: str = "") -> Iterator[ParsedArticle | FileProblem]:
    """All records of one decoded file. ``fmt`` forces a format ("text", "trec", "json", "jsonl") or "auto", which
    also refuses plain text that is not an article (see not_an_article)."""
    if fmt == "auto":
        fmt = sniff(text, filename)
        if fmt in UNSUPPORTED:
            yield FileProblem(origin, UNSUPPORTED[fmt])
            return
        if fmt == "text":
            skipped = not_an_article(text, filename)
            if skipped:
                yield FileProblem(origin, skipped)
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
