"""Incidents of a period, for the dashboard and the report (one query)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from notices.models import Incident


def incidents_in_period(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    queue_ids: list[int] | None = None,
    user=None,
) -> list[Incident]:
    """Incidents whose window meets [start, end), oldest first, each with
    `linked_count`: its linked enquiries (of `queue_ids`, when given).

    With `user`, only what the user may read (none without the permission).
    """
    incidents = Incident.objects.all() if user is None else Incident.objects.visible_to(user)
    condition = Q(links__enquiry__queue_id__in=queue_ids) if queue_ids is not None else None
    return list(
        incidents.overlapping(start, end)
        .annotate(linked_count=Count("links", filter=condition))
        .order_by("started_at", "id")
    )
