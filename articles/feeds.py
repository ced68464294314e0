"""Atom feeds, so a journalist can follow a story: one for every search (same parameters as the page) and one per
topic. Newest first, whatever the page's sort: a feed reader wants what is new."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from .links import changed, link_params, url_with
from .models import Article, Tag, live_or_moved
from .search import highlight, run_search
from .search.query import CONTROL_CHARACTERS

FEED_SIZE = 50


@dataclass
class _Search:
    title: str
    link: str
    items: list  # the newest FEED_SIZE articles, each with its `feed_snippet`
    self_link: str = ""  # the feed's own URL, with its query (rel="self")

    def __post_init__(self):
        _edit_times(self.items)


def _edit_times(items: list) -> None:
    """Each item's `edited_at`: when an editor last changed it in the admin (its change log), or None. An import
    also rewrites `updated_at`, so that field cannot say it."""
    if not items:
        return
    meta = Article._meta  # by name, in the same query: the content type's own lookup is cached per process
    edits = dict(
        LogEntry.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            action_flag=CHANGE,
            object_id__in=[str(i.pk) for i in items],
        )
        .values("object_id")
        .annotate(last=Max("action_time"))
        .values_list("object_id", "last")
    )
    for item in items:
        item.edited_at = edits.get(str(item.pk))


class _ArticleFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj):
        return obj.items

    def title(self, obj):
        return _xml(obj.title)

    def link(self, obj):
        return obj.link

    def feed_url(self, obj):
        return obj.self_link or None

    def subtitle(self, obj):
        return "أرشيف الأخبار العربية: أحدث المقالات أولا"

    def item_title(self, item: Article):
        return _xml(item.display_title)

    def item_description(self, item: Article):
        return _xml(item.feed_snippet)  # already-escaped HTML: the feed serves it as type="html"

    def item_link(self, item: Article):
        return item.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        # The publication time; an editor's change after it, when there was one. (Not updated_at: an import
        # writes it, and every entry read as changed the day of the import.)
        published = item.published_at or item.created_at
        return max(published, item.edited_at) if item.edited_at else published

    def item_author_name(self, item: Article):
        return _xml(item.source.name if item.source else item.credit) or None

    def item_categories(self, item: Article):
        return [_xml(t.name) for t in item.tags.all()]


def _xml(text: str | None) -> str:
    """Text an XML 1.0 feed can carry: without the control characters outside text may hold."""
    return CONTROL_CHARACTERS.sub("", text or "")


class SearchFeed(_ArticleFeed):
    def get_object(self, request):
        # Newest first, whatever the page's sort: a feed reader wants what is new.
        outcome = run_search(changed(request.GET.copy(), sort="newest"))
        filters = outcome.filters
        params = changed(link_params(request.GET), sort=None)
        items = outcome.hits[:FEED_SIZE]
        for item in items:
            item.feed_snippet = item.snippet_html
        title = f"«{filters['q']}» — أرشيف الأخبار" if filters["q"] else "البحث — أرشيف الأخبار"
        return _Search(title, url_with("articles:search", params), items, url_with("articles:search_feed", params))


class TopicFeed(_ArticleFeed):
    def get_object(self, request, slug):
        # A feed reader keeps its URL: an old slug serves the merged tag's articles, without a redirect.
        tag, _ = live_or_moved(Tag, slug)
        if tag is None:
            raise Http404("لا موضوع بهذا الاسم")
        articles = Article.objects.published().for_topic(tag).ordered("newest")
        items = list(articles.select_related("source").prefetch_related("tags")[:FEED_SIZE])
        for item in items:
            item.feed_snippet = highlight.snippet(item.body or item.lead or item.title, frozenset())
        return _Search(
            f"{tag.name} — أرشيف الأخبار",
            tag.get_absolute_url(),
            items,
            url_with("articles:topic_feed", link_params(request.GET), slug=tag.slug),
        )
