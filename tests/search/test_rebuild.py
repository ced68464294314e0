"""The index can always be rebuilt from PostgreSQL: when it is missing, broken or another archive's, the next drain
rebuilds it (saying so in the log); while there is none, searches say «الفهرس قيد البناء» instead of failing;
`rebuild_index` swaps a fresh generation in; `check_index` finds what differs."""

import datetime as dt
import logging
import shutil
import threading

import pytest
import tantivy
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from articles.models import Article
from articles.search import analysis, check, index
from articles.search.document import SCHEMA_VERSION, build_document
from tests.factories import ArticleFactory, TagFactory

from .conftest import found, outbox_article_ids

pytestmark = pytest.mark.django_db

UTC = dt.UTC
REBUILDING = "rebuilding it from PostgreSQL"


@pytest.fixture
def archive():
    """Three articles on Tunisian subjects, one tagged; the index built from them."""
    economy = TagFactory(name="اقتصاد")
    articles = [
        ArticleFactory(
            title="تونس توقع اتفاقية تعاون اقتصادي مع الجزائر",
            body="وقعت تونس والجزائر اتفاقية لتعزيز المبادلات التجارية بين البلدين.",
            published_at=dt.datetime(2017, 2, 10, 11, 0, tzinfo=UTC),
            tags=[economy],
        ),
        ArticleFactory(
            title="أمطار غزيرة في الشمال الغربي",
            body="شهدت ولايات جندوبة وباجة أمطارا غزيرة تسببت في فيضان الأودية.",
            published_at=dt.datetime(2018, 1, 5, 6, 30, tzinfo=UTC),
        ),
        ArticleFactory(
            title="الترجي يفوز بكأس تونس",
            body="توج الترجي الرياضي بكأس تونس لكرة القدم بعد فوزه في النهائي.",
            published_at=dt.datetime(2019, 6, 1, 19, 0, tzinfo=UTC),
        ),
    ]
    index.drain()
    return articles


def live_generation_dir():
    return index.index_dir() / (index.index_dir() / "CURRENT").read_text().strip()


def generations() -> list[str]:
    return sorted(p.name for p in index.index_dir().glob("g-*"))


def no_index() -> bool:
    """No live generation, none being built (the folder itself may exist, empty)."""
    return not (index.index_dir() / "CURRENT").exists() and generations() == []


def as_a_new_process(monkeypatch):
    """Forget what this process knows about the index (its open reader, the generations it validated)."""
    monkeypatch.setattr(index, "_open", {})
    monkeypatch.setattr(index, "_validated", set())


def rebuild_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "articles.search" and r.levelno == logging.WARNING and REBUILDING in r.getMessage()
    ]


# --- rebuilt when missing or broken -----------------------------------------------------------------------------


def test_the_first_search_builds_the_index_from_postgresql_and_logs_a_warning(caplog):
    article = ArticleFactory(title="تونس تحتفل بعيد الاستقلال", body="احتفلت تونس بالذكرى الستين للاستقلال.")
    assert no_index()
    with caplog.at_level(logging.WARNING, logger="articles.search"):
        assert found("الاستقلال") == [article.pk]
    assert rebuild_warnings(caplog) == ["search index: no index; rebuilding it from PostgreSQL"]
    assert outbox_article_ids() == []
    assert check.compare() == []


def test_a_deleted_index_folder_is_rebuilt_on_the_next_search(archive, caplog):
    before = found("تونس")
    assert len(before) == 2
    shutil.rmtree(index.index_dir())
    with caplog.at_level(logging.WARNING, logger="articles.search"):
        assert found("تونس") == before
    assert rebuild_warnings(caplog) == ["search index: no index; rebuilding it from PostgreSQL"]
    assert len(generations()) == 1
    assert check.compare() == []


def test_a_generation_whose_meta_json_is_garbage_is_rebuilt(archive, caplog, monkeypatch):
    before = found("تونس")
    broken = live_generation_dir()
    (broken / "meta.json").write_text("{ ليس JSON")
    as_a_new_process(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="articles.search"):
        assert found("تونس") == before
    [warning] = rebuild_warnings(caplog)
    assert f"generation {broken.name} does not open" in warning
    assert live_generation_dir() != broken and not broken.exists()
    assert check.compare() == []


def test_a_generation_whose_segment_files_are_gone_is_rebuilt(archive, caplog, monkeypatch):
    before = sorted(found(tag="اقتصاد"))
    broken = live_generation_dir()
    for path in broken.iterdir():
        if path.name not in ("meta.json", "ARCHIVE") and path.is_file():
            path.unlink()
    as_a_new_process(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="articles.search"):
        assert sorted(found(tag="اقتصاد")) == before == [archive[0].pk]
    [warning] = rebuild_warnings(caplog)
    assert f"generation {broken.name} does not open" in warning
    assert check.compare() == []


def test_an_index_broken_under_a_running_process_is_rebuilt_at_the_next_write(archive, caplog):
    # This process validated the generation and keeps its reader open; the next change it must index finds the
    # generation broken on disk and rebuilds it rather than writing into it.
    broken = live_generation_dir()
    (broken / "meta.json").write_text("garbage")
    new = ArticleFactory(title="افتتاح معرض تونس الدولي للكتاب", body="افتتح معرض الكتاب أبوابه للزوار.")
    with caplog.at_level(logging.WARNING, logger="articles.search"):
        assert found("الكتاب") == [new.pk]
    assert len(rebuild_warnings(caplog)) == 1
    assert not broken.exists()
    assert check.compare() == []


def test_an_index_built_from_another_archive_is_never_served(archive, caplog, monkeypatch):
    # A restored backup or another database: the generation's ARCHIVE stamp names another archive.
    stamp = live_generation_dir() / "ARCHIVE"
    stamp.write_text("0123456789abcdef 1\n")
    as_a_new_process(monkeypatch)
    Article.objects.filter(pk=archive[1].pk).delete()
    with caplog.at_level(logging.WARNING, logger="articles.search"):
        assert found("أمطار") == []
    [warning] = rebuild_warnings(caplog)
    assert "was built from another archive, schema or analyzer (0123456789abcdef 1)" in warning
    assert index.live_index().searcher().num_docs == 2


# --- no index: «الفهرس قيد البناء» -----------------------------------------------------------------------------


def test_without_an_index_and_without_sync_the_page_says_it_is_being_built_and_the_api_answers_503(client, settings):
    settings.SEARCH_INDEX_SYNC = False
    ArticleFactory(title="تونس تستضيف القمة العربية", body="تستعد تونس لاحتضان القمة العربية.")
    response = client.get("/search/", {"q": "تونس"})
    assert response.status_code == 200
    assert "الفهرس قيد البناء" in response.content.decode()
    api = client.get("/api/search", {"q": "تونس"})
    assert api.status_code == 503
    data = api.json()
    assert data["count"] == 0 and data["results"] == []
    assert any("الفهرس قيد البناء" in note for note in data["notes"])
    assert no_index()  # nothing was built behind the reader's back


def test_without_sync_searches_show_the_last_drained_state_until_the_indexer_drains(archive, settings):
    settings.SEARCH_INDEX_SYNC = False
    new = ArticleFactory(title="تونس تطلق قمرا صناعيا", body="أطلقت تونس أول قمر صناعي من صنع محلي.")
    assert found("قمر") == []
    assert outbox_article_ids() == [new.pk]
    index.drain()
    assert found("قمر") == [new.pk]


# --- rebuild_index ----------------------------------------------------------------------------------------------


def test_rebuild_index_swaps_current_to_a_new_generation_and_removes_the_old_one(archive, capsys):
    queries = [("تونس", {}), ("", {"tag": "اقتصاد"}), ("أمطار", {"year": "2018"}), ("", {"source": "jawhara"})]
    before = [found(q, **f) for q, f in queries]
    old = live_generation_dir()
    assert generations() == [old.name]

    call_command("rebuild_index")
    new = live_generation_dir()
    assert new != old
    assert generations() == [new.name]  # the old generation's folder is gone
    assert (new / "ARCHIVE").read_text().strip() == f"{index.archive_id()} {SCHEMA_VERSION}.{analysis.ANALYZER_VERSION}"
    assert "فُهرس 3 مقالات في" in capsys.readouterr().out
    assert [found(q, **f) for q, f in queries] == before
    assert check.compare() == []


def test_rebuild_index_consumes_what_was_queued_before_it(archive):
    title = archive[1]
    title.title = "ثلوج كثيفة في عين دراهم"
    title.save()
    assert outbox_article_ids() == [title.pk]
    call_command("rebuild_index", verbosity=0)
    assert outbox_article_ids() == []
    assert found("دراهم") == [title.pk]
    assert check.compare() == []


# --- check_index ------------------------------------------------------------------------------------------------


def test_check_index_passes_on_a_fresh_index(archive, capsys):
    call_command("check_index")
    assert "الفهرس يطابق قاعدة البيانات." in capsys.readouterr().out


def delete_from_index(pk: int) -> None:
    """Remove one article's document from the live index directly, as the indexer would (under its lock)."""
    with index.writer_lock():
        live = index.live_index()
        writer = live.writer(15_000_000, 1)
        # By query: delete_documents_by_term('id', pk) deletes nothing on this unsigned field (tantivy-py 0.27
        # makes an i64 term of a Python int).
        writer.delete_documents_by_query(tantivy.Query.term_query(index.schema(), "id", pk))
        writer.commit()
        writer.wait_merging_threads()
        live.reload()


def test_check_index_fails_when_a_document_is_missing_from_the_index(archive, capsys):
    pk = archive[2].pk
    delete_from_index(pk)
    assert index.live_index().searcher().num_docs == 2
    with pytest.raises(CommandError, match="الفهرس لا يطابق قاعدة البيانات"):
        call_command("check_index")
    err = capsys.readouterr().err
    assert f"1 articles missing from the index: {pk}" in err
    assert "sources counts differ" in err


def test_check_index_names_articles_still_waiting_in_the_outbox(archive, settings, capsys):
    settings.SEARCH_INDEX_SYNC = False
    ArticleFactory(title="تونس تستقبل أول رحلة سياحية", body="حطت بمطار المنستير أول رحلة سياحية هذا الموسم.")
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "1 articles are still waiting in the outbox" in capsys.readouterr().err


def test_check_index_finds_an_article_indexed_twice(archive):
    with index.writer_lock():
        live = index.live_index()
        writer = live.writer(15_000_000, 1)
        [row] = index.article_rows("WHERE a.id = %s", [archive[0].pk])
        writer.add_document(build_document(row, index._tz()))
        writer.commit()
        writer.wait_merging_threads()
        live.reload()
    assert "1 articles are in the index more than once" in check.compare()


# --- a rebuild racing a write -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_while_a_rebuild_runs_is_still_indexed_afterwards():
    """A write whose transaction took its outbox id before the rebuild's snapshot but committed after it is not
    in the snapshot: its outbox row must survive the rebuild, for the next drain."""
    article = ArticleFactory(title="انطلاق الموسم السياحي في جربة", body="انطلق الموسم السياحي في جزيرة جربة.")
    index.drain()
    updated, go, done, errors = threading.Event(), threading.Event(), threading.Event(), []

    def editor():
        try:
            with transaction.atomic():
                Article.objects.filter(pk=article.pk).update(
                    title="انطلاق الموسم السياحي في طبرقة", body="انطلق الموسم السياحي في مدينة طبرقة."
                )
                updated.set()  # its outbox row holds an id now, not committed yet
                assert go.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        assert updated.wait(10)
        ArticleFactory(title="مهرجان الصحراء بدوز", body="اختتم مهرجان الصحراء الدولي بدوز.")  # a later outbox id

        def commit_the_editor_meanwhile(done_rows, total):
            go.set()
            assert done.wait(10)

        index.rebuild(progress=commit_the_editor_meanwhile)
    finally:
        go.set()
        thread.join(10)
    assert not errors
    assert found("طبرقة") == [article.pk]
    assert found("جربة") == []
    assert check.compare() == []
