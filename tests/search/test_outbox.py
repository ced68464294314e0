"""Every write that changes what a search shows leaves the article in the outbox (PostgreSQL triggers, migration
0011), and `index.drain()` brings the index in step; draining is idempotent, and a replayed outbox (a crash after
the index commit, before the outbox delete) still leaves exactly one document per article."""

import datetime as dt

import pytest
from django.db import connection

from articles import tagging
from articles.models import Article, Tag
from articles.search import check, index
from tests.factories import ArticleFactory, SourceFactory, TagFactory

from .conftest import found, outbox_article_ids, requeue

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def carthage(**kwargs) -> Article:
    return ArticleFactory(
        title="افتتاح مهرجان قرطاج الدولي للموسيقى",
        body="افتتحت وزارة الثقافة مساء أمس الدورة الجديدة من المهرجان بحضور جمهور غفير في المسرح الأثري.",
        published_at=dt.datetime(2016, 7, 14, 20, 0, tzinfo=UTC),
        **kwargs,
    )


def olives(**kwargs) -> Article:
    return ArticleFactory(
        title="ارتفاع أسعار الزيتون في صفاقس",
        body="سجلت الأسواق ارتفاعا ملحوظا هذا الموسم بسبب الجفاف وقلة الأمطار.",
        published_at=dt.datetime(2018, 11, 3, 9, 15, tzinfo=UTC),
        **kwargs,
    )


def football(**kwargs) -> Article:
    return ArticleFactory(
        title="المنتخب الوطني يستعد لمباراة الجزائر",
        body="يواصل المنتخب الوطني لكرة القدم تحضيراته لمواجهة المنتخب الجزائري على ملعب رادس.",
        published_at=dt.datetime(2019, 3, 22, 17, 45, tzinfo=UTC),
        **kwargs,
    )


@pytest.fixture
def built():
    """An index already built (here: of an empty archive), so what follows goes through the outbox."""
    index.drain()
    assert (index.index_dir() / "CURRENT").exists()
    assert outbox_article_ids() == []


# --- each write path --------------------------------------------------------------------------------------------


def test_creating_an_article_queues_it_and_a_drain_makes_it_searchable(built):
    article = carthage()
    assert outbox_article_ids() == [article.pk]
    assert index.drain() == 1
    assert index.pending() == 0
    assert found("قرطاج") == [article.pk]


def test_editing_the_title_through_save_reindexes_the_new_words_and_forgets_the_old(built):
    article = olives()
    index.drain()
    assert found("صفاقس") == [article.pk]
    article.title = "إضراب عمال الفسفاط في قفصة"
    article.save()
    assert outbox_article_ids() == [article.pk]
    assert index.drain() == 1
    assert found("قفصة") == [article.pk]
    assert found("صفاقس") == []


def test_editing_only_the_lead_or_the_date_also_queues_the_article(built):
    article = football()
    index.drain()
    article.lead = "استعدادات مكثفة قبل لقاء المغرب"
    article.save(update_fields=["lead"])
    assert outbox_article_ids() == [article.pk]
    index.drain()
    assert found("المغرب") == [article.pk]

    Article.objects.filter(pk=article.pk).update(published_at=dt.datetime(2012, 6, 1, 12, 0, tzinfo=UTC))
    assert outbox_article_ids() == [article.pk]
    index.drain()
    assert found("المنتخب", year="2012") == [article.pk]
    assert found("المنتخب", year="2019") == []


def test_adding_a_tag_queues_the_article_and_the_tag_filter_finds_it(built, client):
    article, other = carthage(), olives()
    index.drain()
    culture = TagFactory(name="ثقافة")
    assert found(tag=culture.slug) == []
    article.tags.add(culture)
    assert outbox_article_ids() == [article.pk]
    assert index.drain() == 1
    assert found(tag=culture.slug) == [article.pk]
    assert found("قرطاج", tag=culture.slug) == [article.pk]
    assert found("صفاقس", tag=culture.slug) == []
    data = client.get("/api/search", {"q": "مهرجان", "tag": culture.slug}).json()
    assert data["count"] == 1 and [r["id"] for r in data["results"]] == [article.pk]
    assert data["results"][0]["tags"] == ["ثقافة"]
    assert data["facets"]["tags"] == [{"value": culture.slug, "label": "ثقافة", "kind": culture.kind, "count": 1}]
    assert other.pk not in found(tag=culture.slug)


def test_removing_a_tag_queues_the_article_and_it_leaves_the_tag_filter(built):
    culture, music = TagFactory(name="ثقافة"), TagFactory(name="موسيقى")
    article = carthage(tags=[culture, music])
    index.drain()
    assert found(tag=culture.slug) == [article.pk]
    article.tags.remove(culture)
    assert outbox_article_ids() == [article.pk]
    index.drain()
    assert found(tag=culture.slug) == []
    assert found(tag=music.slug) == [article.pk]


def test_bulk_tagging_merging_and_deleting_tags_reach_the_index(built):
    articles = [carthage(), olives(), football()]
    index.drain()
    sport, football_tag = TagFactory(name="رياضة"), TagFactory(name="كرة القدم")
    tagging.add_tags(articles[2:], [football_tag])
    tagging.add_tags(articles[:1], [sport])
    assert sorted(outbox_article_ids()) == sorted([articles[0].pk, articles[2].pk])
    index.drain()
    assert found(tag=football_tag.slug) == [articles[2].pk]

    tagging.merge_tags(sport, [football_tag])  # re-tags with «رياضة», deletes «كرة القدم» (and its links)
    assert set(outbox_article_ids()) == {articles[2].pk}
    index.drain()
    assert sorted(found(tag=sport.slug)) == sorted([articles[0].pk, articles[2].pk])

    Tag.objects.filter(pk=sport.pk).delete()  # the links go with it: Django's fast delete of the M2M rows
    assert set(outbox_article_ids()) == {articles[0].pk, articles[2].pk}
    index.drain()
    assert check.compare() == []


def test_a_raw_bulk_update_of_the_source_queues_every_row_it_changes(built):
    first, second = SourceFactory(key="mosaique", name="موزاييك أف أم"), SourceFactory(key="assabah", name="الصباح")
    articles = [carthage(source=first), olives(source=first), football(source=second)]
    index.drain()
    assert sorted(found(source=first.slug)) == sorted(a.pk for a in articles[:2])
    changed = Article.objects.filter(pk__in=[a.pk for a in articles[:2]]).update(source=second)
    assert changed == 2
    assert sorted(outbox_article_ids()) == sorted(a.pk for a in articles[:2])
    assert index.drain() == 2
    assert found(source=first.slug) == []
    assert sorted(found(source=second.slug)) == sorted(a.pk for a in articles)


def test_merging_sources_moves_the_articles_in_the_index(built):
    first, second = SourceFactory(key="mosaique", name="موزاييك أف أم"), SourceFactory(key="assabah", name="الصباح")
    moved = carthage(source=first)
    index.drain()
    tagging.merge_sources(second, [first])
    assert outbox_article_ids() == [moved.pk]
    index.drain()
    assert found(source=second.slug) == [moved.pk]


def test_deleting_an_article_queues_its_id_and_the_drain_removes_its_document(built):
    kept, deleted = olives(), carthage()
    index.drain()
    assert found("قرطاج") == [deleted.pk]
    pk = deleted.pk
    deleted.delete()
    assert outbox_article_ids() == [pk]
    assert index.drain() == 1
    assert found("قرطاج") == []
    assert found("صفاقس") == [kept.pk]
    assert check.compare() == []


def test_a_write_that_changes_nothing_the_index_holds_queues_nothing(built):
    articles = [carthage(), olives(), football()]
    index.drain()
    assert Article.objects.update(origin_format="json", credit="وات") == 3  # not in the index
    assert outbox_article_ids() == []
    articles[0].save()  # saved unchanged: the indexed columns are the same
    assert outbox_article_ids() == []
    assert index.drain() == 0


def test_one_statement_over_many_rows_queues_each_changed_row_once(built):
    articles = [carthage(), olives(), football()]
    index.drain()
    # «title = title» changes nothing the index holds: only the row whose lead really changes is queued.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET title = title, lead = CASE WHEN id = %s THEN 'ملخص جديد عن "
            "الموسيقى' ELSE lead END",
            [articles[1].pk],
        )
    assert outbox_article_ids() == [articles[1].pk]


# --- idempotence and replay -------------------------------------------------------------------------------------


def test_draining_twice_indexes_once_and_the_count_stays_exact(built):
    articles = [carthage(), olives(), football()]
    assert index.drain() == 3
    assert index.drain() == 0
    assert index.pending() == 0
    assert sorted(found(tag="", source="jawhara")) == sorted(a.pk for a in articles)
    assert index.live_index().searcher().num_docs == 3
    assert check.compare() == []


def test_an_outbox_replayed_after_the_commit_leaves_exactly_one_document_per_article(built):
    culture = TagFactory(name="ثقافة")
    articles = [carthage(tags=[culture]), olives(), football()]
    index.drain()
    assert found("المنتخب") == [articles[2].pk]
    # A crash after the tantivy commit, before the outbox delete: the same ids are queued again, some twice.
    requeue([a.pk for a in articles] + [articles[0].pk])
    assert index.pending() == 3
    assert index.drain() == 3
    assert index.pending() == 0
    assert index.live_index().searcher().num_docs == 3
    assert found("المنتخب") == [articles[2].pk]
    assert found(tag=culture.slug) == [articles[0].pk]
    assert sorted(found(source="jawhara")) == sorted(a.pk for a in articles)
    assert check.compare() == []


def test_a_crash_between_the_index_commit_and_the_outbox_delete_is_replayed_by_the_next_drain(built, monkeypatch):
    articles = [carthage(), olives()]

    class CrashAfterCommit:
        """The real writer, except that the process «dies» right after its commit."""

        def __init__(self, writer):
            self._writer = writer

        def __getattr__(self, name):
            return getattr(self._writer, name)

        def commit(self):
            self._writer.commit()
            raise RuntimeError("killed after the commit")

    real_writer = index._writer
    monkeypatch.setattr(index, "_writer", lambda *a, **k: CrashAfterCommit(real_writer(*a, **k)))
    with pytest.raises(RuntimeError, match="killed after the commit"):
        index.drain()
    assert sorted(outbox_article_ids()) == sorted(a.pk for a in articles)  # committed, yet still queued
    monkeypatch.setattr(index, "_writer", real_writer)

    assert index.drain() == 2
    assert outbox_article_ids() == []
    assert index.live_index().searcher().num_docs == 2
    assert found("قرطاج") == [articles[0].pk]
    assert check.compare() == []


def test_a_queued_id_of_an_article_that_never_existed_is_simply_consumed(built):
    article = carthage()
    requeue([article.pk + 1000])
    assert index.drain() == 2
    assert index.pending() == 0
    assert found(source="jawhara") == [article.pk]
    assert check.compare() == []


def test_truncating_the_articles_rebuilds_the_index_at_the_next_drain(built, caplog):
    carthage(), olives()
    index.drain()
    with connection.cursor() as cursor:  # no row trigger fires on TRUNCATE: the table trigger of 0013 does
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction holds deferred FK checks
        cursor.execute("TRUNCATE articles_article CASCADE")
    assert found("قرطاج") == [] and found("الزيتون") == []
    assert "rebuilding it from PostgreSQL" in caplog.text
    kept = olives()
    assert found("الزيتون") == [kept.pk]
    assert check.compare() == []


# --- writers side by side ---------------------------------------------------------------------------------------


def test_an_import_that_found_another_writer_indexes_its_articles_once_that_writer_lets_go(built, tmp_path):
    """Another process holds the writer for the whole import (here a second database session), so the import's
    batches are not drained as they commit; when the holder lets go, the import drains them before it returns,
    instead of leaving them in the outbox with nobody to drain them."""
    import threading

    from django.db import connections

    from articles.importing.pipeline import import_paths

    for n, (title, body) in enumerate(
        [
            ("افتتاح مهرجان قرطاج الدولي للموسيقى", "افتتحت وزارة الثقافة مساء أمس الدورة الجديدة من المهرجان."),
            ("ارتفاع أسعار الزيتون في صفاقس", "سجلت الأسواق ارتفاعا ملحوظا هذا الموسم بسبب الجفاف."),
        ]
    ):
        (tmp_path / f"{n}.json").write_text(
            f'{{"title": "{title}", "body": "{body}", "published_at": "2016-07-14", "source": "الصباح"}}',
            encoding="utf-8",
        )
    holder = connections.create_connection("default")
    holder.inc_thread_sharing()  # released from a timer thread
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [index.WRITER_LOCK])
        release = threading.Timer(
            1.5, lambda: holder.cursor().execute("SELECT pg_advisory_unlock(hashtext(%s))", [index.WRITER_LOCK])
        )
        release.start()
        report = import_paths([tmp_path], workers=0)
        release.join()
    finally:
        holder.dec_thread_sharing()
        holder.close()
    assert report.created == 2
    assert index.pending() == 0  # drained by the import itself, before any search could drain it
    assert len(found("قرطاج")) == 1 and len(found("الزيتون")) == 1


def test_a_session_that_commits_every_few_seconds_keeps_the_outbox_until_its_commit(built):
    """An import's writer commits now and then, not at every batch: what it indexed meanwhile stays in the outbox
    (a crash replays it), is not read twice, and is committed and consumed when the session ends."""
    first = carthage()
    with index.writing(commit_every=3600) as session:
        assert session.drain() == 1
        second = olives()
        assert session.drain() == 1  # only the new one: the first is indexed, waiting for the commit
        assert session.drain() == 0
        assert sorted(outbox_article_ids()) == sorted([first.pk, second.pk])
    assert outbox_article_ids() == []
    assert found("قرطاج") == [first.pk] and found("الزيتون") == [second.pk]
    assert check.compare() == []


def test_a_row_committed_late_with_a_lower_id_is_read_in_the_same_session(built):
    """A session reads on from the highest outbox id it has read; a row that another transaction committed later
    with a lower id (ids are taken before commit) is still found before the session reports the outbox drained."""
    carthage()
    with index.writing(commit_every=3600) as session:
        assert session.drain() == 1
        late = olives()
        with connection.cursor() as cursor:  # its id now sorts below every id the session has read
            cursor.execute("UPDATE articles_searchoutbox SET id = -id WHERE article_id = %s", [late.pk])
        assert session.drain() == 1
        assert session.drain() == 0
    assert outbox_article_ids() == []
    assert found("الزيتون") == [late.pk]
