"""The analyzer, without a database: normalization, stemming (with the traps of the built-in analyzers),
tsvector literals, highlighting and snippets."""
import pytest

from articles import arabic
from articles.arabic import normalize, stem, tokenize


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


def test_tsvector_weights_positions_and_exact_forms():
    vec = arabic.tsvector([("وزير الدفاع", "A"), ("", "B"), ("قال الوزير", "D")])
    terms = dict(part.split(":", 1) for part in vec.split(" "))
    assert terms["'وزير'"] == "1A,14"  # body positions start after a gap: no phrase across fields
    assert terms["'دفاع'"] == "2A"
    assert terms["'=الوزير'"] == "14"  # the exact surface form, for exact-spelling search and ranking
    assert "'=وزير'" not in terms  # the surface equals its stem: stored once


def test_tsvector_quotes_are_escaped():
    vec = arabic.tsvector([("o'neil", "A")])
    assert "'o''neil'" in vec or "'o'" in vec  # the tokenizer splits at the quote; no raw quote leaks


def test_highlight_escapes_before_marking():
    html = arabic.highlight("<script>alert(1)</script> وحكومته & الحكومة", frozenset({s("الحكومة")}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>وحكومته</mark>" in html and "<mark>الحكومة</mark>" in html
    assert "&amp;" in html


def test_highlight_matches_spelling_variants_and_diacritics():
    html = arabic.highlight("قال المسئول إن المستشفي الجديد", frozenset({s("مسؤول"), s("مستشفى")}))
    assert html.count("<mark>") == 2


def test_highlight_keeps_rtl_controls_out_of_markup():
    text = "\u202eالوزير\u202c"
    html = arabic.highlight(text, frozenset({s("وزير")}))
    assert "<mark>" in html


def test_snippet_picks_the_passage_with_the_words():
    body = " ".join(["كلام"] * 200) + " أعلن وزير الدفاع عن خطة " + " ".join(["كلام"] * 200)
    snip = arabic.snippet(body, frozenset({s("وزير"), s("الدفاع")}))
    assert "<mark>وزير</mark>" in snip and "<mark>الدفاع</mark>" in snip
    assert snip.startswith("… ") and snip.endswith(" …")


def test_snippet_without_matches_is_the_opening():
    assert arabic.snippet("بداية النص هنا", frozenset()) == "بداية النص هنا"


def test_terms_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(arabic, "TERMS_CACHE_SIZE", 50)
    for i in range(200):
        arabic.terms(f"كلمة{i}")
    assert len(arabic._TERMS_CACHE) <= 50
    assert arabic.terms("الوزراء") == (arabic.stem("الوزراء"), "=الوزراء")  # still right after a clear


def test_rank_vector_covers_the_first_words_of_each_field_only():
    body = " ".join(["مقدمة"] * 70 + ["خاتمة"])
    search, rank = arabic.vectors("عنوان الخبر", "", body)
    assert "خاتمه" in search and "خاتمه" not in rank
    assert "'=مقدمه':" in rank  # every exact form is marked in the rank vector, even a bare stem
