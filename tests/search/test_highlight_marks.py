"""Highlighting marks what the query matched, no more: a prefix the words it begins, =exact its written form only,
a phrase its words side by side, a proximity only the occurrences within its distance. Compiled by the engine
from the parsed query, as the results page does; no database."""

import re

import pytest

from articles.search import engine, highlight
from articles.search.document import build_schema
from articles.search.query import parse

SCHEMA = build_schema()


def marks(q: str):
    return engine.compile_query(SCHEMA, parse(q)).stems


def marked(q: str, text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", highlight.highlight(text, marks(q)))


TEXT = (
    "قالت وزارة الدفاع إن الوزير زار الوزارات المعنية، واجتمع مجلس الوزراء أمس. "
    "وأكد وزير الدفاع أن الوزارة ستعلن خطتها."
)


def test_a_prefix_marks_the_words_it_begins():
    assert marked("وزار*", TEXT) == ["وزارة", "الوزارات", "الوزارة"]
    assert marked("الدفا*", TEXT) == ["الدفاع", "الدفاع"]  # the article comes off the prefix, as in the index


def test_an_exact_form_marks_that_form_only():
    assert marked("=الوزراء", TEXT) == ["الوزراء"]  # not وزير, its singular
    assert marked("الوزراء", TEXT) == ["الوزير", "الوزراء", "وزير"]  # the stem: every inflection
    assert marked('="وزير الدفاع"', TEXT) == ["وزير", "الدفاع"]


def test_a_phrase_marks_its_words_only_side_by_side():
    assert marked('"وزير الدفاع"', TEXT) == ["وزير", "الدفاع"]  # not the first الدفاع, after وزارة
    assert marked('"وزارة الدفاع"', TEXT) == ["وزارة", "الدفاع"]


@pytest.mark.parametrize("q", ["الوزير NEAR/2 الدفاع", "الوزير قرب/2 الدفاع", '"الوزير الدفاع"~2'])
def test_a_proximity_marks_only_the_occurrences_within_its_distance(q):
    text = "أعلن وزير الدفاع خطة. " + " ".join(["كلام"] * 20) + " ثم تحدث الوزير عن الميزانية ثم عن الدفاع."
    assert marked(q, text) == ["وزير", "الدفاع"]  # the later الوزير … الدفاع are 4 words apart


def test_an_ordered_proximity_marks_only_the_order_asked():
    text = "الدفاع قال الوزير. " + " ".join(["كلام"] * 20) + " الوزير قال إن الدفاع جاهز."
    assert marked("الوزير PRE/3 الدفاع", text) == ["الوزير", "الدفاع"]
    assert highlight.highlight(text, marks("الوزير PRE/3 الدفاع")).startswith("الدفاع قال الوزير")
    assert marked("الوزير قبل/3 الدفاع", text) == ["الوزير", "الدفاع"]
    assert len(marked("الوزير NEAR/3 الدفاع", text)) == 4


def test_plain_words_groups_and_alternatives_still_mark_every_inflection():
    assert marked("وزير OR مجلس", TEXT) == ["الوزير", "مجلس", "الوزراء", "وزير"]
    assert marked("(وزير أو مجلس) -كرة", TEXT) == ["الوزير", "مجلس", "الوزراء", "وزير"]


def test_snippets_mark_prefix_and_exact_matches():
    body = " ".join(["كلام"] * 100) + " " + TEXT + " " + " ".join(["كلام"] * 100)
    assert "<mark>الوزارات</mark>" in highlight.snippet(body, marks("وزار*"))
    snip = highlight.snippet(body, marks("=الوزراء"))
    assert snip.count("<mark>") == 1 and "<mark>الوزراء</mark>" in snip
