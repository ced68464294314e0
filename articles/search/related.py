"""Related articles: those sharing the rarest words of an article's headline, then its topics.

Rare words find the same story; common ones (تونس، الحكومة) would only find the same country. Document
frequencies come from the index itself, so they are always current.
"""

from __future__ import annotations

from tantivy import Occur, Query

from ..models import Article
from . import analysis, engine, index

TERMS = 6  # the rarest title words an article's neighbours must share one of
MAX_DOCS = 1000  # a word in more articles than this names a country or a ministry, not a story
TOPIC_BONUS = 0.1


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    try:
        searcher = index.searcher()
    except index.IndexUnavailable:
        return []
    schema = index.schema()
    stems = {s for _, s in analysis.analyze(article.display_title) if len(s) >= 3}
    counts = {s: max(searcher.doc_freq(f, s) for f in ("title", "lead", "body")) for s in stems}
    terms = sorted((s for s, n in counts.items() if 2 <= n <= MAX_DOCS), key=lambda s: (counts[s], s))[:TERMS]
    tag_ids = [t.pk for t in article.tags.all()]
    words = [(Occur.Should, engine.words_query(schema, [(0, s)], exact=False)) for s in terms]
    topics = [
        (Occur.Should, Query.const_score_query(Query.term_query(schema, "topics", t), TOPIC_BONUS)) for t in tag_ids
    ]
    if not words and not topics:
        return []
    # With shared words, the topics only order the neighbours; without, they are what makes one.
    match = Query.boolean_query(words) if words else Query.boolean_query(topics)
    query = Query.boolean_query(
        [
            (Occur.Must, match),
            *topics,
            (Occur.MustNot, Query.term_query(schema, "id", article.pk)),
            *engine.Filters(published_before=engine.now_seconds()).queries(schema),
        ]
    )
    ids = engine.page_ids(searcher, query, "relevance" if words else "newest", 0, limit)
    rows = Article.objects.filter(pk__in=ids).select_related("source").in_bulk()
    return [rows[pk] for pk in ids if pk in rows]
