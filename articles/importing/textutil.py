"""Small text helpers shared by the format parsers: line cleaning, paragraph joining, presentation-form folding,
entity unescaping and date parsing. Deliberately no Arabic letter normalization (that belongs to the search analyzer)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from email.utils import parsedate_to_datetime

# Invisible characters that scrapers and old exports leave at line ends (zero-width spaces and joiners, direction
# marks, word joiner, BOM). Stripped at the edges of lines only: inside words ZWNJ can be meaningful.
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Arabic presentation forms (ligatures and positional glyphs from PDFs / cp1256 exports). U+FEFF is excluded: it is
# the BOM / zero-width no-break space, handled as junk above.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def fold_presentation_forms(text: str) -> str:
    """NFKC only the Arabic presentation-form runs (NFKC on everything would also rewrite ellipses, superscripts...)."""
    if not _PRESENTATION.search(text):
        return text
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def clean_line(line: str) -> str:
    """Collapse runs of whitespace to one space and strip whitespace and zero-width junk at both ends."""
    if "\ufeff" in line:
        line = line.replace("\ufeff", "")
    return " ".join(line.split()).strip(_ZERO_WIDTH).strip()


def paragraphs(text: str) -> list[str]:
    """Cleaned non-empty lines of ``text``; every line is one paragraph (CR, LF and CRLF all end a line)."""
    out: list[str] = []
    for line in text.splitlines():
        cleaned = clean_line(line)
        if cleaned:
            out.append(cleaned)
    return out


def join_paragraphs(lines: Iterable[str]) -> str:
    return fold_presentation_forms("\n\n".join(lines))


def normalize_block(text: str) -> str:
    """Body / lead text: one paragraph per non-empty line, joined with a blank line."""
    return join_paragraphs(paragraphs(text))


def normalize_inline(text: str) -> str:
    """Title / short field: everything on one line."""
    return fold_presentation_forms(clean_line(text))


def unescape_entities(text: str) -> str:
    """Unescape only the XML entities (and numeric references). html.unescape() would also turn text such as
    "&copy" or "&not" without a semicolon into symbols, which raw-ampersand TREC files do contain."""
    if "&" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        named, decimal, hexadecimal = m.groups()
        if named:
            return _NAMED_ENTITIES[named]
        code = int(decimal) if decimal else int(hexadecimal, 16)
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            # As HTML does: NUL cannot be stored in PostgreSQL text, and a lone surrogate cannot even be encoded.
            return "\ufffd"
        return chr(code) if code <= 0x10FFFF else m.group()

    return _ENTITY.sub(replace, text)


_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def storable(text: str) -> str:
    """Text that PostgreSQL can store and that every output format can carry: C0 control characters other than tab
    and line breaks dropped (NUL cannot be stored; the others are not allowed in XML 1.0, so one in a headline would
    break the Atom feeds), lone surrogates (from escapes such as "\\ud83d" or "&#xD800;") replaced by U+FFFD."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", text)


_WEB_URL = re.compile(r"https?://[^\s/?#]", re.IGNORECASE)


def web_url(url: str) -> tuple[str, str | None]:
    """(url, None) for an absolute http(s) address; ("", note) for anything else. The archive shows the original
    URL as a link, and a "javascript:" or "data:" link from an imported file would run in the journalist's browser."""
    url = url.strip()
    if not url or _WEB_URL.match(url):
        return url, None
    return "", f"original URL dropped: not an http(s) address ({url[:60]!r})"


# ---------------------------------------------------------------------------------------------------------------
# Dates

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_ISO_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_EPOCH = re.compile(r"-?\d{9,13}(?:\.\d+)?")


DATE_NOTE = "تاريخ"  # every note about a dropped date starts so: the report counts them


def date_dropped_note(value: str) -> str:
    return f"{DATE_NOTE} غير مفهوم أو غير معقول «{value[:60]}»: خُزّن المقال بلا تاريخ"


def date_out_of_bounds_note(value: datetime.datetime, earliest: datetime.date, latest: datetime.date) -> str:
    return (
        f"{DATE_NOTE} خارج الحدود المقبولة ({earliest.isoformat()} إلى {latest.isoformat()}) "
        f"«{value.isoformat()[:25]}»: خُزّن المقال بلا تاريخ"
    )


def _valid(dt: datetime.datetime | None) -> datetime.datetime | None:
    if dt is None or not (_MIN_YEAR <= dt.year <= _MAX_YEAR):
        return None
    return dt


def from_epoch(value: float) -> datetime.datetime | None:
    # Values this large are milliseconds (JavaScript timestamps), not seconds.
    if abs(value) > 1e11:
        value /= 1000.0
    try:
        return _valid(datetime.datetime.fromtimestamp(value, tz=datetime.UTC))
    except (OverflowError, OSError, ValueError):
        return None


def parse_date_value(value: object) -> datetime.datetime | None:
    """Lenient date parsing for metadata fields (TREC <TIME>, JSON date fields).

    Accepts ISO 8601 in its many shapes (``2017-01-21T13:34:00+01:00``, ``2015-08-06 01:00:00``,
    ``2017-06-18T134900``, ``...Z``), ``DD/MM/YYYY`` (the Arab convention; read as MM/DD only when the second number
    cannot be a month), RFC 2822 (RSS pubDate), epoch seconds/milliseconds and Arabic dates. Returns an aware datetime
    when the input has an offset (epochs: UTC), a naive one when it has none (date-only: midnight), None when
    unparseable.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip().translate(_ARABIC_DIGITS)
    if not text:
        return None
    if _HIJRI_MARK.search(text) or _hijri_year_first(text):
        return parse_hijri_date(text)
    if _ISO_LIKE.match(text):
        try:
            return _valid(datetime.datetime.fromisoformat(text))
        except ValueError:
            pass
        # ISO date followed by something fromisoformat rejects ("2024-12-14 10:00 PM", "2024-12-14, 10:00"): keep
        # what is certain, the date.
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.fullmatch(text)
    if m:
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (second, first) if second > 12 >= first else (first, second)
        return _make(year, month, day, m.group(4), m.group(5), m.group(6))
    if _EPOCH.fullmatch(text):
        return from_epoch(float(text))
    if "," in text or text[:3].isalpha():
        try:
            return _valid(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    return parse_arabic_date(text) or parse_hijri_date(text)


def _make(
    year: int, month: int, day: int, hour: str | None = None, minute: str | None = None, second: str | None = None
) -> datetime.datetime | None:
    try:
        return _valid(datetime.datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0)))
    except ValueError:
        return None


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "يناير كانون_الثاني جانفي",
        "فبراير شباط فيفري",
        "مارس آذار اذار",
        "أبريل إبريل ابريل نيسان أفريل افريل",
        "مايو أيار ايار ماي",
        "يونيو يونيه حزيران جوان",
        "يوليو يوليه تموز جويلية",
        "أغسطس اغسطس آب اب أوت اوت غشت",
        "سبتمبر أيلول ايلول شتنبر",
        "أكتوبر اكتوبر تشرين_الأول تشرين_الاول",
        "نوفمبر تشرين_الثاني نونبر",
        "ديسمبر كانون_الأول كانون_الاول دجنبر",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name.replace("_", " ")] = _number
_MONTH_ALT = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in _MONTHS), key=len, reverse=True))
_WEEKDAYS = "الأحد|الاحد|الإثنين|الاثنين|الأثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت"
_ARABIC_DATE = re.compile(
    r"(?:(?:نشر|نُشر|تاريخ\s+النشر|بتاريخ|آخر\s+تحديث|اخر\s+تحديث)(?:\s+في)?\s*[:：]?\s*)?"
    rf"(?:(?:يوم\s+)?(?:{_WEEKDAYS})\s*[،,]?\s*)?"
    rf"(\d{{1,2}})\s+(?:من\s+)?({_MONTH_ALT})\s*[،,]?\s*(\d{{4}})"
    r"(?:\s*(?:[-–—،,|]\s*)?(?:الساعة\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*"
    r"(ص|م|صباحا|صباحًا|صباحاً|مساء|مساءً|مساءا|AM|PM|am|pm)?)?"
)
_PM = ("م", "مساء", "مساءً", "مساءا", "PM", "pm")
_AM = ("ص", "صباحا", "صباحًا", "صباحاً", "AM", "am")


def parse_arabic_date(text: str) -> datetime.datetime | None:
    """A line that is only a date such as ``الأحد، 15 ديسمبر 2024 10:00 م`` -> naive datetime, else None."""
    text = clean_line(text).translate(_ARABIC_DIGITS)
    m = _ARABIC_DATE.fullmatch(text)
    if not m:
        return None
    day, month_name, year = int(m.group(1)), m.group(2), int(m.group(3))
    month = _MONTHS.get(" ".join(month_name.split()))
    if month is None:
        return None
    hour = int(m.group(4)) if m.group(4) else 0
    suffix = m.group(7)
    if suffix in _PM and hour < 12:
        hour += 12
    elif suffix in _AM and hour == 12:
        hour = 0
    return _make(year, month, day, str(hour), m.group(5), m.group(6))


# Hijri dates (the Umm al-Qura calendar, converted with hijridate): «15 رمضان 1438 هـ», «1438/09/15هـ», «15-9-1438».
# A year from 1300 to 1500 is Hijri (as a Gregorian year it is no news date); so is any date marked هـ.
_HIJRI_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "محرم المحرم",
        "صفر",
        "ربيع_الأول ربيع_الاول ربيع_أول",
        "ربيع_الآخر ربيع_الاخر ربيع_الثاني ربيع_ثاني",
        "جمادى_الأولى جمادى_الاولى جمادي_الأولى جمادي_الاولى",
        "جمادى_الآخرة جمادى_الاخرة جمادى_الثانية جمادي_الآخرة جمادي_الاخرة جمادي_الثانية",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذو_القعدة ذي_القعدة",
        "ذو_الحجة ذي_الحجة",
    ),
    start=1,
):
    for _name in _names.split():
        _HIJRI_MONTHS[_name.replace("_", " ")] = _number
_HIJRI_MONTH_ALT = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in _HIJRI_MONTHS), key=len, reverse=True))
_HIJRI_MARK = re.compile(r"\d\s*(?:هـ|ه\b|هجري|للهجرة)")
_HIJRI_NAMED = re.compile(rf"(?:(?:{_WEEKDAYS})\s*[،,]?\s*)?(\d{{1,2}})\s+({_HIJRI_MONTH_ALT})\s*[،,]?\s*(\d{{4}})")
_HIJRI_NUMERIC = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")


def _hijri_year_first(text: str) -> bool:
    m = _HIJRI_NUMERIC.match(text)
    return bool(m) and any(1300 <= int(g) <= 1500 for g in (m.group(1), m.group(3)))


def parse_hijri_date(text: str) -> datetime.datetime | None:
    """A Hijri date (named month, or numbers with هـ or a year 1300–1500) -> the Gregorian day, naive midnight;
    None for anything else, or a day the Umm al-Qura tables (1343–1500 AH) do not have."""
    text = clean_line(text).translate(_ARABIC_DIGITS)
    if m := _HIJRI_NAMED.search(text):
        day, month, year = int(m.group(1)), _HIJRI_MONTHS.get(" ".join(m.group(2).split())), int(m.group(3))
    elif m := _HIJRI_NUMERIC.search(text):
        first, month, last = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year, day = (first, last) if first > 31 else (last, first)
    else:
        return None
    from hijridate import Hijri

    try:
        day_ = Hijri(year, month, day).to_gregorian()
    except (OverflowError, ValueError, TypeError):
        return None
    return _valid(datetime.datetime(day_.year, day_.month, day_.day))


_DATE_LINE_NUMERIC = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{1,2}/\d{1,2}/\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?"
)


def parse_date_line(line: str) -> datetime.datetime | None:
    """A whole line that is obviously a date (numeric or Arabic) -> datetime; a sentence containing a date -> None."""
    text = clean_line(line).translate(_ARABIC_DIGITS)
    if not text or len(text) > 60 or not any(c.isdigit() for c in text):
        return None
    if _DATE_LINE_NUMERIC.fullmatch(text):
        return parse_date_value(text)
    return parse_arabic_date(text) or (
        parse_hijri_date(text) if _HIJRI_NAMED.fullmatch(text) or _HIJRI_MARK.search(text) and len(text) <= 30 else None
    )
