"""Tag suggestions: the tags editors would most likely give an article, learned from the articles they tagged.

A complement naive Bayes classifier (Rennie et al., 2003: multinomial naive Bayes estimated from every *other*
tag's articles, which copes with very unbalanced tags: ANT's «وطنية» is half the corpus) over the stems of the
search index. Features are our analyzer's stems of the title, the lead and the body (`articles.search.analysis`, exactly
what `articles.search.document` puts in the index; stop words left out), computed in Python: a headline stem
counts 1 + TITLE_EXTRA times, every other occurrence once.

The model is sparse: for each tag c and term t seen with it, with n(c,t) the term's count in c's articles,
A(t) its count in all tags, α the smoothing and V the vocabulary,

    score(c) = log P(c) + L · log(Σ_t A(t) − N(c) + α|V|) + Σ_t x(t) · [log(A(t) + α) − log(A(t) − n(c,t) + α)]

where x(t) is the article's count of t and L = Σ x(t) over vocabulary terms (terms every tag shares drop out).
`TagSuggestionProfile` holds the first two constants per tag, `TagTermWeight` the bracket per (tag, term):
scoring one article is its analysis, then one query with one indexed lookup per distinct term, whatever the
number of articles.

`train()` (the `train_tag_suggestions` command) rebuilds both tables; run it after imports or a day of tagging.
It reads the tagged articles' texts from PostgreSQL in chunks, analyzes them in Python and keeps a tally of
document frequencies and of term counts per tag (40k articles: about 45 s); the weights are computed here and
written with COPY in one transaction, so suggestions never see half a model.
"""

from __future__ import annotations

import collections
import time
from collections import Counter
from dataclasses import dataclass, field
from math import log

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.utils import timezone

from .models import Article, Tag, TagSuggestionProfile
from .search import analysis

ALPHA = 0.1  # additive smoothing
MIN_DF = 2  # a term in a single training article is noise (a name, a typo), not evidence
MIN_TAG_ARTICLES = 3  # a tag given to fewer articles cannot be learned
TITLE_EXTRA = 2  # a headline word counts three times: headlines say what a story is about

BATCH = 1000  # articles read per query
_LOCK = "articles.suggest.train"

_SCORE = """
WITH x AS (SELECT * FROM unnest(%(terms)s::text[], %(counts)s::float8[]) AS x(term, x)),
hits AS (
    SELECT w.tag_id, w.term, w.weight * x.x AS s FROM x JOIN articles_tagtermweight w ON w.term = x.term
),
known AS (SELECT coalesce(sum(x.x), 0) AS total FROM x WHERE x.term IN (SELECT term FROM hits))
SELECT p.tag_id, p.bias + known.total * p.per_term + coalesce(h.s, 0) AS score
FROM articles_tagsuggestionprofile p
CROSS JOIN known
LEFT JOIN (SELECT tag_id, sum(s) AS s FROM hits GROUP BY tag_id) h ON h.tag_id = p.tag_id
WHERE known.total > 0 AND p.tag_id <> ALL(%(exclude)s::bigint[])
ORDER BY score DESC, p.tag_id
LIMIT %(limit)s
"""


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


# --- features --------------------------------------------------------------------------------------------------


def features(title: str, lead: str = "", body: str = "") -> Counter[str]:
    """{stem: x}: each stem's occurrences in the article, headline ones counted 1 + TITLE_EXTRA times."""
    return Counter(_stems(title, lead, body))


def _stems(title: str, lead: str, body: str) -> list[str]:
    """The stems of the article's words, in order, the headline's repeated 1 + TITLE_EXTRA times.

    The index's analysis (`articles.search.document.analyzed_fields`): every token of at most MAX_TOKEN_CHARS
    characters that has a stem; stop words (no stem) and pasted blobs are left out."""
    stems: list[str] = []
    for i, text in enumerate((title, lead, body)):
        if not text:
            continue
        tokens = [t for t in analysis.tokenize(text) if len(t) <= analysis.MAX_TOKEN_CHARS]
        stems.extend(filter(None, analysis.term_list(tokens)))
        if i == 0:  # the headline
            stems *= 1 + TITLE_EXTRA
    return stems


# --- training --------------------------------------------------------------------------------------------------


@dataclass
class _Counts:
    """The training articles' analysis, added up."""

    articles: int = 0
    df: Counter = field(default_factory=Counter)  # {term: training articles with it}
    # {tag: {term: occurrences in the tag's articles}}: an article with two tags counts in both
    per_tag: dict = field(default_factory=lambda: collections.defaultdict(Counter))
    docs: Counter = field(default_factory=Counter)  # {tag: training articles with it}

    def add(self, stems: list[str], tag_ids: list[int]) -> None:
        self.articles += 1
        self.df.update(set(stems))
        self.docs.update(tag_ids)
        for tag_id in tag_ids:
            self.per_tag[tag_id].update(stems)  # counting a list runs in C; adding Counters would not


def train(
    articles=None, *, alpha: float = ALPHA, min_df: int = MIN_DF, min_tag_articles: int = MIN_TAG_ARTICLES
) -> TrainReport:
    """Rebuild the model from the tagged articles in `articles` (default: every article). Re-running it on the
    same articles writes the same model."""
    started = time.monotonic()
    links = _training_links(Article.objects.all() if articles is None else articles, min_tag_articles)
    counts = _Counts()
    for i in range(0, len(links), BATCH):
        _count_chunk(links[i : i + BATCH], counts)
    tags, terms, weights = _write(counts, alpha=alpha, min_df=min_df)
    return TrainReport(tags, counts.articles, terms, weights, time.monotonic() - started)


def _training_links(articles, min_tag_articles: int) -> list[tuple[int, list[int]]]:
    """[(article id, tag ids)], by id, for the articles of `articles` with a tag that at least `min_tag_articles`
    of them have (only such tags listed)."""
    try:
        ids_sql, ids_params = articles.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: train on nothing, which empties the model
        return []
    with connection.cursor() as cur:
        cur.execute(
            f"""
            WITH links AS (
                SELECT l.article_id, l.tag_id FROM articles_article_tags l WHERE l.article_id IN ({ids_sql})
            )
            SELECT article_id, array_agg(tag_id ORDER BY tag_id) FROM links
            WHERE tag_id IN (SELECT tag_id FROM links GROUP BY tag_id HAVING count(*) >= %s)
            GROUP BY article_id ORDER BY article_id
        """,
            [*ids_params, min_tag_articles],
        )
        return cur.fetchall()


def _count_chunk(chunk: list[tuple[int, list[int]]], counts: _Counts) -> None:
    """Read and analyze a chunk of training articles (id, tag ids) into `counts`, on this process's connection.
    An article deleted meanwhile is left out."""
    with connection.cursor() as cur:
        cur.execute("SELECT id, title, lead, body FROM articles_article WHERE id = ANY(%s)", [[pk for pk, _ in chunk]])
        texts = {pk: (title, lead, body) for pk, title, lead, body in cur.fetchall()}
    for pk, tag_ids in chunk:
        text = texts.get(pk)
        if text is not None:
            counts.add(_stems(*text), tag_ids)


def _write(counts: _Counts, *, alpha: float, min_df: int) -> tuple[int, int, int]:
    """The model from the counts, in place of the stored one; returns (tags, vocabulary, weights)."""
    vocab = {term for term, n in counts.df.items() if n >= min_df}
    class_terms = {tag_id: {t: n for t, n in terms.items() if t in vocab} for tag_id, terms in counts.per_tag.items()}
    totals: Counter[str] = Counter()  # A(t)
    for terms in class_terms.values():
        totals.update(terms)
    vocabulary, grand_total, links = len(totals), sum(totals.values()), sum(counts.docs.values())
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        # One training writes at a time (two would collide on the unique (term, tag) index); the later one wins.
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [_LOCK])
        # A tag merged or deleted during the analysis gets no rows; the others cannot go before this commits.
        cur.execute("SELECT id FROM articles_tag WHERE id = ANY(%s) FOR KEY SHARE", [sorted(counts.docs)])
        tags = sorted(tag_id for (tag_id,) in cur.fetchall())
        cur.execute("DELETE FROM articles_tagtermweight")
        cur.execute("DELETE FROM articles_tagsuggestionprofile")
        weights = 0
        with cur.copy("COPY articles_tagtermweight (tag_id, term, weight) FROM STDIN") as copy:
            for tag_id in tags:
                for term, n in class_terms.get(tag_id, {}).items():
                    a = totals[term]
                    copy.write_row((tag_id, term, log(a + alpha) - log(a - n + alpha)))
                    weights += 1
        with cur.copy(
            "COPY articles_tagsuggestionprofile (tag_id, bias, per_term, articles, trained_at) FROM STDIN"
        ) as copy:
            for tag_id in tags:
                rest = grand_total - sum(class_terms.get(tag_id, {}).values()) + alpha * vocabulary
                # rest is 0 only with no vocabulary at all, when no article can be scored anyway.
                copy.write_row(
                    (tag_id, log(counts.docs[tag_id] / links), log(rest) if rest > 0 else 0.0, counts.docs[tag_id], now)
                )
    return len(tags), vocabulary, weights


# --- scoring ---------------------------------------------------------------------------------------------------


def suggest_for_article(article: Article, limit: int = 5, *, exclude_current: bool = True) -> list[Suggestion]:
    """The tags most likely for a stored article, from its saved text, best first (its current tags left out).
    An unsaved article is scored from its fields."""
    if not article.pk:
        return _suggest(features(article.title, article.lead, article.body), limit, [])
    with connection.cursor() as cur:  # what is stored, and its tags, in one query
        cur.execute(
            """
            SELECT a.title, a.lead, a.body,
                   ARRAY(SELECT l.tag_id FROM articles_article_tags l WHERE l.article_id = a.id)
            FROM articles_article a WHERE a.id = %s
        """,
            [article.pk],
        )
        row = cur.fetchone()
    if row is None:
        return []
    title, lead, body, current = row
    return _suggest(features(title or "", lead or "", body or ""), limit, current if exclude_current else [])


def suggest_for_text(title: str, lead: str = "", body: str = "", limit: int = 5) -> list[Suggestion]:
    """The tags most likely for a text not (yet) in the archive."""
    return _suggest(features(title, lead, body), limit, [])


def _suggest(x: Counter[str], limit: int, exclude: list[int]) -> list[Suggestion]:
    if not x or limit <= 0:
        return []
    with connection.cursor() as cur:
        cur.execute(
            _SCORE,
            {"terms": list(x), "counts": [float(n) for n in x.values()], "exclude": list(exclude), "limit": limit},
        )
        rows = cur.fetchall()
    tags = Tag.objects.in_bulk([tag_id for tag_id, _ in rows])
    return [Suggestion(tags[tag_id], score) for tag_id, score in rows if tag_id in tags]


# The model is stale once the tagged articles have grown by this much since it was trained (and by at least
# STALE_MIN_LINKS article-tag links): an import of a new corpus, not a day of tagging.
STALE_GROWTH = 0.2
STALE_MIN_LINKS = 50


@dataclass(frozen=True)
class Staleness:
    trained_links: int  # article-tag links the model learned from (0: never trained)
    links: int  # article-tag links in the archive now

    @property
    def stale(self) -> bool:
        grown = self.links - self.trained_links
        return grown >= STALE_MIN_LINKS and grown >= STALE_GROWTH * self.trained_links


def staleness() -> Staleness:
    """The article-tag links the model was trained on, against those it would be trained on now (the tags that
    MIN_TAG_ARTICLES articles have, as train() counts them)."""
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(sum(articles), 0) FROM articles_tagsuggestionprofile")
        trained = cur.fetchone()[0]
        cur.execute(
            """
            SELECT coalesce(sum(n), 0) FROM (
                SELECT count(*) AS n FROM articles_article_tags GROUP BY tag_id HAVING count(*) >= %s) t
        """,
            [MIN_TAG_ARTICLES],
        )
        links = cur.fetchone()[0]
    return Staleness(int(trained), int(links))


def model_info() -> dict | None:
    """When the model was trained and on how many tags, or None before the first training."""
    profiles = TagSuggestionProfile.objects.all()
    first = profiles.order_by("-trained_at").values("trained_at").first()
    if first is None:
        return None
    return {"trained_at": first["trained_at"], "tags": profiles.count()}
