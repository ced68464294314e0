"""Import reasons in Arabic (articles/importing/reasons.py): what the person importing reads, with the English
detail kept beside it, and one cause one reason (so the admin's summary groups them)."""

import pytest

from articles.importing.reasons import UNKNOWN, arabic, error


@pytest.mark.parametrize(
    "english, expected",
    [
        ("binary file (contains NUL bytes)", "ملف ثنائي، لا نص فيه"),
        ("binary file (PDF document)", "ملف ثنائي (مستند PDF)، لا نص فيه"),
        ("empty file", "ملف فارغ: لا نص فيه"),
        ("empty file (only whitespace)", "ملف فارغ: لا نص فيه"),
        ("not valid UTF-8 text (invalid byte sequence at byte 17)", "نص UTF-8 تالف: فيه بايتات غير صالحة"),
        ("not valid UTF-8, UTF-16 or Windows-1256 text", "ترميز غير معروف: ليس UTF-8 ولا UTF-16 ولا Windows-1256"),
        ("skipped: a README/licence/manifest file, not an article", "ليس مقالا (ملف README أو رخصة أو بيان)، تُخطّي"),
        (
            "symbolic link pointing outside the given folder, not followed",
            "رابط رمزي يشير إلى خارج المجلد المعطى، لم يُتبع",
        ),
        ("JSON record: field 'title' is a number, expected text", "سجل JSON: الحقل «title» ليس نصا"),
        ("uncompressed size exceeds the 200.0 MB limit", "ملف أكبر من الحد المسموح، رُفض"),
    ],
)
def test_reasons_read_in_arabic(english, expected):
    assert arabic(english) == expected


def test_one_cause_is_one_reason_whatever_its_offset():
    assert arabic("not valid UTF-8 text (invalid byte sequence at byte 17)") == arabic(
        "not valid UTF-8 text (invalid byte sequence at byte 90210)"
    )
    assert arabic("JSON: Expecting value at line 1 column 5") == arabic("JSON: Unterminated string at line 9 column 2")


def test_arabic_is_kept_and_the_unknown_is_said_plainly():
    assert arabic("لا مساحة على القرص: توقف الاستيراد") == "لا مساحة على القرص: توقف الاستيراد"
    assert arabic("something nobody foresaw") == UNKNOWN


def test_an_error_entry_keeps_the_english_detail():
    assert error("a/b.pdf", "binary file (PDF document)") == {
        "path": "a/b.pdf",
        "reason": "ملف ثنائي (مستند PDF)، لا نص فيه",
        "detail": "binary file (PDF document)",
    }
