from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing.decoding import TRUNCATED_UTF8, DecodeProblem, decode

ARABIC = "بحث وزير الدفاع الياباني، ونظيره الأمريكي تعزيز التعاون الأمني.\nجاء ذلك خلال اجتماع الوزيرين؟ نعم 2024"


def problem(data: bytes) -> str:
    with pytest.raises(DecodeProblem) as info:
        decode(data)
    assert isinstance(info.value, ValueError)
    return info.value.reason


def test_plain_utf8_is_returned_unchanged_with_crlf():
    text = "عنوان\r\n\r\nنص المقال\r\n"
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_utf8_bom_is_not_part_of_the_text():
    assert decode(b"\xef\xbb\xbf" + ARABIC.encode()) == (ARABIC, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec):
    data = "\ufeff".encode(codec) + ARABIC.encode(codec)
    assert decode(data) == (ARABIC, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected_from_the_nul_pattern(codec):
    assert decode(ARABIC.encode(codec)) == (ARABIC, codec)


def test_utf16_without_bom_latin_text():
    text = "Plain English news text, with numbers 12 and punctuation.\n" * 3
    assert decode(text.encode("utf-16-le")) == (text, "utf-16-le")


def test_windows_1256_arabic():
    text = "الرياض - واس\r\nأعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة، وقالت إن الوضع مطمئن.\r\n"
    assert decode(text.encode("cp1256")) == (text, "cp1256")


def test_windows_1256_short_text_with_french_accents():
    text = "تونس: وزير الصحة يتحدث عن «الإصلاح» في المستشفيات — café été"
    assert decode(text.encode("cp1256")) == (text, "cp1256")


def test_utf8_mojibake_guard_reports_corrupt_utf8_not_cp1256():
    data = ARABIC.encode() * 5
    data = data[:40] + b"\xff" + data[40:]  # one stray byte in otherwise valid UTF-8 Arabic
    reason = problem(data)
    assert "UTF-8" in reason and "corrupt" in reason


def test_truncated_utf8_drops_the_incomplete_last_character():
    cut = "نص عربي".encode()[:-1]  # the last letter is two bytes: keep only its first
    text, encoding = decode(cut)
    assert text == "نص عرب"
    assert encoding == TRUNCATED_UTF8


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", "\ufeff\u200b \n".encode()])
def test_empty_and_whitespace_only(data):
    assert problem(data).startswith("empty file")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip compressed data"),
    ],
)
def test_known_binary_formats_are_named(data, kind):
    assert problem(data + bytes(200)) == f"binary file ({kind})"


def test_weak_signature_needs_binary_evidence():
    # "ID3" could start a real text; only with NULs around is it an MP3.
    assert decode(b"ID3 tags are metadata") == ("ID3 tags are metadata", "utf-8")


def test_nul_bytes_in_utf8_text():
    assert problem("نص عربي\x00 مع بايت صفري".encode()) == "binary file (contains NUL bytes)"


def test_random_bytes_are_binary():
    data = random.Random(7).randbytes(4096)
    assert problem(data).startswith("binary file")


def test_random_bytes_without_nul_are_rejected():
    data = bytes(b for b in random.Random(3).randbytes(4096) if b)
    reason = problem(data)
    assert reason.startswith("binary file") or reason == "not valid UTF-8, UTF-16 or Windows-1256 text"


def test_latin1_without_arabic_is_not_guessed():
    assert problem("déjà vu à Paris, señor".encode("latin-1")) == "not valid UTF-8, UTF-16 or Windows-1256 text"


def test_control_characters_mean_binary():
    assert problem(bytes(range(1, 32)) * 20) == "binary file (many control characters)"


def test_utf16_with_bom_but_corrupt():
    data = b"\xff\xfe" + "نص".encode("utf-16-le") + b"\x00\xdc" + "نص".encode("utf-16-le")  # lone low surrogate
    assert "UTF-16 LE" in problem(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_decode_never_fails_with_anything_but_decode_problem(data):
    try:
        text, encoding = decode(data)
    except DecodeProblem as exc:
        assert exc.reason
    else:
        assert isinstance(text, str) and text.strip()
        assert encoding
