"""The index's vocabulary (articles/vocabulary.py): a full refresh after reindexing, and counts added per import
batch, so an import into a large archive does not re-read every vector."""
import pytest
from django.db import connection

from articles.importing.pipeline import import_paths
from articles.models import IndexedWord
from articles.vocabulary import WordCounts, add_to_vocabulary, refresh_vocabulary, replace_vocabulary, suggest

pytestmark = pytest.mark.django_db


def _write(tmp_path, name, titles):
    lines = [f'{{"title": "{t}", "content": "{t} في العاصمة اليوم.", "url": "https://example.org/{name}/{i}"}}'
             for i, t in enumerate(titles)]
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_each_import_adds_its_articles_words(tmp_path):
    first = import_paths([_write(tmp_path, "a", ["افتتاح مستشفى جديد", "مستشفى الأطفال يستقبل المرضى"])])
    add_to_vocabulary(first.batch_id)
    assert IndexedWord.objects.get(term="مستشفي").doc_count == 2
    second = import_paths([_write(tmp_path, "b", ["مستشفى الجهة يفتح قسما"])])
    add_to_vocabulary(second.batch_id)
    word = IndexedWord.objects.get(term="مستشفي")
    assert word.doc_count == 3
    assert word.display == "مستشفي"  # normalized, as the index stores it
    # The same counts as a full refresh.
    incremental = dict(IndexedWord.objects.values_list("term", "doc_count"))
    refresh_vocabulary()
    assert dict(IndexedWord.objects.values_list("term", "doc_count")) == incremental


def test_a_word_in_one_article_is_neither_suggested_nor_corrected(tmp_path):
    report = import_paths([_write(tmp_path, "a", ["مهرجان قرطاج الدولي", "مهرجان الحمامات", "قرطاجنة"])])
    add_to_vocabulary(report.batch_id)
    assert suggest("مهرجن") == "مهرجان"
    assert suggest("قرطاجنه") is None or "قرطاجنه" not in suggest("قرطاجنه")


def _row_versions() -> dict[str, str]:
    """Each term's row version (xmin): it changes only when the row is written."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, xmin::text FROM articles_indexedword")
        return dict(cursor.fetchall())


def test_replacing_the_vocabulary_writes_only_the_words_that_changed():
    before = WordCounts()
    before.add([("وزير", 5), ("=الوزير", 4), ("حكومه", 3), ("مستشفي", 2)])
    replace_vocabulary(before)
    versions = _row_versions()
    after = WordCounts()
    after.add([("وزير", 5), ("=الوزير", 4), ("حكومه", 7), ("برلمان", 1)])  # مستشفي gone, برلمان new
    assert replace_vocabulary(after) == 3
    assert dict(IndexedWord.objects.values_list("term", "doc_count")) == {"وزير": 5, "حكومه": 7, "برلمان": 1}
    assert IndexedWord.objects.get(term="وزير").display == "الوزير"
    now = _row_versions()
    assert now["وزير"] == versions["وزير"]  # unchanged: not rewritten
    assert now["حكومه"] != versions["حكومه"]
