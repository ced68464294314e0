"""Helpers of the search-index tests: what the outbox holds, what a search finds."""

from __future__ import annotations

from django.db import connection

from articles.search import run_search


def outbox_article_ids() -> list[int]:
    """The article ids waiting in articles_searchoutbox, in queue order (one per row, repeats kept)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM articles_searchoutbox ORDER BY id")
        return [r[0] for r in cursor]


def found(q: str = "", **filters) -> list[int]:
    """Ids of every article a search finds (in its order), through run_search like the page and the API."""
    outcome = run_search({"q": q, **filters})
    assert not outcome.unavailable
    ids = outcome.ids(0, outcome.count) if outcome.active else []
    assert len(ids) == outcome.count  # the count is exact: one id per match, no more, no fewer
    return ids


def requeue(ids) -> None:
    """Put articles back in the outbox by SQL, as a crash between the index commit and the outbox delete leaves
    them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_searchoutbox (article_id, created_at) SELECT unnest(%s::bigint[]), now()", [list(ids)]
        )
