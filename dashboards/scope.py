"""What a dashboard counts: which queues, which days, and the links into lists.

Enquiry figures are about the enquiries *received* in the period (Copenhagen
days, like the topic shares), so every figure can drill down to the
enquiry list filtered to the same received range, queue and topic.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from analytics.periods import local_day, moment_window
from enquiries.filtersets import EXACT_COUNT
from enquiries.models import Enquiry, EnquiryQuerySet, Queue


@dataclass(frozen=True)
class Scope:
    queues: list[Queue]
    queue: Queue | None
    start: datetime.date
    end: datetime.date
    interval: str
    basis: str
    period: str
    now: datetime.datetime

    @property
    def queue_ids(self) -> list[int]:
        return [queue.pk for queue in self.queues]

    @property
    def today(self) -> datetime.date:
        return local_day(self.now)

    @property
    def received(self) -> Q:
        return moment_window("received_at", [(self.start, self.end)])

    def cohort(self) -> EnquiryQuerySet:
        """The enquiries received in the period in the chosen queues."""
        return Enquiry.objects.filter(self.received, queue_id__in=self.queue_ids)

    def clip(
        self, first: datetime.date, last: datetime.date
    ) -> tuple[datetime.date, datetime.date] | None:
        """[first, last] within the period, or None if they do not overlap."""
        first, last = max(first, self.start), min(last, self.end)
        return (first, last) if first <= last else None

    def enquiry_url(
        self,
        *,
        first: datetime.date | None = None,
        last: datetime.date | None = None,
        **filters: object,
    ) -> str | None:
        """The enquiry list for the period (or part of it) and these filters."""
        days = self.clip(first or self.start, last or self.end)
        if days is None:
            return None
        params: dict[str, object] = {}
        if self.queue is not None:
            params["queue"] = self.queue.code
        params["received_after"] = days[0].isoformat()
        params["received_before"] = days[1].isoformat()
        # The list opened from a figure counts exactly, so it shows the figure.
        params["count"] = EXACT_COUNT
        params.update({key: value for key, value in filters.items() if value is not None})
        return f"{self._list_url}?{urlencode(params)}"

    @cached_property
    def _list_url(self) -> str:
        # Once a request: a dashboard links a few hundred cells.
        return reverse("enquiries:list")

    def query(self) -> dict[str, str]:
        """The dashboard's own GET parameters (for the export links)."""
        params = {
            "period": self.period,
            "basis": self.basis,
            "interval": self.interval,
        }
        if self.period == "custom":
            params["start"], params["end"] = self.start.isoformat(), self.end.isoformat()
        if self.queue is not None:
            params["queue"] = self.queue.code
        return params


def action_url(**filters: object) -> str:
    params = {key: value for key, value in filters.items() if value is not None}
    url = reverse("actions:list")
    return f"{url}?{urlencode(params)}" if params else url
