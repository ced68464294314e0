"""Highlighting: the words of a text that a query matched, marked in escaped HTML, whatever their clitics or
spelling; and the passages (snippets) that hold most of them. Pure Python, no Django imports.

What is marked is what the index matched (`Marks`, built by the engine from the parsed query): a plain word by its
stem, `=word` by its written form only, `word*` by the stems (or, with =, the forms) it begins, and a phrase or a
proximity (NEAR/PRE, "a b"~n) only where its words stand as the query asked, not each word wherever it is.

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
_RAW_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u00ad])*")


@dataclass(frozen=True)
class Match:
    start: int
    end: int


@dataclass(frozen=True)
class Nearby:
    """Two words that count only within `distance` words of each other (`ordered`: left first); by stem, or by
    written form when `exact`."""

    left: str
    right: str
    distance: int
    ordered: bool = False
    exact: bool = False


@dataclass(frozen=True)
class Sequence:
    """A phrase: its words side by side, in order; None stands for a stop word (any word in that place)."""

    words: tuple[str | None, ...]
    exact: bool = False


@dataclass(frozen=True)
class Marks:
    """What a query marks. `stems`: words by stem; `forms`: by written form (normalized); `prefixes` and
    `form_prefixes`: stems or forms that begin so; `nearby` and `sequences`: words that count only together."""

    stems: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    form_prefixes: frozenset[str] = frozenset()
    nearby: frozenset[Nearby] = frozenset()
    sequences: frozenset[Sequence] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.stems or self.forms or self.prefixes or self.form_prefixes or self.nearby or self.sequences)

    def __or__(self, other: Marks) -> Marks:
        return Marks(
            self.stems | other.stems,
            self.forms | other.forms,
            self.prefixes | other.prefixes,
            self.form_prefixes | other.form_prefixes,
            self.nearby | other.nearby,
            self.sequences | other.sequences,
        )


NOTHING = Marks()


def as_marks(marks: Marks | frozenset[str] | set[str]) -> Marks:
    """Marks, from Marks or a plain set of stems."""
    return marks if isinstance(marks, Marks) else Marks(stems=frozenset(marks))


@lru_cache(maxsize=100_000)
def _word_stems(word: str) -> frozenset[str]:
    return frozenset(s for s in (stem(t) for t in tokenize(word)) if s)


@lru_cache(maxsize=100_000)
def _word_forms(word: str) -> frozenset[str]:
    return frozenset(tokenize(word))


def _keys(word: str, exact: bool) -> frozenset[str]:
    return _word_forms(word) if exact else _word_stems(word)


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


def _begins(keys: frozenset[str], prefixes: frozenset[str]) -> bool:
    return any(k.startswith(p) for k in keys for p in prefixes)


def _alone(words: set[str], marks: Marks) -> set[str]:
    """Those of `words` that match on their own (not only beside another word)."""
    found = _forms.matching(words, marks.stems) if marks.stems else set()
    if marks.forms:
        found |= {w for w in words if _word_forms(w) & marks.forms}
    if marks.prefixes:
        found |= {w for w in words if _begins(_word_stems(w), marks.prefixes)}
    if marks.form_prefixes:
        found |= {w for w in words if _begins(_word_forms(w), marks.form_prefixes)}
    return found


def _nearby_hits(tokens: list[str], pair: Nearby) -> set[int]:
    """Indexes of the words of each occurrence of `pair` within its distance."""
    lefts = [i for i, w in enumerate(tokens) if pair.left in _keys(w, pair.exact)]
    rights = [i for i, w in enumerate(tokens) if pair.right in _keys(w, pair.exact)]
    hits: set[int] = set()
    reach = pair.distance + 1
    for i in lefts:
        lo = i + 1 if pair.ordered else i - reach
        for j in rights[bisect_left(rights, lo) : bisect_left(rights, i + reach + 1)]:
            if j != i:
                hits.update((i, j))
    return hits


def _sequence_hits(tokens: list[str], phrase: Sequence) -> set[int]:
    words, hits = phrase.words, set()
    for i in range(len(tokens) - len(words) + 1):
        if all(w is None or w in _keys(tokens[i + k], phrase.exact) for k, w in enumerate(words)):
            hits.update(i + k for k, w in enumerate(words) if w is not None)
    return hits


def matched_indexes(tokens: list[str], marks: Marks | frozenset[str]) -> list[int]:
    """Indexes of the words of `tokens` (raw words, in order) that the query matched."""
    marks = as_marks(marks)
    if not marks:
        return []
    alone = _alone(set(tokens), marks)
    hits = {i for i, w in enumerate(tokens) if w in alone}
    for pair in marks.nearby:
        hits |= _nearby_hits(tokens, pair)
    for phrase in marks.sequences:
        hits |= _sequence_hits(tokens, phrase)
    return sorted(hits)


def find_matches(text: str, marks: Marks | frozenset[str]) -> list[Match]:
    """Spans of the words in `text` the query matched, whatever their clitics or spelling."""
    if not marks:
        return []
    spans = [(m.start(), m.end(), m.group()) for m in _RAW_WORD.finditer(text)]
    return [Match(spans[i][0], spans[i][1]) for i in matched_indexes([w for _, _, w in spans], marks)]


def highlight(text: str, stems: Marks | frozenset[str], *, tag: str = "mark") -> str:
    """HTML-escaped `text` with matched words wrapped in <mark>: escaping first, so the text can never inject."""
    out, last = [], 0
    for m in find_matches(text, stems):
        out.append(html.escape(text[last : m.start]))
        out.append(f"<{tag}>{html.escape(text[m.start : m.end])}</{tag}>")
        last = m.end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, stems: Marks | frozenset[str], *, words: int = 36, fragments: int = 2) -> str:
    """Escaped, highlighted passage(s) of `text` with the most distinct matched words; '…' marks cuts."""
    # Every word of the body is tested, for every result of every search: each distinct word once. The words are
    # listed at C speed (findall); their offsets are found afterwards, and only as far as the chosen fragments reach.
    tokens = _RAW_WORD.findall(text)
    total = len(tokens)
    if not total:
        return ""
    hits = matched_indexes(tokens, stems) if stems else []
    if not hits:
        return _fragment(text, _spans(text, min(words, total)), 0, min(words, total), (), total)
    chosen = _best_windows(tokens, hits, words, fragments)
    spans = _spans(text, min(chosen[-1] + words, total))
    return " … ".join(
        _fragment(text, spans, s, min(s + words, total), hits[bisect_left(hits, s) :], total) for s in chosen
    )


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
    out.append(html.escape(text[pos : spans[last - 1][1]]))
    return ("… " if first > 0 else "") + "".join(out) + (" …" if last < total else "")
