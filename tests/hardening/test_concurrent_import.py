"""Two imports of overlapping folders running at the same time store every article once, with all its tags.

Both runs start with the same shared folder, so they write the same articles at the same moment (the race the
content-hash unique index and ON CONFLICT DO NOTHING must settle), then each goes on with folders of its own.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from .conftest import ANT_FIXTURES, ROOT

spec = importlib.util.spec_from_file_location("kill_import", ROOT / "scripts" / "kill_import.py")
kill_import = importlib.util.module_from_spec(spec)
spec.loader.exec_module(kill_import)

pytestmark = pytest.mark.django_db(transaction=True)


def _import(paths, env, batch_size):
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "import_articles", *map(str, paths),
                             "--batch-size", str(batch_size), "-v", "0"],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_concurrent_imports_of_overlapping_folders_store_each_article_once(tmp_path, db_env):
    from articles.models import Article, ImportBatch, Tag

    categories = sorted(p for p in ANT_FIXTURES.iterdir() if p.is_dir())
    assert len(categories) == 9
    a, b = tmp_path / "a", tmp_path / "b"
    for root, own in ((a, categories[3:6]), (b, categories[6:])):
        for cat in categories[:3]:  # the shared part, first in both runs
            shutil.copytree(cat, root / "0-shared" / cat.name)
        for cat in own:
            shutil.copytree(cat, root / cat.name)
    # The same story under another name in each run's own part as well.
    story = next(categories[0].glob("*.txt"))
    shutil.copy(story, a / categories[3].name / "copy-in-a.txt")
    shutil.copy(story, b / categories[6].name / "copy-in-b.txt")

    clean = _import([a, b], db_env, 500)
    out, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err
    reference = kill_import.snapshot()
    assert len(reference) == 300

    for batch_size in (3, 17):
        kill_import.empty_archive()
        runs = [_import([a], db_env, batch_size), _import([b], db_env, batch_size)]
        results = [run.communicate(timeout=300) for run in runs]
        for run, (out, err) in zip(runs, results):
            # Known bug, proven by the test below: the vocabulary refresh that follows each import can collide.
            # The articles are all committed by then; anything else failing a run fails this test.
            vocabulary_race = "articles_indexedword_term_key" in err
            assert run.returncode == 0 or vocabulary_race, err
        problems = kill_import.check(reference, kills=0)
        assert not problems, (batch_size, problems)
        batches = list(ImportBatch.objects.all())
        assert [b.status for b in batches] == ["finished", "finished"]
        assert all(b.failed == 0 and not b.errors for b in batches), [b.errors[:3] for b in batches]
        # The shared articles were read by both runs: created by one, counted as duplicates by the other.
        assert sum(b.created for b in batches) == Article.objects.count() == 300
        files = len(list(a.rglob("*.txt"))) + len(list(b.rglob("*.txt")))  # the shared part twice, and the copies
        assert sum(b.records_read for b in batches) == files
        assert Tag.objects.count() == len(set(Tag.objects.values_list("name", flat=True)))


def test_two_vocabulary_refreshes_at_once_do_not_fail():
    """Each import ends with refresh_vocabulary(): DELETE every IndexedWord, INSERT them again, in one transaction.
    Two imports finishing together: the second DELETE waits for the first transaction, then cannot see the rows it
    inserted, and its INSERT breaks the unique index on `term` ("duplicate key value violates unique constraint
    articles_indexedword_term_key"): the import exits with status 1 and a stack trace after storing everything.

    Fix (articles/vocabulary.py, refresh_vocabulary): serialize refreshes inside the transaction:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('articles.refresh_vocabulary'))")
            IndexedWord.objects.all().delete()
            IndexedWord.objects.bulk_create(words, batch_size=5000)
    """
    import threading

    from django.db import connection

    from articles.importing.pipeline import import_paths
    from articles.models import IndexedWord
    from articles.vocabulary import refresh_vocabulary

    import_paths([ANT_FIXTURES], workers=1)
    refresh_vocabulary()
    expected = IndexedWord.objects.count()
    assert expected > 1000
    barrier = threading.Barrier(3)
    errors = []

    def refresh():
        try:
            barrier.wait()
            for _ in range(3):
                refresh_vocabulary()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert IndexedWord.objects.count() == expected
