"""The query language, without a database: every operator, and hostile input that must still compile."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from articles import querylang
from articles.querylang import compile_query, parse


def compiled(q: str) -> str:
    return compile_query(parse(q)).match


def test_words_are_all_required_and_stemmed():
    assert compiled("وزير الدفاع") == "'وزير' & 'دفاع'"


def test_phrase_is_adjacent_and_counts_stop_words():
    assert compiled('"وزير الدفاع"') == "('وزير' <-> 'دفاع')"
    assert compiled('"وزير في الحكومة"') == "('وزير' <2> 'حكومه')"


def test_or_between_words_and_phrases():
    assert compiled("اقتصاد OR مالية") == "('اقتصاد' | 'ماليه')"
    assert compiled('تونس "كرة القدم" | رياضة') == "'تونس' & (('كره' <-> 'قدم') | 'رياضه')"


def test_exclusion():
    assert compiled("تونس -كرة") == "'تونس' & !'كره'"
    assert compiled('تونس -"كرة القدم"') == "'تونس' & !('كره' <-> 'قدم')"


def test_prefix_strips_the_article_only():
    assert compiled("تكنولوج*") == "'تكنولوج':*"
    assert compiled("التكنولوج*") == "'تكنولوج':*"


def test_exact_spelling_bypasses_stemming():
    assert compiled("=الوزراء") == "'=الوزراء'"
    assert compiled("الوزراء") == "'وزير'"


def test_stop_words_alone_search_nothing():
    assert compiled("في من على") in ("", "'علي'")


def test_only_exclusions_search_nothing():
    assert compiled("-تونس") == ""


def test_unbalanced_quotes_and_stray_operators():
    assert compiled('"وزير الدفاع') == "('وزير' <-> 'دفاع')"
    assert compiled("OR OR وزير OR") == "'وزير'"
    assert compiled("- * = | ()") == ""


def test_sql_and_tsquery_syntax_are_just_words():
    q = "'); DROP TABLE articles_article; -- & | ! <-> :*"
    out = compiled(q)
    assert out == "'drop' & 'table' & ('articles' <-> 'article')"


def test_long_queries_are_cut_and_flagged():
    parsed = parse("وزير " * 1000)
    assert parsed.truncated
    assert len(parsed.clauses) <= querylang.MAX_CLAUSES


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_compiles_to_balanced_quoted_lexemes(q):
    out = compiled(q)
    # Outside quoted lexemes only operators, parentheses and distances may appear.
    outside = re.sub(r"'(?:[^']|'')*'", "", out)
    assert re.fullmatch(r"[\s&|!()<>\-0-9:*]*", outside), out
    assert out.count("(") == out.count(")")
