"""Reading a large QuerySet in bounded chunks, one indexed query per chunk.

Keyset pagination: each chunk continues after the last row of the one
before (`WHERE (received_at, id) < (...)`), so every query reads only its
own rows from the index, whatever the depth, and no more than one chunk
of rows is held at a time. Unlike a server-side cursor it needs no open
transaction and works the same on SQLite, PostgreSQL and behind a
connection pooler.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet

DEFAULT_CHUNK_SIZE = 2000


def _after(fields: Sequence[str], last: Sequence[Any], *, descending: bool) -> Q:
    """Rows that sort after `last` on `fields` (lexicographic order).

    `a <= x AND (a < x OR (a = x AND b < y))`: the leading bound lets the
    database read the (a, b) index from `x` on and stop after one chunk; the
    OR alone made PostgreSQL scan the whole table for every chunk.
    """
    lookup = "lt" if descending else "gt"
    condition = Q(pk__in=[])
    for depth, field in enumerate(fields):
        step = Q(**{f"{field}__{lookup}": last[depth]})
        for earlier, value in zip(fields[:depth], last[:depth], strict=True):
            step &= Q(**{earlier: value})
        condition |= step
    return Q(**{f"{fields[0]}__{lookup}e": last[0]}) & condition


def chunked_values(
    queryset: QuerySet,
    fields: Sequence[str],
    *,
    key: Sequence[str] = ("-received_at", "-id"),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[dict[str, Any]]:
    """Yield `queryset.values(*fields)` rows in key order, chunk by chunk.

    The key's columns must be non-null, end on a unique one, and all sort
    the same way (all descending or all ascending).
    """
    names = [name.lstrip("-") for name in key]
    descending = key[0].startswith("-")
    if any(name.startswith("-") != descending for name in key):
        raise ValueError("All key columns must sort the same way.")
    wanted = list(dict.fromkeys([*fields, *names]))
    ordered = queryset.order_by(*key).values(*wanted)
    last: list[Any] | None = None
    while True:
        page = ordered
        if last is not None:
            page = ordered.filter(_after(names, last, descending=descending))
        rows = list(page[:chunk_size])
        yield from rows
        if len(rows) < chunk_size:
            return
        last = [rows[-1][name] for name in names]
