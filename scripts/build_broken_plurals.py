"""Build articles/search/data/broken_plurals_generated.tsv: broken plural -> singular, found by morphology and
accepted only on corpus evidence.

    .venv/bin/python scripts/build_broken_plurals.py [--corpus ../shared/corpus] [--candidates out.tsv]

1. Vocabulary: every article of the shared corpus (ANT and SaudiNewsNet) is tokenized and segmented by our own
   analyzer (analysis.segment: clitics and sound-plural endings off, no broken-plural mapping), counting in how
   many documents each base occurs.
2. Candidates: each base that fits a broken-plural template (أفعال, فعول, فعال/فعّال, فعلاء, أفعلاء, أفعلة, فعائل,
   فواعل, مفاعل and the other four-letter فعالل, فعاليل/مفاعيل/أفاعيل/تفاعيل, فعالي, فعايا, فُعَل/فِعَل, فعلة, فعلان,
   فعلى, and those of two-letter nouns: دماء, أيدي, أياد) gives its root letters; the singular templates that
   template pairs with give the candidate singulars. A word in ية is no فعاليل (it is a nisba: دعائية).
3. Evidence, all from the corpus, judged for every reading of a plural (one singular per template):
   - both forms in at least MIN_DOCS documents, neither a stop word nor a numeral, the singular takes the article;
   - plural cues: the plural follows عدة, a numeral from 3 to 10, عشرات, جميع… more readily than the singular
     (not needed where ات marks the plural itself: قوات, سنوات); a numeral after a numeral (ثلاث عشرة) and آلاف
     before a word without the article (ثلاثة آلاف وظيفة) take a singular, and a sound plural (بعض العاملين) is
     no cue for its singular; where cues are missing, contexts as close as the corpus has (ranks 3 and 50) with
     the plural's adjectives agreeing as a plural's stand in for them (دخان: أدخنة, وظيفة: وظائف);
   - contexts agree (cosine of PPMI vectors over five words either side: each among the other's nearest words);
     or, less close, the adjectives after the plural agree as after a plural (الأحداث الأخيرة, الخبراء الدوليين)
     and, for a masculine singular, as after it they do not (الحدث الأخير);
   - no commoner reading of the plural: not a verb (كتب: يكتب, كتبت), not a word that takes a dual or sound plural
     (كتاب: كتابان; أغنية: أغنيتين), not a nisba adjective (عربي: عربية), not a masculine singular by its
     demonstratives (هذا الحضور), and a three-letter plural (فُعَل) needs plural agreement whatever its contexts;
   - one reading per plural, the closest: a second reading as close makes it ambiguous (طرق: طريق or طريقة),
     unless its own plural is sound (باحث: باحثون, so أبحاث is بحث's), and a word that is an accepted pair's
     singular is not also a plural.

Only statistics of the corpus are used: no text of it is written out (SaudiNewsNet is CC BY-NC-SA). No third-party
lexicon is read, so the output is ours; scripts/eval_broken_plurals.py measures it against arramooz's (GPL)
dictionary without copying it. The hand list (broken_plurals.tsv) overrides this file in the analyzer.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import re
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.search import analysis  # noqa: E402

MIN_DOCS = 3  # both forms in at least this many documents
# Contexts agree when one form is among the other's MAX_CLOSE_RANK nearest words (by the cosine of their context
# vectors) and the other way round within MAX_FAR_RANK; a second singular that passes too makes the plural ambiguous.
MAX_CLOSE_RANK = 10
MAX_FAR_RANK = 150
# Contexts that agree less (each within FAIR_CLOSE_RANK / FAIR_FAR_RANK) are enough when agreement shows the plural
# too: its adjectives agree as a plural's do (MIN_AGREEMENT), and as its masculine singular's do not.
FAIR_CLOSE_RANK = 40
FAIR_FAR_RANK = 500
MIN_AGREEMENT = 0.6
SOUND_PLURAL_RATIO = 0.3  # a feminine singular whose ات plural is this common next to the broken one: not its plural
VERB_RATIO = 0.35  # verb-inflected forms (يكتب, كتبت, كتبوا) per definite form (الكتب) above this: a verb reading
SINGULAR_RATIO = 0.1  # dual/sound-plural forms of the plural itself per its own count above this: a singular
MIN_DUALS = 3  # a word in ة seen this often with a dual ending (أغنيتين) is a singular, whatever its template
# Numerals from 3 to 10 take a plural, and are no plural themselves (ثلاث is not ثالث's).
NUMERALS = frozenset(
    analysis.normalize(w)
    for w in ("ثلاثة ثلاث أربعة أربع خمسة خمس ستة ست سبعة سبع ثمانية ثماني تسعة تسع عشرة عشر").split()
)
PLURAL_CUES = NUMERALS | frozenset(
    analysis.normalize(w)
    for w in ("عدة مختلف ومختلف بمختلف شتى وعدة بعدة لعدة جميع وجميع بعض كافة وكافة هؤلاء عشرات").split()
)
# مئات, آلاف and ملايين take a plural with the article (آلاف الوظائف) but a singular without it, as the counted
# noun of a number (ثلاثة آلاف وظيفة): they are plural cues only before the article.
NUMBER_UNITS = NUMERALS | frozenset(analysis.normalize(w) for w in "أحد إحدى اثنا اثني اثنتا اثنتي".split())
DEFINITE_PLURAL_CUES = frozenset(analysis.normalize(w) for w in "مئات آلاف ملايين".split())
# "One of the …" takes a plural with the article (أحد الأسباب, إحدى المناطق, لأحد المسؤولين), as does "a number
# of the …" (عدد من الأشخاص, العديد من الدول): a singular never follows them, a dual or sound plural is cut by the
# segmenter and no cue (_sound_inflected). Before a word without the article أحد is a name or "anyone".
ONE_OF = frozenset(analysis.normalize(w) for w in "أحد إحدى لأحد بأحد لإحدى بإحدى وإحدى".split())
NUMBER_OF = frozenset(analysis.normalize(w) for w in "عدد العديد وعدد والعديد بعدد".split())
# After a plural with the article comes an adjective that agrees with it: feminine singular for things (الأحداث
# الأخيرة), sound plural for people (الخبراء الدوليين); after a masculine singular, a masculine one (الحدث الأخير).
# A demonstrative agrees too: هذا الحدث, هذه الأحداث, هؤلاء الوزراء. A word after هذا is a masculine singular
# (هذا الحضور, هذا الزمان: a masdar or a singular that only looks like a plural). ذلك is left out: it often ends
# a clause (بعد ذلك، الأطباء…).
SINGULAR_DEMONSTRATIVES = frozenset(analysis.normalize(w) for w in "هذا وهذا لهذا بهذا".split())
PLURAL_DEMONSTRATIVES = frozenset(analysis.normalize(w) for w in ("هذه هؤلاء وهذه وهؤلاء لهذه بهذه لهؤلاء").split())
MAX_SINGULAR_DEMONSTRATIVE = 0.5  # share of هذا among a plural's demonstratives...
MIN_DEMONSTRATIVES = 4  # ...seen at least this often
AGREEING_ENDINGS = ("ه", "ين", "ون", "ات")
MAX_SINGULAR_AGREEMENT = 0.3  # a masculine singular is followed by a masculine adjective at least this often
AGREEMENT_GAP = 0.3  # a plural of a masculine singular has this much more of them than the singular
MIN_AGREEMENT_SEEN = 8  # adjectives seen after each form before the gap is trusted
# A three-letter "plural" (فُعَل: دول, صور, قمم) is as often a masdar or a singular of its own (ليل, حفر): it needs
# plural agreement whatever its contexts say.
SHORT_TEMPLATES = frozenset({"123", "122", "12ي"})
MIN_CUES = 2  # a plural follows عدة, a numeral from 3 to 10, عشرات, جميع, بعض… at least this often...
CUE_FACTOR = 3.0  # ...and this many times more readily than its singular: فساد (a masdar) never does
# Without such cues (a plural of places and things seldom counted: سواحل, أحلام, زيوت), agreement stands in for them
# only where everything else is strong: contexts that agree closely, a masculine singular (a feminine one's
# adjectives agree like a plural's), and at least STRONG_AGREEMENT_SEEN adjectives after the plural, STRONG_AGREEMENT
# of them agreeing as after a plural, as after the singular they do not. (Version 8's variant, which let any
# agreement stand in, was 73/78 right: إقراض, طباعة, كرام.)
STRONG_AGREEMENT_SEEN = 20
STRONG_AGREEMENT = 0.7
# Contexts as close as any two words of the corpus get (each among the other's CLOSEST_RANK nearest words, the
# other way within CLOSEST_FAR_RANK) also stand in for plural cues, where the adjectives after the plural agree as
# after a plural: plurals of things seldom counted whose singular is feminine or rarely followed by an adjective
# (دخان: أدخنة, وظيفة: وظائف, خريطة: خرائط), which the masculine-singular test above cannot judge.
CLOSEST_RANK = 3
CLOSEST_FAR_RANK = 50
MIN_ARTICLE_SHARE = 0.005  # a singular takes the article: اسمه (his name) and مرت (passed) are not nouns
WINDOW = 5  # wider than syntax: a plural and its singular differ in agreement, not in topic
FEATURES = 20_000

# Plural template -> singular templates, on normalized spellings (أ إ آ → ا, ئ ؤ → ء, ة → ه, ى → ي).
# Digits are root letters; a digit repeated is the same letter (geminate roots: صفوف, أطباء, قمم).
TEMPLATES: dict[str, list[str]] = {
    "ا12ا3": ["123", "1ا3", "12ي3", "1ا23", "123ه", "12و", "12ي"],  # أفعال: أحداث, أموال, أشراف, أصحاب, أفكار
    "ا1ا2": ["ا12", "12"],  # آفعال of a hamza-initial root: آلاف, آثار, آمال; أفاعٍ of a two-letter noun: أياد
    "ا12ي": ["12"],  # أفعُل of a two-letter noun, its weak final written: أيدي
    "12اء": ["12"],  # فِعال of a two-letter noun, its lost final a hamza: دماء
    "ا123ه": ["12ا3", "12ي3", "12اء", "12و3"],  # أفعلة: أسلحة, أجهزة, أدوية, أعمدة
    "ا12ه": ["12ي2"],  # أفعلة, geminate (its shadda is not written): أدلة, أئمة
    "ا123اء": ["12ي3", "12ي"],  # أفعلاء: أصدقاء, أغنياء
    "ا12اء": ["12ي2", "12", "ا12", "12و"],  # أفعلاء/أفعال of a weak or geminate root: أطباء, أجواء, أسماء, أبناء
    "123اء": ["12ي3", "1ا23"],  # فعلاء: وزراء, علماء
    "12و3": ["123"],  # فعول: جهود, بيوت
    "12و2": ["12"],  # فعول, geminate: صفوف, حدود
    "12ا3": ["12ي3", "123", "1ا23", "123ه", "1اء3"],  # فِعال/فُعّال: كبار, رجال, طلاب, رقاب, زوار
    "12اء3": ["12ي3ه", "12ا3ه", "12ي3"],  # فعائل: حقائق, رسائل, فصائل
    "1وا23": ["1ا23", "1ا23ه"],  # فواعل: شوارع, قواعد
    "12ا34": ["1234", "1234ه", "12و34"],  # فعالل, مفاعل, تفاعل: مجالس, مناطق, تجارب, عناصر, نماذج
    "12ا3ي4": ["123و4", "123ي4", "123ا4", "1234", "1234ه", "123و4ه"],  # فعاليل, مفاعيل, تفاعيل: تفاصيل,
    # ملايين, عناوين; of فعللة/أفعولة: تكاليف, أساطير
    "1وا2ي3": ["1ا2و3", "1ي2ا3"],  # فواعيل: قوانين, دواوين
    "12ا3ي": ["123ي", "123يه", "123"],  # فعالي, مفاعي: مباني, أغاني, أراضي
    "12ايا": ["12يه", "1ي2ه"],  # فعايا: قضايا, ضحايا
    "123": ["123ه", "12ي3ه"],  # فُعَل/فِعَل/فُعُل: دول, مدن (of فعيل/فعال too: طرق, كتب, but those clash)
    "122": ["12ه"],  # فُعَل, geminate: قمم, خطط
    "12ي": ["12يه"],  # فُعَل, weak final: قرى
    "12اه": ["1ا2ي"],  # فُعاة: قضاة, دعاة
    "1ا2ه": ["1اء2"],  # فَعَلة, hollow: قادة
    "123ان": ["123", "1ا23", "12ي3"],  # فُعلان/فِعلان: بلدان, فرسان, قضبان
    "1ي2ان": ["1ا2"],  # فِعلان, hollow: جيران
    "122ان": ["1ا2"],  # فُعّان, geminate: شبان
    "123ي": ["12ي3"],  # فَعْلى: مرضى, قتلى, جرحى
    "12وات": ["12ه", "12اه"],  # فَعَلات of a weak root: سنة → سنوات, قناة → قنوات
    "12ات": ["12ه"],  # the same, two letters left: قوة → قوات
}
_TEMPLATE_RES = []
for plural, singulars in TEMPLATES.items():
    seen: dict[str, int] = {}
    parts = []
    for ch in plural:
        if ch.isdigit():
            parts.append(f"(?P=r{ch})" if ch in seen else f"(?P<r{ch}>.)")
            seen[ch] = 1
        else:
            parts.append(re.escape(ch))
    _TEMPLATE_RES.append((plural, re.compile("".join(parts)), singulars))


# Templates whose last root letter follows a long ي (تفاصيل, قوانين): such a plural never ends in ة, and a word
# that seems to, in ية, is a feminine nisba adjective (دعائية, روائية, وقائية, طلابية).
_LONG_I_TEMPLATES = frozenset({"12ا3ي4", "1وا2ي3"})


def candidates(word: str) -> list[tuple[str, str]]:
    """(template, singular) for every way of reading `word` as a broken plural."""
    out = []
    for name, regex, singulars in _TEMPLATE_RES:
        m = regex.fullmatch(word)
        if not m or (name in _LONG_I_TEMPLATES and word.endswith("يه")):
            continue
        root = {k[1:]: v for k, v in m.groupdict().items()}
        for pattern in singulars:
            singular = "".join(root.get(ch, ch) if ch.isdigit() else ch for ch in pattern)
            for spelling in _hamza_spellings(singular):
                if spelling != word:
                    out.append((name, spelling))
    return out


def _hamza_spellings(word: str) -> list[str]:
    """A root hamza is written ء in the plural but may sit on an alef in the singular, which normalizes to ا:
    مبادئ/مبدأ, أخطاء/خطأ, رؤوس/رأس."""
    return [word] + [
        word[:i] + "ا" + word[i + 1 :]
        for i, ch in enumerate(word)
        if ch == "ء" and i > 0 and "ا" not in word[i - 1 : i + 2]
    ]


# --- the corpus ----------------------------------------------------------------------------------------------

_ARTICLE = ("ال", "وال", "بال", "فال", "كال", "لل", "ولل", "وبال")
_ANT_FIELDS = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.S)


def corpus_texts(root: Path):
    """Title and body of every article: ANT's files, then SaudiNewsNet's JSON records."""
    for path in sorted(glob.glob(str(root / "ant_corpus_v1.1" / "*" / "*.txt"))):
        yield "\n".join(m.group(2) for m in _ANT_FIELDS.finditer(Path(path).read_text(encoding="utf-8")))
    for path in sorted(glob.glob(str(root / "saudinewsnet" / "dataset" / "*.json"))):
        for article in json.loads(Path(path).read_text(encoding="utf-8")):
            yield (article["title"] or "") + "\n" + (article["content"] or "")


_SOUND_ENDINGS = ("ين", "ون", "ات", "ان")


def _sound_inflected(token: str, base: str) -> bool:
    """Whether the segmenter took a sound-plural or dual ending off `token` (العاملين → عامل)."""
    core = token
    for pronoun in ("هما", "هم", "ها", "ه", "نا"):
        if core.endswith(pronoun) and base not in core[-len(pronoun) - len(base) :]:
            core = core[: -len(pronoun)]
            break
    return core.endswith(_SOUND_ENDINGS) and not core.endswith(base) and base[-1:] != core[-1:]


def is_plural_cue(before: str, previous: str, token: str) -> bool:
    """Whether `previous` makes `token` a plural: عدة أحداث, ثلاثة أشهر, آلاف الوظائف, أحد الأسباب, عدد من الدول.
    A numeral after a numeral
    is a number from 11 up, whose counted noun is singular (ثلاث عشرة وظيفة)."""
    if previous in DEFINITE_PLURAL_CUES or previous in ONE_OF or (previous == "من" and before in NUMBER_OF):
        return token.startswith(_ARTICLE)
    return previous in PLURAL_CUES and not (previous in NUMERALS and before in NUMBER_UNITS)


class Vocabulary:
    """The corpus as our analyzer's bases: document counts, surface-token counts, and every article as a row of
    base ids (stop words dropped) for the context vectors."""

    def __init__(self, root: Path) -> None:
        self.ids: dict[str, int] = {}
        self.surface: collections.Counter[str] = collections.Counter()
        self.plural_cues: collections.Counter[int] = collections.Counter()
        self.adjectives: collections.Counter[int] = collections.Counter()  # ال-words right after ال + this base
        self.agreeing: collections.Counter[int] = collections.Counter()  # ...of them with an AGREEING_ENDINGS
        self.demonstratives: collections.Counter[int] = collections.Counter()  # هذا/هذه… + ال + this base
        self.singular_demonstratives: collections.Counter[int] = collections.Counter()  # ...of them هذا/ذلك
        doc_counts: collections.Counter[int] = collections.Counter()
        bases: dict[str, int | None] = {}
        inflected: set[str] = set()  # tokens that are their base with a sound-plural or dual ending
        rows = []
        gap = [-1] * WINDOW  # no window reaches across two articles
        for text in corpus_texts(root):
            tokens = analysis.tokenize(text)
            self.surface.update(tokens)
            row = []
            before, previous, definite = "", "", None
            for token in tokens:
                i = bases.get(token, -2)
                if i == -2:
                    base = analysis.segment(token)
                    i = bases[token] = None if base is None else self.ids.setdefault(base, len(self.ids))
                    if base is not None and _sound_inflected(token, base):
                        inflected.add(token)
                if definite is not None and token.startswith("ال") and len(token) > 4:
                    self.adjectives[definite] += 1
                    self.agreeing[definite] += token.endswith(AGREEING_ENDINGS)
                definite = None
                if i is not None:
                    row.append(i)
                    # A sound plural (بعض العاملين) is a plural of the singular's own paradigm: no cue for it.
                    if token not in inflected and is_plural_cue(before, previous, token):
                        self.plural_cues[i] += 1
                    if token.startswith(_ARTICLE):
                        definite = i
                        if previous in SINGULAR_DEMONSTRATIVES or previous in PLURAL_DEMONSTRATIVES:
                            self.demonstratives[i] += 1
                            self.singular_demonstratives[i] += previous in SINGULAR_DEMONSTRATIVES
                before, previous = previous, token
            doc_counts.update(set(row))
            rows.append(np.array(row + gap, dtype=np.int32))
        self.documents = len(rows)
        self.words = list(self.ids)
        self.doc_count = np.zeros(len(self.ids), dtype=np.int64)
        for i, n in doc_counts.items():
            self.doc_count[i] = n
        self.stream = np.concatenate(rows)
        self.counts = np.bincount(self.stream[self.stream >= 0], minlength=len(self.words))

    def cue_rate(self, word: str) -> tuple[int, float]:
        """How often `word` follows a word that takes a plural (عدة, ثلاثة…عشرة, مختلف): count and share."""
        i = self.ids[word]
        n = self.plural_cues[i]
        return n, n / self.counts[i]

    def agreement(self, word: str) -> tuple[int, float]:
        """Adjectives seen after `word` with the article, and the share of them that agree as after a plural."""
        i = self.ids[word]
        n = self.adjectives[i]
        return n, self.agreeing[i] / max(1, n)

    def singular_demonstrative(self, word: str) -> tuple[int, float]:
        """Demonstratives seen before `word` with the article, and the share of them that are هذا/ذلك."""
        i = self.ids[word]
        n = self.demonstratives[i]
        return n, self.singular_demonstratives[i] / max(1, n)

    def docs(self, word: str) -> int:
        i = self.ids.get(word)
        return 0 if i is None else int(self.doc_count[i])


def context_vectors(vocab: Vocabulary, targets: list[str]) -> tuple[dict[str, int], sparse.csr_matrix]:
    """Row-normalized PPMI vectors of `targets` over the FEATURES commonest bases, WINDOW words either side."""
    stream = vocab.stream
    counts = vocab.counts
    feature_of = np.full(len(vocab.words) + 1, -1, dtype=np.int64)  # index -1 (a gap) reads the last slot
    top = np.argsort(-counts)[:FEATURES]
    feature_of[top] = np.arange(len(top))
    row_of = np.full(len(vocab.words) + 1, -1, dtype=np.int64)
    target_ids = [vocab.ids[t] for t in targets]
    row_of[target_ids] = np.arange(len(target_ids))
    rows, cols = [], []
    for offset in range(1, WINDOW + 1):
        for a, b in ((stream[:-offset], stream[offset:]), (stream[offset:], stream[:-offset])):
            r, c = row_of[a], feature_of[b]
            keep = (r >= 0) & (c >= 0)
            rows.append(r[keep])
            cols.append(c[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    m = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(targets), len(top)))
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_p = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context smoothing: rare contexts do not dominate PMI
    col_p /= col_p.sum()
    m = m.tocoo()
    pmi = np.log(m.data * 1.0 / (row_sum[m.row] / total * col_p[m.col] * total))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    norms = np.sqrt(np.asarray(ppmi.multiply(ppmi).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return {t: i for i, t in enumerate(targets)}, sparse.diags(1 / norms) @ ppmi


# --- decisions -----------------------------------------------------------------------------------------------


def verb_share(word: str, surface: collections.Counter) -> float:
    """Verb-inflected forms of `word` (يكتب, تكتب, نكتب, كتبت, كتبوا, سيكتب) per noun form with the article."""
    verb = sum(surface[f] for f in ("ي" + word, "ت" + word, "ن" + word, "سي" + word, word + "ت", word + "وا"))
    noun = sum(surface[f] for f in ("ال" + word, "وال" + word, "بال" + word))
    return verb / (noun + 1)


def singular_share(word: str, surface: collections.Counter) -> float:
    """How often `word` itself takes a dual or sound plural (كتابان, كتابات), or is a nisba adjective (عربية,
    عربيون), per its own bare and definite count: a plural does neither."""
    # An ات form counts even when it is another word's plural (مظاهرات, of مظاهرة): the segmenter cuts it to
    # `word`, so mapping `word` would take it along (مظاهرات to مظهر).
    forms = [word + "ان", word + "ين", word + "ات"]
    if word.endswith("ي"):
        forms += [word + "ه", word + "ون"]
    own = surface[word] + surface["ال" + word]
    return sum(surface[f] + surface["ال" + f] for f in forms) / (own + 1)


def neighbour_ranks(vectors: sparse.csr_matrix, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """For each (a, b): b's rank among a's nearest words (1 = the closest), over all candidate words. A rank
    corrects for frequency, which raw cosines do not: a common word is moderately similar to everything."""
    wanted: dict[int, list[int]] = collections.defaultdict(list)
    for a, b in pairs:
        wanted[a].append(b)
        wanted[b].append(a)
    ranks = {}
    transposed = vectors.T.tocsc()
    rows = sorted(wanted)
    for start in range(0, len(rows), 512):
        chunk = rows[start : start + 512]
        sims = (vectors[chunk] @ transposed).toarray()
        for k, a in enumerate(chunk):
            sims[k, a] = -1.0
            for b in wanted[a]:
                ranks[a, b] = int((sims[k] > sims[k, b]).sum()) + 1
    return ranks


def feminine_dual(word: str, surface: collections.Counter) -> int:
    """How often a word in ة takes a dual (خطوتين, أغنيتين): a plural never does (no أسلحتين)."""
    if not word.endswith("ه"):
        return 0
    return sum(surface[p + word[:-1] + x] for x in ("تين", "تان") for p in ("", "ال"))


def is_feminine(word: str, surface: collections.Counter) -> bool:
    """Whether a final ه is ة (normalized): ة is written ت before a suffix (دولتها, دولتين), a root ه is not (وجهها)."""
    if not word.endswith("ه"):
        return False
    suffixes = ("ها", "هم", "ه", "ين", "ان", "ي", "نا")
    return sum(surface[word[:-1] + "ت" + x] for x in suffixes) >= sum(surface[word + x] for x in suffixes)


def sound_plural_share(plural: str, singular: str, surface: collections.Counter) -> float:
    """The singular's sound plural (سيدة: سيدات, ناقد: ناقدون) per occurrence of the broken plural: a word whose
    plural is sound is seldom the singular of a look-alike broken one (سيد is not سيدة's plural)."""
    forms = [singular[:-1] + "ات"] if is_feminine(singular, surface) else [singular + "ون", singular + "ين"]
    return sum(surface[p + f] for f in forms for p in ("", "ال")) / (surface[plural] + surface["ال" + plural] + 1)


def article_share(word: str, surface: collections.Counter) -> float:
    """Forms of `word` with the article per bare form."""
    return sum(surface[p + word] for p in ("ال", "وال", "بال")) / (surface[word] + 1)


def judge(vocab: Vocabulary) -> list[dict]:
    """Every candidate pair (each reading of each plural) with its evidence and the decision on it."""
    proposals = {}
    for word in vocab.words:
        if vocab.docs(word) < MIN_DOCS or len(word) < 3:
            continue
        found = {s: t for t, s in candidates(word) if vocab.docs(s) >= MIN_DOCS}
        if found:
            proposals[word] = found
    targets = sorted(set(proposals) | {s for found in proposals.values() for s in found})
    row, vectors = context_vectors(vocab, targets)
    ranks = neighbour_ranks(vectors, [(row[p], row[s]) for p, found in proposals.items() for s in found])
    rows = []
    for plural, found in proposals.items():
        p = row[plural]
        for singular, template in found.items():
            there, back = ranks[p, row[singular]], ranks[row[singular], p]
            rows.append(
                {
                    "plural": plural,
                    "singular": singular,
                    "template": template,
                    "similarity": float(vectors[p].multiply(vectors[row[singular]]).sum()),
                    "close_rank": min(there, back),
                    "far_rank": max(there, back),
                    "plural_docs": vocab.docs(plural),
                    "singular_docs": vocab.docs(singular),
                    "verb": verb_share(plural, vocab.surface),
                    "own_plural": singular_share(plural, vocab.surface),
                    "singular_article": article_share(singular, vocab.surface),
                    "cues": vocab.cue_rate(plural)[0],
                    "cue_rate": vocab.cue_rate(plural)[1],
                    "singular_cue_rate": vocab.cue_rate(singular)[1],
                    "plural_article": article_share(plural, vocab.surface),
                    "adjectives": vocab.agreement(plural)[0],
                    "agreement": vocab.agreement(plural)[1],
                    "singular_adjectives": vocab.agreement(singular)[0],
                    "singular_agreement": vocab.agreement(singular)[1],
                    "sound_plural": sound_plural_share(plural, singular, vocab.surface),
                    "feminine": is_feminine(singular, vocab.surface),
                    "dual": feminine_dual(plural, vocab.surface),
                    "demonstratives": vocab.singular_demonstrative(plural)[0],
                    "singular_demonstrative": vocab.singular_demonstrative(plural)[1],
                }
            )
    return decide(rows, proposals)


def contexts_agree(row: dict) -> bool:
    return row["close_rank"] <= MAX_CLOSE_RANK and row["far_rank"] <= MAX_FAR_RANK


def adjectives_agree_as_plural(row: dict) -> bool:
    """Enough adjectives after the plural with the article, enough of them agreeing as after a plural."""
    return row["adjectives"] >= MIN_AGREEMENT_SEEN and row["agreement"] >= MIN_AGREEMENT


def agreement_shows_plural(row: dict) -> bool:
    """The adjectives after the plural agree as after a plural (الأحداث الأخيرة, الخبراء الدوليين), and, for a
    masculine singular, clearly more often than after it (الحدث الأخير). A feminine singular's adjectives agree
    the same way, so there its own sound plural must be rare instead (سيدة: سيدات, not سيد)."""
    if not adjectives_agree_as_plural(row):
        return False
    if row["feminine"]:
        return row["template"] == "12ات" or row["sound_plural"] <= SOUND_PLURAL_RATIO
    # The singular must look like a masculine singular itself: نفس is followed by its noun (نفس المنطقة), not an
    # adjective, and says nothing here.
    return (
        row["singular_adjectives"] >= MIN_AGREEMENT_SEEN
        and row["singular_agreement"] <= MAX_SINGULAR_AGREEMENT
        and row["agreement"] >= row["singular_agreement"] + AGREEMENT_GAP
    )


def contexts_fair(row: dict) -> bool:
    return row["close_rank"] <= FAIR_CLOSE_RANK and row["far_rank"] <= FAIR_FAR_RANK and agreement_shows_plural(row)


def agreement_stands_in(row: dict) -> bool:
    """Agreement strong enough to stand in for plural cues: close contexts, a masculine singular, and adjectives
    after the plural that clearly agree as after a plural (السواحل الشرقية; الساحل الشرقي)."""
    return (
        contexts_agree(row)
        and not row["feminine"]
        and row["adjectives"] >= STRONG_AGREEMENT_SEEN
        and row["agreement"] >= STRONG_AGREEMENT
        and agreement_shows_plural(row)
    )


def closest_contexts_stand_in(row: dict) -> bool:
    """Contexts about as close as the corpus has (أدخنة, دخان), with the plural's adjectives agreeing as a plural's."""
    return row["close_rank"] <= CLOSEST_RANK and row["far_rank"] <= CLOSEST_FAR_RANK and adjectives_agree_as_plural(row)


def reason_to_reject(row: dict, stop_words: frozenset) -> str:
    """Why a pair is not accepted on its own evidence, or "" to accept it."""
    if row["plural"] in stop_words or row["singular"] in stop_words:
        return "stop word"
    if row["plural"] in NUMERALS or row["singular"] in NUMERALS:
        return "a numeral"
    if row["singular_article"] < MIN_ARTICLE_SHARE:
        return "singular not a noun"
    sound_ending = row["template"] in ("12ات", "12وات")  # ات marks the plural itself: قوات, سنوات
    cued = row["cues"] >= MIN_CUES and row["cue_rate"] >= CUE_FACTOR * row["singular_cue_rate"]
    if not sound_ending and not cued and not agreement_stands_in(row) and not closest_contexts_stand_in(row):
        return "no plural agreement"
    if not contexts_agree(row) and not contexts_fair(row):
        return "contexts differ"
    if (
        row["template"] in SHORT_TEMPLATES
        and row["adjectives"] >= MIN_AGREEMENT_SEEN
        and row["agreement"] < MIN_AGREEMENT
    ):
        return "singular agreement"
    if row["demonstratives"] >= MIN_DEMONSTRATIVES and row["singular_demonstrative"] > MAX_SINGULAR_DEMONSTRATIVE:
        return "singular demonstrative"
    if row["dual"] >= MIN_DUALS:
        return "singular reading"
    if row["verb"] > VERB_RATIO:
        return "verb reading"
    if row["own_plural"] > SINGULAR_RATIO:
        return "singular reading"
    return ""


def decide(rows: list[dict], proposals: dict[str, dict[str, str]]) -> list[dict]:
    """Each pair's reason (or ""), then one singular per plural: the one whose contexts agree best. A second
    reading whose contexts agree too (طرق: طريق, طريقة) makes the plural ambiguous, unless that reading is itself
    a plural of the chosen singular (نقاط: نقطة, or its other plural نقط)."""
    stop_words = analysis.lexicon().stop_words
    by_plural: dict[str, list[dict]] = collections.defaultdict(list)
    for row in rows:
        row["reason"] = reason_to_reject(row, stop_words)
        row["rival"] = ""
        by_plural[row["plural"]].append(row)
    for readings in by_plural.values():
        readings.sort(key=lambda r: (r["far_rank"], r["close_rank"]))
        best = next((r for r in readings if not r["reason"]), None)
        if best is None:
            continue
        if not contexts_agree(best) and best is not readings[0]:
            best["reason"] = "another reading is closer"  # fair contexts are enough only for the closest reading
            continue
        for other in readings:
            if other is best or not contexts_agree(other):
                continue
            if best["singular"] in proposals.get(other["singular"], {}):
                continue
            if other["sound_plural"] > SOUND_PLURAL_RATIO:
                continue  # its own plural is sound: باحث has باحثون, so أبحاث is بحث's
            best["rival"] = other["singular"]
            best["reason"] = "rival singular " + other["singular"]
            break
        for other in readings:
            if other is not best and not other["reason"]:
                other["reason"] = "another reading is closer"
    accepted = {r["plural"]: r for r in rows if not r["reason"]}
    singulars = {r["singular"] for r in accepted.values()}
    for row in accepted.values():
        # A word that is some accepted pair's singular is not also a plural (no chains of mappings).
        if row["plural"] in singulars:
            row["reason"] = "is a singular"
        elif row["singular"] in accepted:
            row["reason"] = "singular is a plural"
    return rows


COLUMNS = [
    "plural",
    "singular",
    "template",
    "similarity",
    "close_rank",
    "far_rank",
    "plural_docs",
    "singular_docs",
    "verb",
    "own_plural",
    "rival",
    "singular_article",
    "cues",
    "cue_rate",
    "singular_cue_rate",
    "plural_article",
    "adjectives",
    "agreement",
    "singular_adjectives",
    "singular_agreement",
    "sound_plural",
    "feminine",
    "dual",
    "demonstratives",
    "singular_demonstrative",
    "reason",
]


def write_candidates(rows: list[dict], path: Path) -> None:
    """All candidates with their evidence (words and numbers only: no corpus text), for review and labelling."""
    with path.open("w", encoding="utf-8") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in sorted(rows, key=lambda r: -r["plural_docs"]):
            f.write("\t".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in COLUMNS) + "\n")


def write_pairs(rows: list[dict], vocab: Vocabulary, path: Path) -> None:
    accepted = sorted((r for r in rows if not r["reason"]), key=lambda r: (-r["plural_docs"], r["plural"]))
    with path.open("w", encoding="utf-8") as f:
        f.write(
            "# Broken plural -> singular, generated by scripts/build_broken_plurals.py (do not edit: re-run it;\n"
            "# fix mistakes in broken_plurals.tsv, which overrides this file).\n"
            f"# Candidates: {len(TEMPLATES)} templates of Arabic broken plurals applied to the bases of\n"
            f"# {vocab.documents} shared-corpus articles (ANT v1.1, SaudiNewsNet: statistics only, no text).\n"
            f"# Kept when both forms are in >= {MIN_DOCS} documents, the singular takes the article, the plural\n"
            f"# follows plural cues (عدة, numerals 3-10, عشرات…) {CUE_FACTOR:g}x as often as the singular, their\n"
            f"# contexts agree (each among the other's nearest words by PPMI cosine, ranks <= {MAX_CLOSE_RANK}\n"
            f"# and {MAX_FAR_RANK}; or <= {FAIR_CLOSE_RANK} and {FAIR_FAR_RANK} with plural adjective agreement), no\n"
            "# rival singular passes too, and the plural has no verb, singular or demonstrative-singular reading.\n"
            f"# {len(accepted)} of {len(rows)} candidates accepted.\n"
            "# plural\tsingular\ttemplate\tsimilarity\tplural_docs\tsingular_docs\n"
        )
        for r in accepted:
            f.write(
                f"{r['plural']}\t{r['singular']}\t{r['template']}\t{r['similarity']:.3f}\t{r['plural_docs']}\t"
                f"{r['singular_docs']}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--candidates", help="also write every candidate with its evidence here (TSV)")
    args = parser.parse_args()
    vocab = Vocabulary(Path(args.corpus))
    print(f"{vocab.documents} articles, {len(vocab.words)} bases, {len(vocab.stream)} positions")
    rows = judge(vocab)
    out = analysis.DATA_DIR / analysis.GENERATED_PLURALS
    write_pairs(rows, vocab, out)
    if args.candidates:
        write_candidates(rows, Path(args.candidates))
    print(f"{out}: {sum(1 for r in rows if not r['reason'])} of {len(rows)} candidates accepted")


if __name__ == "__main__":
    main()
