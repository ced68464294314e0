"""Two imports of overlapping folders running at the same time store every article once, with all its tags.

Both runs start with the same shared folder, so they write the same articles at the same moment (the race the
content-hash unique index and ON CONFLICT DO NOTHING must settle), then each goes on with folders of its own.
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from .conftest import ANT_FIXTURES, ROOT

spec = importlib.util.spec_from_file_location("kill_import", ROOT / "scripts" / "kill_import.py")
kill_import = importlib.util.module_from_spec(spec)
spec.loader.exec_module(kill_import)

pytestmark = pytest.mark.django_db(transaction=True)


def _import(paths, env, batch_size):
    return kill_import.start_import([str(p) for p in paths], env, batch_size)


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
        for run, (_out, err) in zip(runs, results, strict=True):
            assert run.returncode == 0, err
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
