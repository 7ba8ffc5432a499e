"""Set-based writes through the ORM: INSERT ... SELECT, texts built in SQL.

Django has no INSERT ... SELECT; `insert_from_select()` compiles an ORM
queryset's SELECT and inserts its rows in one statement, so thousands of
rows are written without a model instance each. `insert_rows()` does the
same for a SELECT written in SQL around compiled querysets (`compiled()`),
for what the ORM cannot say (UNION then GROUP BY, window sums).
`sql_format()` turns a translated %-template into a Concat of its pieces
and SQL expressions. PostgreSQL only (the callers keep their Python path
for SQLite).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models import Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, Left

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def sql_format(template: str, **values: Any) -> Combinable:
    """`template % values` as one SQL expression; values are expressions or text."""
    parts: list[Combinable] = []
    position = 0
    for found in _PLACEHOLDER.finditer(template):
        literal = template[position : found.start()]
        if found.group(0) == "%%":
            literal += "%"
        if literal:
            parts.append(Value(literal))
        if found.group(1) is not None:
            value = values[found.group(1)]
            parts.append(value if hasattr(value, "resolve_expression") else Value(str(value)))
        position = found.end()
    if template[position:]:
        parts.append(Value(template[position:]))
    if len(parts) == 1:
        return parts[0]
    return Concat(*parts, output_field=models.TextField())


def truncated(expression: Combinable, field: models.Field) -> Combinable:
    """`expression` cut to the field's max_length, as a Python [:n] would."""
    if isinstance(field, models.CharField) and field.max_length:
        return Left(expression, field.max_length)
    return expression


def insert_from_select(
    model: type[models.Model], queryset: models.QuerySet, columns: dict[str, Any]
) -> list[int]:
    """INSERT INTO model's table the rows of `queryset`, one per row.

    `columns` maps a field name to an expression over `queryset`'s model
    (or a plain value); fields not named get their default. Returns the
    new rows' ids.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    select: dict[str, Any] = {}
    for field in fields:
        # As a new instance would have it: the default, "" for text, or None.
        value = columns[field.name] if field.name in columns else field.get_default()
        if not hasattr(value, "resolve_expression"):
            value = Value(value, output_field=field)
        select[f"_insert_{field.column}"] = truncated(value, field)
    rows = queryset.order_by("pk").annotate(**select).values_list(*select)
    sql, params = rows.query.sql_with_params()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    statement = (
        f"{_insert_into(model, fields, connection)} {sql} RETURNING {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def compiled(queryset: models.QuerySet) -> tuple[str, tuple[Any, ...]]:
    """The SELECT of `queryset` and its parameters, for the model's write database.

    To be read inside a larger statement as `(sql) AS alias`, by the names
    its columns have (a field's column name, an annotation's alias).
    """
    using = router.db_for_write(queryset.model)
    sql, params = queryset.query.get_compiler(using=using).as_sql()
    return sql, tuple(params)


def insert_into(model: type[models.Model], fields: Sequence[str]) -> str:
    """`INSERT INTO table (columns)` of the named fields, quoted for the write database."""
    connection = connections[router.db_for_write(model)]
    return _insert_into(model, [model._meta.get_field(name) for name in fields], connection)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    select: str,
    params: Sequence[Any],
    *,
    with_clause: str = "",
) -> int:
    """INSERT INTO model's table the rows of `select`, one column per field in order.

    `with_clause` (its parameters first in `params`) may hold further
    INSERTs: PostgreSQL runs data-modifying CTEs only at the top level.
    Returns the number of rows inserted into model's table.
    """
    prefix = f"WITH {with_clause} " if with_clause else ""
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix}{insert_into(model, fields)} {select}", params)
        return cursor.rowcount


def _insert_into(model: type[models.Model], fields: Sequence[Any], connection: Any) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
