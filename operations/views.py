"""Liveness and readiness for load balancers and operators.

`/healthz` answers as long as the process does (it touches nothing else,
so a database outage does not make a balancer kill healthy web processes).
`/readyz` checks what a request needs and what the background needs, each
with its latency: the database (required: 503 without it), the broker, and
when the worker and the beat were last seen (reported; the web still works
without them, but escalations stop).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from nemid_cases.celery import app
from operations import heartbeats

_broker_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check() or {}
        ok = True
    except Exception as error:  # a check reports its failure, never raises
        detail, ok = {"error": type(error).__name__}, False
    return {"ok": ok, "latency_ms": round((time.perf_counter() - started) * 1000, 1), **detail}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker_roundtrip() -> None:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0)
        client = getattr(conn.default_channel, "client", None)
        if client is not None:  # Redis: a real round trip, not just a connect
            client.ping()


def _broker() -> None:
    # A hung broker must not hang the check: wait at most the publish wait.
    _broker_checks.submit(_broker_roundtrip).result(timeout=settings.CELERY_PUBLISH_WAIT)


def _heartbeat(process: str, seen) -> dict:
    if seen is None:
        return {"ok": False, "seen_seconds_ago": None}
    ago = (timezone.now() - seen).total_seconds()
    return {"ok": ago <= settings.HEARTBEAT_STALE_SECONDS, "seen_seconds_ago": round(ago)}


@login_not_required
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": _timed(_database), "broker": _timed(_broker)}
    try:
        seen = heartbeats.last_seen()
    except DatabaseError:
        seen = dict.fromkeys(("worker", "beat"))
    checks["worker"] = _heartbeat("worker", seen["worker"])
    checks["beat"] = _heartbeat("beat", seen["beat"])
    ready = checks["database"]["ok"]
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
