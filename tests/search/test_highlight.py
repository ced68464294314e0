"""Highlighting and snippets, without a database: escaping first, every inflection and spelling of the searched
stems marked, and the passage with the most distinct matched words chosen."""

from articles.search import highlight
from articles.search.analysis import normalize, stem


def s(word: str) -> str | None:
    return stem(normalize(word))


def test_highlight_escapes_before_marking():
    html = highlight.highlight("<script>alert(1)</script> وحكومته & الحكومة", frozenset({s("الحكومة")}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>وحكومته</mark>" in html and "<mark>الحكومة</mark>" in html
    assert "&amp;" in html


def test_highlight_matches_spelling_variants_and_diacritics():
    html = highlight.highlight("قال المسئول إن المستشفي الجديد", frozenset({s("مسؤول"), s("مستشفى")}))
    assert html.count("<mark>") == 2


def test_highlight_keeps_rtl_controls_out_of_markup():
    text = "\u202eالوزير\u202c"
    html = highlight.highlight(text, frozenset({s("وزير")}))
    assert "<mark>" in html


def test_snippet_picks_the_passage_with_the_words():
    body = " ".join(["كلام"] * 200) + " أعلن وزير الدفاع عن خطة " + " ".join(["كلام"] * 200)
    snip = highlight.snippet(body, frozenset({s("وزير"), s("الدفاع")}))
    assert "<mark>وزير</mark>" in snip and "<mark>الدفاع</mark>" in snip
    assert snip.startswith("… ") and snip.endswith(" …")


def test_snippet_without_matches_is_the_opening():
    assert highlight.snippet("بداية النص هنا", frozenset()) == "بداية النص هنا"
