"""Links between the public pages and feeds: which query parameters a link carries, and the URL it makes."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse

from .search.query import MAX_QUERY_CHARS


def link_params(params: QueryDict) -> QueryDict:
    """The request's parameters as links should carry them: no page, no empty values, the query cut to what is
    searched (a 10 kB pasted query would otherwise be repeated in every link of the page)."""
    out = QueryDict(mutable=True)
    for key, values in params.lists():
        if key == "page":
            continue
        kept = [v[:MAX_QUERY_CHARS] if key == "q" else v for v in values if v.strip()]
        if kept:
            out.setlist(key, kept)
    return out


def url_with(name: str, params: QueryDict, **kwargs) -> str:
    """The URL of the route `name` (with its `kwargs`) and the query string of `params`."""
    url = reverse(name, kwargs=kwargs or None)
    return f"{url}?{params.urlencode()}" if params else url


def changed(params: QueryDict, **changes) -> QueryDict:
    """A copy of `params` with some keys set (None removes them)."""
    out = params.copy()
    for key, value in changes.items():
        out.pop(key, None)
        if value is not None:
            out[key] = value
    return out
