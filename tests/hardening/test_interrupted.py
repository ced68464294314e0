"""Interrupted imports: `import_articles` killed with SIGKILL in the middle of writing, three times, then run to the
end, stores exactly what one clean run stores (the short version of scripts/kill_import.py, which does it 20+ times
on the 10,000-file ANT corpus)."""

from __future__ import annotations

import importlib.util
import random

import pytest

from .conftest import ANT_FIXTURES, ROOT, manage

spec = importlib.util.spec_from_file_location("kill_import", ROOT / "scripts" / "kill_import.py")
kill_import = importlib.util.module_from_spec(spec)
spec.loader.exec_module(kill_import)

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_sigkills_mid_write_then_a_rerun_store_what_a_clean_run_stores(db_env):
    from articles.models import Article, ImportBatch

    corpus = [str(ANT_FIXTURES)]
    clean = manage("import_articles", *corpus, "--batch-size", "5", "-v", "0", env=db_env)
    assert clean.returncode == 0, clean.stderr
    reference = kill_import.snapshot()
    assert len(reference) == 300
    kill_import.empty_archive()

    rng = random.Random()
    kills = []
    for _ in range(3):
        before = Article.objects.count()
        # Kill once this run has committed some, but not all, of the articles still missing: mid-import for sure.
        # At most half of what is left, so dozens of articles still remain when the kill lands (a run that has
        # written everything is only finishing its bookkeeping, and a kill then is not mid-import).
        threshold = before + rng.randint(1, max(1, (len(reference) - before) // 2))
        proc = kill_import.start_import(corpus, db_env, batch_size=5)
        outcome = kill_import.kill_after(proc, 120, when=lambda t=threshold: Article.objects.count() >= t)
        assert outcome["killed"], f"the import finished before it could be killed: {outcome}"
        assert not outcome["orphans"], f"analysis workers outlived the killed import: {outcome['orphans']}"
        after = Article.objects.count()
        kills.append((before, threshold, after))
        assert before < after < len(reference), kills
        # Killed mid-run: its batch is still "running" (nobody could mark it), with the counters of its last commit.
        assert ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).count() == 1

    final = manage("import_articles", *corpus, "--batch-size", "5", "-v", "0", env=db_env)
    assert final.returncode == 0, final.stderr
    problems = kill_import.check(reference, kills=3)
    assert not problems, (problems, kills)
    assert ImportBatch.objects.filter(status=ImportBatch.Status.INTERRUPTED).count() == 3
    assert ImportBatch.objects.filter(status=ImportBatch.Status.FINISHED).count() == 1
    # Each killed batch's counters match what it committed: nothing counted that was rolled back.
    created_by_killed = sum(
        ImportBatch.objects.filter(status=ImportBatch.Status.INTERRUPTED).values_list("created", flat=True)
    )
    assert created_by_killed == kills[-1][2]
