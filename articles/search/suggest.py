"""«Did you mean …»: the query with each unknown or very rare word replaced by the closest common word of the
index, spelled as the articles spell it.

Everything comes from the index's own terms, so it is as current as the index:
- a word is known when its stem is in at least MIN_DOCS articles (a word of a single article is as likely a typo
  as a word);
- candidates for an unknown word are its spellings one edit away (a letter dropped, added, changed, or two letters
  swapped, over the normalized Arabic alphabet), kept only when the surface-form fields (`title_x`…) hold them;
  when none is, terms sharing the word's first half, two edits away at most (a walk of the term dictionary);
- the closer candidates first; among them the one found in most articles with the query's other words, then in
  most articles; each must be in MIN_DOCS live articles (doc_freq also counts deleted documents, so the likeliest
  few are counted again with searches);
- the index holds normalized forms (الحكومه, الفاءده), which are not spellings: `spell(form)` gives the real one,
  and `spelling()` picks it from the text of articles that hold the form (`holders()` names them). A form no
  article text spells is not offered.

Only plain positive words are respelled; phrases, prefixes, `=exact` words, OR alternatives and exclusions are
left as typed. No Django imports: the caller reads the articles' text (`service.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import tantivy
from tantivy import Occur, Query

from . import analysis, engine
from .document import EXACT_SUFFIX, TEXT_FIELDS
from .query import TYPOGRAPHIC_QUOTES, Term, parse

MIN_DOCS = 2  # a word in a single article is as likely a typo as a suggestion
MIN_STEM = 3  # shorter words are one edit away from dozens of others: left as typed
MAX_LETTERS = 20  # no typo worth correcting is longer; bounds the candidates (about 60 per letter)
MAX_WORDS = 6  # unknown words respelled in one query, at most (a pasted paragraph stays a few milliseconds)
VERIFY = 5  # candidates counted exactly (a few searches each), the likeliest by doc_freq first
# Two edits: only for words of this many letters, among the terms sharing at least their first half (and never
# fewer than PREFIX letters: a short prefix such as «ال» holds a good part of the vocabulary).
TWO_EDITS_LETTERS = 7
PREFIX = 5
PREFIX_TERMS = 300  # the commonest terms of that prefix, per field
SAMPLE = {"title": 20, "lead": 10, "body": 5}  # articles read for a form's spelling, per field, in this order

# The letters of normalized Arabic text (analysis.normalize folds أ إ آ → ا, ة → ه, ى → ي, ؤ ئ → ء).
LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_ARABIC_WORD = re.compile(f"[{LETTERS}]+")
FORM_FIELDS = tuple(name + EXACT_SUFFIX for name in TEXT_FIELDS)
Spell = Callable[[str], "str | None"]


# --- the query -------------------------------------------------------------------------------------------------


def plain_words(q: str) -> list[str]:
    """The words of `q` that may be respelled, as typed: each alone in a positive clause, no operator on it."""
    words = []
    for clause in parse(q).positive:
        if len(clause.alternatives) == 1:
            term = clause.alternatives[0]
            if isinstance(term, Term) and not (term.phrase or term.prefix or term.exact or term.field):
                words.append(term.text)
    return words


_PIECE = re.compile(r'"[^"]*"?|[^\s"]+')
_OR = {"OR", "|"}


def respell(q: str, replacements: dict[str, str]) -> str:
    """`q` with each bare word found in `replacements` replaced; quoted phrases, operators, words with an
    operator attached and the words on either side of an OR stay exactly as typed."""
    # Typographic quotes open phrases as '"' does (query.parse); one character for one, so offsets hold.
    scan = q.translate(TYPOGRAPHIC_QUOTES)
    pieces = list(_PIECE.finditer(scan))
    out, last = [], 0
    for i, m in enumerate(pieces):
        text = q[m.start() : m.end()]
        beside_or = (i > 0 and pieces[i - 1].group() in _OR) or (i + 1 < len(pieces) and pieces[i + 1].group() in _OR)
        if text in replacements and not beside_or:
            out.append(q[last : m.start()])
            out.append(replacements[text])
            last = m.end()
    out.append(q[last:])
    return "".join(out)


# --- what the index holds --------------------------------------------------------------------------------------


def _live(searcher: tantivy.Searcher, schema, fields: Iterable[str], term: str, *, enough: int | None = None) -> int:
    """Articles (not deleted) holding `term` in one of `fields`: the most any one field has (each a term query,
    which tantivy counts from its postings at once), stopping at `enough`; the union of the fields only when no
    field alone reaches MIN_DOCS (a word in one article's headline and in another's body)."""
    counts = []
    for name in fields:
        counts.append(searcher.search(Query.term_query(schema, name, term), 1, count=True).count)
        if enough is not None and counts[-1] >= enough:
            return counts[-1]
    best = max(counts, default=0)
    if best < MIN_DOCS <= sum(counts):
        union = Query.boolean_query([(Occur.Should, Query.term_query(schema, name, term)) for name in fields])
        best = searcher.search(union, 1, count=True).count
    return best


def known(searcher: tantivy.Searcher, schema, stem: str) -> bool:
    """Whether the stem is in MIN_DOCS articles (headline, lead or body)."""
    return _live(searcher, schema, TEXT_FIELDS[::-1], stem, enough=MIN_DOCS) >= MIN_DOCS  # the body first


def form_docs(searcher: tantivy.Searcher, schema, form: str) -> int:
    """Articles holding this surface form (as many as the field that has most, when that is MIN_DOCS or more)."""
    return _live(searcher, schema, FORM_FIELDS, form)


# --- candidates ------------------------------------------------------------------------------------------------


def edits1(word: str, letters: str = LETTERS) -> set[str]:
    """Every string one edit from `word`: a letter deleted, two neighbours swapped, a letter changed or inserted."""
    out: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])
            if len(tail) > 1 and tail[0] != tail[1]:
                out.add(head + tail[1] + tail[0] + tail[2:])
            for ch in letters:
                if ch != tail[0]:
                    out.add(head + ch + tail[1:])
        for ch in letters:
            out.add(head + ch + tail)
    out.discard(word)
    return out


def distance(a: str, b: str, limit: int = 2) -> int:
    """Edits between `a` and `b` (optimal string alignment: deletions, insertions, changes, swaps of neighbours),
    or `limit` + 1 when there are more than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return min(max(len(a), len(b)), limit + 1)
    previous, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous, row = row, current
    return min(row[-1], limit + 1)


def _in_index(searcher: tantivy.Searcher, candidates: Iterable[str]) -> dict[str, int]:
    """{candidate: doc_freq} of the candidates a surface-form field holds. The body holds nearly every word of an
    archive; the headline and lead fields are asked only when it holds none of them (a tiny archive)."""
    candidates = list(candidates)
    for names in (FORM_FIELDS[2:], FORM_FIELDS[:2]):
        found: dict[str, int] = {}
        for name in names:
            for c in candidates:
                n = searcher.doc_freq(name, c)
                if n > found.get(c, 0):
                    found[c] = n
        if found:
            return found
    return {}


def _two_edits(searcher: tantivy.Searcher, form: str) -> dict[str, int]:
    """{term: doc_freq} of the common terms at most two edits from `form` that share its first half."""
    if len(form) < TWO_EDITS_LETTERS:
        return {}
    prefix = form[: max(PREFIX, (len(form) + 1) // 2)]
    found: dict[str, int] = {}
    for name in FORM_FIELDS[2:] + FORM_FIELDS[:1]:
        for term, n in searcher.terms_with_prefix(name, prefix, limit=PREFIX_TERMS):
            if n >= MIN_DOCS and term != form and n > found.get(term, 0) and distance(form, term) <= 2:
                found[term] = n
    return found


def _usable(form: str) -> bool:
    """Not a stop word: replacing a typo with «في» would only drop it."""
    return analysis.stem(form) is not None


def candidates(searcher: tantivy.Searcher, schema, form: str, context: Query | None = None) -> list[tuple[str, int]]:
    """[(form, articles)] for the common index terms closest to `form`, likeliest first: the nearest edit
    distance that has any; then, with a `context` (the query's other words), the most articles holding the term
    with them (ولي العحد: العهد, not the commoner الاحد); then the most articles; then the form, so the order never
    depends on the index's history."""
    for find in (lambda: _in_index(searcher, edits1(form)), lambda: _two_edits(searcher, form)):
        found = find()
        likely = sorted((c for c in found if _usable(c)), key=lambda c: (-found[c], c))[:VERIFY]
        kept = []
        for c in likely:
            n = form_docs(searcher, schema, c)
            if n >= MIN_DOCS:
                together = (
                    0
                    if context is None
                    else searcher.search(
                        Query.boolean_query(
                            [(Occur.Must, engine.words_query(schema, [(0, c)], exact=True)), (Occur.Must, context)]
                        ),
                        1,
                        count=True,
                    ).count
                )
                kept.append((together, n, c))
        if kept:
            return [(c, n) for _, n, c in sorted(kept, key=lambda t: (-t[0], -t[1], t[2]))]
    return []


def context_query(schema, words: Iterable[str]) -> Query | None:
    """Articles holding every one of `words` (their stems, in any field), or None when they have none."""
    stems = sorted({s for w in words for token in analysis.tokenize(w) if (s := analysis.stem(token))})
    if not stems:
        return None
    return Query.boolean_query([(Occur.Must, engine.words_query(schema, [(0, s)], exact=False)) for s in stems])


def needs_correction(searcher: tantivy.Searcher, schema, word: str) -> str | None:
    """The normalized form of `word` when it is a single Arabic word whose stem is unknown or very rare, else None."""
    tokens = analysis.tokenize(word)
    if len(tokens) != 1 or not _ARABIC_WORD.fullmatch(tokens[0]) or len(tokens[0]) > MAX_LETTERS:
        return None
    s = analysis.stem(tokens[0])
    if s is None or len(s) < MIN_STEM or known(searcher, schema, s):
        return None
    return tokens[0]


def suggest(searcher: tantivy.Searcher, schema, q: str, spell: Spell) -> str | None:
    """`q` with each unknown or very rare word replaced by the closest common word of the index, as
    `spell(form)` spells it; None when no word needs it or none has a replacement."""
    words = {word: needs_correction(searcher, schema, word) for word in dict.fromkeys(plain_words(q))}
    unknown = [(word, form) for word, form in words.items() if form is not None][:MAX_WORDS]
    context = context_query(schema, [word for word, form in words.items() if form is None]) if unknown else None
    replacements: dict[str, str] = {}
    for word, form in unknown:
        for candidate, _ in candidates(searcher, schema, form, context):
            spelled = spell(candidate)
            if spelled:
                replacements[word] = spelled
                break
    return respell(q, replacements) if replacements else None


# --- spelling --------------------------------------------------------------------------------------------------


def holders(
    searcher: tantivy.Searcher, schema, form: str, *, extra: list | None = None
) -> Iterator[tuple[str, list[int]]]:
    """(field, article ids) of a few articles holding `form`, field by field (headline, lead, body), for reading
    how they spell it. `extra`: more (Occur, Query) clauses, e.g. the embargo."""
    for name in TEXT_FIELDS:
        query = Query.term_query(schema, name + EXACT_SUFFIX, form)
        if extra:
            query = Query.boolean_query([(Occur.Must, query), *extra])
        hits = searcher.search(query, SAMPLE[name], count=False).hits
        if hits:
            yield name, searcher.fast_field_values("id", [address for _, address in hits])


def _characters():
    """(letters by normalized letter, marks): every character analysis.normalize folds onto a letter, and every one
    it drops, found by asking normalize itself."""
    by_letter: dict[str, set[str]] = {}
    marks: set[str] = set()
    codes = [
        *range(0x00A0, 0x0100),
        *range(0x0600, 0x0780),
        *range(0x08A0, 0x0900),
        *range(0x2000, 0x2070),
        *range(0xFB50, 0xFE00),
        *range(0xFE70, 0xFF00),
    ]
    for code in codes:
        ch = chr(code)
        folded = analysis.normalize(ch)
        if folded == "" and ch.strip():
            marks.add(ch)
        elif len(folded) == 1 and folded in LETTERS:
            by_letter.setdefault(folded, set()).add(ch)
    return by_letter, "".join(sorted(marks))


@lru_cache(maxsize=1)
def _variants() -> tuple[dict[str, set[str]], str, str]:
    """(letters by normalized letter, marks, a regex class of the marks), worked out on first use."""
    by_letter, marks = _characters()
    return by_letter, marks, "[" + re.escape(marks) + "]"


@lru_cache(maxsize=256)
def _pattern(form: str) -> re.Pattern:
    """Any raw spelling of `form`, as a whole word: each letter in any of its variants, marks anywhere inside."""
    by_letter, _, mark = _variants()
    letters = ["[" + re.escape("".join(sorted(by_letter.get(ch, {ch})))) + "]" for ch in form]
    body = (mark + "*").join(letters) + mark + "*"
    return re.compile(rf"(?<![^\W_])(?<!{mark}){body}(?![^\W_])")


def _clean(raw: str) -> str:
    """A raw word as a journalist would type it: composed (ا + hamza mark → أ), without harakat or tatweel."""
    marks = _variants()[1]
    return "".join(ch for ch in unicodedata.normalize("NFKC", raw) if ch not in marks)


def spelling(form: str, texts: Iterable[str]) -> str | None:
    """The commonest spelling of `form` in `texts` (a spelling that only folds to it, such as ة for ه, wins a tie
    with the folded one), or None when no text spells it."""
    seen: Counter[str] = Counter()
    pattern = _pattern(form)
    for text in texts:
        for m in pattern.finditer(text or ""):
            if analysis.normalize(m.group()) == form:
                seen[_clean(m.group())] += 1
    if not seen:
        return None
    return max(seen, key=lambda s: (seen[s], s != form, s))
