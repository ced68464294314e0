"""Highlighting: the words of a text whose stems a query searched, marked in escaped HTML, whatever their clitics
or spelling; and the passages (snippets) that hold most of them. Pure Python, no Django imports.

Escaping comes first, always: text from outside never reaches a page unescaped.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .analysis import stem, tokenize

# A word in raw (unnormalized) text: letters/digits with any marks, tatweel or joiners inside it.
_RAW_WORD = re.compile(
    r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u00ad])*"
)


@dataclass(frozen=True)
class Match:
    start: int
    end: int


@lru_cache(maxsize=100_000)
def _word_stems(word: str) -> frozenset[str]:
    return frozenset(s for s in (stem(t) for t in tokenize(word)) if s)


@lru_cache(maxsize=50_000)
def _word_matches(word: str, stems: frozenset[str]) -> bool:
    return not _word_stems(word).isdisjoint(stems)


def find_matches(text: str, stems: frozenset[str]) -> list[Match]:
    """Spans of the words in `text` whose stem is one of `stems`, whatever their clitics or spelling."""
    if not stems:
        return []
    return [Match(m.start(), m.end()) for m in _RAW_WORD.finditer(text) if _word_matches(m.group(), stems)]


def highlight(text: str, stems: frozenset[str], *, tag: str = "mark") -> str:
    """HTML-escaped `text` with matched words wrapped in <mark>: escaping first, so the text can never inject."""
    out, last = [], 0
    for m in find_matches(text, stems):
        out.append(html.escape(text[last:m.start]))
        out.append(f"<{tag}>{html.escape(text[m.start:m.end])}</{tag}>")
        last = m.end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, stems: frozenset[str], *, words: int = 36, fragments: int = 2) -> str:
    """Escaped, highlighted passage(s) of `text` with the most distinct matched words; '…' marks cuts."""
    # Every word of the body is tested, for every result of every search: each distinct word once, and the text
    # scanned once (the spans found here cut and mark the fragments; rescanning for them was half the time).
    spans, tokens = [], []
    for m in _RAW_WORD.finditer(text):
        spans.append(m.span())
        tokens.append(m.group())
    total = len(tokens)
    if not total:
        return ""
    hits: list[int] = []
    if stems:
        matched = {w for w in set(tokens) if not _word_stems(w).isdisjoint(stems)}
        if matched:
            hits = [i for i, w in enumerate(tokens) if w in matched]
    if not hits:
        return _fragment(text, spans, 0, min(words, total), (), total)
    hit_stems = [_word_stems(tokens[i]) for i in hits]

    def window(start: int) -> range:
        """Indexes into `hits` of the words start..start+words-1 (hits are in order: a slice of them)."""
        return range(bisect_left(hits, start), bisect_left(hits, start + words))

    chosen: list[int] = []
    covered: set[frozenset[str]] = set()
    for _ in range(fragments):
        best_start, best_key = None, None
        for h in hits:
            start = max(0, h - words // 4)
            if any(start < c + words and c < start + words for c in chosen):
                continue
            inside = window(start)
            distinct = {hit_stems[j] for j in inside}
            key = (len(distinct - covered), len(inside), -start)
            if best_key is None or key > best_key:
                best_start, best_key = start, key
        if best_start is None or (chosen and best_key[0] == 0):
            break
        chosen.append(best_start)
        covered |= {hit_stems[j] for j in window(best_start)}
    chosen.sort()
    return " … ".join(_fragment(text, spans, s, min(s + words, total), [hits[j] for j in window(s)], total)
                      for s in chosen)


def _fragment(text: str, spans: list[tuple[int, int]], first: int, last: int, marked, total: int) -> str:
    """Words first..last-1 of `text` (by their spans), escaped, with the words at the `marked` indexes in <mark>."""
    out, pos = [], spans[first][0]
    for i in marked:
        if first <= i < last:
            a, b = spans[i]
            out.append(html.escape(text[pos:a]))
            out.append(f"<mark>{html.escape(text[a:b])}</mark>")
            pos = b
    out.append(html.escape(text[pos:spans[last - 1][1]]))
    return ("… " if first > 0 else "") + "".join(out) + (" …" if last < total else "")
