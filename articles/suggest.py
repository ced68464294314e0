"""Tag suggestions: the tags editors would most likely give an article, learned from the articles they tagged.

A complement naive Bayes classifier (Rennie et al., 2003: multinomial naive Bayes estimated from every *other*
tag's articles, which copes with very unbalanced tags: ANT's «وطنية» is half the corpus) over the terms of the
search index. Features come from the stored tsvectors (the Arabic analyzer's stems, `articles.arabic`), so
training is SQL over `articles_article` and an article is scored from its own `search_vector` with no Python
analysis.

The model is sparse: for each tag c and term t seen with it, with n(c,t) the term's count in c's articles,
A(t) its count in all tags, α the smoothing and V the vocabulary,

    score(c) = log P(c) + L · log(Σ_t A(t) − N(c) + α|V|) + Σ_t x(t) · [log(A(t) + α) − log(A(t) − n(c,t) + α)]

where x(t) is the article's count of t and L = Σ x(t) over vocabulary terms (terms every tag shares drop out).
`TagSuggestionProfile` holds the first two constants per tag, `TagTermWeight` the bracket per (tag, term):
scoring one article is one indexed lookup per distinct term, whatever the number of articles.

`train()` (the `train_tag_suggestions` command) rebuilds both tables; run it after imports or a day of tagging.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.utils import timezone

from .models import Article, Tag, TagSuggestionProfile, build_search_vector

ALPHA = 0.1  # additive smoothing
MIN_DF = 2  # a term in a single training article is noise (a name, a typo), not evidence
MIN_TAG_ARTICLES = 3  # a tag given to fewer articles cannot be learned
TITLE_EXTRA = 2  # a headline word counts three times: headlines say what a story is about

# Occurrences of an index term in a tsvector, headline positions (weight A) counted 1 + TITLE_EXTRA times.
# Exact-form lexemes (marked with arabic.EXACT_PREFIX) duplicate their stem and are left out, and so are the
# topic lexemes (querysets.TOPIC_PREFIX): they are the very tags being learned.
_FEATURES = f"""
    SELECT u.lexeme AS term,
           (cardinality(u.weights) + {TITLE_EXTRA} * coalesce(cardinality(array_positions(u.weights, 'A')), 0))::float8 AS x
    FROM unnest({{vector}}) AS u
    WHERE left(u.lexeme, 1) NOT IN ('=', '#')
"""

_SCORE = f"""
WITH x AS ({_FEATURES}),
hits AS (
    SELECT w.tag_id, w.term, w.weight * x.x AS s FROM x JOIN articles_tagtermweight w ON w.term = x.term
),
known AS (SELECT coalesce(sum(x.x), 0) AS total FROM x WHERE x.term IN (SELECT term FROM hits))
SELECT p.tag_id, p.bias + known.total * p.per_term + coalesce(h.s, 0) AS score
FROM articles_tagsuggestionprofile p
CROSS JOIN known
LEFT JOIN (SELECT tag_id, sum(s) AS s FROM hits GROUP BY tag_id) h ON h.tag_id = p.tag_id
WHERE known.total > 0
ORDER BY score DESC, p.tag_id
LIMIT %s
"""


_TEMP_TABLES = ["_train_links", "_doc_terms", "_vocab", "_class_terms", "_term_totals"]


@dataclass(frozen=True)
class Suggestion:
    tag: Tag
    score: float


@dataclass(frozen=True)
class TrainReport:
    tags: int
    articles: int
    terms: int
    weights: int
    seconds: float


def train(articles=None, *, alpha: float = ALPHA, min_df: int = MIN_DF,
          min_tag_articles: int = MIN_TAG_ARTICLES) -> TrainReport:
    """Rebuild the model from the tagged articles in `articles` (default: every article)."""
    started = time.monotonic()
    articles = Article.objects.all() if articles is None else articles
    try:
        ids_sql, ids_params = articles.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: train on nothing, which empties the model
        ids_sql, ids_params = "SELECT NULL::bigint WHERE false", []
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        # ON COMMIT DROP does not fire when train() runs inside an outer transaction (tests, scripts): drop first.
        cur.execute(f"DROP TABLE IF EXISTS {', '.join(_TEMP_TABLES)}")
        cur.execute(f"""
            CREATE TEMP TABLE _train_links ON COMMIT DROP AS
            SELECT l.article_id, l.tag_id FROM articles_article_tags l
            WHERE l.article_id IN ({ids_sql})
        """, ids_params)
        cur.execute("""
            DELETE FROM _train_links WHERE tag_id IN (
                SELECT tag_id FROM _train_links GROUP BY tag_id HAVING count(*) < %s)
        """, [min_tag_articles])
        cur.execute(f"""
            CREATE TEMP TABLE _doc_terms ON COMMIT DROP AS
            SELECT a.id AS article_id, f.term, f.x
            FROM articles_article a
            CROSS JOIN LATERAL ({_FEATURES.format(vector="a.search_vector")}) f
            WHERE a.id IN (SELECT DISTINCT article_id FROM _train_links)
        """)
        cur.execute("""
            CREATE TEMP TABLE _vocab ON COMMIT DROP AS
            SELECT term FROM _doc_terms GROUP BY term HAVING count(*) >= %s
        """, [min_df])
        cur.execute("""
            CREATE TEMP TABLE _class_terms ON COMMIT DROP AS
            SELECT l.tag_id, d.term, sum(d.x) AS n
            FROM _doc_terms d JOIN _train_links l USING (article_id) JOIN _vocab v USING (term)
            GROUP BY l.tag_id, d.term
        """)
        cur.execute("CREATE TEMP TABLE _term_totals ON COMMIT DROP AS "
                    "SELECT term, sum(n) AS a FROM _class_terms GROUP BY term")
        cur.execute("SELECT count(*), coalesce(sum(a), 0) FROM _term_totals")
        vocabulary, grand_total = cur.fetchone()
        cur.execute("SELECT count(*), count(DISTINCT article_id) FROM _train_links")
        links, article_count = cur.fetchone()

        cur.execute("DELETE FROM articles_tagtermweight")
        cur.execute("DELETE FROM articles_tagsuggestionprofile")
        if links:
            cur.execute("""
                INSERT INTO articles_tagtermweight (tag_id, term, weight)
                SELECT c.tag_id, c.term, ln(t.a + %(alpha)s) - ln(t.a - c.n + %(alpha)s)
                FROM _class_terms c JOIN _term_totals t USING (term)
            """, {"alpha": alpha})
            cur.execute("""
                INSERT INTO articles_tagsuggestionprofile (tag_id, bias, per_term, articles, trained_at)
                SELECT l.tag_id,
                       ln(count(*)::float8 / %(links)s),
                       ln(%(grand_total)s - coalesce(max(n.total), 0) + %(alpha)s * %(vocabulary)s),
                       count(*), %(now)s
                FROM _train_links l
                LEFT JOIN (SELECT tag_id, sum(n) AS total FROM _class_terms GROUP BY tag_id) n USING (tag_id)
                GROUP BY l.tag_id
            """, {"alpha": alpha, "links": links, "grand_total": grand_total, "vocabulary": vocabulary, "now": now})
        cur.execute("SELECT count(*) FROM articles_tagsuggestionprofile")
        tags = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM articles_tagtermweight")
        weights = cur.fetchone()[0]
        cur.execute(f"DROP TABLE {', '.join(_TEMP_TABLES)}")
    return TrainReport(tags, article_count, vocabulary, weights, time.monotonic() - started)


def suggest_for_article(article: Article, limit: int = 5, *, exclude_current: bool = True) -> list[Suggestion]:
    """The tags most likely for a stored article, best first (its current tags left out)."""
    exclude = set(article.tags.values_list("pk", flat=True)) if exclude_current and article.pk else set()
    if article.pk:
        vector, params = "(SELECT search_vector FROM articles_article WHERE id = %s)", [article.pk]
    else:
        vector, params = "%s::tsvector", [build_search_vector(article.title, article.lead, article.body)]
    return _suggest(vector, params, limit, exclude)


def suggest_for_text(title: str, lead: str = "", body: str = "", limit: int = 5) -> list[Suggestion]:
    """The tags most likely for a text not (yet) in the archive."""
    return _suggest("%s::tsvector", [build_search_vector(title, lead, body)], limit, set())


def _suggest(vector_sql: str, params: list, limit: int, exclude: set[int]) -> list[Suggestion]:
    with connection.cursor() as cur:
        cur.execute(_SCORE.format(vector=vector_sql), [*params, limit + len(exclude)])
        rows = [(tag_id, score) for tag_id, score in cur.fetchall() if tag_id not in exclude][:limit]
    tags = Tag.objects.in_bulk([tag_id for tag_id, _ in rows])
    return [Suggestion(tags[tag_id], score) for tag_id, score in rows if tag_id in tags]


def model_info() -> dict | None:
    """When the model was trained and on how many tags, or None before the first training."""
    profiles = TagSuggestionProfile.objects.all()
    first = profiles.order_by("-trained_at").values("trained_at").first()
    if first is None:
        return None
    return {"trained_at": first["trained_at"], "tags": profiles.count()}
