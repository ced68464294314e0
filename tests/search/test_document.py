"""What one article puts in the search index (articles.search.document): no database, plain rows in."""

import datetime as dt
from zoneinfo import ZoneInfo

import tantivy

from articles.search import analysis
from articles.search.document import (
    STOP,
    ArticleRow,
    analyzed_fields,
    build_document,
    build_schema,
    date_keys,
    near_pair,
    near_pairs,
)

TUNIS = ZoneInfo("Africa/Tunis")
UTC = dt.UTC


def test_a_stop_word_keeps_its_position_as_an_underscore_in_both_fields():
    stems, forms = analyzed_fields("وزير الصحة في تونس يزور المستشفيات")
    stems, forms = stems.split(), forms.split()
    assert stems[2] == STOP == "_"  # «في»
    assert forms[2] == "في"  # the surface field keeps the word itself at that position
    assert stems[3] == "تونس" and forms[3] == "تونس"


def test_stems_and_surface_forms_line_up_one_per_word_position():
    text = "الرئيس التونسي في زيارة إلى الجزائر لبحث التعاون الاقتصادي"
    stems, forms = (f.split() for f in analyzed_fields(text))
    tokens = analysis.tokenize(text)
    assert len(stems) == len(forms) == len(tokens)
    assert forms == tokens  # the normalized spelling at each position
    for stem, token in zip(stems, tokens):
        expected = analysis.stem(token)
        assert stem == (expected or STOP), token
    # inflected forms differ from their stems: the exact field is what «=word» searches
    assert stems[0] != forms[0] and forms[0] == analysis.tokenize("الرئيس")[0]


def test_neighbour_pairs_skip_stop_words_and_ignore_order():
    stems, _ = analyzed_fields("وزيرة الشباب و الرياضة تزور ملعب رادس")
    pairs = set(near_pairs(stems).split())
    shabab, riyada = (analysis.term(analysis.tokenize(w)[0]) for w in ("الشباب", "الرياضة"))
    assert near_pair(shabab, riyada) == near_pair(riyada, shabab) in pairs  # «و» between them is skipped
    assert len(pairs) == len([s for s in stems.split() if s != STOP]) - 1
    assert near_pairs(analyzed_fields("تونس")[0]) == ""


def test_empty_text_gives_empty_fields():
    assert analyzed_fields("") == ("", "")


def test_an_overlong_token_keeps_its_position_but_is_not_indexed():
    long_word = "ب" * (analysis.MAX_TOKEN_CHARS + 1)
    stems, forms = (f.split() for f in analyzed_fields(f"تونس {long_word} الجزائر"))
    assert stems[1] == forms[1] == STOP
    assert len(stems) == len(forms) == 3


def test_a_newer_article_has_a_larger_newest_key_and_an_older_one_a_larger_oldest_key():
    older = date_keys(dt.datetime(2010, 5, 1, 8, 0, tzinfo=UTC), TUNIS, pk=900)
    newer = date_keys(dt.datetime(2019, 3, 2, 8, 0, tzinfo=UTC), TUNIS, pk=5)
    assert newer["newest"] > older["newest"]
    assert older["oldest"] > newer["oldest"]


def test_an_undated_article_gets_zero_for_both_keys_and_sorts_last_either_way():
    undated = date_keys(None, TUNIS, pk=7)
    assert undated["newest"] == 0 and undated["oldest"] == 0
    assert undated["year"] == 0 and "ts" not in undated
    for when in (
        dt.datetime(1900, 1, 1, tzinfo=UTC),
        dt.datetime(1850, 1, 1, tzinfo=UTC),
        dt.datetime(2099, 12, 31, 23, 59, tzinfo=UTC),
    ):
        dated = date_keys(when, TUNIS, pk=1)
        assert dated["newest"] > 0 and dated["oldest"] > 0, when


def test_within_the_same_minute_the_article_id_breaks_the_tie():
    minute = dt.datetime(2015, 7, 14, 9, 30, tzinfo=UTC)
    first = date_keys(minute, TUNIS, pk=10)
    second = date_keys(minute.replace(second=45), TUNIS, pk=11)
    assert second["newest"] > first["newest"]  # newest first: the higher id first
    assert first["oldest"] > second["oldest"]  # oldest first: the lower id first
    # a tie-break never outweighs a whole minute
    later = date_keys(minute + dt.timedelta(minutes=1), TUNIS, pk=1)
    assert later["newest"] > second["newest"] and first["oldest"] > later["oldest"]


def test_calendar_fields_are_in_the_archives_time_zone():
    # 23:30 UTC on 31 December is already the new year in Tunis (UTC+1)
    keys = date_keys(dt.datetime(2014, 12, 31, 23, 30, tzinfo=UTC), TUNIS, pk=1)
    assert keys["year"] == 2015 and keys["month"] == 201501 and keys["day"] == 20150101
    assert keys["ts"] == int(dt.datetime(2014, 12, 31, 23, 30, tzinfo=UTC).timestamp())


def test_build_document_makes_a_searchable_document(tmp_path):
    row = ArticleRow(
        42,
        "وزير الصحة في تونس يزور المستشفيات",
        "زيارة ميدانية",
        "أعلن وزير الصحة عن خطة جديدة",
        3,
        dt.datetime(2016, 4, 5, 10, 0, tzinfo=UTC),
        (7, 9),
    )
    doc = build_document(row, TUNIS)
    assert isinstance(doc, tantivy.Document)
    assert doc["id"] == [42] and doc["source"] == [3] and doc["topics"] == [7, 9]
    assert doc["title"] == [analyzed_fields(row.title)[0]]
    assert doc["title_x"] == [analyzed_fields(row.title)[1]]
    assert doc["year"] == [2016]

    schema = build_schema()
    index = tantivy.Index(schema, str(tmp_path))
    writer = index.writer(15_000_000, 1)
    writer.add_document(doc)
    writer.add_document(build_document(ArticleRow(43, "", "", "نص بلا عنوان ولا تاريخ", None, None), TUNIS))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.term_query(schema, "title", "تونس"), 10).hits
    assert searcher.fast_field_values("id", [a for _, a in hits]) == [42]  # nothing is stored: fast fields only
    assert searcher.search(tantivy.Query.term_query(schema, "topics", 9), 10).count == 1
    assert searcher.search(tantivy.Query.term_query(schema, "year", 0), 10).count == 1  # the undated one
