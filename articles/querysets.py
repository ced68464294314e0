"""Reads of articles: listings, topics, publication state, and search as a thin delegate to articles.search."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

_TAG_NAMES_SQL = (
    "ARRAY(SELECT t.name FROM articles_article_tags at JOIN articles_tag t ON t.id = at.tag_id "
    "WHERE at.article_id = articles_article.id ORDER BY t.name)"
)


class ArticleQuerySet(models.QuerySet):
    _search_plan = None

    def _clone(self):
        clone = super()._clone()
        clone._search_plan = self._search_plan
        return clone

    @property
    def search_plan(self):
        """The search's plan (dropped words, partial matches) after `search()`."""
        return self._search_plan

    def for_listing(self, *, tag_names: bool = False):
        """What a result list shows: the source, the story (`story_group`, None for a story with no copies), and
        the tags as objects in one extra query in all (or, with `tag_names`, only their names, in this same
        query); never the stored vectors or the original file text."""
        qs = self.select_related("source").defer("raw_text").annotate(story_group=F("story_link__story"))
        return qs.with_tag_names() if tag_names else qs.prefetch_related("tags")

    def with_tag_names(self):
        """Each article's tag names, in name order, as the list `tag_names`, computed in this query for the rows
        it returns only (after any sort and limit)."""
        return self.annotate(tag_names=RawSQL(_TAG_NAMES_SQL, [], output_field=ArrayField(models.TextField())))

    def published(self):
        """Articles readers may see: everything but those dated in the future (embargoed wire copy)."""
        return self.filter(Q(published_at__isnull=True) | Q(published_at__lte=timezone.now()))

    def for_topic(self, tag):
        return self.filter(tags=tag) if isinstance(tag, models.Model) else self.filter(tags__slug=tag)

    def from_source(self, source):
        return self.filter(source=source) if isinstance(source, models.Model) else self.filter(source__slug=source)

    def search(self, q: str, *, sort: str = "relevance"):
        """These articles matching `q`, in the search index's order (relevance, newest or oldest), annotated with
        `rank` (higher is better). The index finds and orders every match; this queryset's own filters then
        narrow them in PostgreSQL."""
        # At call time: articles.search reads the models, so it sits above them; this module imports nothing of
        # the project when loaded, and this method is its one call into search.
        from .search import search_ids

        plan, ids = search_ids(q, sort=sort)
        rank = RawSQL("-array_position(%s::bigint[], articles_article.id)", [ids], output_field=models.FloatField())
        qs = self.filter(pk__in=ids).annotate(rank=rank).order_by("-rank") if ids else self.none()
        qs._search_plan = plan
        return qs

    def ordered(self, sort: str = "relevance"):
        newest = [F("published_at").desc(nulls_last=True), "-id"]
        if sort == "oldest":
            return self.order_by(F("published_at").asc(nulls_last=True), "id")
        if sort == "relevance" and "rank" in self.query.annotations:
            return self.order_by("-rank", *newest)
        return self.order_by(*newest)
