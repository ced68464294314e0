"""`manage.py run_indexer` as production runs it, beside the web process: a separate process on the same database
and index folder. What an editor does in the admin is searchable in the web process within two seconds; a second
indexer waits for the first; an indexer killed mid-drain leaves an index that opens, and the next run completes it
exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import tantivy
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from articles.models import Article, Source, Tag
from articles.search import analysis, check, index
from tests.factories import ArticleFactory, TagFactory, stored_ant_articles
from tests.hardening.conftest import PYTHON, ROOT, manage, subprocess_env

from .conftest import found, outbox_article_ids

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = "مفهرس آخر يعمل على هذا الأرشيف: ننتظر حتى يتوقف…"
RUNNING = "المفهرس يعمل على"


@pytest.fixture
def db_env(transactional_db, settings):
    """Environment of an indexer subprocess on this test's database and index folder (the web process, this one,
    only reads the index: no drain before its searches)."""
    settings.SEARCH_INDEX_SYNC = False
    analysis.lexicon()  # as a web worker does at boot (newsarchive/wsgi.py), not inside a timed search
    return subprocess_env(SEARCH_INDEX_SYNC="0", SEARCH_INDEXER_POLL="0.2", PYTHONUNBUFFERED="1")


class Indexer:
    """One `manage.py run_indexer` subprocess, its output in files (readable while it runs)."""

    def __init__(self, env: dict, folder: Path, name: str, *args: str):
        self.out, self.err = folder / f"{name}.out", folder / f"{name}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(
                [PYTHON, str(ROOT / "manage.py"), "run_indexer", *args], env=env, cwd=ROOT, stdout=out, stderr=err
            )

    def stdout(self) -> str:
        return self.out.read_text()

    def stderr(self) -> str:
        return self.err.read_text()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout`; the exit status of the SIGTERM, or None."""
        if not self.alive():
            return self.proc.returncode
        self.proc.terminate()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            return None


def wait_for(predicate, timeout: float, what: str, interval: float = 0.02, proc: Indexer | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and not proc.alive():
            pytest.fail(f"the indexer exited ({proc.proc.returncode}) while waiting for {what}: {proc.stderr()}")
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def outbox_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_searchoutbox")
        return cursor.fetchone()[0]


def indexed_ids() -> list[int]:
    """Every document's id in this process's view of the live index (duplicates kept)."""
    searcher = index.live_index().searcher()
    hits = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1), count=False).hits
    return searcher.fast_field_values("id", [a for _, a in hits])


def searchable(q: str = "", **filters) -> list[int]:
    try:
        return found(q, **filters)
    except (AssertionError, index.IndexUnavailable):
        return []


def started(indexer: Indexer) -> None:
    """The indexer has built the (empty or not) index and is polling."""
    wait_for(
        lambda: RUNNING in indexer.stdout() and (index.index_dir() / "CURRENT").exists(),
        20,
        "the indexer to start",
        proc=indexer,
    )


def test_a_tag_added_in_the_admin_is_searchable_in_the_web_process_within_two_seconds(db_env, tmp_path, client):
    indexer = Indexer(db_env, tmp_path, "indexer")
    try:
        started(indexer)
        articles = [
            ArticleFactory(
                title="تونس تفوز بتنظيم الألعاب المتوسطية",
                body="أعلنت اللجنة الدولية فوز تونس بتنظيم الألعاب المتوسطية القادمة.",
            ),
            ArticleFactory(
                title="ارتفاع صادرات التمور التونسية",
                body="ارتفعت صادرات تونس من التمور إلى الأسواق الأوروبية هذا الموسم.",
            ),
        ]
        created = time.monotonic()
        wait_for(
            lambda: sorted(searchable("تونس")) == sorted(a.pk for a in articles) or None,
            5,
            "the new articles to be searchable",
            proc=indexer,
        )
        assert time.monotonic() - created < 2

        sport = TagFactory(name="رياضة")
        admin = User.objects.create_superuser("rédacteur", "redaction@example.tn", "kalimat-sir-123")
        client.force_login(admin)
        response = client.post(
            reverse("admin:articles_article_changelist"),
            {
                "action": "add_tags_action",
                "_selected_action": [articles[0].pk],
                "apply": "1",
                "tags": [sport.pk],
            },
        )
        assert response.status_code == 302
        assert set(articles[0].tags.all()) == {sport}
        tagged = time.monotonic()

        def under_the_tag():
            data = client.get("/api/search", {"q": "تونس", "tag": sport.slug})
            if data.status_code != 200:
                return None
            data = data.json()
            return data if [r["id"] for r in data["results"]] == [articles[0].pk] else None

        data = wait_for(under_the_tag, 5, "the tagged article under its tag", proc=indexer)
        elapsed = time.monotonic() - tagged
        assert elapsed < 2, f"{elapsed:.2f} s from the admin's commit to the search"
        assert data["count"] == 1 and data["results"][0]["tags"] == ["رياضة"]
        assert {f["value"]: f["count"] for f in data["facets"]["tags"]} == {sport.slug: 1}
        assert outbox_article_ids() == []
        assert indexer.alive()
        assert "search index: no index; rebuilding it from PostgreSQL" in indexer.stderr()
    finally:
        indexer.stop()
    assert indexer.proc.returncode == 0, indexer.stderr()
    assert check.compare() == []


def two_indexers(env: dict, folder: Path) -> tuple[Indexer, Indexer]:
    """Two indexers started at once (each takes seconds to start): (the one that got the lock, the one waiting)."""
    a, b = Indexer(env, folder, "a"), Indexer(env, folder, "b")

    def roles():
        for first, second in ((a, b), (b, a)):
            if RUNNING in first.stdout() and WAITING in second.stderr():
                return first, second
        assert a.alive() and b.alive(), (a.stderr(), b.stderr())
        return None

    try:
        return wait_for(roles, 30, "one indexer running and the other waiting")
    except BaseException:
        a.stop(), b.stop()
        raise


def test_a_second_indexer_waits_for_the_first_saying_so_and_takes_over_when_it_stops(db_env, tmp_path):
    first, second = two_indexers(db_env, tmp_path)
    try:
        started(first)
        time.sleep(1)
        assert second.alive()
        assert RUNNING not in second.stdout()  # still waiting, not indexing

        assert first.stop() == 0, first.stderr()
        wait_for(lambda: RUNNING in second.stdout(), 10, "the second indexer to take over", proc=second)
        article = ArticleFactory(title="قفصة تحتضن مهرجان الفنون", body="انطلقت في قفصة فعاليات مهرجان الفنون.")
        wait_for(lambda: searchable("قفصة") == [article.pk] or None, 5, "the second indexer to index", proc=second)
    finally:
        first.stop()
        second.stop()


def test_a_waiting_second_indexer_stops_on_sigterm(db_env, tmp_path):
    # systemd (or a deploy script) stops a waiting indexer with SIGTERM: it must exit, not wait for the lock.
    first, second = two_indexers(db_env, tmp_path)
    try:
        second.proc.send_signal(signal.SIGTERM)
        try:
            second.proc.wait(3)
        except subprocess.TimeoutExpired:
            pytest.fail("a waiting run_indexer ignored SIGTERM (still blocked in pg_advisory_lock after 3 s)")
        assert first.alive()
    finally:
        second.stop(timeout=0.1)
        first.stop()


def bulk_articles(n: int) -> list[int]:
    """`n` real Arabic articles (the ANT fixtures, numbered beyond the first round), inserted in a few statements,
    a third of them tagged."""
    jawhara, _ = Source.objects.get_or_create(key="jawhara", defaults={"name": "جوهرة أف أم", "slug": "jawhara"})
    created = stored_ant_articles(n, jawhara)
    tag = Tag.objects.create(name="أرشيف", slug="archive-tag", kind=Tag.Kind.TOPIC)
    Article.tags.through.objects.bulk_create(
        [Article.tags.through(article_id=a.pk, tag_id=tag.pk) for a in created[::3]]
    )
    return [a.pk for a in created]


def test_an_indexer_killed_mid_drain_leaves_an_index_that_opens_and_the_next_run_completes_it_exactly(db_env, tmp_path):
    # The index exists first (an empty archive's), so the kill lands in a drain, not in the first build.
    index.drain()
    total = 3000  # with the tag links, 4000 outbox rows: two batches of index.BATCH, the kill lands between
    assert total + total // 3 == 2 * index.BATCH
    ids = bulk_articles(total)
    assert outbox_rows() == total + total // 3

    indexer = Indexer(db_env, tmp_path, "killed")
    try:
        wait_for(
            lambda: outbox_rows() < total + total // 3, 30, "the indexer's first commit", interval=0.005, proc=indexer
        )
        os.kill(indexer.proc.pid, signal.SIGKILL)
        assert indexer.proc.wait(10) == -signal.SIGKILL
    finally:
        indexer.stop()
    left = outbox_rows()
    assert 0 < left < total + total // 3, "the kill did not land mid-drain"

    generation = (index.index_dir() / "CURRENT").read_text().strip()
    killed = tantivy.Index.open(str(index.index_dir() / generation))
    searcher = killed.searcher()
    assert 0 < searcher.num_docs <= total
    schema = index.schema()
    assert (
        searcher.search(tantivy.Query.term_query(schema, "source", Source.objects.get(key="jawhara").pk), 1).count
        == searcher.num_docs
    )

    rerun = manage("run_indexer", "--once", env=db_env, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "rebuilding" not in rerun.stderr  # the killed index was fit to continue, not rebuilt
    assert outbox_rows() == 0
    index.live_index().reload()
    every = indexed_ids()
    assert len(every) == len(set(every)) == total  # every article once, none twice
    assert set(every) == set(ids)
    assert len(searchable(source="jawhara")) == total
    assert len(searchable(tag="archive-tag")) == len(ids[::3])
    assert check.compare(sample=300) == []
