"""Reading stories: the other copies of an article, for its page and the API."""
from __future__ import annotations

from django.db.models import F

from ..models import Article


def copies_of(article: Article) -> list[Article]:
    """Every published copy in the article's story, this one included, earliest first (the first ran it first);
    empty when the article has no copies. Each carries `first` (True for the earliest) and `story_group`."""
    story = Article.objects.filter(pk=article.pk).values_list("story_link__story", flat=True).first()
    if story is None:
        return []
    copies = list(Article.objects.published().filter(story_link__story=story).select_related("source")
                  .only("id", "title", "body", "published_at", "source__name", "source__slug")
                  .annotate(story_group=F("story_link__story"))
                  .order_by(F("published_at").asc(nulls_last=True), "id"))
    if len(copies) < 2:
        return []
    for n, copy in enumerate(copies):
        copy.first = n == 0
    return copies
