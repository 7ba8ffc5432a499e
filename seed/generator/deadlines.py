"""Deadlines for generated enquiries: the app's SLA policies in business time.

The same deadlines enquiries.deadlines.compute_deadlines sets (a policy of
the queue and priority, or of the category, counted by the business
calendar of enquiries.sla), without walking the calendar day by day for
each of a million rows: every business day is as long as every other (the
opening hours are local wall times, and no clock change falls inside them),
so a deadline is the opening of the n-th business day after the start plus
what is left over. The openings are computed once per day, by the calendar.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right

from enquiries.models import SlaPolicy
from enquiries.sla import BusinessCalendar

# Business days looked up ahead of the last one asked for, in one go.
AHEAD = 400


class DueDates:
    """`due(queue_code=..., priority=..., category_id=..., received_at=...)`.

    Returns (first response due, resolution due), or (None, None) without
    a policy, exactly as the app's deadline rules would for a new enquiry.
    """

    def __init__(
        self,
        calendar: BusinessCalendar,
        policies: dict[tuple[str, int, int | None], tuple[int, int]],
    ) -> None:
        self.calendar = calendar
        self.policies = policies
        self.length = calendar.day_length
        self.opens: list[datetime.datetime] = []
        self.closes: list[datetime.datetime] = []
        self.first_day: datetime.date | None = None
        self.next_day: datetime.date | None = None

    @classmethod
    def from_database(cls) -> DueDates:
        policies = {
            (code, priority, category_id): (first, resolution)
            for code, priority, category_id, first, resolution in SlaPolicy.objects.values_list(
                "queue__code",
                "priority",
                "category_id",
                "first_response_minutes",
                "resolution_minutes",
            )
        }
        return cls(BusinessCalendar.from_settings(), policies)

    def __call__(
        self, *, queue_code: str, priority: int, category_id: int | None, received_at
    ) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        policy = self.policies.get((queue_code, priority, category_id)) or self.policies.get(
            (queue_code, priority, None)
        )
        if policy is None:
            return None, None
        first, resolution = policy
        return (
            self.add(received_at, datetime.timedelta(minutes=first)),
            self.add(received_at, datetime.timedelta(minutes=resolution)),
        )

    def add(self, start: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
        """BusinessCalendar.add(start, delta), from the cached openings."""
        local_day = start.astimezone(self.calendar.time_zone).date()
        if self.first_day is None:
            self.first_day = self.next_day = local_day
        if not delta or local_day < self.first_day:
            # Rows come in time order; anything else asks the calendar.
            return self.calendar.add(start, delta)
        start = start.astimezone(datetime.UTC)
        while not self.closes or self.closes[-1] <= start:
            self._extend(len(self.opens) + AHEAD)
        # The first business day still open at `start`; time already gone
        # on it counts towards the delta.
        index = bisect_right(self.closes, start)
        total = delta + max(start - self.opens[index], datetime.timedelta(0))
        days, rest = divmod(total, self.length)
        if not rest:
            # A deadline that uses up a day exactly falls on its closing time.
            days, rest = days - 1, self.length
        self._extend(index + days)
        return self.opens[index + days] + rest  # UTC: the same instant, cheaper to copy

    def _extend(self, index: int) -> None:
        """Look business days up until `index` exists."""
        while len(self.opens) <= index:
            day = self.next_day
            self.next_day = day + datetime.timedelta(days=1)
            if self.calendar.is_business_day(day):
                opens, closes = self.calendar.opening_hours(day)
                self.opens.append(opens)
                self.closes.append(closes)
