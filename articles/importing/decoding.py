"""bytes -> str for article files.

Hand-written on purpose: generic detectors (chardet, charset-normalizer) regularly mistake Windows-1256 Arabic for
other single-byte code pages, and old Arabic archives are full of Windows-1256. The order of the checks matters:

1. byte order marks (unambiguous),
2. magic numbers of common binary formats (so a PDF gets a useful reason instead of "not UTF-8"),
3. NUL bytes: UTF-16 without BOM, or binary,
4. strict UTF-8 (a cut-off last character is tolerated and dropped, see TRUNCATED_UTF8),
5. Windows-1256, only when the result reads as Arabic and the bytes are not broken UTF-8.
"""

from __future__ import annotations

import re

UTF8 = "utf-8"
#: Encoding name returned when the file is UTF-8 except for an incomplete multi-byte character at the very end (a file
#: cut off by a download or `head -c`); those trailing bytes are dropped rather than rejecting the whole article.
TRUNCATED_UTF8 = "utf-8-truncated"
#: Same for UTF-16 data with an odd trailing byte or a dangling high surrogate at the end.
TRUNCATED_SUFFIX = "-truncated"


class DecodeProblem(ValueError):
    """The bytes are not article text. ``reason`` is meant for humans."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# (signature, description, strong). Weak signatures are plain ASCII and could start a real text file, so they only
# count when the start of the file also contains a NUL byte.
_MAGIC: tuple[tuple[bytes, str, bool], ...] = (
    (b"%PDF-", "PDF document", True),
    (b"\x89PNG\r\n\x1a\n", "PNG image", True),
    (b"\xff\xd8\xff", "JPEG image", True),
    (b"GIF87a", "GIF image", True),
    (b"GIF89a", "GIF image", True),
    (b"PK\x03\x04", "ZIP archive", True),
    (b"PK\x05\x06", "ZIP archive", True),
    (b"PK\x07\x08", "ZIP archive", True),
    (b"\x7fELF", "ELF executable", True),
    (b"\x1f\x8b", "gzip compressed data", True),
    (b"\xfd7zXZ\x00", "xz compressed data", True),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", True),
    (b"Rar!\x1a\x07", "RAR archive", True),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office (OLE) document", True),
    (b"SQLite format 3\x00", "SQLite database", True),
    (b"\x28\xb5\x2f\xfd", "zstd compressed data", True),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable", True),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O file", True),
    (b"\x00asm", "WebAssembly module", True),
    (b"II*\x00", "TIFF image", True),
    (b"MM\x00*", "TIFF image", True),
    (b"BZh", "bzip2 compressed data", False),
    (b"MZ", "Windows executable", False),
    (b"ID3", "MP3 audio", False),
    (b"OggS", "Ogg media", False),
    (b"fLaC", "FLAC audio", False),
    (b"wOFF", "WOFF font", False),
    (b"wOF2", "WOFF2 font", False),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video", True),
)
_RIFF_KINDS = {b"WAVE": "WAV audio", b"AVI ": "AVI video", b"WEBP": "WebP image"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# C0 controls other than tab, LF, VT, FF, CR; plus DEL. Ctrl-Z (\x1a, the old DOS end-of-file mark) is tolerated.
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Characters that plausibly occur in Arabic/Latin news text; used to tell real UTF-16 (no BOM) from binary junk that
# happens to contain NULs. Anything else (CJK, private use, controls...) counts against the candidate.
_IMPLAUSIBLE = re.compile(
    "[^\t\n\r\x0c\x20-\x7e\u00a0-\u024f\u0300-\u036f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
    "\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\ufb50-\ufdff\ufe70-\ufeff]"
)
# Well-formed UTF-8 multi-byte sequences; if most non-ASCII bytes form these, a decoding failure means corrupt UTF-8,
# not Windows-1256 (whose Arabic letters would otherwise "decode" UTF-8 bytes into plausible looking mojibake).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")

_WHITESPACE_AND_INVISIBLES = (
    " \t\n\r\x0b\x0c\x1a\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
_SAMPLE_CHARS = 65536


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise DecodeProblem.

    The text is returned unchanged (line endings kept); only a leading byte order mark is not part of it. The encoding
    name is a Python codec name, or TRUNCATED_UTF8 / "<codec>-truncated" when an incomplete final character was
    dropped.
    """
    if not data:
        raise DecodeProblem("empty file")

    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, name = _decode_with_bom(data[len(bom) :], codec)
            break
    else:
        kind = _binary_kind(data)
        if kind:
            raise DecodeProblem(f"binary file ({kind})")
        if b"\x00" in data:
            text, name = _decode_nul_bearing(data)
        else:
            text, name = _decode_8bit(data)

    _check_text(text)
    return text, name


def _decode_with_bom(body: bytes, codec: str) -> tuple[str, str]:
    if codec == UTF8:
        return _decode_utf8(body, "utf-8-sig")
    unit = 4 if codec.startswith("utf-32") else 2
    usable = len(body) - len(body) % unit
    name = codec
    if usable != len(body):
        name = codec + TRUNCATED_SUFFIX
    try:
        text = body[:usable].decode(codec)
    except UnicodeDecodeError as exc:
        # A cut-off surrogate pair at the very end is a truncation, anything else is corruption.
        if exc.end >= usable - unit and exc.start >= usable - 2 * unit:
            text, name = body[: exc.start].decode(codec), codec + TRUNCATED_SUFFIX
        else:
            label = codec.upper().replace("-LE", " LE").replace("-BE", " BE")
            raise DecodeProblem(
                f"not valid {label} text (byte order mark present, but invalid data at byte {exc.start})"
            ) from None
    return text, name


def _decode_utf8(data: bytes, name: str) -> tuple[str, str]:
    try:
        return data.decode(UTF8), name
    except UnicodeDecodeError as exc:
        if _is_truncation(data, exc):
            return data[: exc.start].decode(UTF8), TRUNCATED_UTF8
        raise DecodeProblem(f"not valid UTF-8 text (invalid byte sequence at byte {exc.start})") from None


def _is_truncation(data: bytes, exc: UnicodeDecodeError) -> bool:
    # Python reports a multi-byte sequence cut off by the end of the data as "unexpected end of data".
    return exc.reason == "unexpected end of data" and exc.end == len(data) and len(data) - exc.start < 4


def _binary_kind(data: bytes) -> str | None:
    head = data[:1024]
    has_nul = b"\x00" in head
    for signature, kind, strong in _MAGIC:
        if data.startswith(signature) and (strong or has_nul):
            return kind
    if data.startswith(b"RIFF") and len(data) >= 12:
        return _RIFF_KINDS.get(data[8:12], "RIFF media file")
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    return None


def _decode_nul_bearing(data: bytes) -> tuple[str, str]:
    """NUL bytes never occur in UTF-8 or Windows-1256 text, so this is UTF-16 without a BOM or binary data."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    half = max(len(sample) // 2, 1)
    nul_even = sample[0::2].count(0)
    nul_odd = sample[1::2].count(0)
    # ASCII spaces, digits and newlines in UTF-16 put a NUL in the high byte of each unit; Arabic letters (U+06xx)
    # do not, so expect NULs in one parity only, and at least a few percent of the units.
    candidates: list[str] = []
    if nul_odd >= max(2, half // 50) and nul_even * 20 <= nul_odd:
        candidates.append("utf-16-le")
    if nul_even >= max(2, half // 50) and nul_odd * 20 <= nul_even:
        candidates.append("utf-16-be")
    for codec in candidates:
        # Judge a sample first: decoding a large binary file whole just to reject it would waste time and memory.
        probe = sample.decode(codec, errors="replace")
        if not probe or len(_IMPLAUSIBLE.findall(probe)) > len(probe) * 0.02:
            continue
        try:
            return _decode_with_bom(data, codec)
        except DecodeProblem:
            continue
    raise DecodeProblem("binary file (contains NUL bytes)")


def _decode_8bit(data: bytes) -> tuple[str, str]:
    try:
        return _decode_utf8(data, UTF8)
    except DecodeProblem as utf8_problem:
        utf8_reason = utf8_problem.reason
    _refuse_mixed_encodings(data)

    sample = data[:_SAMPLE_CHARS]
    high = len(_HIGH_BYTE.findall(sample))
    utf8_bytes = sum(len(m) for m in _UTF8_SEQ.findall(sample))
    if high and utf8_bytes >= high * 0.5:
        # Mostly well-formed UTF-8 with a few corrupt bytes: reading it as Windows-1256 would produce mojibake.
        raise DecodeProblem(utf8_reason + "; the rest of the file looks like UTF-8, so it is probably corrupt")

    probe = sample.decode("cp1256", errors="replace")  # judged on a sample, decoded whole only when accepted
    controls = len(_CONTROL.findall(probe))
    if controls > max(2, len(probe) // 100):
        raise DecodeProblem("binary file (unrecognized binary data)")
    non_ascii = len(_NON_ASCII.findall(probe))
    arabic = len(_ARABIC_LETTER.findall(probe))
    # Windows-1256 defines (almost) every byte, so decoding always "works": accept it only when the non-ASCII part is
    # mostly Arabic letters (the rest being Arabic punctuation, French accented letters, typographic quotes...).
    if "\ufffd" not in probe and arabic >= 10 and arabic >= non_ascii * 0.6:
        text = data.decode("cp1256", errors="replace")
        if "\ufffd" not in text:
            return text, "cp1256"
    raise DecodeProblem("not valid UTF-8, UTF-16 or Windows-1256 text")


# Arabic letters in UTF-8: a lead byte D8-DB and one continuation byte. In Windows-1256 text those pairs are a
# letter (ط ظ ع غ) followed by a symbol or a Persian letter, which Arabic prose almost never has.
_UTF8_ARABIC = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")
_UTF8_ARABIC_WORD = re.compile(rb"(?:[\xd8-\xdb][\x80-\xbf]){3,}")  # three letters running: words, not chance
_MIXED_MIN_LETTERS = 20
_MIXED_MIN_WORDS = 10


def _refuse_mixed_encodings(data: bytes) -> None:
    """A file that is UTF-8 in one part and Windows-1256 in another (two exports concatenated) decodes as either
    only by turning the other part into mojibake: refuse it, saying where the valid UTF-8 stops."""
    try:
        data.decode(UTF8)
        return
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if len(_UTF8_ARABIC_WORD.findall(data)) < _MIXED_MIN_WORDS:
        return  # no UTF-8 Arabic to speak of: plain Windows-1256 (or something else), judged by the caller
    rest = data[first_bad : first_bad + _SAMPLE_CHARS]
    probe = rest.decode("cp1256", errors="replace")
    legacy_letters = len(_ARABIC_LETTER.findall(probe)) - 2 * len(_UTF8_ARABIC.findall(rest))
    if legacy_letters >= _MIXED_MIN_LETTERS or first_bad < len(data) // 100:
        raise DecodeProblem(
            f"mixed encodings: Arabic in UTF-8 and in another encoding (Windows-1256?) in one file, the UTF-8 "
            f"breaking at byte {first_bad}; split the file where the encoding changes and import each part"
        )


def _check_text(text: str) -> None:
    if not text.strip(_WHITESPACE_AND_INVISIBLES):
        raise DecodeProblem("empty file (only whitespace)" if text else "empty file")
    probe = text[:_SAMPLE_CHARS]
    controls = len(_CONTROL.findall(probe))
    if controls > max(2, len(probe) // 100):
        raise DecodeProblem("binary file (many control characters)")
