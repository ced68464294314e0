"""Writes on tags and sources: bulk tagging, merging, renaming, and the aliases that keep old links working.

The admin calls these; scripts and tests can too. Tag links are written through the M2M table directly
(`Article.tags.through`), in bulk: tagging hundreds of articles costs a handful of queries instead of one per
article, and the outbox triggers on the link table (migration 0011) still tell the search index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Article, Source, SourceAlias, Tag, TagAlias, unicode_slug

ArticleLink = Article.tags.through
INSERT_BATCH = 5000


@dataclass(frozen=True)
class MergeResult:
    target: Tag | Source
    merged: int  # tags or sources merged into the target (and deleted)
    articles: int  # articles that were re-tagged (or moved to the target source)


def _article_ids(articles) -> list[int]:
    if isinstance(articles, QuerySet):
        # order_by(): a search result set is ordered by its rank, which the ids do not need.
        return list(articles.order_by().values_list("pk", flat=True).distinct())
    return sorted({a if isinstance(a, int) else a.pk for a in articles})


def _tag_ids(tags) -> set[int]:
    return {t if isinstance(t, int) else t.pk for t in tags}


def add_tags(articles, tags: Iterable[Tag]) -> int:
    """Tag every article with every tag; returns how many articles gained at least one tag."""
    tag_ids = _tag_ids(tags)
    if not tag_ids:
        return 0
    with transaction.atomic():
        article_ids = _article_ids(articles)
        if not article_ids:
            return 0
        have = set(
            ArticleLink.objects.filter(article_id__in=article_ids, tag_id__in=tag_ids).values_list(
                "article_id", "tag_id"
            )
        )
        new = [ArticleLink(article_id=a, tag_id=t) for a in article_ids for t in tag_ids if (a, t) not in have]
        # ignore_conflicts: an editor tagging the same story at the same moment is not an error.
        ArticleLink.objects.bulk_create(new, ignore_conflicts=True, batch_size=INSERT_BATCH)
    return len({link.article_id for link in new})


def remove_tags(articles, tags: Iterable[Tag]) -> int:
    """Untag every article from every tag; returns how many articles lost at least one tag."""
    tag_ids = _tag_ids(tags)
    if not tag_ids:
        return 0
    if isinstance(articles, QuerySet):
        selected = articles.order_by().values("pk")
    else:
        selected = _article_ids(articles)
    links = ArticleLink.objects.filter(article_id__in=selected, tag_id__in=tag_ids)
    with transaction.atomic():
        changed = links.values("article_id").distinct().count()
        if changed:
            links.delete()  # nothing refers to a link row: Django fast-deletes, one DELETE
    return changed


def create_tags(names: Iterable[str], kind: str = Tag.Kind.TOPIC) -> list[Tag]:
    """The tags with these names, created where missing (an existing tag with the same name is reused)."""
    tags = []
    for name in dict.fromkeys(" ".join(n.split()) for n in names):
        if not name:
            continue
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name[:100], kind=kind, slug=free_slug(Tag, unicode_slug(name, "tag")))
            remember_old_slug(tag, "", "")
        tags.append(tag)
    return tags


def free_slug(model, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`…: the first one no row of `model` uses, cut so that it fits the column."""
    limit = model._meta.get_field("slug").max_length
    candidate, n = slug[:limit], 2
    while model.objects.filter(slug=candidate).exists():
        suffix = f"-{n}"  # the base is cut so the suffix always fits
        candidate, n = slug[: limit - len(suffix)] + suffix, n + 1
    return candidate


def merge_tags(target: Tag, sources: Iterable[Tag]) -> MergeResult:
    """Re-tag the sources' articles with `target`, delete the sources, keep their names and slugs as aliases."""

    def retag(source_ids: list[int]) -> int:
        article_ids = ArticleLink.objects.filter(tag_id__in=source_ids).values_list("article_id", flat=True)
        return add_tags(list(article_ids.distinct()), [target])

    sources = list(sources)
    keys = [s.key for s in sources if s.key and s.pk != target.pk]
    with transaction.atomic():
        result = _merge(target, sources, retag)
        # Imports find topics by key: without it, the next import of that category would re-create the tag.
        if not target.key and len(keys) == 1:
            target.key = keys[0]
            target.save(update_fields=["key"])
    return result


def merge_sources(target: Source, sources: Iterable[Source]) -> MergeResult:
    """Move the sources' articles to `target`, delete the sources, keep their names, slugs and keys as aliases."""

    def move(source_ids: list[int]) -> int:
        # One UPDATE, no save() per article: the outbox triggers (migration 0011) re-index the moved articles.
        return Article.objects.filter(source_id__in=source_ids).update(source=target, updated_at=timezone.now())

    return _merge(target, sources, move)


def _merge(target: Tag | Source, merged: Iterable[Tag | Source], move_articles) -> MergeResult:
    """The merge of tags and of sources alike: lock the rows, move the articles (`move_articles(ids)` says how
    many moved), hand the merged rows' names and aliases to `target`, delete them."""
    merged = [m for m in merged if m.pk != target.pk]
    if not merged:
        return MergeResult(target, 0, 0)
    model, ids = type(target), [m.pk for m in merged]
    alias_model = model._meta.get_field("aliases").related_model
    with transaction.atomic():
        # Lock the rows so a concurrent merge or tagging of the same rows waits instead of interleaving.
        list(model.objects.select_for_update().filter(pk__in=[target.pk, *ids]).values_list("pk"))
        moved = move_articles(ids)
        alias_model.take_over(target, merged)
        model.objects.filter(pk__in=ids).delete()
        alias_model.objects.filter(slug=target.slug).delete()
    return MergeResult(target, len(merged), moved)


def remember_old_slug(obj: Tag | Source, old_name: str, old_slug: str) -> None:
    """After saving a tag or source: a changed slug becomes an alias, so /topics/<old slug>/ (or /sources/…) still
    finds it; and an alias that the new slug shadows is dropped (a live slug always wins)."""
    with transaction.atomic():
        type(obj)._meta.get_field("aliases").related_model.remember(obj, old_name, old_slug)


def resolve_tag_alias(slug: str) -> Tag | None:
    """The tag that a merged or renamed tag's old slug now stands for, or None."""
    return TagAlias.owner_of(slug=slug)


def resolve_source_alias(slug: str) -> Source | None:
    """The source that a merged source's old slug now stands for, or None."""
    return SourceAlias.owner_of(slug=slug)


def tag_for_import_key(key: str) -> Tag | None:
    """The tag an import category key belongs to: the live tag with that key, else the one it was merged into."""
    return Tag.objects.filter(key=key).first() or TagAlias.owner_of(key=key)


def source_for_import_key(key: str) -> Source | None:
    """The source an import key belongs to: the live source with that key, else the one it was merged into."""
    return Source.objects.filter(key=key).first() or SourceAlias.owner_of(key=key)
