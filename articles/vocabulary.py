"""The index's vocabulary (IndexedWord): refreshed from the stored tsvectors, used for «did you mean …»."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Ln

from . import arabic, querylang
from .models import IndexedWord
from .querysets import TOPIC_PREFIX

MIN_DOCS = 2  # a word in a single article is as likely a typo as a suggestion


_LOCK = "SELECT pg_advisory_xact_lock(hashtext('articles.refresh_vocabulary'))"
_INSERT = (
    "INSERT INTO articles_indexedword (term, display, doc_count) "
    "SELECT * FROM unnest(%s::text[], %s::text[], %s::int[]) "
)


class WordCounts:
    """Document counts of index terms, and of the spellings each was seen in (the commonest is shown)."""

    def __init__(self) -> None:
        self.terms: Counter[str] = Counter()
        self.surfaces: Counter[tuple[str, str]] = Counter()

    def add(self, lexeme_counts: Iterable[tuple[str, int]]) -> None:
        """Add (lexeme, number of articles) pairs, as ts_stat gives them."""
        for word, ndoc in lexeme_counts:
            if word.startswith(arabic.EXACT_PREFIX):
                surface = word[len(arabic.EXACT_PREFIX):]
                s = arabic.stem(surface)
                if s:
                    self.surfaces[(s, surface)] += ndoc
            elif 3 <= len(word) <= 200 and not word.startswith(TOPIC_PREFIX):  # a topic is no word
                self.terms[word] += ndoc

    def merge(self, other: WordCounts) -> None:
        self.terms.update(other.terms)
        self.surfaces.update(other.surfaces)

    def columns(self) -> list[list]:
        """[terms, displays, counts], the arrays _INSERT unnests."""
        best: dict[str, tuple[int, str]] = {}
        for (s, surface), n in self.surfaces.items():
            if n > best.get(s, (0, ""))[0]:
                best[s] = (n, surface)
        terms = list(self.terms)
        return [terms, [best[t][1][:200] if t in best else t for t in terms], [self.terms[t] for t in terms]]


def _stat(where: str = "", params: tuple = ()) -> WordCounts:
    counts = WordCounts()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, ndoc FROM ts_stat(format('SELECT search_vector FROM articles_article {where}'"
                       f"{', %s' * len(params)}))", params)
        counts.add(cursor.fetchall())
    return counts


def replace_vocabulary(counts: WordCounts) -> int:
    """Make IndexedWord exactly `counts`, writing only the rows that differ.

    Most of the vocabulary survives a reindex or a refresh unchanged; rewriting all of it (and its trigram
    index) took 3 s at 40k articles, a sixth of a reindex."""
    columns = counts.columns()
    with transaction.atomic(), connection.cursor() as cursor:
        # Two refreshes finishing together must not interleave their writes (unique term).
        cursor.execute(_LOCK)
        cursor.execute("DELETE FROM articles_indexedword WHERE NOT (term = ANY(%s::text[]))", [columns[0]])
        cursor.execute(_INSERT + "ON CONFLICT (term) DO UPDATE SET display = EXCLUDED.display, "
                       "doc_count = EXCLUDED.doc_count WHERE (articles_indexedword.display, "
                       "articles_indexedword.doc_count) IS DISTINCT FROM (EXCLUDED.display, EXCLUDED.doc_count)",
                       columns)
    return len(columns[0])


def refresh_vocabulary() -> int:
    """Rebuild IndexedWord from ts_stat over every article (seconds at 40k articles, a minute or more at 1M)."""
    return replace_vocabulary(_stat())


def add_to_vocabulary(batch_id: int) -> int:
    """Count the words of one import batch's articles into IndexedWord: after an import, in time proportional
    to the batch, not to the archive.

    An updated article's words are counted again, so counts can drift up slightly until the next full refresh
    (reindex_articles); they only weigh «did you mean» suggestions and related-article word choice."""
    columns = _stat("WHERE import_batch_id = %%s", (batch_id,)).columns()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK)
        cursor.execute(_INSERT + "ON CONFLICT (term) DO UPDATE SET doc_count = "
                       "articles_indexedword.doc_count + EXCLUDED.doc_count", columns)
    return len(columns[0])


def suggest(q: str) -> str | None:
    """The query with each word no article contains replaced by the closest common indexed word, or None."""
    parsed = querylang.parse(q)
    words = [t.text for c in parsed.positive for t in c.alternatives if not t.phrase and not t.prefix and not t.exact]
    stems = {w: arabic.stem(tokens[0]) for w in words if len(tokens := arabic.tokenize(w)) == 1}
    stems = {w: s for w, s in stems.items() if s and len(s) >= 3}
    if not stems:
        return None
    known = set(IndexedWord.objects.filter(term__in=stems.values(), doc_count__gte=MIN_DOCS)
                .values_list("term", flat=True))
    replacements = {}
    for word, s in stems.items():
        if s in known:
            continue
        # `trigram_similar` is the % operator, which the trigram GIN index serves; the score then favours
        # close spellings that many articles use.
        candidate = (
            IndexedWord.objects.filter(term__trigram_similar=s, doc_count__gte=MIN_DOCS)
            .annotate(score=TrigramSimilarity("term", s) * Ln(F("doc_count") + 1))
            .order_by("-score").values_list("display", flat=True).first()
        )
        if candidate:
            replacements[word] = candidate
    if not replacements:
        return None
    return " ".join(replacements.get(part, part) for part in q.split())

