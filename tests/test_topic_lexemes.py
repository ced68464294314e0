"""Topics in the search vectors (migration 0010): whatever writes the tag links or the vectors, each article's
vector holds exactly its tags' lexemes, so a search within a topic (words & topic, one index scan) is right."""
import json

import pytest
from django.db import connection

from articles import indexing, tagging
from articles.importing.pipeline import import_paths
from articles.models import Article, IndexedWord
from articles import arabic
from articles.querysets import topic_lexeme
from articles.vocabulary import refresh_vocabulary
from tests.factories import ArticleFactory, TagFactory, ant

pytestmark = pytest.mark.django_db


def _topics(article) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ARRAY(SELECT lexeme FROM unnest(search_vector) WHERE left(lexeme, 1) = '#') "
                       "FROM articles_article WHERE id = %s", [article.pk])
        return set(cursor.fetchone()[0])


def _rows_updated() -> int:
    """Article row versions written by UPDATE so far (this backend's counts, not yet flushed to the statistics)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_xact_tuples_updated('articles_article'::regclass)")
        return cursor.fetchone()[0]


def _in_topic(q: str, tag) -> set[int]:
    """Articles whose stored vector holds the words of `q` (stemmed) and the tag's lexeme."""
    stems = [arabic.stem(t) for t in arabic.tokenize(q)]
    tsquery = " & ".join(f"'{s}'" for s in stems if s) + f" & '{topic_lexeme(tag.pk)}'"
    return set(_matching_vector(tsquery))


def _matching_vector(tsquery: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM articles_article WHERE search_vector @@ %s::tsquery", [tsquery])
        return [r[0] for r in cursor]


def test_tagging_and_untagging_keep_the_vector_exact():
    sport, culture = TagFactory(name="رياضة", slug="sport"), TagFactory(name="ثقافة", slug="culture")
    article = ArticleFactory(title="الترجي يفوز على النجم في الدربي", body="فاز الترجي على النجم الساحلي.")
    other = ArticleFactory(title="الترجي يستعد للموسم", body="يستعد الترجي للموسم الجديد.")
    assert _topics(article) == set() and _in_topic("الترجي", sport) == set()

    article.tags.add(sport, culture)  # the ORM's M2M insert
    assert _topics(article) == {topic_lexeme(sport.pk), topic_lexeme(culture.pk)}
    assert _in_topic("الترجي", sport) == {article.pk}
    tagging.add_tags([other], [sport])  # the admin's bulk action
    assert _in_topic("الترجي", sport) == {article.pk, other.pk}

    article.tags.remove(culture)
    assert _topics(article) == {topic_lexeme(sport.pk)}
    tagging.remove_tags([article, other], [sport])
    assert _topics(article) == set() and _in_topic("الترجي", sport) == set()
    assert _in_topic('"الترجي يفوز"', sport) == set()


def test_merging_and_deleting_tags_move_and_drop_the_lexemes():
    football, soccer = TagFactory(name="كرة القدم", slug="football"), TagFactory(name="كورة", slug="soccer")
    a, b = ArticleFactory(title=ant(0)["title"], body=ant(0)["body"]), ArticleFactory(title=ant(1)["title"], body=ant(1)["body"])
    a.tags.add(soccer)
    b.tags.add(football, soccer)
    tagging.merge_tags(football, [soccer])
    assert _topics(a) == _topics(b) == {topic_lexeme(football.pk)}
    football.delete()
    assert _topics(a) == _topics(b) == set()


def test_an_edit_or_a_reindex_keeps_the_topics():
    sport = TagFactory(name="رياضة", slug="sport")
    article = ArticleFactory(title="الترجي يفوز", body="فاز الترجي في المباراة.")
    article.tags.add(sport)
    article.body = "فاز الترجي في المباراة النهائية للكأس."
    article.save()  # new vectors from the analyzer, which knows nothing of tags
    assert _topics(article) == {topic_lexeme(sport.pk)}
    assert _in_topic("الكأس", sport) == {article.pk}
    indexing.reindex(workers=1)
    assert _topics(article) == {topic_lexeme(sport.pk)}


def test_an_import_writes_its_topics_with_each_new_article_and_nothing_twice(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps({"title": ant(i)["title"], "content": ant(i)["body"],
                                          "url": f"https://example.org/{i}"}, ensure_ascii=False)
                              for i in range(4)), encoding="utf-8")
    updated_before = _rows_updated()
    report = import_paths([path], tags=["ملف خاص"], workers=1)
    assert report.created == 4
    assert _rows_updated() == updated_before  # linking the tags rewrote no article
    tag = Article.objects.first().tags.get()
    assert all(_topics(a) == {topic_lexeme(tag.pk)} for a in Article.objects.all())


def test_topics_are_no_words():
    sport = TagFactory(name="رياضة", slug="sport")
    for i in range(2):
        ArticleFactory(title=ant(i)["title"], body=ant(i)["body"]).tags.add(sport)
    refresh_vocabulary()
    assert not IndexedWord.objects.filter(term__startswith="#").exists()
    # No query can name a topic's lexeme: the tokenizer keeps no '#'.
    assert all("#" not in t for t in arabic.tokenize(f"#{sport.pk} {topic_lexeme(sport.pk)}"))


def test_the_page_and_the_api_search_within_a_topic_through_its_lexeme(client):
    sport = TagFactory(name="رياضة", slug="sport")
    inside = ArticleFactory(title="الترجي يفوز بالكأس", body="فاز الترجي بالكأس.")
    inside.tags.add(sport)
    ArticleFactory(title="الترجي في الاقتصاد", body="شركة الترجي تعلن أرباحها.")
    data = client.get("/api/search", {"q": "الترجي", "tag": "sport"}).json()
    assert [r["id"] for r in data["results"]] == [inside.pk] and data["count"] == 1
    page = client.get("/search/", {"q": "الترجي", "tag": "sport"})
    assert page.status_code == 200 and "الترجي يفوز بالكأس" in page.content.decode()
    assert "الترجي في الاقتصاد" not in page.content.decode()
