"""Issue 18, item 12: spellings of one article that no reader can tell apart (spaces, NBSP, CRLF, tashkeel, tatweel,
ZWNJ, ZWSP, alef forms, presentation forms, bidi marks) are one article; its raw text stays as the file had it."""

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from articles.identity import identity_hash, identity_text
from articles.models import Article, ImportBatch

TITLE = "إطلاق برنامج لدعم الاستثمار في الجهات الداخلية"
BODY = (
    "أعلنت وزارة التنمية والاستثمار اليوم عن إطلاق برنامج جديد لدعم المشاريع الصغرى في الجهات الداخلية، "
    "وقالت إن البرنامج لا يقتصر على القروض بل يشمل التكوين والمرافقة.\n"
    "وأضافت الوزارة أن الاعتمادات المرصودة تبلغ مئة مليون دينار على ثلاث سنوات."
)


def _file(title: str, body: str, newline: str = "\n") -> str:
    return newline.join([title, "", *body.split("\n")]) + newline


VARIANTS = {
    "original": _file(TITLE, BODY),
    "extra spaces": _file(TITLE.replace(" ", "  "), BODY.replace(" ", "   ")),
    "nbsp": _file(TITLE.replace(" ", "\u00a0"), BODY.replace(" ", "\u00a0", 5)),
    "crlf": _file(TITLE, BODY, "\r\n"),
    "tashkeel": _file(TITLE.replace("برنامج", "بَرْنامَج"), BODY.replace("أعلنت", "أَعْلَنَتْ").replace("دينار", "دِينَارٍ")),
    "tatweel": _file(TITLE.replace("الاستثمار", "الاستثـــمار"), BODY.replace("الصغرى", "الصـغـرى")),
    "zwnj": _file(TITLE.replace("لدعم", "لد\u200cعم"), BODY.replace("البرنامج", "البر\u200cنامج")),
    "zwsp": _file(TITLE.replace(" في ", " في\u200b "), BODY.replace("جديد", "جد\u200bيد")),
    "alef forms": _file(TITLE.replace("إطلاق", "اطلاق"), BODY.replace("أعلنت", "اعلنت").replace("إن", "ان")),
    "presentation forms": _file(TITLE.replace("لا", "\ufefb"), BODY.replace("لا", "\ufefb").replace("مئة", "\ufee3ئة")),
    "bidi marks": _file("\u200f" + TITLE + "\u200e", BODY.replace("مئة", "\u202bمئة\u202c")),
}


def _split(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n")
    return title, body


def test_the_eleven_spellings_have_one_identity():
    hashes = {name: identity_hash(*_split(text.replace("\r\n", "\n"))) for name, text in VARIANTS.items()}
    assert len(VARIANTS) == 11
    assert set(hashes.values()) == {hashes["original"]}, [n for n, h in hashes.items() if h != hashes["original"]]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("مدرسة", "مدرسه"),  # ة and ه: papers choose one, copying does not change it
        ("على", "علي"),  # ى and ي: a different word
        ("مسؤول", "مسئول"),  # hamza seats
        ("قال الوزير", "قال الوزراء"),
        ("سنة 2015", "سنة 2016"),
    ],
)
def test_real_differences_stay_different(a, b):
    assert identity_text(a) != identity_text(b)


@given(
    st.text(
        alphabet=st.sampled_from(
            "اأإآٱبتةسلمنهوىيءؤئ \u00a0\t\r\n\u064b\u064e\u0650\u0651\u0652\u0654\u0670\u0640\u200b\u200c\u200d\u200f\u202b"
            "\u202c\u2066\ufeff\ufefb\ufef7\ufe8d\ufee3\ufc5eAaé\u0301ﬁ２"
        )
    )
)
def test_identity_is_idempotent(text):
    once = identity_text(text)
    assert identity_text(once) == once


@pytest.mark.django_db
def test_the_import_stores_the_eleven_files_as_one_article_with_its_raw_text(tmp_path):
    for i, (name, text) in enumerate(VARIANTS.items()):
        (tmp_path / f"{i:02d}-{name.replace(' ', '-')}.txt").write_bytes(text.encode("utf-8"))
    call_command("import_articles", str(tmp_path), verbosity=0)
    article = Article.objects.get()
    assert article.title == TITLE
    assert article.raw_text == VARIANTS["original"]  # the first file's text, byte for byte
    batch = ImportBatch.objects.get()
    assert (batch.records_read, batch.created, batch.duplicates) == (11, 1, 10)
    call_command("import_articles", str(tmp_path), verbosity=0)  # a re-run finds it known, each variant
    assert Article.objects.count() == 1
