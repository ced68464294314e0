"""An import batch's errors (and notes), read in parts in SQL: a batch may hold 100,000 of them (13.5 MB of JSON), and a page
shows a summary by reason and one page of them."""

from __future__ import annotations

import json

from django.db import connection

from .models import ImportBatch

_TABLE = ImportBatch._meta.db_table


def count(pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT jsonb_array_length(errors) FROM {_TABLE} WHERE id = %s", [pk])
        row = cursor.fetchone()
    return row[0] if row else 0


def reasons(pk: int, limit: int) -> list[tuple[str, int]]:
    """The most frequent reasons, with how many files each."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e->>'reason', count(*) FROM {_TABLE}, jsonb_array_elements(errors) e WHERE id = %s "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s",
            [pk, limit],
        )
        return [(reason or "", n) for reason, n in cursor.fetchall()]


def page(pk: int, offset: int, limit: int, *, column: str = "errors") -> list[dict]:
    """Entries offset..offset+limit-1 of the batch's `errors` (or `notes`)."""
    if column not in ("errors", "notes"):
        raise ValueError(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e FROM {_TABLE}, jsonb_array_elements({column}) WITH ORDINALITY AS t(e, n) WHERE id = %s "
            "AND n > %s ORDER BY n LIMIT %s",
            [pk, offset, limit],
        )
        rows = [json.loads(e) if isinstance(e, str) else e for (e,) in cursor.fetchall()]
    return [e if isinstance(e, dict) else {} for e in rows]


class Errors:
    """A batch's errors as a Paginator wants them: a count and slices, each one query."""

    def __init__(self, pk: int):
        self.pk = pk

    def count(self) -> int:
        return count(self.pk)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        start, stop, _ = key.indices(self.count())
        return page(self.pk, start, stop - start)
