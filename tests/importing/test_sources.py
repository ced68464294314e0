from __future__ import annotations

import pytest

from articles.importing.sources import (
    CATEGORY_NAMES,
    KNOWN_SOURCES,
    SAUDINEWSNET_SOURCES,
    display_name,
    source_key_for,
)

SNN_KEYS = {
    "alriyadh",
    "aljazirah",
    "alyaum",
    "aleqtisadiya",
    "aawsat",
    "okaz",
    "alwatan",
    "almadina",
    "alweeam",
    "3alyoum",
    "sabq",
    "was",
    "arreyadi",
    "arriyadiyah",
}


def test_known_sources_cover_the_corpora():
    assert SNN_KEYS | {"youm7", "jawharafm"} <= set(KNOWN_SOURCES)
    assert SAUDINEWSNET_SOURCES == SNN_KEYS  # the credits page licenses exactly these as SaudiNewsNet
    assert KNOWN_SOURCES["youm7"] == ("اليوم السابع", "youm7.com")
    assert KNOWN_SOURCES["jawharafm"] == ("جوهرة أف أم", "jawharafm.net")
    assert KNOWN_SOURCES["was"][0] == "واس - وكالة الأنباء السعودية"
    for key, (name, domain) in KNOWN_SOURCES.items():
        assert key == key.lower() and key.isascii() and name and "." in domain


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("alriyadh", "alriyadh"),
        ("3alyoum", "3alyoum"),
        (" Okaz ", "okaz"),
        ("Jawhara FM", "jawharafm"),
        ("جوهرة أف أم", "jawharafm"),
        ("الجوهرة اف ام", "jawharafm"),
        ("اليوم السابع", "youm7"),
        ("Youm7", "youm7"),
        ("Asharq Al-Awsat", "aawsat"),
        ("Saudi Press Agency", "was"),
        ("واس - وكالة الأنباء السعودية", "was"),
        ("arreyadiyah", "arriyadiyah"),
        ("www.alriyadh.com", "alriyadh"),
        ("http://www.al-jazirah.com/2015/20150806/ln1.htm", "aljazirah"),
        ("https://m.youm7.com/story/2024/1/1/x", "youm7"),
        ("http://www.spa.gov.sa/1386013", "was"),
        ("www.aleqt.com", "aleqtisadiya"),
        ("sabq.org", "sabq"),
        ("https://www.example.co.uk/news/1", "example.co.uk"),
        ("www.masrawy.com", "masrawy.com"),
        ("Al Masry Al Youm", "al-masry-al-youm"),
        ("المصري اليوم", "المصري-اليوم"),
        ("الوطن", "الوطن"),  # ambiguous Arabic name: deliberately not mapped to the Saudi paper
        ("", ""),
        ("   ", ""),
    ],
)
def test_source_key_for(value, key):
    assert source_key_for(value) == key


def test_display_name():
    assert display_name("youm7") == "اليوم السابع"
    assert display_name("aawsat") == "الشرق الأوسط"
    assert display_name("masrawy.com") == "masrawy.com"


def test_category_names():
    assert CATEGORY_NAMES == {
        "localNews": "وطنية",
        "sport": "رياضة",
        "internationalNews": "دولية",
        "society": "مجتمع",
        "politic": "سياسة",
        "diverse": "متفرقات",
        "economy": "اقتصاد",
        "culture": "ثقافة",
        "technology": "تكنولوجيا",
    }
