"""Reading stories: the copies of an article's story, for its page, the API and the result lists."""

from __future__ import annotations

from django.db.models import F

from ..models import Article

_COPY_FIELDS = ("id", "title", "body", "published_at", "source__name", "source__slug")


def copies_of(article: Article) -> list[Article]:
    """Every published copy in the article's story, this one included, earliest first (the first ran it first);
    empty when the article has no copies. Each carries `first` (True for the earliest) and `story_group`."""
    story = Article.objects.filter(pk=article.pk).values_list("story_link__story", flat=True).first()
    if story is None:
        return []
    return copies_by_story([story]).get(story, [])


def copies_by_story(stories: list[int]) -> dict[int, list[Article]]:
    """{story: its published copies, earliest first} for these stories, in one query; a story left with a single
    published copy (the others embargoed) is left out. Each copy carries `first` and `story_group`."""
    if not stories:
        return {}
    out: dict[int, list[Article]] = {}
    rows = (
        Article.objects.published()
        .filter(story_link__story__in=stories)
        .select_related("source")
        .only(*_COPY_FIELDS)
        .annotate(story_group=F("story_link__story"))
        .order_by(F("published_at").asc(nulls_last=True), "id")
    )
    for copy in rows:
        out.setdefault(copy.story_group, []).append(copy)
    for copies in out.values():
        for n, copy in enumerate(copies):
            copy.first = n == 0
    return {story: copies for story, copies in out.items() if len(copies) > 1}


def source_names(copies: list[Article]) -> list[str]:
    """The papers that ran a story, in the order they ran it, each once."""
    return list(dict.fromkeys(c.source.name for c in copies if c.source))
