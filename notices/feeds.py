"""The public copies of the outage notices: JSON, Atom and the status page's
rows. Each is built once and served from the cache until a change deletes it
(cache_keys.invalidate) or FEED_SECONDS pass."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date

from nemid_cases import caching
from notices import cache_keys
from notices.models import Incident, IncidentUpdate, Service


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: str


def public_incidents(now: datetime | None = None) -> list[Incident]:
    updates = IncidentUpdate.objects.select_related("standard_text").order_by("posted_at", "id")
    return list(
        Incident.objects.public(now=now).prefetch_related(Prefetch("updates", queryset=updates))
    )


def _last_change() -> datetime:
    latest = Incident.objects.aggregate(at=Max("updated_at"))["at"]
    return latest or datetime(2010, 1, 1, tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def incident_data(incident: Incident) -> dict:
    labels = dict(Service.choices)
    service_names = {}
    for language in ("da", "en"):
        with translation.override(language):
            service_names[language] = [str(labels[code]) for code in incident.services]
    return {
        "id": incident.pk,
        "status": "ongoing" if incident.is_ongoing else "resolved",
        "title": {"da": incident.title_da, "en": incident.title_en},
        "services": incident.services,
        "service_names": service_names,
        "severity": incident.severity,
        "started_at": _iso(incident.started_at),
        "expected_end_at": _iso(incident.expected_end_at),
        "ended_at": _iso(incident.ended_at),
        "updates": [
            {
                "kind": update.kind,
                "posted_at": _iso(update.posted_at),
                "text": {"da": update.standard_text.text_da, "en": update.standard_text.text_en},
                "standard_text": {
                    "code": update.standard_text.code,
                    "version": update.standard_text.version,
                },
            }
            for update in incident.updates.all()
        ],
    }


def _cached(key: str, build) -> Feed:
    def feed() -> Feed:
        modified = _last_change()
        body = build()
        return Feed(
            body=body,
            etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=http_date(modified.timestamp()),
        )

    # Through nemid_cases.caching: with the cache away the feeds are built
    # each time instead of failing.
    return caching.get_or_set(key, feed, cache_keys.FEED_SECONDS)


def json_feed() -> Feed:
    def build() -> bytes:
        data = {
            "title": {"da": "NemID driftsstatus", "en": "NemID service status"},
            "home_page_url": reverse("status:page"),
            "generated_at": timezone.now().isoformat(),
            "ongoing": Incident.objects.ongoing().exists(),
            "incidents": [incident_data(i) for i in public_incidents()],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    return _cached(f"{cache_keys.FEED_PREFIX}json", build)


def atom_feed(language: str, base_url: str) -> Feed:
    def build() -> bytes:
        titles = {"da": "NemID driftsstatus", "en": "NemID service status"}
        page = base_url + reverse("status:page") + ("?lang=en" if language == "en" else "")
        feed = Atom1Feed(
            title=titles[language],
            link=page,
            description="",
            language=language,
            feed_url=base_url + reverse("status:feed-atom"),
        )
        for incident in public_incidents():
            for update in incident.updates.all():
                feed.add_item(
                    title=incident.title(language),
                    link=f"{page}#incident-{incident.pk}",
                    description=update.text(language),
                    unique_id=f"{base_url}/status/incidents/{incident.pk}/updates/{update.pk}",
                    pubdate=update.posted_at,
                    updateddate=update.posted_at,
                    categories=incident.services,
                )
        return feed.writeString("utf-8").encode()

    return _cached(f"{cache_keys.FEED_PREFIX}atom-{language}", build)
