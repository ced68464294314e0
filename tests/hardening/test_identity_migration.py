"""Issue 18, item 12: migration 0020 recomputes every content hash over the text as identity reads it, and merges
the articles that become equal into the earliest, losing nothing a journalist or an editor attached to them.
Run with Django's migration executor, on rows written by the models as they were at 0019."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.identity import identity_hash

BEFORE = ("articles", "0019_import_notes")
AFTER = ("articles", "0020_identity_hash")
old_hash = importlib.import_module("articles.migrations.0020_identity_hash").old_hash

TITLE = "وزارة الصحة تعلن عن حملة تلقيح"
BODY = "أعلنت وزارة الصحة عن انطلاق حملة وطنية للتلقيح ضد النزلة الموسمية في كامل الولايات."


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def at_0019(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _article(apps, title, body, **fields):
    return apps.get_model("articles", "Article").objects.create(
        title=title, body=body, content_hash=old_hash(title, body), **fields
    )


def test_variants_merge_into_the_earliest_keeping_tags_collections_stories_and_splits(at_0019):
    apps = at_0019
    Tag, Story = apps.get_model("articles", "Tag"), apps.get_model("articles", "Story")
    Link, Split = apps.get_model("articles", "ArticleStory"), apps.get_model("articles", "StorySplit")
    Collection, Item = apps.get_model("articles", "Collection"), apps.get_model("articles", "CollectionItem")
    user = apps.get_model("auth", "User").objects.create(username="salma")
    health, vaccines = Tag.objects.create(name="صحة", slug="health"), Tag.objects.create(name="تلقيح", slug="vaccines")

    first = _article(apps, TITLE, BODY)
    voweled = _article(
        apps,
        TITLE.replace("حملة", "حَمْلَة"),
        BODY.replace("أعلنت", "أَعْلَنَتْ"),
        url="https://example.tn/vaccins",
        published_at=dt.datetime(2016, 3, 1, tzinfo=dt.UTC),
    )
    alef = _article(apps, TITLE.replace("تعلن", "تعلن\u200c"), BODY.replace("أعلنت", "اعلنت"))
    copy_elsewhere = _article(apps, "حملة تلقيح وطنية", "انطلقت اليوم حملة وطنية للتلقيح في كامل ولايات الجمهورية.")
    other = _article(apps, "نتائج الباكالوريا", "أعلنت وزارة التربية نتائج الدورة الرئيسية للباكالوريا.")
    first.tags.add(health)
    voweled.tags.add(health, vaccines)
    story = Story.objects.create()
    Link.objects.create(article=first, story=None)
    Link.objects.create(article=voweled, story=story, by_editor=True)
    Link.objects.create(article=copy_elsewhere, story=story)
    Split.objects.create(first=alef, second=other)
    files, sources = (
        Collection.objects.create(owner=user, name="ملف الصحة"),
        Collection.objects.create(owner=user, name="مصادر"),
    )
    Item.objects.create(collection=files, article=first, note="للمقارنة", position=3)
    Item.objects.create(collection=files, article=voweled, note="الرقم الرسمي", position=1)
    Item.objects.create(collection=sources, article=alef, note="نسخة الوكالة", position=0)

    apps = _migrate(AFTER)
    Article = apps.get_model("articles", "Article")
    assert sorted(Article.objects.values_list("pk", flat=True)) == [first.pk, copy_elsewhere.pk, other.pk]
    kept = Article.objects.get(pk=first.pk)
    assert kept.content_hash == identity_hash(TITLE, BODY) and (kept.title, kept.body) == (TITLE, BODY)
    assert kept.url == "https://example.tn/vaccins" and kept.published_at.year == 2016  # what it lacked
    assert set(kept.tags.values_list("slug", flat=True)) == {"health", "vaccines"}
    Item = apps.get_model("articles", "CollectionItem")
    assert sorted(Item.objects.values_list("collection__name", "article_id", "note", "position")) == [
        ("مصادر", first.pk, "نسخة الوكالة", 0),
        ("ملف الصحة", first.pk, "للمقارنة\n\nالرقم الرسمي", 1),
    ]
    Link = apps.get_model("articles", "ArticleStory")
    assert Link.objects.get(article_id=first.pk).story_id == story.pk
    assert Link.objects.get(article_id=copy_elsewhere.pk).story_id == story.pk
    assert list(apps.get_model("articles", "StorySplit").objects.values_list("first_id", "second_id")) == [
        (first.pk, other.pk)
    ]
    assert Article.objects.get(pk=other.pk).content_hash == identity_hash(other.title, other.body)

    apps = _migrate(BEFORE)  # backwards: the old hashes again, the merge stays
    Article = apps.get_model("articles", "Article")
    assert {a.pk: a.content_hash for a in Article.objects.all()} == {
        a.pk: old_hash(a.title, a.body) for a in (kept, copy_elsewhere, other)
    }


def test_an_archive_without_variants_keeps_every_article(at_0019):
    apps = at_0019
    rows = [_article(apps, f"خبر رقم {i}", f"نص الخبر رقم {i} عن الانتخابات البلدية.") for i in range(30)]
    apps = _migrate(AFTER)
    hashes = dict(apps.get_model("articles", "Article").objects.values_list("pk", "content_hash"))
    assert hashes == {a.pk: identity_hash(a.title, a.body) for a in rows}
