"""Medians of durations, computed by the database in one query.

PostgreSQL has the ordered-set aggregate `percentile_cont(0.5)`, which
takes intervals. SQLite has no median: each one is the classic

    SELECT AVG(d) FROM (SELECT d FROM rows ORDER BY d
                        LIMIT 2 - (SELECT COUNT(*) FROM rows) % 2
                        OFFSET (SELECT (COUNT(*) - 1) / 2 FROM rows))

which reads the middle one or two values in the index order, the same
interpolated median as percentile_cont. No row reaches Python either way.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Aggregate, DurationField, QuerySet

# `rows` is the SQL Django compiled for a QuerySet; its values stay parameters.
MEDIAN_SQL = (
    "(SELECT AVG(d) FROM (SELECT d FROM ({rows}) ORDER BY d "
    "LIMIT 2 - (SELECT COUNT(*) FROM ({rows})) %% 2 "
    "OFFSET (SELECT (COUNT(*) - 1) / 2 FROM ({rows}))))"
)


class Median(Aggregate):
    """PostgreSQL's continuous median; works on numbers and intervals."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def median_durations(
    queryset: QuerySet, measures: dict[str, tuple]
) -> dict[str, datetime.timedelta | None]:
    """{name: median} of each `(expression, condition)` over `queryset`.

    `expression` is a datetime difference (e.g. F("resolved_at") -
    F("received_at")); rows that fail `condition` (a Q) are left out.
    None when no row qualifies.
    """
    if connection.vendor == "postgresql":
        return queryset.aggregate(
            **{
                name: Median(expression, filter=condition, output_field=DurationField())
                for name, (expression, condition) in measures.items()
            }
        )
    return _sqlite_medians(queryset, measures)


def _sqlite_medians(queryset: QuerySet, measures: dict[str, tuple]) -> dict:
    parts, params = [], []
    for expression, condition in measures.values():
        rows = queryset.filter(condition).annotate(d=expression).values("d").order_by()
        try:
            inner, inner_params = rows.query.sql_with_params()
        except EmptyResultSet:
            # A filter that can match nothing (no queues): no query at all.
            return dict.fromkeys(measures)
        parts.append(MEDIAN_SQL.format(rows=inner))
        params += [*inner_params, *inner_params, *inner_params]
    with connection.cursor() as cursor:
        # The SQL is Django's own compiled QuerySets; values are parameters.
        cursor.execute("SELECT " + ", ".join(parts), params)
        values = cursor.fetchone()
    return {
        name: None if value is None else datetime.timedelta(microseconds=round(value))
        for name, value in zip(measures, values, strict=True)
    }
