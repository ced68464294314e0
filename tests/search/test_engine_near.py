"""Proximity compiled to tantivy phrases (engine.near_query), checked against every placement of two words: no
database, an index in memory. The compiled phrases rest on how tantivy's slop counts (b k-s to k+s positions
after a, either side of it), which this pins for the tantivy we run."""

import pytest
import tantivy

from articles.search.document import build_schema
from articles.search.engine import near_query

SPAN = 8  # b placed up to this many positions before or after a


@pytest.fixture(scope="module")
def placements():
    """(searcher, schema): one document per placement of «ب» relative to «أ» in the title, keyed by the offset
    (b's position minus a's) in the `id` field, plus one where «أ» stands twice, SPAN positions apart."""
    schema = build_schema()
    index = tantivy.Index(schema)
    writer = index.writer(15_000_000, 1)

    def add(pk: int, words: list[str]):
        document = tantivy.Document()
        document.add_unsigned("id", pk)
        document.add_text("title", " ".join(words))
        writer.add_document(document)

    for delta in [*range(-SPAN, 0), *range(1, SPAN + 1)]:
        words = ["س"] * (3 * SPAN)
        words[SPAN], words[SPAN + delta] = "أ", "ب"
        add(SPAN + delta, words)
    words = ["س"] * (3 * SPAN)
    words[SPAN] = words[2 * SPAN] = "أ"
    add(100, words)
    writer.commit()
    index.reload()
    return index.searcher(), schema


def offsets_found(placements, a, b, distance, *, ordered):
    searcher, schema = placements
    query = near_query(schema, a, b, distance, ordered=ordered, exact=False, fields=("title",))
    addresses = [address for _, address in searcher.search(query, 100).hits]
    return sorted(pk - SPAN for pk in searcher.fast_field_values("id", addresses) if pk != 100)


@pytest.mark.parametrize("distance", range(SPAN - 1))
def test_near_finds_the_two_words_with_at_most_distance_words_between_in_either_order(placements, distance):
    reach = distance + 1
    expected = [*range(-reach, 0), *range(1, reach + 1)]
    assert offsets_found(placements, "أ", "ب", distance, ordered=False) == expected


@pytest.mark.parametrize("distance", range(SPAN - 1))
def test_pre_finds_the_second_word_after_the_first_only(placements, distance):
    assert offsets_found(placements, "أ", "ب", distance, ordered=True) == list(range(1, distance + 2))


@pytest.mark.parametrize("ordered", [False, True])
def test_a_word_near_itself_needs_a_second_occurrence_within_the_distance(placements, ordered):
    searcher, schema = placements

    def found(distance):
        query = near_query(schema, "أ", "أ", distance, ordered=ordered, exact=False, fields=("title",))
        return searcher.search(query, 100, count=True).count

    assert found(SPAN - 2) == 0  # one «أ» alone, or two SPAN positions apart: too far
    assert found(SPAN - 1) == 1
