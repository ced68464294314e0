"""The query language end to end without a database: parsed (search.query), compiled (search.engine) and run
on an in-memory index of real Arabic headlines, every operator asserted by the articles it finds."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import engine
from articles.search import query as query_language
from articles.search.document import ArticleRow, build_document, build_schema

TZ = ZoneInfo("Africa/Tunis")
HEADLINES = {
    1: "وزير الدفاع يزور الجنوب",
    2: "الدفاع المدني يتدخل وينقذ وزير سابق",
    3: "وزير في الحكومة يستقيل",
    4: "أزمة الاقتصاد تتعمق في تونس",
    5: "وزارة المالية تعلن الميزانية",
    6: "منتخب كرة القدم يفوز في تونس",
    7: "تونس تحتضن مهرجان قرطاج",
    8: "التكنولوجيا الحديثة في المدارس",
    9: "الوزراء يجتمعون في قصر الحكومة",
}
SCHEMA = build_schema()


@pytest.fixture(scope="module")
def searcher():
    index = tantivy.Index(SCHEMA)  # in memory
    writer = index.writer(15_000_000, 1)
    for pk, title in HEADLINES.items():
        row = ArticleRow(pk, title, "", "", 1, dt.datetime(2017, 1, pk, tzinfo=dt.UTC))
        writer.add_document(build_document(row, TZ))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index.searcher()


def ids(searcher, q: str) -> set[int]:
    """The articles `q` finds when every clause must match, as the results page asks first."""
    compiled = engine.compile_query(SCHEMA, query_language.parse(q))
    if not compiled.clauses:
        return set()
    hits = searcher.search(engine.all_of(compiled.clauses, compiled.negatives), 100).hits
    return set(searcher.fast_field_values("id", [address for _, address in hits]))  # id: a fast field, not stored


def test_words_are_all_required_and_stemmed(searcher):
    assert ids(searcher, "وزير الدفاع") == {1, 2}
    assert ids(searcher, "الوزير") == {1, 2, 3, 9}  # الوزراء is the broken plural of وزير


def test_phrase_is_adjacent_in_order_and_counts_stop_words(searcher):
    assert ids(searcher, '"وزير الدفاع"') == {1}
    assert ids(searcher, '"الدفاع وزير"') == set()
    assert ids(searcher, '"وزير في الحكومة"') == {3}  # the stop word holds its position


def test_or_between_words_and_phrases(searcher):
    assert ids(searcher, "الاقتصاد OR المالية") == {4, 5}
    assert ids(searcher, 'تونس "كرة القدم" | مهرجان') == {6, 7}


def test_exclusion_of_words_and_phrases(searcher):
    assert ids(searcher, "تونس -كرة") == {4, 7}
    assert ids(searcher, 'تونس -"كرة القدم"') == {4, 7}
    assert ids(searcher, "-تونس") == set()  # only exclusions search nothing


def test_prefix_strips_the_article_only(searcher):
    assert ids(searcher, "تكنولوج*") == {8}
    assert ids(searcher, "التكنولوج*") == {8}


def test_exact_spelling_bypasses_stemming(searcher):
    assert ids(searcher, "=الوزراء") == {9}
    assert ids(searcher, "الوزراء") == {1, 2, 3, 9}


def test_stop_words_alone_search_nothing(searcher):
    assert ids(searcher, "في من") == set()


def test_unbalanced_quotes_and_stray_operators(searcher):
    assert ids(searcher, '"وزير الدفاع') == {1}
    assert ids(searcher, "OR OR قرطاج OR") == {7}
    assert ids(searcher, "- * = | ()") == set()


def test_sql_and_tsquery_syntax_are_just_words(searcher):
    assert ids(searcher, "'); DROP TABLE articles_article; -- & | ! <-> :* تونس") == set()
    assert ids(searcher, "تونس & | ! :* <->") == {4, 6, 7}


def test_long_queries_are_cut_and_flagged():
    parsed = query_language.parse("وزير " * 1000)
    assert parsed.truncated
    assert len(parsed.clauses) <= query_language.MAX_CLAUSES


def test_grouping_fields_and_proximity_without_a_database(searcher):
    assert ids(searcher, "(الاقتصاد أو المالية) -تونس") == {5}
    assert ids(searcher, "(الاقتصاد OR المالية) NOT تونس") == {5}
    assert ids(searcher, "تونس ليس كرة") == ids(searcher, "تونس كرة") == {6}  # a plain sentence: «ليس» is a word
    assert ids(searcher, '"تونس" ليس كرة') == {4, 7}
    assert ids(searcher, "عنوان:وزير") == ids(searcher, "title:وزير") == {1, 2, 3, 9}
    assert ids(searcher, "body:وزير") == set()
    assert ids(searcher, "وزير NEAR/1 الدفاع") == {1}
    assert ids(searcher, "وزير NEAR/5 الدفاع") == ids(searcher, "وزير قرب/5 الدفاع") == {1, 2}
    assert ids(searcher, "الدفاع PRE/5 وزير") == ids(searcher, "الدفاع قبل/5 وزير") == {2}
    assert ids(searcher, '"وزير الحكومة"~1') == {3}


FRAGMENTS = [
    "(",
    ")",
    "-(",
    "AND",
    "OR",
    "NOT",
    "و",
    "أو",
    "ليس",
    "NEAR/5",
    "NEAR/x",
    "PRE/2",
    "قرب/3",
    "قبل/1",
    "title:",
    "عنوان:",
    "body:(",
    "source:",
    "مصدر:",
    "after:2016",
    "قبل:2017",
    "year:",
    "آخر",
    "أسبوع",
    '"',
    '"~2',
    "-",
    "*",
    "=",
    "وزير",
    "الدفاع",
    "تونس",
    "في",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)
    | st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
)
def test_any_mix_of_the_grammar_parses_compiles_and_runs(searcher, q):
    parsed = query_language.parse(q)
    assert sum(1 for _ in parsed.terms()) <= query_language.MAX_TERMS
    query_language.describe(parsed)
    compiled = engine.compile_query(SCHEMA, parsed)
    for query in (*compiled.clauses, *compiled.negatives):
        searcher.search(query, 1, count=True)


def test_pure_parser_reads_the_new_grammar():
    parsed = query_language.parse("مصدر:الرياض -موضوع:رياضة بعد:2016-03 قبل:2017 وزير")
    f = parsed.filters
    assert (f.sources, f.not_topics, f.since, f.until) == (
        ["الرياض"],
        ["رياضة"],
        dt.date(2016, 3, 1),
        dt.date(2017, 1, 1),
    )
    assert [t.text for t in parsed.terms()] == ["وزير"] and not parsed.notes
    assert query_language.parse("year:2016").filters.until == dt.date(2017, 1, 1)
    assert query_language.parse("آخر شهر").filters.recent == "month"
    near = query_language.parse("a NEAR/abc b").clauses[0].alternatives[0]
    assert (near.distance, near.ordered) == (5, False) and query_language.parse("a NEAR/abc b").notes
    assert query_language.describe(query_language.parse("(a OR b")) == "(a أو b)"
    assert query_language.parse("foo:bar").notes  # an unknown field is a word, and said
    assert query_language.parse("title:(a b)").clauses[0].alternatives[0].clauses[1].alternatives[0].field == "title"
    assert not query_language.parse("(a OR b) -c").notes


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_compiles_to_queries_the_index_runs(searcher, q):
    parsed = query_language.parse(q)
    for loosen in (False, True):
        compiled = engine.compile_query(SCHEMA, parsed, loosen=loosen)
        for query in (*compiled.clauses, *compiled.negatives):
            searcher.search(query, 1, count=True)
