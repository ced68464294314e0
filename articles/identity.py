"""An article's identity: its headline and text as the content hash reads them, so that spellings of one article
that no reader can tell apart give one article. Pure: no Django imports.

Folded here: Unicode compatibility forms (NFKC: presentation forms, lam-alef ligatures, full-width letters, NBSP),
invisible marks (ZWSP, ZWNJ, ZWJ, word joiner, soft hyphen, BOM, every bidi mark), tashkeel and Quranic marks,
tatweel, the alef forms (أ إ آ ٱ → ا), and every run of whitespace (CRLF, tabs, NBSP) to one space.

Kept apart: ة/ه, ى/ي and the hamza seats, which the search analyzer folds. They are spellings a paper chooses,
and two texts differing in them were written differently, not copied with a different keyboard. Identity is
fixed on purpose and does not follow the analyzer (articles/search/analysis.py), whose version changes as search
improves: changing `identity_text` changes every content hash, and needs a migration that recomputes them and
merges the articles that become equal (as 0020_identity_hash does).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Marks no reader sees. Removed before NFKC, so that NFKC sees the letters they stood between side by side.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Tashkeel, Quranic annotation marks and tatweel. Removed after NFKC, which can leave them (ﱞ is a space and marks).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
# أ إ آ ٱ ٲ ٳ → ا. Replaced one form at a time: str.translate with a table costs 80 ns a character on Arabic text
# (most of an import's hashing), a replace of a form the text mostly lacks about 1.
_ALEF_FORMS = ("\u0623", "\u0625", "\u0622", "\u0671", "\u0672", "\u0673")


def identity_text(text: str) -> str:
    """`text` as identity reads it (see the module's docstring); identity_text(identity_text(t)) == identity_text(t)."""
    text = _INVISIBLE.sub("", text or "")
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):  # the quick check: most news text already is
            text = unicodedata.normalize("NFKC", text)
        text = _MARKS.sub("", text)
        for form in _ALEF_FORMS:
            if form in text:
                text = text.replace(form, "\u0627")
        if not unicodedata.is_normalized("NFKC", text):  # a mark removed from between two letters NFKC joins
            text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def identity_hash(title: str, body: str) -> str:
    """The content hash: SHA-256 of the headline and the text as identity reads them."""
    text = identity_text(title) + "\n" + identity_text(body)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
