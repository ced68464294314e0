"""Arabic counted nouns (articles/arabic_numbers.py): the six forms with real nouns, and the same choice of form as
gettext's Arabic catalogues make."""

import gettext
from pathlib import Path

import django
import pytest

from articles.arabic_numbers import ARTICLE, FILE, SOURCE, STORY, TAG, WEIGHT, WORD, counted, plural_form

CASES = [
    # n, مقال, ملف, وسم, مصدر, قصة
    (0, "0 مقال", "0 ملف", "0 وسم", "0 مصدر", "0 قصة"),
    (1, "مقال واحد", "ملف واحد", "وسم واحد", "مصدر واحد", "قصة واحدة"),
    (2, "مقالان", "ملفان", "وسمان", "مصدران", "قصتان"),
    (3, "3 مقالات", "3 ملفات", "3 وسوم", "3 مصادر", "3 قصص"),
    (7, "7 مقالات", "7 ملفات", "7 وسوم", "7 مصادر", "7 قصص"),
    (10, "10 مقالات", "10 ملفات", "10 وسوم", "10 مصادر", "10 قصص"),
    (11, "11 مقالا", "11 ملفا", "11 وسما", "11 مصدرا", "11 قصة"),
    (89, "89 مقالا", "89 ملفا", "89 وسما", "89 مصدرا", "89 قصة"),
    (99, "99 مقالا", "99 ملفا", "99 وسما", "99 مصدرا", "99 قصة"),
    (100, "100 مقال", "100 ملف", "100 وسم", "100 مصدر", "100 قصة"),
    (102, "102 مقال", "102 ملف", "102 وسم", "102 مصدر", "102 قصة"),
    (103, "103 مقالات", "103 ملفات", "103 وسوم", "103 مصادر", "103 قصص"),
    (111, "111 مقالا", "111 ملفا", "111 وسما", "111 مصدرا", "111 قصة"),
    (5709, "5709 مقالات", "5709 ملفات", "5709 وسوم", "5709 مصادر", "5709 قصص"),
    (1000, "1000 مقال", "1000 ملف", "1000 وسم", "1000 مصدر", "1000 قصة"),
]


@pytest.mark.parametrize("n, article, file, tag, source, story", CASES)
def test_every_form_agrees_with_its_number(n, article, file, tag, source, story):
    assert [counted(n, noun) for noun in (ARTICLE, FILE, TAG, SOURCE, STORY)] == [article, file, tag, source, story]


def test_the_dual_after_a_verb_or_preposition():
    assert counted(2, ARTICLE, oblique=True) == "مقالين"
    assert counted(2, STORY, oblique=True) == "قصتين"
    assert counted(3, ARTICLE, oblique=True) == "3 مقالات"


def test_the_issue_examples():
    assert f"{counted(9, FILE)}، {counted(7, ARTICLE)}" == "9 ملفات، 7 مقالات"
    assert counted(10, TAG) == "10 وسوم" and counted(11, TAG) == "11 وسما" and counted(89, ARTICLE) == "89 مقالا"


def test_the_form_is_the_one_gettext_chooses_for_arabic():
    mo = Path(django.__file__).parent / "conf/locale/ar/LC_MESSAGES/django.mo"
    with mo.open("rb") as fp:
        catalogue = gettext.GNUTranslations(fp)
    assert [plural_form(n) for n in range(0, 1500)] == [catalogue.plural(n) for n in range(0, 1500)]


@pytest.mark.parametrize(
    "n, word, weight",
    [
        (0, "0 كلمة", "0 وزن"),
        (1, "كلمة واحدة", "وزن واحد"),
        (2, "كلمتان", "وزنان"),
        (3, "3 كلمات", "3 أوزان"),
        (11, "11 كلمة", "11 وزنا"),
        (100, "100 كلمة", "100 وزن"),
    ],
)
def test_the_nouns_of_the_training_report(n, word, weight):
    assert (counted(n, WORD), counted(n, WEIGHT)) == (word, weight)
