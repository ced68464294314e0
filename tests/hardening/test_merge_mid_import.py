"""Issue 18, item 10: an editor merges the import's --tag and --source into others while it runs. The import
follows the merge, finishes, and its batch counts exactly the rows it committed."""

import pytest

from articles import tagging
from articles.importing.pipeline import import_paths
from articles.models import Article, ImportBatch, Source, Tag
from tests.factories import SourceFactory, TagFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the foreign keys are checked at each batch's real commit


def _files(folder, n=30):
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            f"خبر رقم {i} عن مستشفى قابس\n\nأعلنت وزارة الصحة اليوم عن تجهيز قسم الطوارئ رقم {i} بمعدات حديثة "
            f"في مستشفى الجهة، وقال المدير إن الأشغال رقم {i * 7} تنتهي قريبا.",
            encoding="utf-8",
        )


def test_the_import_follows_a_merge_of_its_tag_and_source(tmp_path, monkeypatch):
    from articles.importing import pipeline

    followed = []
    follow = pipeline._Resolver.follow_merges
    monkeypatch.setattr(pipeline._Resolver, "follow_merges", lambda self: (followed.append(1), follow(self)))
    _files(tmp_path)
    SourceFactory(key="jawharafm", name="جوهرة أف أم", slug="jawharafm")
    kept_source = SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    kept_tag = TagFactory(name="صحة", kind=Tag.Kind.TOPIC)
    merged = []

    def progress(report, origin):
        if report.created and not merged:  # after the first batch, an editor merges both away
            merged.append(True)
            tagging.merge_tags(kept_tag, [Tag.objects.get(name="مستشفيات")])
            tagging.merge_sources(kept_source, [Source.objects.get(key="jawharafm")])

    report = import_paths(
        [tmp_path], source="jawharafm", tags=["مستشفيات"], batch_size=10, workers=1, progress=progress
    )
    assert merged and followed and report.created == 30
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == ImportBatch.Status.FINISHED
    assert batch.created == Article.objects.filter(import_batch=batch).count() == 30
    assert Article.objects.filter(source=kept_source).count() == 30
    assert Article.objects.filter(tags=kept_tag).count() == 30
    assert not Tag.objects.filter(name="مستشفيات").exists()  # the merged tag and source are not brought back
    assert not Source.objects.filter(key="jawharafm").exists()


def test_a_category_merged_away_is_not_brought_back(tmp_path):
    import json

    kept = TagFactory(name="صحة", kind=Tag.Kind.TOPIC)
    old = TagFactory(name="مستشفيات", kind=Tag.Kind.KEYWORD)
    tagging.merge_tags(kept, [old])
    (tmp_path / "a.json").write_text(
        json.dumps(
            [{"title": "خبر عن مستشفى", "text": "نص عن مستشفى قابس الجديد.", "tags": ["مستشفيات"]}], ensure_ascii=False
        ),
        encoding="utf-8",
    )
    import_paths([tmp_path])
    assert not Tag.objects.filter(name="مستشفيات").exists()
    assert Article.objects.get().tags.get() == kept
