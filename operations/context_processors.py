"""A banner for administrators when the worker or the beat has gone quiet."""

from django.conf import settings
from django.http import HttpRequest

from operations import heartbeats


def background_status(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("operations.view_heartbeat"):
        return {}
    return {
        "stale_processes": heartbeats.stale(),
        "stale_minutes": settings.HEARTBEAT_STALE_SECONDS // 60,
    }
