"""Known publications and the mapping from whatever an input file calls its source to one normalized key.

Keys are short lower-case ASCII ids (the SaudiNewsNet ``source`` values are used as-is). Unknown sources still get a
stable key: the bare domain for URLs/domains, a slug for names.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# SaudiNewsNet's fourteen papers (domains taken from the article URLs in the corpus)
_SAUDINEWSNET: dict[str, tuple[str, str]] = {
    "alriyadh": ("الرياض", "alriyadh.com"),
    "aljazirah": ("الجزيرة", "al-jazirah.com"),
    "alyaum": ("اليوم", "alyaum.com"),
    "aleqtisadiya": ("الاقتصادية", "aleqt.com"),
    "aawsat": ("الشرق الأوسط", "aawsat.com"),
    "okaz": ("عكاظ", "okaz.com.sa"),
    "alwatan": ("الوطن", "alwatan.com.sa"),
    "almadina": ("المدينة", "al-madina.com"),
    "alweeam": ("الوئام", "alweeam.com.sa"),
    "3alyoum": ("عين اليوم", "3alyoum.com"),
    "sabq": ("سبق", "sabq.org"),
    "was": ("واس - وكالة الأنباء السعودية", "spa.gov.sa"),
    "arreyadi": ("الرياضي", "arreyadi.com.sa"),
    "arriyadiyah": ("الرياضية", "arriyadiyah.com"),
}

#: key -> (Arabic display name, domain)
KNOWN_SOURCES: dict[str, tuple[str, str]] = {
    "youm7": ("اليوم السابع", "youm7.com"),
    "jawharafm": ("جوهرة أف أم", "jawharafm.net"),
    **_SAUDINEWSNET,
}

#: The publications of each shared corpus, by key: what the credits page names and licenses.
ANT_SOURCES = frozenset({"jawharafm"})
SAUDINEWSNET_SOURCES = frozenset(_SAUDINEWSNET)

#: ANT corpus category key -> Arabic topic name
CATEGORY_NAMES: dict[str, str] = {
    "localNews": "وطنية",
    "sport": "رياضة",
    "internationalNews": "دولية",
    "society": "مجتمع",
    "politic": "سياسة",
    "diverse": "متفرقات",
    "economy": "اقتصاد",
    "culture": "ثقافة",
    "technology": "تكنولوجيا",
}

# Other spellings of known sources, compared after _compact() (lower case, no spaces/punctuation, alef variants
# unified). Generic Arabic names that several papers share ("الوطن", "الجزيرة", "اليوم", "المدينة", "الرياضية"...)
# are deliberately NOT listed: mapping Qatar's or Egypt's "الوطن" onto the Saudi one would be worse than a new key.
_ALIASES: dict[str, str] = {
    "youm7": "youm7",
    "alyoum7": "youm7",
    "اليومالسابع": "youm7",
    "jawharafm": "jawharafm",
    "jawhara": "jawharafm",
    "جوهرهافام": "jawharafm",
    "الجوهرهافام": "jawharafm",
    "asharqalawsat": "aawsat",
    "alsharqalawsat": "aawsat",
    "sharqalawsat": "aawsat",
    "الشرقالاوسط": "aawsat",
    "عكاظ": "okaz",
    "الوئام": "alweeam",
    "ainalyoum": "3alyoum",
    "عيناليوم": "3alyoum",
    "سبق": "sabq",
    "صحيفهسبق": "sabq",
    "saudipressagency": "was",
    "spa": "was",
    "واس": "was",
    "وكالهالانباءالسعوديه": "was",
    "واسوكالهالانباءالسعوديه": "was",
    "aleqt": "aleqtisadiya",
    "arreyadiyah": "arriyadiyah",  # the SaudiNewsNet README's spelling; the data says arriyadiyah
}

_DOMAIN_TO_KEY: tuple[tuple[str, str], ...] = tuple((domain, key) for key, (_, domain) in KNOWN_SOURCES.items())
_DOMAIN_LIKE = re.compile(r"[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?::\d+)?(?:/.*)?")
_NON_WORD = re.compile(r"[\W_]+")
# Harakat and tatweel are not word characters to the regex engine; drop them so they do not split a name.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEF_TA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
_MAX_KEY_LENGTH = 100


def _compact(value: str) -> str:
    return _NON_WORD.sub("", value.lower()).translate(_ALEF_TA)


def _key_for_host(host: str) -> str:
    host = host.strip(".").lower()
    for domain, key in _DOMAIN_TO_KEY:
        if host == domain or host.endswith("." + domain):
            return key
    return host.removeprefix("www.")


def source_key_for(value: str) -> str:
    """Normalize a raw source value: a key ("alriyadh"), a name ("Jawhara FM"), a domain ("www.alriyadh.com") or a
    URL. Known sources map to their key; unknown domains to the domain without "www."; unknown names to a lower-case
    slug ("Al Masry Al Youm" -> "al-masry-al-youm"). Empty input gives ""."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return ""
    lowered = _DIACRITICS.sub("", text.lower())
    if lowered in KNOWN_SOURCES:
        return lowered
    if "://" in lowered:
        try:
            host = urlsplit(lowered).hostname
        except ValueError:
            host = None
        if host:
            return _key_for_host(host)[:_MAX_KEY_LENGTH]
    if " " not in lowered and _DOMAIN_LIKE.fullmatch(lowered):
        host = lowered.split("/", 1)[0].split(":", 1)[0]
        return _key_for_host(host)[:_MAX_KEY_LENGTH]
    compact = _compact(lowered)
    if compact in KNOWN_SOURCES:
        return compact
    if compact in _ALIASES:
        return _ALIASES[compact]
    slug = _NON_WORD.sub("-", lowered).strip("-")
    return slug[:_MAX_KEY_LENGTH] or ""


def source_key_for_url(url: str) -> str:
    """Key of the publication a URL belongs to, "" when the URL has no host."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return ""
    return _key_for_host(host)[:_MAX_KEY_LENGTH] if host else ""


def display_name(key: str) -> str:
    """Arabic name for a known key, else the key itself."""
    known = KNOWN_SOURCES.get(key)
    return known[0] if known else key
