"""Plain-text article pages (text copied or scraped from a news site) and the per-site knowledge needed to clean them.

Page layout assumed, top to bottom:

    headline                      first non-empty line
    credit / captions / byline    short lines: agency credit ("أ ش أ") -> credit, "كتب ..." -> author,
                                  a date line -> published_at, anything else short -> image caption, dropped
    body paragraphs               until the site's footer starts
    footer                        site boilerplate: follow-us lines, "most read", other headlines, app badges

Adding a site = adding one SiteProfile to PROFILES: how to recognize its pages and where its footer starts.
Sites without a profile get GENERIC, which only cuts at common footer markers when no real paragraph follows them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .records import FileProblem, ParsedArticle
from .sources import source_key_for_url
from .textutil import clean_line, join_paragraphs, normalize_inline, parse_date_line


@dataclass(frozen=True)
class SiteProfile:
    name: str
    source_key: str = ""
    detect: tuple[re.Pattern[str], ...] = ()
    """A page is this site's when any of these is found anywhere in the text."""
    footer_start: tuple[re.Pattern[str], ...] = ()
    """The first body line matching one of these (re.search) starts the footer: it and everything after it go."""
    junk_lines: tuple[re.Pattern[str], ...] = ()
    """Whole lines (re.fullmatch) to drop wherever they appear in the body."""


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_YOUM7_FOLLOW = _rx(r"تابع\s+آخر\s+أخبار\s+اليوم\s+السابع")

YOUM7 = SiteProfile(
    name="youm7",
    source_key="youm7",
    detect=(_YOUM7_FOLLOW, _rx(r"youm7\.com", re.IGNORECASE), _rx(r"Youm7\s+Appl?i?cation\s+Icons", re.IGNORECASE)),
    footer_start=(
        _YOUM7_FOLLOW,  # "Google News تابع آخر أخبار اليوم السابع على Google News"
        _rx(r"^Trending\s+Plus$", re.IGNORECASE),
        _rx(r"^اليوم\s+السابع\s+Trending$", re.IGNORECASE),
        _rx(r"^الأكثر\s+قراءة$"),
        _rx(r"^لا\s+يفوتك$"),
        _rx(r"^المزيد\s+من\s+Trending\s+Plus$", re.IGNORECASE),
        _rx(r"^Youm7\s+Appl?i?cation\s+Icons", re.IGNORECASE),
    ),
)

GENERIC = SiteProfile(
    name="generic",
    junk_lines=(
        _rx(
            r"شارك(?:\s+(?:الخبر|المقال|هذا\s+المقال|على))?|طباعة|حفظ|أرسل\s+لصديق|إرسال|تكبير\s+الخط|تصغير\s+الخط"
            r"|فيسبوك|فيس\s*بوك|تويتر|واتساب|واتس\s*اب|تليجرام|تلغرام|لينكدإن|إكس"
            r"|facebook|twitter|whatsapp|telegram|linkedin|email|e-mail|share|tweet|print|google\s+news"
            r"|a\s*a|a-|a\+",
            re.IGNORECASE,
        ),
    ),
)

#: Site profiles, tried in order; the first whose ``detect`` matches wins. GENERIC is the fallback.
PROFILES: tuple[SiteProfile, ...] = (YOUM7,)


def select_profile(text: str) -> SiteProfile:
    for profile in PROFILES:
        if any(pattern.search(text) for pattern in profile.detect):
            return profile
    return GENERIC


# ---------------------------------------------------------------------------------------------------------------
# Credit, byline and caption lines under the headline

_AGENCIES = frozenset(
    "".join(name.split()).translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})).lower()
    for name in (
        "أ ش أ",
        "أ ف ب",
        "أ ب",
        "د ب أ",
        "رويترز",
        "وكالات",
        "وكالات الأنباء",
        "الأناضول",
        "وكالة الأناضول",
        "واس",
        "وام",
        "قنا",
        "كونا",
        "بنا",
        "سبوتنيك",
        "بترا",
        "سانا",
        "وفا",
        "واج",
        "وات",
        "ومع",
        "شينخوا",
        "فرانس برس",
        "أسوشيتد برس",
        "يو بي آي",
        "إرنا",
        "العمانية",
        "الأناضول للأنباء",
        "afp",
        "reuters",
        "ap",
        "dpa",
        "ap photo",
        "anadolu",
        "xinhua",
        "mena",
    )
)
_CREDIT_SEPARATORS = re.compile(r"\s*[-–—،,/|+]\s*")
_BRACKETS = "()[]{}«»\"'“”"
_AGENCY_SQUEEZE = re.compile(r"[\s.\u0640]+")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_SENTENCE_PUNCTUATION = re.compile(r"[.!?؟:؛;،]")
_AUTHOR_LINE = re.compile(
    r"(?:كتب|كتبت|كتبه|كتبها|بقلم|إعداد|اعداد|تقرير|متابعة|تحرير|by)\s*[:\-–—]?\s+(\S.{1,80})", re.IGNORECASE
)
_URL_LINE = re.compile(r"(?:المصدر\s*[:：]\s*|الرابط\s*[:：]\s*|source\s*:\s*)?(https?://\S+)", re.IGNORECASE)
_MAX_TOP_LINES = 8  # how many short lines under the headline can be credit / captions / byline / date
_MAX_CAPTIONS = 4
_MAX_TITLE_CHARS = 300  # a longer first line is a paragraph, not a headline


def _agency(part: str) -> bool:
    squeezed = _AGENCY_SQUEEZE.sub("", part.strip(_BRACKETS + " ")).translate(_ALEF).lower()
    return squeezed in _AGENCIES


def match_credit(line: str) -> str:
    """ "أ ش أ", "(أ ف ب)", "وكالات - رويترز", "القاهرة - أ ش أ" -> the agency credit; anything else -> ""."""
    if len(line) > 60:
        return ""
    inner = line.strip(_BRACKETS + " ")
    parts = [p for p in _CREDIT_SEPARATORS.split(inner) if p.strip(_BRACKETS + " ")]
    if not parts:
        return ""
    if all(_agency(p) for p in parts):
        return " - ".join(p.strip(_BRACKETS + " ") for p in parts)
    # dateline form: "القاهرة - أ ش أ", "الرياض (واس)"
    if len(parts) == 1 and "(" in inner:
        city, _, rest = inner.partition("(")
        if len(city.split()) <= 2 and _agency(rest):
            return rest.strip(_BRACKETS + " ")
    if len(parts) >= 2 and _agency(parts[-1]) and all(len(p.split()) <= 2 for p in parts[:-1]):
        return parts[-1].strip(_BRACKETS + " ")
    return ""


def match_author(line: str) -> str:
    m = _AUTHOR_LINE.fullmatch(line)
    if not m:
        return ""
    name = m.group(1).strip(" :.-–—")
    if len(name.split()) > 6 or _SENTENCE_PUNCTUATION.search(name.replace("،", "")):
        return ""
    return name


def is_caption(line: str) -> bool:
    """Image captions / photo credits under a headline: a few words, no sentence punctuation."""
    return len(line.split()) <= 4 and not _SENTENCE_PUNCTUATION.search(line)


# ---------------------------------------------------------------------------------------------------------------
# Footer markers of sites without a profile

# (pattern matched at the start of the line, maximum words for the line to count as a marker)
_GENERIC_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (_rx(r"(?:اقرأ|إقرأ|اقرا|إقرا)\s+(?:أيضا|أيضًا|أيضاً|ايضا|ايضاً|ايضًا|المزيد)"), 25),
    (_rx(r"الأكثر\s+(?:قراءة|قراءه|مشاهدة|تداولا|تداولاً|تعليقا)"), 4),
    (_rx(r"لا\s+يفوتك"), 3),
    (_rx(r"شارك(?:\s+(?:الخبر|المقال|هذا\s+المقال|عبر|على))?$"), 4),
    (_rx(r"(?:تابعونا|تابعنا)\s+(?:على|عبر)"), 8),
    (_rx(r"(?:مواضيع|موضوعات|أخبار|اخبار|مقالات)\s+(?:ذات\s+صلة|متعلقة|مشابهة|مقترحة)"), 5),
    (_rx(r"(?:الكلمات|كلمات)\s+(?:المفتاحية|الدالة|دالة)"), 30),
    (_rx(r"جميع\s+الحقوق\s+محفوظة|حقوق\s+النشر\s+محفوظة|©"), 20),
    (_rx(r"(?:related\s+(?:articles|news)|read\s+(?:also|more)|share\s+this)", re.IGNORECASE), 8),
)
_READ_ALSO = _GENERIC_MARKERS[0][0]
_LEADING_BULLETS = " -–—•*·:>»«|"
_SENTENCE_END = re.compile(r"[.!]['\"»”)]?$")


# All markers in one pattern: most lines are rejected by a single regex call.
_ANY_GENERIC_MARKER = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _GENERIC_MARKERS), re.IGNORECASE)


def _is_generic_marker(line: str) -> bool:
    stripped = line.strip(_LEADING_BULLETS)
    if not _ANY_GENERIC_MARKER.match(stripped):
        return False
    words = len(stripped.split())
    return any(pattern.match(stripped) and words <= max_words for pattern, max_words in _GENERIC_MARKERS)


def _is_real_paragraph(line: str) -> bool:
    return len(line.split()) >= 10 and _SENTENCE_END.search(line) is not None


def _cut_generic_footer(lines: list[str]) -> list[str]:
    """A marker with no real paragraph after it starts the footer; a marker followed by more article text is an
    inline link ("اقرأ أيضا: ...") and only that line (plus the linked headline on its own line) is dropped."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_generic_marker(line):
            if not any(_is_real_paragraph(rest) for rest in lines[i + 1 :]):
                break
            bare = len(line.strip(_LEADING_BULLETS).split()) <= 3
            i += 1
            if (
                bare
                and _READ_ALSO.match(line.strip(_LEADING_BULLETS))
                and i < len(lines) - 1
                and not _is_real_paragraph(lines[i])
                and len(lines[i].split()) <= 20
            ):
                i += 1  # the linked headline
            continue
        out.append(line)
        i += 1
    return out


def _cut_site_footer(lines: list[str], profile: SiteProfile) -> list[str]:
    for index, line in enumerate(lines):
        if any(pattern.search(line) for pattern in profile.footer_start):
            return lines[:index]
    return lines


def _drop_junk(lines: list[str], profiles: Sequence[SiteProfile]) -> list[str]:
    patterns = [p for profile in profiles for p in profile.junk_lines]
    if not patterns:
        return lines
    return [line for line in lines if not any(p.fullmatch(line) for p in patterns)]


# ---------------------------------------------------------------------------------------------------------------
# Trailing contact / "more" lines (SaudiNewsNet and similar)

_MORE_LINE = _rx(r"\.{2,}\s*المزيد|المزيد\s*\.{2,}")  # aawsat "...المزيد"
# okaz "للتواصل أرسل رسالة نصية sms إلى 88548 ..." and almadina "للتواصل مع الكاتب ارسل رسالة SMS" followed by a
# few short lines ("تبدأ بالرمز (3) ...", "88591 - Stc", "737221 - Zain"); almadina sometimes glues it to the
# writer's e-mail on one line ("x@y.comللتواصل مع الكاتب ...").
_SMS_FOOTER = _rx(r"للتواصل(?:\s+مع\s+الكاتب)?\s+(?:أرسل|ارسل)\s+(?:رسالة\s+(?:نصية\s+)?)?sms\b", re.IGNORECASE)
_SMS_FOOTER_LOOKBACK = 6


def strip_trailing_footer_lines(lines: list[str]) -> list[str]:
    """Drop known contact / "read more" footers from the end of a list of paragraphs (exact patterns only)."""
    lines = list(lines)
    while lines and _MORE_LINE.fullmatch(lines[-1]):
        lines.pop()
    for index in range(len(lines) - 1, max(len(lines) - 1 - _SMS_FOOTER_LOOKBACK, -1), -1):
        m = _SMS_FOOTER.search(lines[index])
        if m and all(len(line.split()) <= 12 for line in lines[index + 1 :]):
            head = lines[index][: m.start()].strip()
            lines[index:] = [head] if head else []
            break
    return lines


# ---------------------------------------------------------------------------------------------------------------


@dataclass
class _PageMeta:
    """What a page says about its article besides the text: met in the lines under the headline or closing it."""

    credit: str = ""
    author: str = ""
    url: str = ""
    published_at: datetime.datetime | None = None


def parse_plain_text(text: str, origin: str) -> ParsedArticle | FileProblem:
    """Headline, credit, byline, date and clean body from a plain-text article page. ``raw`` is ``text`` unchanged."""
    lines = [cleaned for cleaned in (clean_line(line) for line in text.splitlines()) if cleaned]
    if not lines:
        return FileProblem(origin, "empty file (no visible text)")
    profile = select_profile(text)

    title = lines[0]
    rest = lines[1:]
    if len(title) > _MAX_TITLE_CHARS:
        title, rest = "", lines
    while rest and title and rest[0] == title:  # pages often repeat the headline (page title + h1)
        rest = rest[1:]

    meta = _PageMeta()
    body = _after_top_lines(rest, meta)
    body = _cut_site_footer(body, profile)
    body = _cut_generic_footer(body)
    body = _drop_junk(body, (profile, GENERIC) if profile is not GENERIC else (GENERIC,))
    body = _without_trailing_metadata(strip_trailing_footer_lines(body), meta)

    source_key = profile.source_key or (source_key_for_url(meta.url) if meta.url else "")
    return ParsedArticle(
        title=normalize_inline(title),
        body=join_paragraphs(body),
        raw=text,
        origin=origin,
        format="text",
        credit=normalize_inline(meta.credit),
        author=normalize_inline(meta.author),
        url=meta.url,
        published_at=meta.published_at,
        source_key=source_key,
    )


def _after_top_lines(rest: list[str], meta: _PageMeta) -> list[str]:
    """The lines after the credit, byline, date, URL and photo captions under the headline (read into `meta`)."""
    captions: list[str] = []
    start = 0
    while start < len(rest) and start < _MAX_TOP_LINES:
        line = rest[start]
        found_credit = "" if meta.credit else match_credit(line)
        found_author = "" if meta.author or found_credit else match_author(line)
        found_date = None if found_credit or found_author else parse_date_line(line)
        url_match = _URL_LINE.fullmatch(line)
        if found_credit:
            meta.credit = found_credit
        elif found_author:
            meta.author = found_author
        elif found_date is not None:
            meta.published_at = meta.published_at or found_date
        elif url_match:
            meta.url = meta.url or url_match.group(1)
        elif is_caption(line):
            captions.append(line)
        else:
            break
        start += 1
    body = rest[start:]
    if captions and (not body or start >= _MAX_TOP_LINES or len(captions) > _MAX_CAPTIONS):
        # More short lines than any photo block has (a list, verses, a live ticker), or nothing else: they are the
        # text after all.
        body = captions + body
    return body


def _without_trailing_metadata(body: list[str], meta: _PageMeta) -> list[str]:
    """A date or source-URL line closing the article is metadata, not text: read into `meta`, and cut."""
    while body:
        trailing_date = parse_date_line(body[-1])
        url_match = _URL_LINE.fullmatch(body[-1])
        if trailing_date is not None:
            meta.published_at = meta.published_at or trailing_date
        elif url_match:
            meta.url = meta.url or url_match.group(1)
        else:
            break
        body = body[:-1]
    return body
