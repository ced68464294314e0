"""The index's vocabulary (IndexedWord): refreshed from the stored tsvectors, used for «did you mean …»."""
from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Ln

from . import arabic, querylang
from .models import IndexedWord

MIN_DOCS = 2  # a word in a single article is as likely a typo as a suggestion


def refresh_vocabulary() -> int:
    """Rebuild IndexedWord from ts_stat over every article (seconds at 40k articles)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM articles_article')")
        rows = cursor.fetchall()
    counts, display = {}, {}
    best_surface: dict[str, int] = {}
    for word, ndoc in rows:
        if word.startswith(arabic.EXACT_PREFIX):
            surface = word[len(arabic.EXACT_PREFIX):]
            s = arabic.stem(surface)
            if s and ndoc > best_surface.get(s, 0):
                best_surface[s], display[s] = ndoc, surface
        elif ndoc >= MIN_DOCS and 3 <= len(word) <= 200:
            counts[word] = ndoc
    words = [IndexedWord(term=t, display=display.get(t, t)[:200], doc_count=n) for t, n in counts.items()]
    with transaction.atomic():
        # Two imports finishing together must not interleave their delete and insert (unique term).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('articles.refresh_vocabulary'))")
        IndexedWord.objects.all().delete()
        IndexedWord.objects.bulk_create(words, batch_size=5000)
    return len(words)


def suggest(q: str) -> str | None:
    """The query with each word no article contains replaced by the closest common indexed word, or None."""
    parsed = querylang.parse(q)
    words = [t.text for c in parsed.positive for t in c.alternatives if not t.phrase and not t.prefix and not t.exact]
    stems = {w: arabic.stem(tokens[0]) for w in words if len(tokens := arabic.tokenize(w)) == 1}
    stems = {w: s for w, s in stems.items() if s and len(s) >= 3}
    if not stems:
        return None
    known = set(IndexedWord.objects.filter(term__in=stems.values()).values_list("term", flat=True))
    replacements = {}
    for word, s in stems.items():
        if s in known:
            continue
        # `trigram_similar` is the % operator, which the trigram GIN index serves; the score then favours
        # close spellings that many articles use.
        candidate = (
            IndexedWord.objects.filter(term__trigram_similar=s)
            .annotate(score=TrigramSimilarity("term", s) * Ln(F("doc_count") + 1))
            .order_by("-score").values_list("display", flat=True).first()
        )
        if candidate:
            replacements[word] = candidate
    if not replacements:
        return None
    return " ".join(replacements.get(part, part) for part in q.split())

