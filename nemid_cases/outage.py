"""The database is away: reads are retried once on a fresh connection.

When PostgreSQL restarts (or the network to it drops), every open
connection fails at once. The error handler answers 503 (nemid_cases/
errors.py: `unavailable`); a read (GET or HEAD) is first tried once more on
a fresh connection, so a dropped connection alone costs a reader nothing.
"""

from __future__ import annotations

import logging

from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class RetryReadsMiddleware:
    """Run a read once more when the database connection dropped under it.

    A restart of PostgreSQL breaks every pooled connection; the first read
    on each would fail although the database is back. Writes are never
    repeated here: whether they committed is unknown, so the person (or the
    client, with its Idempotency-Key) decides.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "database_unavailable", False) and request.method in SAFE_METHODS:
            for connection in connections.all(initialized_only=True):
                connection.close_if_unusable_or_obsolete()
            logger.warning("Database unavailable for %s; reading once more.", request.path)
            response = self.get_response(request)
        return response
