"""Which enquiries an incident's services touch, read from
notices/data/service_categories.json (taxonomy codes per service).

Kept as data so support can change the mapping without touching code;
`enquiry_filter(services)` turns it into one Q on the enquiry's topic and
category codes, so a suggestion is one query however many codes.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from django.db.models import Q, QuerySet
from django.utils import timezone

from enquiries.models import Enquiry

PATH = Path(__file__).parent / "data" / "service_categories.json"


@cache
def mapping() -> dict[str, tuple[tuple[str, ...], ...]]:
    """{service: (("queue", "topic"[, "category"]), ...)} from the data file."""
    raw = json.loads(PATH.read_text(encoding="utf-8"))
    return {
        service: tuple(tuple(code.split(":")) for code in codes)
        for service, codes in raw.items()
        if not service.startswith("_")
    }


def enquiry_filter(services: list[str]) -> Q:
    """Enquiries of a topic or category any of `services` maps to.

    Nothing matches when no service is mapped (an empty Q would match all).
    """
    condition = Q(pk__in=[])
    for service in services:
        for codes in mapping().get(service, ()):
            part = Q(queue__code=codes[0], topic__code=codes[1])
            if len(codes) == 3:
                part &= Q(category__code=codes[2])
            condition |= part
    return condition


def suggested_enquiries(incident, user, *, now: datetime.datetime | None = None) -> QuerySet:
    """Enquiries `user` may see, received in the incident's window in a
    topic or category of its services, not yet linked to it."""
    end = incident.window_end(now or timezone.now())
    return (
        Enquiry.objects.visible_to(user)
        .filter(received_at__gte=incident.started_at, received_at__lte=end)
        .filter(enquiry_filter(incident.services))
        .exclude(incident_links__incident=incident)
    )
