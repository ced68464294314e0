"""What makes two articles copies of one story: word shingles of our analyzer's stems, MinHash, LSH bands.

    stems = story_stems(lead, body)      # the analyzer's index terms, stop words dropped (search.analysis)
    print = fingerprint(stems)           # its shingles (every run of SHINGLE_WORDS stems) and its facts
    keys = band_keys(print.marks)        # a MinHash signature cut into LSH bands: copies share at least one
    same_story(print, other_print)       # the decision, from exact set overlaps

Pure Python with no Django imports (datasketch draws the MinHash permutations), tested without a database.

Why these choices, for the edits reprints really make (measured by bench/stories_bench.py, docs/stories.md):
- Stems, not raw words: spelling, diacritics, hamza seats and clitics differ between papers, not between stories.
- The headline is left out: papers rewrite it; the lead and body carry the story.
- Containment, not Jaccard: a wire cut to its first half lies wholly inside the original, though its Jaccard
  similarity is one half. The bands are narrow (2 rows) so that such halves still meet as candidates; the exact
  check decides.
- Facts, not just wording: templated news (a congratulation cable to another head of state, a weather bulletin or
  a market report of another day) shares most of its wording and differs in its names and numbers. A copy keeps
  them: nearly every number and rare word of the shorter text must be in the longer one.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache

import numpy as np

from ..search import analysis

SHINGLE_WORDS = 3
NUM_PERM = 62
# 31 bands of 2 rows: a copy cut to a third of the original (Jaccard 0.33) shares a band 97% of the time, two
# unrelated articles (Jaccard under 0.01) 0.3%. Three rows missed one such copy in three (bench/stories_bench.py).
BAND_ROWS = 2
BANDS = NUM_PERM // BAND_ROWS
SCHEME = "affine32"  # datasketch 2's default, fixed here: stored band keys must not change with a new release
MAX_SHINGLES = 600  # the first 600 word runs identify a story; a long feature costs no more to fingerprint
MIN_SHINGLES = 8  # fewer runs than this (a caption, a one-line brief) is too little text to call a copy
RARE_EVIDENCE = 2000  # a stem seen fewer times per 100 million words is a fact (a name, a place) for same_story
# The decision (bench/stories_bench.py measures it; docs/stories.md has the curve): the shorter text's wording
# mostly inside the longer, and its facts nearly all there.
MIN_CONTAINMENT = 0.8
MAX_MISSING_FACTS = 0.05


@dataclasses.dataclass(frozen=True, eq=False)
class Fingerprint:
    # The shingles, each as its 32-bit hash (datasketch's sha1_hash32), sorted and unique: 4 bytes a shingle where
    # a set of Python ints took about 60, so an import keeps ten times the candidates' prints in its cache, and
    # sends a new article's print from a worker to the main process as one block of bytes.
    marks: np.ndarray
    facts: frozenset[str]  # numbers and rare stems

    def __eq__(self, other) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return self.facts == other.facts and np.array_equal(self.marks, other.marks)

    def __reduce__(self):
        # As one block of bytes and one string, it pickles about ten times faster than as a dataclass of two sets.
        return _unpacked, (self.marks.tobytes(), "\n".join(self.facts))


def _unpacked(marks: bytes, facts: str) -> Fingerprint:
    return Fingerprint(
        _marks(np.frombuffer(marks, dtype=np.uint32)), frozenset(facts.split("\n")) if facts else frozenset()
    )


def _marks(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False  # shared by every reader of the print
    return values


def story_stems(lead: str, body: str) -> list[str]:
    """The index terms of the lead and body, in order, stop words dropped."""
    tokens = analysis.tokenize(f"{lead}\n{body}") if (lead or body) else []
    return [t for t in analysis.term_list(tokens) if t is not None]


def index_stems(*fields: str) -> list[str]:
    """story_stems() again, from fields as the search index holds them (search.document.analyzed_fields: stems
    joined by spaces, a stop word kept as a placeholder): an import analyzes each text once, for both."""
    from ..search.document import STOP

    return [s for field in fields for s in field.split() if s != STOP]


def fingerprint(stems: list[str]) -> Fingerprint:
    # The first MAX_SHINGLES runs of SHINGLE_WORDS stems, each hashed as datasketch's sha1_hash32 hashes it (the
    # first 4 bytes of its SHA-1, little-endian), but read from the digests joined into one buffer: the same
    # marks, without a Python call and a struct.unpack per shingle (a third of the fingerprint's time).
    words = [s.encode() for s in stems[: MAX_SHINGLES + SHINGLE_WORDS - 1]]
    runs = zip(*(words[i : MAX_SHINGLES + i] for i in range(SHINGLE_WORDS)))
    digests = b"".join([hashlib.sha1(b" ".join(run)).digest() for run in runs])
    hashes = np.frombuffer(digests, dtype="<u4")[::_SHA1_WORDS].astype(np.uint32)
    # A fact is a stem rarer than RARE_EVIDENCE, or a number: the article's stems less the common words, in C.
    facts = frozenset(set(stems) - _common_stems())
    return Fingerprint(_marks(np.unique(hashes)), facts)


_SHA1_WORDS = hashlib.sha1().digest_size // 4  # 32-bit words in a digest


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    """The stems that are never facts: attested RARE_EVIDENCE times or more, and not numbers."""
    evidence = analysis.lexicon().evidence
    return frozenset(s for s, n in evidence.items() if n >= RARE_EVIDENCE and not s.isdigit())


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # datasketch draws the permutations (seed 1, its affine32 scheme), once per process; band_keys applies them.
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def prepare() -> None:
    """Import datasketch, draw the permutations and list the common stems now: a process about to fork workers
    does it once for all of them."""
    _permutations()
    _common_stems()


def _premixed(marks: np.ndarray) -> np.ndarray:
    """datasketch's affine32 pre-mix of each input hash (MurmurHash3's 32-bit finalizer), in uint32 arithmetic."""
    h = marks ^ (marks >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_BAND_SALTS = [bytes([band]) for band in range(BANDS)]


def band_keys(marks: np.ndarray) -> list[int]:
    """One 32-bit key per LSH band (the band's number is hashed in, so equal keys mean the same band agrees)."""
    if len(marks) < MIN_SHINGLES:
        return []
    # The MinHash signature as datasketch's MinHash(scheme="affine32").update_batch(marks) makes it, without the
    # object: the least of a * premixed + b (mod 2**32) over the marks, for each permutation (a, b).
    a, b = _permutations()
    values = (_premixed(marks).reshape(-1, 1) * a + b).min(axis=0)
    packed, width = values.tobytes(), values.itemsize * BAND_ROWS
    keys = []
    for band, salt in enumerate(_BAND_SALTS):
        digest = hashlib.blake2b(packed[band * width : (band + 1) * width], digest_size=4, salt=salt).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))  # PostgreSQL's integer is signed
    return keys


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """How much of the smaller set of marks the other holds: 1.0 for a cut-down copy, near 0 for two stories."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) < MIN_SHINGLES:
        return 0.0
    return np.intersect1d(small, large, assume_unique=True).size / len(small)


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """How alike two texts are as copies of one story: their containment, or 0.0 when their facts disagree."""
    shorter, longer = (a, b) if len(a.marks) <= len(b.marks) else (b, a)
    score = containment(a.marks, b.marks)
    if score < MIN_CONTAINMENT:
        return 0.0
    if shorter.facts and len(shorter.facts - longer.facts) > MAX_MISSING_FACTS * len(shorter.facts):
        return 0.0
    return score


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    return similarity(a, b) > 0.0


MAX_CANDIDATES = 4  # checked per new article, those sharing the most bands first


def ranked_candidates(bands: list[int], by_band, accept) -> list:
    """The items sharing a band with `bands` (by_band: band key → items), most bands shared first, at most
    MAX_CANDIDATES of those `accept(item)` lets through. A copy shares many bands; a chance meeting, one."""
    shared: dict = {}
    for key in bands:
        for item in by_band.get(key, ()):
            shared[item] = shared.get(item, 0) + 1
    ordered = sorted(shared, key=shared.__getitem__, reverse=True)
    return [item for item in ordered if accept(item)][:MAX_CANDIDATES]


def first_copy(print_: Fingerprint, candidates) -> object | None:
    """The first of (key, Fingerprint) candidates that `print_` is a copy of, or None.

    A new copy joins one group at most: two groups it resembles stay two (a wrong merge hides a story)."""
    for key, other in candidates:
        if same_story(print_, other):
            return key
    return None
