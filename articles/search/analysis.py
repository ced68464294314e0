"""Arabic text analysis for search, as one visible chain: normalize → tokenize → stem (→ index term).

    tokens = tokenize(text)          # normalize() folds spellings, then runs of letters and digits
    terms = term_list(tokens)        # stem() of each, cached; None for a stop word

Pure Python with no Django imports: the same functions run at index time (search.document) and at query time
(search.engine), and are tested without a database. Highlighting reads the same stems (search.highlight).

Why not PostgreSQL's `arabic` config or Lucene's ArabicAnalyzer: both strip a leading و that belongs to the root
(وزير→زير), over-strip short words, cut names, and know nothing of broken plurals or hamza-seat spellings.
This analyzer decides each segmentation from evidence: a lexicon of word frequencies counted on the ANT corpus
(`articles/search/data/lexicon.tsv`, see `scripts/build_lexicon.py`). A token is split into proclitics + base + suffixes
only when the base is a better-attested word than the token itself, weighted by how ambiguous each affix is.
Words the lexicon does not know (names, new words) are split conservatively, by rules alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

ANALYZER_VERSION = 11  # 11, 10: more broken plurals accepted (docs/scaling.md, "Version 11", "Version 10"); 9: شيء
DATA_DIR = Path(__file__).resolve().parent / "data"
GENERATED_PLURALS = "broken_plurals_generated.tsv"  # built by scripts/build_broken_plurals.py

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
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0622": "\u0627",
    "\u0671": "\u0627",  # أ إ آ ٱ → ا
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0649": "\u064a",  # ى → ي
    "\u0629": "\u0647",  # ة → ه
    "\u06a9": "\u0643",
    "\u06aa": "\u0643",  # Persian/Urdu kaf → ك
    "\u06cc": "\u064a",
    "\u06d2": "\u064a",  # Persian yeh, yeh barree → ي
    "\u06c1": "\u0647",
    "\u06d5": "\u0647",  # heh goal, ae → ه
    "\u0624": "\u0621",
    "\u0626": "\u0621",  # hamza seats ؤ ئ → ء: مسؤول/مسئول, شؤون/شئون
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
}
_REPLACE = {**{ch: "" for ch in _DROP}, **_FOLD}
# One regex over the few letters that change, not str.translate: translate looks every character up in a dict,
# three times slower on Arabic text, where most letters stay as they are.
_CHANGED = re.compile("[" + "".join(re.escape(ch) for ch in _REPLACE) + "]")
_TOKEN = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


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
    path = DATA_DIR / name
    if not path.exists():  # only while scripts/build_broken_plurals.py builds the generated list
        return pairs
    for line in path.read_text(encoding="utf-8").splitlines():
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


class Lexicon:
    """The word lists and counts stemming decides by: loaded on first use (reading wordfreq's list and the files
    takes a second and 100 MB), never on import, like Lucene's DefaultSetHolder."""

    def __init__(self) -> None:
        self.stop_words = frozenset(normalize(w) for w in _load_list("stopwords.txt"))
        # Words that look like clitic + word but are whole words (names mostly): never segmented.
        self.protected = frozenset(normalize(w) for w in _load_list("protected.txt"))
        self.evidence = _evidence_table(_build_counts())
        self.broken_plurals: dict[str, str] = {}  # filled by map_broken_plurals(), which needs _best_base

    def map_broken_plurals(self, hand_list: bool = True) -> None:
        # Spelling variants of names share this table: both map one form onto another's term. Keys and values are
        # segmented like any token, so الوزراء → وزراء → وزير and the singular's own stem matches. The hand list
        # overrides the generated one (scripts/build_broken_plurals.py); a hand singular "-" keeps a plural apart.
        # hand_list=False measures the generated list alone (scripts/eval_broken_plurals.py).
        hand = _load_pairs("broken_plurals.tsv") if hand_list else {}
        pairs = {**_load_pairs(GENERATED_PLURALS), **hand, **_load_pairs("spelling_variants.tsv")}
        evidence = self.evidence.get
        for plural, singular in pairs.items():
            if singular == "-":
                continue
            singular = _fold_hamza_seat(singular)  # as segment() reads the singular itself: اشياء → شيء → شء
            target = _best_base(singular, self) if len(singular) > 2 and singular not in self.protected else singular
            self.broken_plurals.setdefault(plural, target)
            # A plural the segmenter cuts (قضايا → قضاي) is mapped by that base too, unless the base is a better
            # attested word of its own: اسماك → اسم (name) must not make every اسم a fish.
            base = _best_base(plural, self)
            if evidence(base, 0) <= evidence(plural, 0):
                self.broken_plurals.setdefault(base, target)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    loaded = Lexicon()
    loaded.map_broken_plurals()
    return loaded


def _evidence_table(counts: dict[str, int]) -> dict[str, int]:
    """How well attested each word is: its own count plus its count with the article.

    The article form counts for at most 50 times the bare form: a word seen almost only after ال (القاء, the
    hamza-less إلقاء) is that whole word, not ال + a rare base (قاء). A word never seen bare has no evidence.
    Worked out once for every word, because stemming an unseen token asks it for a dozen candidates.
    """
    return {w: n + min(counts.get("ال" + w, 0), 50 * n) for w, n in counts.items() if n > 0}


# --- stemming --------------------------------------------------------------------------------------------------

# Proclitic chains (conjunction, preposition, article), each with a prior: how readily we believe a token that
# starts with these letters really carries them. The article is nearly unambiguous; a bare و/ف is a
# conjunction most of the time; a bare ب/ك/ل is as often the first letter of the word (بلد, كلية, لاعب).
_PROCLITICS: list[tuple[str, float]] = sorted(
    [
        ("ال", 1.0),
        ("وال", 1.0),
        ("فال", 1.0),
        ("بال", 1.0),
        ("كال", 1.0),
        ("لل", 1.0),
        ("وبال", 1.0),
        ("وكال", 1.0),
        ("ولل", 1.0),
        ("فبال", 1.0),
        ("فكال", 1.0),
        ("فلل", 1.0),
        ("و", 0.5),
        ("ف", 0.3),
        ("ب", 0.12),
        ("ك", 0.1),
        ("ل", 0.12),
        ("وب", 0.3),
        ("وك", 0.2),
        ("ول", 0.3),
        ("فب", 0.2),
        ("فك", 0.1),
        ("فل", 0.2),
    ],
    key=lambda p: -len(p[0]),
)

# Pronoun enclitics. A lone ه is also how ة is written after normalization, so it is trusted least.
_ENCLITICS: list[tuple[str, float]] = sorted(
    [
        ("ه", 0.2),
        ("ها", 0.5),
        ("هم", 0.5),
        ("هما", 0.6),
        ("هن", 0.4),
        ("ك", 0.2),
        ("كم", 0.4),
        ("كما", 0.4),
        ("نا", 0.5),
        ("ي", 0.3),
        ("ني", 0.2),
    ],
    key=lambda p: -len(p[0]),
)
# Inflectional endings: (ending, replacement, prior). A feminine ending ة is written ت before a suffix and
# ات in the plural; the base keeps its ة (as ه), so شركات/شركتين/شركته all stem to شركه, never to شرك.
_ENDINGS: list[tuple[str, str, float]] = [
    # Sound plurals and duals are stripped unless the base is much rarer than the inflected form: a prior
    # above 1 makes المواطنين and مواطن one term even where the plural is the commoner spelling.
    ("ات", "ه", 2.0),
    ("ات", "", 1.5),
    ("يات", "اه", 2.0),
    ("يات", "ي", 1.5),
    ("تين", "ه", 2.0),
    ("تان", "ه", 2.0),
    ("تي", "ه", 0.5),
    ("ين", "", 2.0),
    ("ون", "", 2.0),
    ("ان", "", 0.4),
    ("يين", "ي", 2.0),
    ("يون", "ي", 2.0),
    ("ا", "", 1.0),
    ("و", "", 0.5),
    ("ي", "", 0.25),
    ("ه", "", 0.25),
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
    return stem_with(token, lexicon())


def stem_with(token: str, words: Lexicon) -> str | None:
    """stem() with a given lexicon (scripts/eval_broken_plurals.py measures one without the hand list)."""
    plurals = words.broken_plurals
    # A plural written whole is looked up before it is cut: ألوان and ألحان begin with what looks like the article,
    # قتلى ends with what looks like a pronoun.
    whole = plurals.get(token)
    if whole is not None and token not in words.stop_words:
        return whole
    base = segment(token, words)
    if base is None:
        return None
    singular = plurals.get(base)
    if singular is None or _cut_sound_ending(token, base, plurals):
        return base
    return singular


_SOUND_ENDINGS = ("ات", "ين", "ون", "ان", "تين", "تان")


def _cut_sound_ending(token: str, base: str, plurals: dict[str, str]) -> bool:
    """Whether the segmenter reached a listed plural by cutting a sound-plural or dual ending off another word: a
    broken plural takes none, so معاهدات (treaties, of معاهدة) is not معاهد (institutes) and stays apart from
    معهد. A plural that the segmenter itself cuts (ملايين → ملاي) is listed whole and still maps."""
    rest = token[token.rfind(base) + len(base) :] if base in token else ""
    ending = next((e for e in _SOUND_ENDINGS if rest.startswith(e)), "")
    return bool(ending) and base + ending not in plurals


def segment(token: str, words: Lexicon | None = None) -> str | None:
    """A normalized token without its clitics and inflectional endings, or None for a stop word: stem() before
    broken plurals are mapped to their singular (scripts/build_broken_plurals.py counts these)."""
    words = words or lexicon()
    if token in words.stop_words:
        return None
    if not _ARABIC_LETTER.search(token):
        return token  # numbers and Latin-script words are indexed as they are (lower-cased)
    token = _fold_hamza_seat(token)
    if token in words.protected or len(token) <= 2:
        return token
    base = _best_base(token, words)
    return None if base in words.stop_words else base


def _fold_hamza_seat(token: str) -> str:
    """شيء/شئ, بريء/برئ: the hamza's seat after ي varies, so it is read as one spelling."""
    return token[:-2] + "ء" if token.endswith("يء") else token


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


def _best_base(token: str, words: Lexicon) -> str:
    evidence = words.evidence.get
    own = evidence(token, 0)
    best, best_score = token, (own if own >= _MIN_EVIDENCE else 0.0)
    threshold = max(best_score, _MIN_SCORE)
    for prefix, p_pre in _PROCLITICS_BY_FIRST.get(token[0], _NO_PROCLITIC):
        if prefix and not token.startswith(prefix):
            continue
        rest = token[len(prefix) :]
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
            return token[len(prefix) :]
    if token[0] in "وف" and len(token) >= 5:
        rest = token[1:]
        return rest[2:] if rest.startswith("ال") and len(rest) >= 5 else rest
    return token


# --- indexing --------------------------------------------------------------------------------------------------

MAX_TOKEN_CHARS = 200  # no real word is longer: a longer run of letters is a pasted blob, indexed as a gap


def term(token: str) -> str | None:
    """The index term of a normalized token (its stem), or None for a stop word: stem() behind a plain dict,
    which the per-token hot loops of indexing and querying read faster than an lru_cache."""
    found = _TERMS_CACHE.get(token, _MISSING)
    if found is _MISSING:
        if len(_TERMS_CACHE) >= TERMS_CACHE_SIZE:
            # Start afresh rather than grow without end (memory stays flat over a million articles); the common
            # words are back in the cache within a few articles.
            _TERMS_CACHE.clear()
        found = _TERMS_CACHE[token] = stem(token)
    return found


def term_list(tokens: list[str]) -> list[str | None]:
    """term() of each token, in order: one list comprehension over the cache for the common case where every
    token was seen before (the indexing hot loop: a Python loop with a call per token cost three times more)."""
    cache = _TERMS_CACHE
    try:
        return [cache[t] for t in tokens]
    except KeyError:
        return [cache[t] if t in cache else term(t) for t in tokens]


_MISSING = object()
_TERMS_CACHE: dict[str, str | None] = {}
TERMS_CACHE_SIZE = 500_000  # about 80 MB


def analyze(text: str) -> list[tuple[int, str]]:
    """(position, stem) for each indexed word; positions count stop words too, from 1."""
    out = []
    for pos, token in enumerate(tokenize(text), 1):
        s = term(token)
        if s is not None:
            out.append((pos, s))
    return out
