"""reindex_articles (articles/indexing.py): every vector rebuilt from the analyzer, in-process and by forked
workers that send binary tsvectors; the GIN index dropped and rebuilt; the vocabulary recounted."""
import pytest
from django.core.management import call_command
from django.db import connection

from articles import arabic, indexing
from articles.models import Article, IndexedWord, build_vectors
from tests.factories import ArticleFactory, ant

LONG_BODY = " ".join(["وزير"] * 300 + ["كلمة"] * 17000 + ["الأخيرة", "Tunis", "2024"])  # past 16,383 positions


def _stale(n: int) -> list[Article]:
    articles = [ArticleFactory(title=ant(i)["title"], body=ant(i)["body"]) for i in range(n)]
    articles.append(ArticleFactory(title="نص طويل جدا", body=LONG_BODY))
    Article.objects.update(search_vector=None, rank_vector=None, analyzer_version=0)
    return articles


def _assert_indexed(articles):
    """Each stored vector equals the analyzer's text literal, as PostgreSQL itself compares them."""
    with connection.cursor() as cursor:
        for a in articles:
            search, rank = build_vectors(a.title, a.lead, a.body)
            cursor.execute(
                "SELECT search_vector = %s::tsvector, rank_vector = %s::tsvector, analyzer_version "
                "FROM articles_article WHERE id = %s", [search, rank, a.pk])
            assert cursor.fetchone() == (True, True, arabic.ANALYZER_VERSION), a.title


def _gin_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [indexing.GIN_INDEX])
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_reindex_in_process_inside_a_transaction():
    articles = _stale(5)
    assert indexing.reindex(batch_size=2, workers=2) == 6  # inside the test's transaction: no workers
    _assert_indexed(articles)
    assert Article.objects.search("وزير").filter(pk=articles[-1].pk).exists()
    assert IndexedWord.objects.filter(term="وزير").exists()


@pytest.mark.django_db(transaction=True)
def test_reindex_with_workers_writes_binary_vectors_and_rebuilds_the_index(monkeypatch):
    articles = _stale(24)
    monkeypatch.setattr(indexing, "REBUILD_THRESHOLD", 10)
    assert indexing.reindex(batch_size=5, workers=2) == 25
    _assert_indexed(articles)
    assert _gin_exists()
    # The vocabulary the workers counted is what ts_stat over the new vectors gives.
    counted = dict(IndexedWord.objects.values_list("term", "doc_count"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM articles_article') "
                       "WHERE length(word) >= 3 AND word NOT LIKE '=%%'")
        assert counted == dict(cursor.fetchall())
    # Phrases and positions survive the binary route: the last words sit past PostgreSQL's position limit.
    assert Article.objects.search('"وزير وزير"').filter(pk=articles[-1].pk).exists()
    assert Article.objects.search("tunis").filter(pk=articles[-1].pk).exists()


@pytest.mark.django_db(transaction=True)
def test_stale_only_leaves_current_articles_alone():
    articles = _stale(3)
    Article.objects.filter(pk=articles[0].pk).update(analyzer_version=arabic.ANALYZER_VERSION)
    assert indexing.reindex(stale_only=True, batch_size=1, workers=2) == 3
    assert Article.objects.get(pk=articles[0].pk).search_vector is None  # was marked current: not touched
    _assert_indexed(articles[1:])


@pytest.mark.django_db
def test_command_reports_and_rejects_a_bad_batch_size(capsys):
    _stale(2)
    call_command("reindex_articles")
    assert "3" in capsys.readouterr().out
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("reindex_articles", batch_size=0)
