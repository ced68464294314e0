"""Arabic text analysis for search: normalize, tokenize, stem, build tsvectors, highlight.

Pure Python with no Django imports: the same functions run at index time and at query time, and are tested
without a database.

Why not PostgreSQL's `arabic` config or Lucene's ArabicAnalyzer: both strip a leading و that belongs to the root
(وزير→زير), over-strip short words, cut names, and know nothing of broken plurals or hamza-seat spellings.
This analyzer decides each segmentation from evidence: a lexicon of word frequencies counted on the ANT corpus
(`articles/data/lexicon.tsv`, see `scripts/build_lexicon.py`). A token is split into proclitics + base + suffixes
only when the base is a better-attested word than the token itself, weighted by how ambiguous each affix is.
Words the lexicon does not know (names, new words) are split conservatively, by rules alone.
"""
from __future__ import annotations

import html
import re
import struct
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ANALYZER_VERSION = 5
DATA_DIR = Path(__file__).resolve().parent / "data"

# --- normalization ---------------------------------------------------------------------------------------------

_DROP = (
    [chr(c) for c in range(0x0610, 0x061B)]  # Quranic honorifics and small marks
    + [chr(c) for c in range(0x064B, 0x0660)]  # harakat, tanween, shadda, sukun, hamza marks above/below
    + ["\u0670"]  # dagger alef
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u0640"]  # tatweel
    + ["\u00ad", "\u061c", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"]
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings and overrides
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
)
_FOLD = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ → ا
    "\u0672": "\u0627", "\u0673": "\u0627",
    "\u0649": "\u064a",  # ى → ي
    "\u0629": "\u0647",  # ة → ه
    "\u06a9": "\u0643", "\u06aa": "\u0643",  # Persian/Urdu kaf → ك
    "\u06cc": "\u064a", "\u06d2": "\u064a",  # Persian yeh, yeh barree → ي
    "\u06c1": "\u0647", "\u06d5": "\u0647",  # heh goal, ae → ه
    "\u0624": "\u0621", "\u0626": "\u0621",  # hamza seats ؤ ئ → ء: مسؤول/مسئول, شؤون/شئون
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
}
_REPLACE = {**{ch: "" for ch in _DROP}, **_FOLD}
# One regex over the few letters that change, not str.translate: translate looks every character up in a dict,
# three times slower on Arabic text, where most letters stay as they are.
_CHANGED = re.compile("[" + "".join(re.escape(ch) for ch in _REPLACE) + "]")
# Light table for display-side matching: only what can never change a word's identity.
_STRIP_TABLE = str.maketrans({ch: None for ch in _DROP})

_TOKEN = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# A word in raw (unnormalized) text: letters/digits with any marks, tatweel or joiners inside it.
_RAW_WORD = re.compile(
    r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u00ad])*"
)


def _replacement(match: re.Match) -> str:
    return _REPLACE[match.group()]


def normalize(text: str) -> str:
    """Fold every spelling variation that never distinguishes two news words."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)  # presentation forms, lam-alef ligatures, full-width
        text = _CHANGED.sub(_replacement, text)
    return text.lower()


def tokenize(text: str) -> list[str]:
    """Normalized word tokens, in order (stop words included: positions matter for phrases)."""
    return _TOKEN.findall(normalize(text))


# --- lexicon ---------------------------------------------------------------------------------------------------


def _load_counts(name: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    path = DATA_DIR / name
    if not path.exists():  # only while scripts/build_lexicon.py builds it
        return counts
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            word, _, n = line.rstrip("\n").partition("\t")
            counts[word] = int(n)
    return counts


def _load_list(name: str) -> list[str]:
    path = DATA_DIR / name
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words.extend(line.split("#", 1)[0].split())
    return words


def _load_pairs(name: str) -> dict[str, str]:
    """`plural<TAB>singular` lines (normalized on load, so the file can use ordinary spelling)."""
    pairs: dict[str, str] = {}
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        plural, singular = line.split()[:2]
        pairs[normalize(plural)] = normalize(singular)
    return pairs


def _build_counts() -> dict[str, int]:
    """Word evidence: wordfreq's Arabic list (a large general corpus) plus the ANT news lexicon (Tunisian news).

    Frequencies become counts per 100 million words; ANT's raw counts are scaled to the same unit.
    """
    import wordfreq

    counts: dict[str, int] = {}
    for word, freq in wordfreq.get_frequency_dict("ar", wordlist="large").items():
        n = int(freq * 1e8)
        if n < 1 or not _ARABIC_LETTER.search(word := normalize(word)):
            continue
        counts[word] = counts.get(word, 0) + n
    for word, n in _load_counts("lexicon.tsv").items():
        counts[word] = counts.get(word, 0) + n * _ANT_SCALE
    return counts


_ANT_SCALE = 75  # ANT has about 1.3 million words: one occurrence there is ~75 per 100 million
_COUNTS = _build_counts()
STOP_WORDS = frozenset(normalize(w) for w in _load_list("stopwords.txt"))
# Words that look like clitic + word but are whole words (names mostly): never segmented.
_PROTECTED = frozenset(normalize(w) for w in _load_list("protected.txt"))
_BROKEN_PAIRS = {**_load_pairs("broken_plurals.tsv"), **_load_pairs("spelling_variants.tsv")}
BROKEN_PLURALS: dict[str, str] = {}  # filled below, once stemming is defined


def _evidence_table(counts: dict[str, int]) -> dict[str, int]:
    """How well attested each word is: its own count plus its count with the article.

    The article form counts for at most 50 times the bare form: a word seen almost only after ال (القاء, the
    hamza-less إلقاء) is that whole word, not ال + a rare base (قاء). A word never seen bare has no evidence.
    Worked out once for every word, because stemming an unseen token asks it for a dozen candidates.
    """
    return {w: n + min(counts.get("ال" + w, 0), 50 * n) for w, n in counts.items() if n > 0}


_EVIDENCE = _evidence_table(_COUNTS)


# --- stemming --------------------------------------------------------------------------------------------------

# Proclitic chains (conjunction, preposition, article), each with a prior: how readily we believe a token that
# starts with these letters really carries them. The article is nearly unambiguous; a bare و/ف is a
# conjunction most of the time; a bare ب/ك/ل is as often the first letter of the word (بلد, كلية, لاعب).
_PROCLITICS: list[tuple[str, float]] = sorted(
    [
        ("ال", 1.0), ("وال", 1.0), ("فال", 1.0), ("بال", 1.0), ("كال", 1.0), ("لل", 1.0),
        ("وبال", 1.0), ("وكال", 1.0), ("ولل", 1.0), ("فبال", 1.0), ("فكال", 1.0), ("فلل", 1.0),
        ("و", 0.5), ("ف", 0.3),
        ("ب", 0.12), ("ك", 0.1), ("ل", 0.12),
        ("وب", 0.3), ("وك", 0.2), ("ول", 0.3), ("فب", 0.2), ("فك", 0.1), ("فل", 0.2),
    ],
    key=lambda p: -len(p[0]),
)
_ARTICLE_CHAINS = frozenset(p for p, _ in _PROCLITICS if p.endswith("ال") or p.endswith("لل"))

# Pronoun enclitics. A lone ه is also how ة is written after normalization, so it is trusted least.
_ENCLITICS: list[tuple[str, float]] = sorted(
    [
        ("ه", 0.2), ("ها", 0.5), ("هم", 0.5), ("هما", 0.6), ("هن", 0.4),
        ("ك", 0.2), ("كم", 0.4), ("كما", 0.4), ("نا", 0.5), ("ي", 0.3), ("ني", 0.2),
    ],
    key=lambda p: -len(p[0]),
)
# Inflectional endings: (ending, replacement, prior). A feminine ending ة is written ت before a suffix and
# ات in the plural; the base keeps its ة (as ه), so شركات/شركتين/شركته all stem to شركه, never to شرك.
_ENDINGS: list[tuple[str, str, float]] = [
    # Sound plurals and duals are stripped unless the base is much rarer than the inflected form: a prior
    # above 1 makes المواطنين and مواطن one term even where the plural is the commoner spelling.
    ("ات", "ه", 2.0), ("ات", "", 1.5), ("يات", "اه", 2.0), ("يات", "ي", 1.5),
    ("تين", "ه", 2.0), ("تان", "ه", 2.0), ("تي", "ه", 0.5),
    ("ين", "", 2.0), ("ون", "", 2.0), ("ان", "", 0.4), ("يين", "ي", 2.0), ("يون", "ي", 2.0),
    ("ا", "", 1.0), ("و", "", 0.5), ("ي", "", 0.25), ("ه", "", 0.25),
]
_MIN_EVIDENCE = 3  # counts below this are noise (typos, split words), not evidence
# A segmentation must be worth at least this much (counts per 100 million words, times the affix priors): a
# name the lexicon does not know (ناكاتاني) is not cut to a rare known word (ناكاتا) on thin evidence.
_MIN_SCORE = 40
_MIN_BASE = 3  # never leave fewer letters than this after removing an ending (حسين is not حس + ين)


@lru_cache(maxsize=200_000)  # bounded: a long import meets millions of distinct tokens (names, typos)
def stem(token: str) -> str | None:
    """The index term for one normalized token, or None for a stop word.

    Cached per token: news text repeats its vocabulary, so nearly every call is a dictionary hit.
    """
    if token in STOP_WORDS:
        return None
    if not _ARABIC_LETTER.search(token):
        return token  # numbers and Latin-script words are indexed as they are (lower-cased)
    if token.endswith("يء"):
        token = token[:-2] + "ء"  # شيء/شئ, بريء/برئ: the hamza's seat varies
    if token in _PROTECTED or len(token) <= 2:
        return BROKEN_PLURALS.get(token, token)
    base = _best_base(token)
    if base in STOP_WORDS:
        return None
    return BROKEN_PLURALS.get(base, base)


def _by_letter(items: list, letter) -> dict[str, list]:
    """Affix lists grouped by the letter a token must have for them to apply, order kept (ties go to the first)."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(letter(item), []).append(item)
    return groups


# Only affixes that can match are tried: stemming a word the cache has not seen is most of a cold import's time.
_PROCLITICS_BY_FIRST = {ch: group + [("", 1.0)] for ch, group in _by_letter(_PROCLITICS, lambda p: p[0][0]).items()}
_NO_PROCLITIC = [("", 1.0)]
_ENCLITICS_BY_LAST = _by_letter(_ENCLITICS, lambda e: e[0][-1])
_ENDINGS_BY_LAST = _by_letter(_ENDINGS, lambda e: e[0][-1])
# Before a pronoun, a lone ه or ي is not an inflectional ending.
_CORE_ENDINGS_BY_LAST = _by_letter([e for e in _ENDINGS if e[0] not in ("ه", "ي")], lambda e: e[0][-1])


def _suffix_options(rest: str):
    """(base, prior) for every way to read `rest` as base + ending + pronoun."""
    yield rest, 1.0
    for enc, p_enc in _ENCLITICS_BY_LAST.get(rest[-1], ()):
        if rest.endswith(enc) and len(rest) - len(enc) >= 2:
            core = rest[: -len(enc)]
            if core.endswith("ت"):
                yield core[:-1] + "ه", p_enc  # حكومتها → حكومه
            yield core, p_enc
            for ending, repl, p_end in _CORE_ENDINGS_BY_LAST.get(core[-1], ()):
                if core.endswith(ending) and len(core) - len(ending) >= _MIN_BASE:
                    yield core[: -len(ending)] + repl, p_enc * p_end
    for ending, repl, p_end in _ENDINGS_BY_LAST.get(rest[-1], ()):
        if rest.endswith(ending) and len(rest) - len(ending) >= _MIN_BASE:
            yield rest[: -len(ending)] + repl, p_end


def _best_base(token: str) -> str:
    evidence = _EVIDENCE.get
    own = evidence(token, 0)
    best, best_score = token, (own if own >= _MIN_EVIDENCE else 0.0)
    threshold = max(best_score, _MIN_SCORE)
    for prefix, p_pre in _PROCLITICS_BY_FIRST.get(token[0], _NO_PROCLITIC):
        if prefix and not token.startswith(prefix):
            continue
        rest = token[len(prefix):]
        if len(rest) < 2:
            continue
        if rest.startswith("ال") and prefix in ("و", "ف", "ب", "ك", "وب", "وك", "فب", "فك"):
            p_pre = 1.0  # و + الكلمة is the same clitic chain as وال + كلمة: equally likely
        for base, p_suf in _suffix_options(rest):
            if (prefix == "" and base == token) or len(base) < 2:
                continue
            ev = evidence(base, 0)
            if ev < _MIN_EVIDENCE:
                continue
            score = ev * p_pre * p_suf
            if score > threshold and score > best_score:
                best, best_score = base, score
    if best_score == 0.0:
        return _fallback(token)
    return best


def _fallback(token: str) -> str:
    """Rules for words the lexicon has never seen (names, new coinages): strip only what is unmistakable."""
    for prefix in ("وبال", "وكال", "فبال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال"):
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            return token[len(prefix):]
    if token[0] in "وف" and len(token) >= 5:
        rest = token[1:]
        return rest[2:] if rest.startswith("ال") and len(rest) >= 5 else rest
    return token


def _map_broken_plurals() -> None:
    # Spelling variants of names share this table: both map one form onto another's term.
    # Keys and values are stemmed like any token, so الوزراء → وزراء → وزير and the singular's own stem matches.
    for plural, singular in _BROKEN_PAIRS.items():
        target = _best_base(singular) if len(singular) > 2 and singular not in _PROTECTED else singular
        for key in {plural, _best_base(plural)}:
            BROKEN_PLURALS.setdefault(key, target)
    stem.cache_clear()


_map_broken_plurals()

# --- indexing --------------------------------------------------------------------------------------------------

EXACT_PREFIX = "="  # marks an exact-form lexeme; stems never contain it
MAX_TOKEN_CHARS = 200  # no real word is longer; keeps every lexeme under PostgreSQL's 2,046-byte limit
MAX_POSITION = 16383  # PostgreSQL's limit for tsvector positions
MAX_POSITIONS_PER_LEXEME = 255


def terms(token: str) -> tuple[str | None, str | None]:
    """(stem, exact-form lexeme) for a normalized token; the exact form only when it differs from the stem."""
    pair = _TERMS_CACHE.get(token)
    if pair is None:
        if len(_TERMS_CACHE) >= TERMS_CACHE_SIZE:
            # Start afresh rather than grow without end (memory stays flat over a million articles); the common
            # words are back in the cache within a few articles.
            _TERMS_CACHE.clear()
        s = stem(token)
        pair = _TERMS_CACHE[token] = (s, EXACT_PREFIX + token if s is not None and token != s else None)
    return pair


# Per-token cache shared by terms() and the vector builders, whose hot loop reads it directly to skip a call.
_TERMS_CACHE: dict[str, tuple[str | None, str | None]] = {}
TERMS_CACHE_SIZE = 500_000  # about 120 MB


def analyze(text: str) -> list[tuple[int, str, str | None]]:
    """(position, stem, exact lexeme) for each indexed word; positions count stop words too, from 1."""
    out = []
    for pos, token in enumerate(tokenize(text), 1):
        s, exact = terms(token)
        if s is not None:
            out.append((pos, s, exact))
    return out


def tsvector(fields: list[tuple[str, str]], *, every_form: bool = False) -> str:
    """A tsvector literal for [(text, weight 'A'..'D'), ...]: fields get consecutive position ranges.

    Built here rather than with to_tsvector() so that index and query use this analyzer, on any PostgreSQL.
    """
    tokens = [(_TOKEN.findall(normalize(text)) if text else [], weight) for text, weight in fields]
    return _text(_lexemes(tokens, every_form, _POSITION_LABELS))


RANK_TOKENS = 60  # per field: the ranking vector covers the headline, the lead and the first words of the body


def _fields(title: str, lead: str, body: str) -> tuple[list, list]:
    """(search fields, rank fields) as (tokens, weight): the rank fields are the first RANK_TOKENS of each."""
    tokens = [_TOKEN.findall(normalize(text)) if text else [] for text in (title, lead, body)]
    return ([(tokens[0], "A"), (tokens[1], "B"), (tokens[2], "D")],
            [(tokens[0][:RANK_TOKENS], "A"), (tokens[1][:RANK_TOKENS], "B"), (tokens[2][:RANK_TOKENS], "C")])


def vectors(title: str, lead: str, body: str) -> tuple[str, str]:
    """(search vector, rank vector) literals for one article, from one tokenization of each field.

    The search vector holds every word (title A, lead B, body D); the rank vector only the first RANK_TOKENS of
    each field (title A, lead B, body C) with every exact form marked, small enough to stay inline in the row.
    """
    search, rank = _fields(title, lead, body)
    return _text(_lexemes(search, False, _POSITION_LABELS)), _text(_lexemes(rank, True, _POSITION_LABELS))


def vectors_binary(title: str, lead: str, body: str, lexeme_counts: Counter | None = None) -> tuple[bytes, bytes]:
    """The same two vectors in PostgreSQL's binary wire format (tsvector_recv): the server then copies them
    instead of parsing text, which was a third of a reindex's database time.

    With `lexeme_counts`, also counts each search lexeme once for this article (document frequencies)."""
    search, rank = _fields(title, lead, body)
    lexemes = _lexemes(search, False, _POSITION_CODES)
    if lexeme_counts is not None:
        lexeme_counts.update(lexemes.keys())
    return _binary(lexemes), _binary(_lexemes(rank, True, _POSITION_CODES))


# Positions per weight, made once: formatting numbers was a tenth of the indexing time. As text labels ("12A"),
# and as the binary format's big-endian 16-bit codes (the weight in the top two bits: A=3 … D=0).
_POSITION_LABELS = {w: [f"{p}{'' if w == 'D' else w}" for p in range(MAX_POSITION + 1)] for w in "ABCD"}
_POSITION_CODES = {w: [struct.pack(">H", p | (3 - i) << 14) for p in range(MAX_POSITION + 1)]
                   for i, w in enumerate("ABCD")}


def _lexemes(fields: list[tuple[list[str], str]], every_form: bool, table: dict) -> dict[str, list]:
    """{lexeme: positions} for fields of tokens: the import's and the reindex's hot loop, a dict lookup a token."""
    lexemes: dict[str, list] = {}
    cache = _TERMS_CACHE
    offset = 0
    for tokens, weight in fields:
        if not tokens:
            continue
        labels = table[weight]
        for pos, token in enumerate(tokens, offset + 1):
            pair = cache.get(token)
            if pair is None:
                if len(token) > MAX_TOKEN_CHARS:
                    continue  # a pasted blob, not a word: PostgreSQL refuses lexemes over 2,046 bytes
                pair = terms(token)
            s, exact = pair
            if s is None:
                continue
            if exact is None and every_form:
                exact = EXACT_PREFIX + token  # the ranking vector marks every exact form, even a bare stem
            p = labels[pos if pos < MAX_POSITION else MAX_POSITION]
            positions = lexemes.get(s)
            if positions is None:
                lexemes[s] = [p]
            elif len(positions) < MAX_POSITIONS_PER_LEXEME and positions[-1] != p:  # != : past the last position
                positions.append(p)
            if exact:
                positions = lexemes.get(exact)
                if positions is None:
                    lexemes[exact] = [p]
                elif len(positions) < MAX_POSITIONS_PER_LEXEME and positions[-1] != p:
                    positions.append(p)
        offset += len(tokens) + 10  # a gap, so a phrase never matches across the end of one field and the next
    return lexemes


def _text(lexemes: dict[str, list[str]]) -> str:
    # Tokens are runs of word characters, so a lexeme never holds a quote or a backslash to escape.
    return " ".join([f"'{lex}':{','.join(positions)}" for lex, positions in lexemes.items()])


_COUNT = struct.Struct(">i")
_NUL_AND_COUNT = [b"\0" + struct.pack(">H", n) for n in range(MAX_POSITIONS_PER_LEXEME + 1)]


def _binary(lexemes: dict[str, list[bytes]]) -> bytes:
    """tsvector_recv's format: the entry count, then per lexeme its UTF-8 text, a NUL, the position count and
    the positions (16-bit, big-endian). The server sorts the lexemes itself, in C."""
    parts = [_COUNT.pack(len(lexemes))]
    extend = parts.extend
    for lex, positions in lexemes.items():
        extend((lex.encode(), _NUL_AND_COUNT[len(positions)]))
        extend(positions)
    return b"".join(parts)


# --- highlighting ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    start: int
    end: int


@lru_cache(maxsize=100_000)
def _word_stems(word: str) -> frozenset[str]:
    return frozenset(s for s in (stem(t) for t in _TOKEN.findall(normalize(word))) if s)


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
    # Every word of the body is tested, for every result of every search: each distinct word once, as plain
    # strings, not match objects and a cache lookup per word (that was a third of an API request's time).
    tokens = _RAW_WORD.findall(text)
    total = len(tokens)
    if not total:
        return ""
    hits: list[int] = []
    if stems:
        matched = {word for word in set(tokens) if _word_matches(word, stems)}
        if matched:
            hits = [i for i, word in enumerate(tokens) if word in matched]
    if not hits:
        return _fragment_html(text, 0, min(words, total), stems, total)
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
    return " … ".join(_fragment_html(text, s, min(s + words, total), stems, total) for s in chosen)


def _fragment_html(text: str, first: int, last: int, stems: frozenset[str], total: int) -> str:
    """Words first..last-1 of `text`, highlighted."""
    start = end = 0
    for i, m in enumerate(_RAW_WORD.finditer(text)):
        if i == first:
            start = m.start()
        if i == last - 1:
            end = m.end()
            break
    body = highlight(text[start:end], stems)
    return ("… " if first > 0 else "") + body + (" …" if last < total else "")
