"""Dashboards, reports and exports read from a streaming replica, if there is one.

With `DATABASE_REPLICA_URL` set, the settings add a database alias "replica"
(a PostgreSQL hot standby of the primary) and these pieces send the heavy,
read-only pages to it, so the primary keeps its capacity for the desk:

- `ReplicaRouter` answers "replica" for reads only inside `replica_reads()`,
  and never for the models that decide who the user is and what they may
  do (accounts, auth, sessions, tokens): those are always read fresh.
- `ReplicaReadsMiddleware` opens `replica_reads()` for GET and HEAD requests
  to the namespaces of REPLICA_READ_NAMESPACES, unless the browser wrote
  something in the last REPLICA_PIN_SECONDS: any POST, PUT, PATCH or
  DELETE sets a short signed cookie, and while it lives every read of
  that browser goes to the primary. An agent therefore always sees their
  own writes, whatever the replica's lag; the API never reads the replica.

Without a replica the router answers None (the default database) and the
middleware passes requests through untouched.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "nemid-primary"
PIN_SALT = "nemid_cases.replica.pin"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Who the user is and what they may do: never read from a replica that may lag.
PRIMARY_ONLY_APPS = frozenset(
    {"accounts", "auth", "authtoken", "axes", "contenttypes", "sessions", "admin"}
)

_reading = contextvars.ContextVar("nemid_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block may come from the replica (when there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Writes and migrations on the primary; opted-in reads on the replica."""

    def db_for_read(self, model, **hints):
        opted_in = _reading.get() and model._meta.app_label not in PRIMARY_ONLY_APPS
        if opted_in and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either
        # may point at one read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def _pinned(request) -> bool:
    return (
        request.get_signed_cookie(
            PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS
        )
        is not None
    )


def _streamed_within_replica(content):
    # A streamed export is read while the server sends it, after the view
    # returned: its queries must still go to the replica.
    with replica_reads():
        yield from content


class ReplicaReadsMiddleware:
    """Opens `replica_reads()` around the views of REPLICA_READ_NAMESPACES.

    The route is the one Django already resolved (`process_view`), so no
    request is resolved twice; the block closes after the response, or
    after the last chunk of a streamed one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading.reset(token)
        if token is not None and response.streaming:
            response.streaming_content = _streamed_within_replica(response.streaming_content)
        if request.method not in SAFE_METHODS:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            replica_configured()
            and request.method in SAFE_METHODS
            and request.resolver_match.namespace in settings.REPLICA_READ_NAMESPACES
            and not _pinned(request)
        ):
            request._replica_token = _reading.set(True)
        return None
