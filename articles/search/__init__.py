"""Search: one entry point, `run_search(params) -> SearchOutcome`, used by the results page, the API, the CSV,
the feeds and the admin.

    analysis.py   the Arabic analyzer: normalize, tokenize, stem (its lexicon loaded on first use)
    query.py      the query language, parsed into clauses
    highlight.py  matched words marked in escaped HTML, and snippets
    document.py   what one article puts in the index (the schema, and the only function that builds a document)
    index.py      the index on disk: opening, the outbox drain, rebuilding
    engine.py     parsed queries compiled to the index's queries; counting, ranking, facets, timeline buckets
    service.py    run_search: form → plan → an exact outcome, paged
    related.py    related articles
    suggest.py    «did you mean …» from the index's own terms
    check.py      the index compared with PostgreSQL

The pure modules (analysis, query, highlight, document) import no Django: the same functions run at index and
query time and are tested without a database. Names are imported on first use (PEP 562), so importing a pure
module of this package needs no Django setup.
"""

from importlib import import_module

_EXPORTS = {
    "Hits": "service",
    "SearchOutcome": "service",
    "query_stems": "service",
    "run_search": "service",
    "search_ids": "service",
    "IndexUnavailable": "index",
    "related_articles": "related",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
