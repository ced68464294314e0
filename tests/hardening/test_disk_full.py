"""Issue 18, item 18: a full disk stops an import cleanly with «لا مساحة على القرص», keeps what was committed, and
a re-run after space is freed picks up where it stopped."""

import errno

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from articles.importing import pipeline
from articles.models import Article, ImportBatch

pytestmark = pytest.mark.django_db


def _articles(folder, n=30):
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            f"خبر رقم {i} عن مستشفى قابس\n\nأعلنت وزارة الصحة اليوم عن تجهيز قسم الطوارئ رقم {i} بمعدات حديثة.",
            encoding="utf-8",
        )


@pytest.mark.parametrize(
    "fault",
    [
        lambda: OSError(errno.ENOSPC, "No space left on device"),
        lambda: ValueError("An IO error occurred: 'No space left on device (os error 28)'"),  # tantivy's words
        lambda: _postgres_disk_full(),
    ],
)
def test_a_full_disk_stops_the_import_cleanly_and_keeps_what_was_committed(tmp_path, monkeypatch, fault):
    _articles(tmp_path)
    write, calls = pipeline._write, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise fault()
        return write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_write", failing)
    with pytest.raises(CommandError, match="لا مساحة على القرص") as raised:
        call_command("import_articles", str(tmp_path), "--batch-size", "10", verbosity=0)
    assert "ما حُفظ قبله باقٍ: 10 مقالات في" in str(raised.value)
    assert Article.objects.count() == 10
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INTERRUPTED and batch.created == 10
    assert any("لا مساحة على القرص" in e["reason"] for e in batch.errors)
    monkeypatch.setattr(pipeline, "_write", write)  # space freed: the same command finishes the job
    call_command("import_articles", str(tmp_path), "--batch-size", "10", verbosity=0)
    assert Article.objects.count() == 30


def _postgres_disk_full():
    from psycopg import errors

    try:
        raise errors.DiskFull("could not extend file: No space left on device")
    except errors.DiskFull as cause:
        wrapped = OperationalError("could not extend file")
        wrapped.__cause__ = cause
        return wrapped


def test_other_errors_are_not_called_a_full_disk():
    assert not pipeline.disk_full(ValueError("bad value"))
    assert not pipeline.disk_full(OSError(errno.EACCES, "Permission denied"))
