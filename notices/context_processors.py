"""The current incidents, for the banner at the top of every staff page.

One query at most per BANNER_SECONDS per process (the cache holds plain
values), and none for a visitor who may not read incidents.
"""

from django.http import HttpRequest

from nemid_cases import caching
from notices import cache_keys
from notices.models import Incident


def _current() -> list[dict]:
    return [
        {
            "pk": incident.pk,
            "title_da": incident.title_da,
            "title_en": incident.title_en,
            "services": incident.services,
            "severity": incident.severity,
            "started_at": incident.started_at,
            "expected_end_at": incident.expected_end_at,
        }
        for incident in Incident.objects.ongoing().order_by("-started_at")[:5]
    ]


def current_incidents() -> list[dict]:
    # Through nemid_cases.caching: with the cache away every staff page
    # still shows the banner, read from the database.
    return caching.get_or_set(cache_keys.BANNER, _current, cache_keys.BANNER_SECONDS)


def incident_banner(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("notices.view_incident"):
        return {}
    return {"current_incidents": current_incidents()}
