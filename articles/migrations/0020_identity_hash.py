"""Content hashes over the text as identity reads it (articles.identity): spellings of one article that differ only
in spaces, tashkeel, tatweel, invisible marks, alef forms or presentation forms become one article.

Articles whose new hashes are equal are merged into the earliest (the smallest id): it gains the others' tags,
their places in journalists' collections (notes kept, joined), their story when it had none, the editors' story
splits, and the fields it lacked (URL, date, source…). The others are then deleted. The app has no redirect for
an article's address, so none is recorded.

Backwards, the hashes are computed the old way again (whitespace alone); merged articles stay merged.
"""

import hashlib

from django.db import IntegrityError, migrations, transaction

from articles.identity import identity_hash

CHUNK = 2000
FILLED = ("url", "published_at", "source_id", "lead", "author", "credit", "doc_id")  # taken when the keeper lacks them


def old_hash(title: str, body: str) -> str:
    """The hash before identity (migration 0001 to 0019): whitespace collapsed, nothing else."""
    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rehash(cursor, hash_function) -> None:
    """Every article's new hash into the temporary table identity_rehash(id, new_hash), read a chunk at a time."""
    cursor.execute(
        "CREATE TEMPORARY TABLE identity_rehash (id bigint PRIMARY KEY, new_hash varchar(64) NOT NULL) ON COMMIT DROP"
    )
    last = 0
    while True:
        cursor.execute("SELECT id, title, body FROM articles_article WHERE id > %s ORDER BY id LIMIT %s", [last, CHUNK])
        rows = cursor.fetchall()
        if not rows:
            return
        cursor.executemany(
            "INSERT INTO identity_rehash (id, new_hash) VALUES (%s, %s)",
            [(pk, hash_function(title, body)) for pk, title, body in rows],
        )
        last = rows[-1][0]


def _store(cursor) -> None:
    """The new hashes into the articles, through placeholders: a row's new hash may still be another's old one
    until that row is rewritten too, and the unique constraint is checked row by row."""
    cursor.execute(
        "UPDATE articles_article a SET content_hash = 'rehash:' || a.id FROM identity_rehash t "
        "WHERE t.id = a.id AND a.content_hash <> t.new_hash"
    )
    cursor.execute(
        "UPDATE articles_article a SET content_hash = t.new_hash FROM identity_rehash t "
        "WHERE t.id = a.id AND a.content_hash LIKE 'rehash:%%'"
    )


def _merge_collections(apps, keeper: int, losers: list[int]) -> None:
    """One item per collection, the keeper's (or the earliest), with every note it had."""
    Item = apps.get_model("articles", "CollectionItem")
    items = list(Item.objects.filter(article_id__in=[keeper, *losers]).order_by("id"))
    by_collection: dict[int, list] = {}
    for item in items:
        by_collection.setdefault(item.collection_id, []).append(item)
    for group in by_collection.values():
        kept = next((i for i in group if i.article_id == keeper), group[0])
        notes = list(dict.fromkeys(n for i in [kept, *group] if (n := i.note.strip())))
        others = [i.pk for i in group if i.pk != kept.pk]
        Item.objects.filter(pk__in=others).delete()
        Item.objects.filter(pk=kept.pk).update(
            article_id=keeper, note="\n\n".join(notes), position=min(i.position for i in group)
        )


def _merge_story(apps, keeper: int, losers: list[int]) -> None:
    """The keeper keeps its story; one it lacks comes from the earliest copy that had one."""
    Link = apps.get_model("articles", "ArticleStory")
    links = {link.article_id: link for link in Link.objects.filter(article_id__in=[keeper, *losers])}
    donor = next((links[pk] for pk in losers if pk in links and links[pk].story_id is not None), None)
    mine = links.get(keeper)
    if donor is None or mine is not None and mine.story_id is not None:
        return
    if mine is None:
        Link.objects.create(
            article_id=keeper,
            story_id=donor.story_id,
            published_at=donor.published_at,
            bands=donor.bands,
            by_editor=donor.by_editor,
        )
    else:
        Link.objects.filter(article_id=keeper).update(story_id=donor.story_id, by_editor=donor.by_editor)


def _merge_splits(apps, keeper: int, losers: list[int]) -> None:
    """An editor's «these are different stories», said of a copy, holds for the article it becomes."""
    Split = apps.get_model("articles", "StorySplit")
    mapped = {pk: keeper for pk in losers}
    for split in Split.objects.filter(first_id__in=losers) | Split.objects.filter(second_id__in=losers):
        a, b = mapped.get(split.first_id, split.first_id), mapped.get(split.second_id, split.second_id)
        if a != b and not Split.objects.filter(first_id=min(a, b), second_id=max(a, b)).exists():
            Split.objects.create(first_id=min(a, b), second_id=max(a, b))


def _merge_other_references(apps, keeper: int, losers: list[int]) -> None:
    """Any other table that points at an article (added after this migration was written) follows it too, where
    its constraints allow; what they refuse goes with the deleted row, as its on_delete says."""
    Article = apps.get_model("articles", "Article")
    handled = {("articles", "collectionitem"), ("articles", "articlestory"), ("articles", "storysplit")}
    for rel in Article._meta.related_objects:
        model = rel.related_model
        label = (model._meta.app_label, model._meta.model_name)
        if not rel.many_to_one or model._meta.auto_created or label in handled:
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(**{f"{rel.field.name}__in": losers}).update(**{rel.field.name: keeper})
        except IntegrityError:
            pass


def _merge(apps, cursor, keeper: int, losers: list[int]) -> None:
    Article = apps.get_model("articles", "Article")
    cursor.execute(
        "INSERT INTO articles_article_tags (article_id, tag_id) SELECT %s, tag_id "
        "FROM articles_article_tags WHERE article_id = ANY(%s) ON CONFLICT DO NOTHING",
        [keeper, losers],
    )
    _merge_collections(apps, keeper, losers)
    _merge_story(apps, keeper, losers)
    _merge_splits(apps, keeper, losers)
    _merge_other_references(apps, keeper, losers)
    rows = {r["id"]: r for r in Article.objects.filter(pk__in=[keeper, *losers]).values("id", *FILLED)}
    fills = {}
    for name in FILLED:
        if rows[keeper][name] in (None, ""):
            fills[name] = next((rows[pk][name] for pk in losers if rows[pk][name] not in (None, "")), None)
    Article.objects.filter(pk__in=losers).delete()
    if fills := {k: v for k, v in fills.items() if v is not None}:
        Article.objects.filter(pk=keeper).update(**fills)


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        _rehash(cursor, identity_hash)
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM identity_rehash GROUP BY new_hash HAVING count(*) > 1")
        groups = [ids for (ids,) in cursor.fetchall()]
        for ids in groups:
            _merge(apps, cursor, ids[0], ids[1:])
        if groups:
            cursor.execute("DELETE FROM identity_rehash WHERE id = ANY(%s)", [[pk for ids in groups for pk in ids[1:]]])
        _store(cursor)
        cursor.execute("DROP TABLE identity_rehash")


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        _rehash(cursor, old_hash)
        _store(cursor)
        cursor.execute("DROP TABLE identity_rehash")


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_import_notes")]

    operations = [migrations.RunPython(forwards, backwards)]
