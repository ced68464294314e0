from __future__ import annotations

import datetime

import pytest
from importer_testdata import SEED, require

from articles.importing.profiles import (
    GENERIC,
    YOUM7,
    match_author,
    match_credit,
    parse_plain_text,
    select_profile,
    strip_trailing_footer_lines,
)
from articles.importing.records import FileProblem, ParsedArticle

PARAGRAPH = "وقال المتحدث باسم الوزارة إن الاجتماع تناول عددا من الملفات المهمة في المنطقة."


def lines(*parts: str) -> str:
    return "\n".join(parts)


def parse(text: str, origin: str = "a.txt") -> ParsedArticle:
    article = parse_plain_text(text, origin)
    assert isinstance(article, ParsedArticle), article
    return article


def test_youm7_seed_page():
    path = require(SEED)
    text = path.read_text(encoding="utf-8")
    article = parse(text, path.name)
    assert article.title == "الولايات المتحدة واليابان تبحثان تعزيز التعاون الأمني وسط التوترات الإقليمية"
    assert article.credit == "أ ش أ"
    assert article.source_key == "youm7"
    assert article.body.startswith("بحث وزير الدفاع الياباني")
    assert article.body.endswith("في حالات الطوارئ.")
    for junk in ("Trending", "الأكثر قراءة", "لا يفوتك", "أوستن\n", "Google News", "تاجر فواكه", "Youm7", "هواوى"):
        assert junk not in article.body
    assert "أوستن" not in article.body.split("\n\n")[0][:10]  # the caption lines are gone
    assert article.raw == text
    assert article.format == "text"
    assert article.published_at is None
    assert article.body.count("\n\n") == 10  # 11 paragraphs


def test_seed_profile_is_youm7():
    text = require(SEED).read_text(encoding="utf-8")
    assert select_profile(text) is YOUM7
    assert select_profile("عنوان\nنص") is GENERIC


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("أ ش أ", "أ ش أ"),
        ("(أ ف ب)", "أ ف ب"),
        ("ا ف ب", "ا ف ب"),
        ("أ.ش.أ", "أ.ش.أ"),
        ("رويترز", "رويترز"),
        ("وكالات", "وكالات"),
        ("الأناضول", "الأناضول"),
        ("د ب أ", "د ب أ"),
        ("واس", "واس"),
        ("سبوتنيك", "سبوتنيك"),
        ("وكالات - رويترز", "وكالات - رويترز"),
        ("القاهرة - أ ش أ", "أ ش أ"),
        ("الرياض (واس)", "واس"),
        ("أوستن", ""),
        ("كتب محمد السيد", ""),
        (PARAGRAPH, ""),
    ],
)
def test_match_credit(line, credit):
    assert match_credit(line) == credit


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("كتب محمد السيد", "محمد السيد"),
        ("كتبت: سارة أحمد", "سارة أحمد"),
        ("بقلم - علي حسن", "علي حسن"),
        ("كتب الوزير في تغريدة طويلة أن الاجتماع كان مثمرا جدا.", ""),
    ],
)
def test_match_author(line, author):
    assert match_author(line) == author


def test_captions_credit_byline_and_date_under_the_headline():
    text = lines(
        "عنوان الخبر",
        "عنوان الخبر",  # repeated headline
        "صورة أرشيفية",
        "كتب أحمد علي",
        "الأحد، 15 ديسمبر 2024 10:00 م",
        "(أ ف ب)",
        PARAGRAPH,
        "فقرة ثانية قصيرة",
    )
    article = parse(text)
    assert article.title == "عنوان الخبر"
    assert article.author == "أحمد علي"
    assert article.credit == "أ ف ب"
    assert article.published_at == datetime.datetime(2024, 12, 15, 22, 0)
    assert article.body == PARAGRAPH + "\n\nفقرة ثانية قصيرة"


def test_iso_date_line_at_the_bottom():
    article = parse(f"عنوان\n{PARAGRAPH}\n2024-12-14\n")
    assert article.published_at == datetime.datetime(2024, 12, 14)
    assert article.body == PARAGRAPH


def test_crlf_zero_width_and_presentation_forms():
    text = "عنوان\u200f \r\n\r\n\ufeb3\ufefc\ufee1 عليكم.\u200b\r\n\r\nسطر   ثان.\r"
    article = parse(text)
    assert article.title == "عنوان"
    assert article.body == "سلام عليكم.\n\nسطر ثان."
    assert article.raw == text


def test_headline_only_and_no_visible_text():
    assert parse("عنوان فقط\n").body == ""
    assert parse_plain_text("\u200b\n\u200f", "z.txt") == FileProblem("z.txt", "empty file (no visible text)")


def test_short_lines_only_are_kept_as_body():
    article = parse("قصيدة\nبيت أول\nبيت ثان\n")
    assert article.title == "قصيدة" and article.body == "بيت أول\n\nبيت ثان"


def test_many_short_lines_are_not_captions():
    verses = [f"بيت رقم {i}" for i in range(10)]
    article = parse(lines("قصيدة", *verses, PARAGRAPH))
    assert article.body == "\n\n".join([*verses, PARAGRAPH])


def test_very_long_first_line_is_not_a_headline():
    long_paragraph = " ".join([PARAGRAPH] * 5)
    article = parse(long_paragraph + "\n" + PARAGRAPH)
    assert article.title == "" and article.body.startswith(long_paragraph)


def test_generic_footer_near_the_end_is_cut():
    text = lines(
        "عنوان", PARAGRAPH, PARAGRAPH, "اقرأ أيضا", "عنوان خبر آخر", "الأكثر قراءة", "خبر ثالث", "شارك", "فيسبوك"
    )
    assert parse(text).body == PARAGRAPH + "\n\n" + PARAGRAPH


def test_generic_inline_read_also_is_dropped_but_the_article_continues():
    text = lines(
        "عنوان",
        PARAGRAPH,
        "اقرأ أيضا: عنوان خبر آخر مرتبط",
        "ومن جهة أخرى " + PARAGRAPH,
        "اقرأ أيضاً",
        "عنوان مرتبط على سطره",
        "وأضاف " + PARAGRAPH,
    )
    body = parse(text).body
    assert body == "\n\n".join([PARAGRAPH, "ومن جهة أخرى " + PARAGRAPH, "وأضاف " + PARAGRAPH])


def test_sentence_starting_with_a_marker_word_is_not_a_footer():
    sentence = "شارك الوزير في المؤتمر الدولي الذي عقد في القاهرة أمس بحضور عدد من المسؤولين."
    assert parse(f"عنوان\n{PARAGRAPH}\n{sentence}").body == f"{PARAGRAPH}\n\n{sentence}"


def test_youm7_footer_without_follow_line():
    text = lines("عنوان", PARAGRAPH, "Trending Plus", "خبر", "Youm7 Applcation Icons")
    article = parse(text)
    assert article.source_key == "youm7" and article.body == PARAGRAPH


def test_source_url_line():
    article = parse(f"عنوان\n{PARAGRAPH}\nالمصدر: https://www.alriyadh.com/123\n")
    assert article.url == "https://www.alriyadh.com/123" and article.source_key == "alriyadh"
    assert article.body == PARAGRAPH


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["فقرة.", "...المزيد"], ["فقرة."]),
        (["فقرة.", "المزيد..."], ["فقرة."]),
        (
            [
                "فقرة.",
                "للتواصل أرسل رسالة نصية sms إلى 88548 الاتصالات أو 626250 موبايلي تبدأ بالرمز 287 مسافة ثم الرسالة",
            ],
            ["فقرة."],
        ),
        (
            [
                "فقرة.",
                (
                    "a@b.comللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (3) ثم مسافة ثم نص الرسالة إلى 88591 - Stc "
                    "635031 - Mobily 737221 - Zain"
                ),
            ],
            ["فقرة.", "a@b.com"],
        ),
        (
            [
                "فقرة.",
                "للتواصل مع الكاتب ارسل رسالة SMS",
                "تبدأ بالرمز (10) ثم مسافة ثم نص الرسالة إلى",
                "88591 - Stc",
                "635031 - Mobily",
                "737221 - Zain",
            ],
            ["فقرة."],
        ),
        (["يحتاج المزيد من الوقت."], ["يحتاج المزيد من الوقت."]),
        (
            ["أرسلت الوزارة رسالة قصيرة (SMS) إلى جميع المرشحين."],
            ["أرسلت الوزارة رسالة قصيرة (SMS) إلى جميع المرشحين."],
        ),
    ],
)
def test_trailing_footer_lines(paragraphs, expected):
    assert strip_trailing_footer_lines(paragraphs) == expected
