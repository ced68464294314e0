"""Saved searches: keeping a search under a name, and what is new in it since the journalist last looked.

Plain functions; the views are shells around them. "New" is "added after the watermark": article ids only grow,
so the index answers it with a range on its `id` field (articles.search, `after`/`through`).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from ..forms import SearchForm
from ..search import index, run_search
from ..search.query import MAX_QUERY_CHARS
from .models import SEARCH_PARAMS, SavedSearch

NAME_MAX = SavedSearch._meta.get_field("name").max_length
DEFAULTS = {"sort": "relevance", "copies": ""}


class SavedSearchError(ValueError):
    """A saved search that cannot be kept as asked; the message is for the journalist, in Arabic."""


def search_params(params) -> dict[str, str]:
    """The search a results page shows (a QueryDict or a dict), as a saved search keeps it: the valid filters
    only, as strings, without defaults. Raises SavedSearchError for a query too long to be searched whole."""
    form = SearchForm(params)
    raw_q = " ".join((params.get("q") or "").split())
    if len(raw_q) > MAX_QUERY_CHARS:
        raise SavedSearchError(f"الاستعلام أطول من {MAX_QUERY_CHARS} حرف: اختصره ثم احفظه.")
    out = {}
    for key, value in form.filters().items():
        if key not in SEARCH_PARAMS or value in (None, "") or DEFAULTS.get(key) == value:
            continue
        out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not out.get("q") and not any(out.get(k) for k in ("source", "tag", "year", "date_from", "date_to")):
        raise SavedSearchError("لا شيء لحفظه: اكتب كلمات للبحث أو اختر مرشحا أولا.")
    return out


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SavedSearchError("اكتب اسما للبحث المحفوظ.")
    if len(name) > NAME_MAX:
        raise SavedSearchError(f"الاسم أطول من {NAME_MAX} حرف.")
    return name


def default_name(params: dict[str, str]) -> str:
    return (params.get("q") or "بحث")[:NAME_MAX]


def save_search(user, params, *, name: str, frequency: str = SavedSearch.Frequency.NEVER) -> SavedSearch:
    """Keep the search of `params` under `name`. What is new in it, and its alerts, start from now."""
    kept = search_params(params)
    name = clean_name(name)
    frequency = _frequency(frequency)
    through = index.visible_through()
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(
                user=user, name=name, params=kept, frequency=frequency, seen_through=through, alerted_through=through
            )
    except IntegrityError:
        raise SavedSearchError(f"لديك بحث محفوظ باسم «{name}»: اختر اسما آخر.") from None


def update_search(saved: SavedSearch, *, name: str, frequency: str) -> SavedSearch:
    """Rename a saved search or change its alert. Turning an alert on starts it from now, not from its last one:
    a journalist who switches daily alerts back on after a month wants the news, not a month's backlog."""
    name = clean_name(name)
    frequency = _frequency(frequency)
    if saved.frequency == SavedSearch.Frequency.NEVER and frequency != SavedSearch.Frequency.NEVER:
        saved.alerted_through = max(saved.alerted_through, index.visible_through(saved.alerted_through))
        saved.alert_failures, saved.last_error = 0, ""
    saved.name, saved.frequency = name, frequency
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:
        raise SavedSearchError(f"لديك بحث محفوظ باسم «{name}»: اختر اسما آخر.") from None
    return saved


def delete_search(saved: SavedSearch) -> None:
    saved.delete()


def new_since_seen(saved: SavedSearch) -> int:
    """How many of the search's results were added since the journalist last looked (stories, as listed)."""
    outcome = run_search({**saved.params, "after": saved.seen_through})
    return outcome.result_count if outcome.active else 0


def mark_seen(saved: SavedSearch) -> tuple[int, int]:
    """The journalist is looking at what is new: returns (after, through), the range of article ids to show
    them, and moves the watermark to `through` (one UPDATE, so two tabs cannot move it back)."""
    after = saved.seen_through
    through = index.visible_through(after)
    SavedSearch.objects.filter(pk=saved.pk, seen_through__lt=through).update(seen_through=through)
    saved.seen_through = max(after, through)
    return after, through


def _frequency(value: str) -> str:
    if value not in SavedSearch.Frequency.values:
        raise SavedSearchError("تواتر تنبيه غير معروف: اختر فورا أو يوميا أو أسبوعيا أو دون تنبيه.")
    return value
