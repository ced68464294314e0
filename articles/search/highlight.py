"""Highlighting: the words of a text whose stems a query searched, marked in escaped HTML, whatever their clitics
or spelling; and the passages (snippets) that hold most of them. Pure Python, no Django imports.

Escaping comes first, always: text from outside never reaches a page unescaped.
"""
from __future__ import annotations

import html
import re
import threading
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


class _Forms:
    """The written forms met so far, by stem: which words of a text match a query's stems is then a few set
    operations at C speed, for every query, instead of a test per distinct word. Bounded: it starts afresh past
    `limit` forms (an archive's vocabulary of written forms is far larger than what one worker needs warm)."""

    def __init__(self, limit: int = 200_000):
        self.limit = limit
        self.seen: set[str] = set()
        self.by_stem: dict[str, set[str]] = {}
        self.lock = threading.Lock()  # the development server answers from threads

    def matching(self, words: set[str], stems: frozenset[str]) -> set[str]:
        """Those of `words` whose stems include one of `stems`."""
        with self.lock:
            new = words - self.seen
            if len(self.seen) + len(new) > self.limit:
                self.seen.clear()
                self.by_stem.clear()
                new = words
            for word in new:
                for s in _word_stems(word):
                    self.by_stem.setdefault(s, set()).add(word)
            self.seen |= new
            found: set[str] = set()
            for s in stems:
                forms = self.by_stem.get(s)
                if forms:
                    found |= forms & words
            return found


_forms = _Forms()


def find_matches(text: str, stems: frozenset[str]) -> list[Match]:
    """Spans of the words in `text` whose stem is one of `stems`, whatever their clitics or spelling."""
    if not stems:
        return []
    spans = [(m.start(), m.end(), m.group()) for m in _RAW_WORD.finditer(text)]
    matched = _forms.matching({w for _, _, w in spans}, stems)
    return [Match(a, b) for a, b, w in spans if w in matched]


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
    # Every word of the body is tested, for every result of every search: each distinct word once. The words are
    # listed at C speed (findall); their offsets are found afterwards, and only as far as the chosen fragments reach.
    tokens = _RAW_WORD.findall(text)
    total = len(tokens)
    if not total:
        return ""
    hits: list[int] = []
    if stems:
        matched = _forms.matching(set(tokens), stems)
        if matched:
            hits = [i for i, w in enumerate(tokens) if w in matched]
    if not hits:
        return _fragment(text, _spans(text, min(words, total)), 0, min(words, total), (), total)
    chosen = _best_windows(tokens, hits, words, fragments)
    spans = _spans(text, min(chosen[-1] + words, total))
    return " … ".join(_fragment(text, spans, s, min(s + words, total), hits[bisect_left(hits, s):], total)
                      for s in chosen)


def _best_windows(tokens: list[str], hits: list[int], words: int, fragments: int) -> list[int]:
    """Start indexes (in order) of up to `fragments` non-overlapping windows of `words` words, each chosen for the
    most matched stems not yet shown, then the most matched words, then the earliest."""
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
    return sorted(chosen)


def _spans(text: str, count: int) -> list[tuple[int, int]]:
    """The (start, end) offsets of the first `count` words of `text`."""
    spans = []
    for m in _RAW_WORD.finditer(text):
        spans.append(m.span())
        if len(spans) == count:
            break
    return spans


def _fragment(text: str, spans: list[tuple[int, int]], first: int, last: int, marked, total: int) -> str:
    """Words first..last-1 of `text` (by their spans), escaped, with the words at the `marked` indexes in <mark>."""
    out, pos = [], spans[first][0]
    for i in marked:
        if i >= last:
            break
        if i >= first:
            a, b = spans[i]
            out.append(html.escape(text[pos:a]))
            out.append(f"<mark>{html.escape(text[a:b])}</mark>")
            pos = b
    out.append(html.escape(text[pos:spans[last - 1][1]]))
    return ("… " if first > 0 else "") + "".join(out) + (" …" if last < total else "")
