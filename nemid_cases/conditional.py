"""Conditional GET: an ETag on dashboards and API lists, 304 when unchanged.

A validator is a digest of what a response shows, taken without building
or rendering it, and always of the reader's scope too: the user, the
language, the host, the accepted format and the query. Two readers never
share a tag, so one team's ETag cannot validate another team's page.

- API lists (`ConditionalListMixin`): the page's rows are read as the list
  reads them anyway; the tag is their loaded values (with the relations
  read alongside) and the paginator's links. A 304 skips serialising and
  rendering, the bulk of a list's Python time.
- Dashboards (`table_marks`): one aggregate per table the page reads
  (COUNT, MAX(id), SUM(version), MAX(updated_at) or MAX(computed_at), and
  on PostgreSQL SUM(xmin), which moves with every write of any row), the
  live backlog's aggregate and the summaries' version, before any table is
  built.

Responses vary on Cookie, Authorization and Accept-Language.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, IntegerField, Max, Model, QuerySet, Sum, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from rest_framework.response import Response

from nemid_cases.versioning import Versioned

VARY = ("Cookie", "Authorization", "Accept-Language")
CHANGE_COLUMNS = ("updated_at", "computed_at")


def digest(*parts: Any) -> str:
    """A weak entity tag of `parts`: W/"<32 hex digits>"."""
    text = repr(parts).encode("utf-8", "surrogatepass")
    return f'W/"{hashlib.sha256(text).hexdigest()[:32]}"'


def reader(request: HttpRequest) -> tuple:
    """Who asks for what: the part of every validator that scopes it."""
    user = getattr(request, "user", None)
    return (
        getattr(user, "pk", None),
        get_language(),
        request.get_host(),
        request.is_secure(),
        request.path,
        sorted(request.GET.lists()),
        request.headers.get("Accept", ""),
    )


def _plain(value: Any) -> Any:
    """`value` with lazy translations as text, for a stable repr."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return tuple((key, _plain(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    return value


@functools.cache
def _imported(paths: tuple[str, ...]) -> list[Any]:
    """The callables at `paths`, imported once per process (not per request)."""
    return [import_string(path) for path in paths]


def page_chrome(request: HttpRequest) -> tuple:
    """What every HTML page shows besides its content, for its validator.

    The session and CSRF token (forms on a kept page must still post), the
    permissions, pending messages, and what the project's own context
    processors add (navigation, banners): all of them, so a new banner is
    covered without editing this.
    """
    processors = _imported(
        tuple(
            path
            for engine in settings.TEMPLATES
            for path in engine.get("OPTIONS", {}).get("context_processors", [])
            if not path.startswith("django.")
        )
    )
    session = getattr(request, "session", None)
    # The secret behind the page's CSRF tokens, made now if the request
    # brought none (the page would make it): a kept form still posts.
    get_token(request)
    return (
        getattr(session, "session_key", None),
        request.META.get("CSRF_COOKIE"),
        sorted(request.user.get_all_permissions()),
        len(messages.get_messages(request)),
        [_plain(processor(request)) for processor in processors],
    )


def not_modified(request: HttpRequest, tag: str, *, cache_control: str = "") -> HttpResponse | None:
    """The 304 for a request whose If-None-Match names `tag`, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    headers = HttpResponse()
    mark(headers, tag, cache_control=cache_control)
    answer = get_conditional_response(request, etag=tag, response=headers)
    # Without a precondition that holds, Django hands `headers` back.
    return answer if answer.status_code in (304, 412) else None


def mark(response: HttpResponse, tag: str, *, cache_control: str = "") -> HttpResponse:
    """Put the validator and the Vary headers on a response."""
    response["ETag"] = tag
    patch_vary_headers(response, VARY)
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


def row_state(row: Any, path: frozenset[int] = frozenset()) -> Any:
    """A loaded row's values, with the related rows read alongside it.

    A related row already on the way down (a prefetched child's cached
    parent) is named by its model and key instead of walked again.
    """
    if not isinstance(row, Model):
        return row
    if id(row) in path:
        return (type(row).__name__, row.pk)
    path = path | {id(row)}
    own = tuple(
        (name, row_state(value, path) if isinstance(value, Model) else value)
        for name, value in row.__dict__.items()
        if name not in ("_state", "_prefetched_objects_cache")
    )
    related = tuple(
        (name, row_state(value, path)) for name, value in sorted(row._state.fields_cache.items())
    )
    prefetched = tuple(
        (name, tuple(row_state(item, path) for item in getattr(value, "_result_cache", None) or ()))
        for name, value in sorted(getattr(row, "_prefetched_objects_cache", {}).items())
    )
    return (type(row).__name__, own, related, prefetched)


def change_aggregates(queryset: QuerySet) -> dict[str, Any]:
    """Aggregates over `queryset` that move whenever one of its rows does.

    Inserts and deletes move COUNT and MAX(id); edits move SUM(version)
    or MAX(updated_at/computed_at) where the model has them, and on
    PostgreSQL SUM(xmin) (the writing transaction of each row) for all.
    """
    model = queryset.model
    names = {field.name for field in model._meta.concrete_fields}
    aggregates: dict[str, Any] = {"n": Count("pk"), "last": Max("pk")}
    if issubclass(model, Versioned):
        aggregates["version"] = Sum("version")
    for column in CHANGE_COLUMNS:
        if column in names:
            aggregates[column] = Max(column)
    if connections[queryset.db].vendor == "postgresql":
        table = connections[queryset.db].ops.quote_name(model._meta.db_table)
        # A quoted table name from the model, no user input.
        xmin = RawSQL(f"{table}.xmin::text::bigint", (), IntegerField())  # noqa: S611
        aggregates["xmin"] = Sum(xmin)
    return aggregates


def table_marks(sources: list[tuple[QuerySet, dict[str, Any]]]) -> list[tuple]:
    """Each source's aggregates (as text), all in one query.

    A source is a queryset and its aggregates (`change_aggregates()` and
    any other); the SELECTs are joined with UNION ALL, so a page's
    validator costs one round trip however many tables it reads.
    """
    if not sources:
        return []
    width = max(len(aggregates) for _queryset, aggregates in sources)
    parts, params, empty = [], [], set()
    database = sources[0][0].db
    for position, (queryset, aggregates) in enumerate(sources):
        columns = {
            f"c{index}": Cast(aggregate, TextField())
            for index, aggregate in enumerate(aggregates.values())
        }
        for index in range(len(columns), width):
            columns[f"c{index}"] = Value(None, output_field=TextField())
        # Grouped by a constant: one row however many rows match.
        row = (
            queryset.order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(**columns)
            .values_list(*columns)
        )
        try:
            sql, row_params = row.query.sql_with_params()
        except EmptyResultSet:
            # Filtered on nothing (a user without queues): no rows, no query.
            empty.add(position)
            continue
        # The ORM's own SQL, its values kept apart as parameters.
        parts.append(f"SELECT * FROM ({sql}) AS source{position}")  # noqa: S608
        params.extend(row_params)
    found: list[tuple] = []
    if parts:
        with connections[database].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            found = cursor.fetchall()
    rows = iter(found)
    return [("empty",) if position in empty else next(rows) for position in range(len(sources))]


class ConditionalListMixin:
    """An API list that answers 304 Not Modified when its page is unchanged.

    Put it before ListModelMixin. A view with a list of its own builds the
    rows and returns `self.conditional_list(rows, ...)`.
    tests/api/test_conditional.py walks every API list route and fails on
    one without an ETag.
    """

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        return self.conditional_list(
            rows,
            paginated=page is not None,
            serialize=lambda: self.get_serializer(rows, many=True).data,
        )

    def conditional_list(
        self, rows: Iterable[Any], *, paginated: bool, serialize, also: Iterable[Any] = ()
    ) -> Response | HttpResponse:
        """The list's answer: a 304 if the client's ETag still holds.

        `also` is whatever else the rows' serialisation reads (versions in
        force, counts), loaded before this call.
        """
        request = self.request
        envelope = self.get_paginated_response([]).data if paginated else None
        tag = digest(
            reader(request),
            type(self).__name__,
            envelope,
            [row_state(row) for row in rows],
            [row_state(item) for item in also],
        )
        unchanged = not_modified(request, tag)
        if unchanged is not None:
            return unchanged
        data = serialize()
        response = self.get_paginated_response(data) if paginated else Response(data)
        return mark(response, tag)
