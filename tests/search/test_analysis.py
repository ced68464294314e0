"""The analyzer, without a database: normalization, stemming (with the traps of the built-in analyzers), the
index term cache, and a lexicon loaded on first use, not on import."""

import pytest

from articles.search import analysis
from articles.search.analysis import normalize, stem, tokenize


def s(word: str) -> str | None:
    return stem(normalize(word))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("الحكومة", "الحكومه"),  # teh marbuta
        ("مسؤول مسئول", "مسءول مسءول"),  # hamza seats
        ("کتاب ی", "كتاب ي"),  # Persian kaf and yeh
        ("وَزِيرُ الدِّفَاعِ", "وزير الدفاع"),  # harakat, shadda
        ("وزيـــر", "وزير"),  # tatweel
        ("الرحمٰن", "الرحمن"),  # dagger alef
        ("١٢٣ ۴۵۶", "123 456"),  # Arabic-Indic and Persian digits
        ("\ufefb", "لا"),  # lam-alef ligature (presentation form)
        ("ﺍﻟﺤﻜﻮﻣﺔ", "الحكومه"),  # presentation forms
        ("وزير\u200f\u200b الدفاع\u202b", "وزير الدفاع"),  # bidi and zero-width controls
        ("Google NEWS", "google news"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_tokenize_keeps_latin_and_numbers():
    assert tokenize("قمة G7 في 2025، وGoogle") == ["قمه", "g7", "في", "2025", "وgoogle"]


@pytest.mark.parametrize(
    "forms",
    [
        ["وزير", "الوزير", "والوزير", "للوزير", "وزيرا", "وزيرة", "الوزيرة", "وزيرين", "الوزراء", "وزرائها"],
        ["حكومة", "الحكومة", "والحكومة", "حكومته", "وحكومته", "حكومات", "الحكومات", "حكومتين"],
        ["شركة", "الشركة", "شركات", "الشركات", "شركتين", "بالشركة"],
        ["لاعب", "اللاعب", "للاعب", "لاعبين", "اللاعبون", "لاعبو"],
        ["مباراة", "المباراة", "مباريات", "المباريات", "مباراتين"],
        ["مستشفى", "مستشفي", "المستشفى", "المستشفيات"],
        ["مواطن", "المواطن", "المواطنين", "مواطنون", "مواطنو"],
        ["مشروع", "المشروع", "مشاريع", "المشاريع"],
        ["قانون", "القانون", "قوانين"],
        ["جيش", "الجيش", "جيوش"],
        ["تلميذ", "التلميذ", "تلاميذ", "التلاميذ"],
        ["مسؤول", "مسئول", "المسؤول", "المسئول"],
        ["سيارة", "سيارته", "السيارات", "سياراتهم"],
    ],
)
def test_inflections_and_clitics_share_one_term(forms):
    stems = {f: s(f) for f in forms}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize(
    "word, other",
    [
        ("وزير", "زير"),  # و is a root letter here: Snowball and Lucene both strip it
        ("شركة", "شرك"),  # company vs polytheism
        ("السياحة", "سياح"),  # tourism vs tourists
        ("وزارة", "وزير"),  # ministry vs minister
        ("كلية", "كل"),  # Lucene: كلية→كل
        ("قوات", "قو"),  # Lucene: قوات→قو
        ("كمال", "مال"),  # a name, not ك + مال
        ("الصحة", "الصحية"),  # noun vs nisba adjective
    ],
)
def test_different_lexemes_stay_apart(word, other):
    assert s(word) != s(other)


@pytest.mark.parametrize("name", ["أوستن", "ناكاتاني", "السبسي", "ترامب", "فلسطين", "حسين"])
def test_names_are_not_cut(name):
    stemmed = s(name)
    assert stemmed is not None and len(stemmed) >= len(normalize(name).removeprefix("ال")) - 1


def test_transliteration_variants_meet():
    assert s("ترمب") == s("ترامب") == s("لترمب")


def test_stop_words_are_dropped_but_not_the_name_ali():
    assert s("في") is None and s("الذي") is None and s("وقد") is None
    assert s("علي") == "علي"


def test_non_arabic_tokens_are_indexed():
    assert s("2025") == "2025"
    assert s("nato") == "nato"


def test_term_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(analysis, "TERMS_CACHE_SIZE", 50)
    for i in range(200):
        analysis.term(f"كلمة{i}")
    assert len(analysis._TERMS_CACHE) <= 50
    assert analysis.term("الوزراء") == analysis.stem("الوزراء") == analysis.stem("وزير")  # still right after a clear
    assert analysis.term("في") is None


def test_importing_the_analyzer_loads_no_lexicon():
    import subprocess
    import sys

    code = (
        "import articles.search.analysis as a, sys; assert a.lexicon.cache_info().currsize == 0; "
        "assert 'wordfreq' not in sys.modules and 'django' not in sys.modules; a.stem('الوزراء'); "
        "assert a.lexicon.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
