"""Deadlines on pages: `{% load sla %}`, then

- `{% deadline_badge enquiry %}` in a list row: the next unmet deadline with
  the business time left, or how long it has been overdue (stands out);
- `{% deadline_details enquiry %}` on the detail page: both deadlines, met
  or not, the paused clock and the escalation level;
- `{{ duration|business_time }}`: "1 working day 2 h 30 min".

They read only the enquiry's own fields: no queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enquiries.deadlines import format_business_time
from enquiries.models import Enquiry
from enquiries.sla import BusinessCalendar, split_duration

register = template.Library()

# Beyond this a breach is shown by its date, not by business time.
LONG_AGO = datetime.timedelta(days=28)
NAMES = {
    "first_response": gettext_lazy("First response"),
    "resolution": gettext_lazy("Resolution"),
}


@dataclass
class Deadline:
    """One deadline as a page shows it."""

    which: str
    due_at: datetime.datetime
    state: str  # "met", "late", "breached", "due_soon", "on_track", "paused"
    left: datetime.timedelta  # business time; negative once breached
    met_at: datetime.datetime | None = None

    @property
    def name(self) -> str:
        return str(NAMES[self.which])

    @property
    def text(self) -> str:
        calendar = BusinessCalendar.from_settings()
        if self.state == "met":
            return _("met")
        if self.state == "late":
            return _("met late")
        if self.state == "breached":
            if self.left == -LONG_AGO:
                return _("overdue since %(date)s") % {
                    "date": date_format(timezone.localtime(self.due_at), "SHORT_DATE_FORMAT")
                }
            if self.left:
                return _("overdue by %(time)s") % {
                    "time": format_business_time(-self.left, calendar)
                }
            return _("overdue")
        left = format_business_time(self.left, calendar)
        if self.state == "paused":
            return _("paused, %(time)s left") % {"time": left}
        return _("%(time)s left") % {"time": left}

    @property
    def short_text(self) -> str:
        """The state in the largest unit only, for a list's narrow column."""
        calendar = BusinessCalendar.from_settings()
        if self.state in ("met", "late") or (self.state == "breached" and self.left == -LONG_AGO):
            return self.text
        if self.state == "breached":
            if not self.left:
                return _("overdue")
            return _("overdue %(time)s") % {"time": _largest_unit(-self.left, calendar)}
        left = _largest_unit(self.left, calendar)
        if self.state == "paused":
            return _("paused, %(time)s") % {"time": left}
        return _("%(time)s left") % {"time": left}


def _largest_unit(value: datetime.timedelta, calendar: BusinessCalendar) -> str:
    """Business time in its largest unit: "3 working days", "2 h", "40 min"."""
    days, hours, mins = split_duration(value, calendar.day_length)
    if days:
        return ngettext("%(count)d working day", "%(count)d working days", days) % {"count": days}
    if hours:
        return _("%(count)d h") % {"count": hours}
    return _("%(count)d min") % {"count": mins}


def deadline(enquiry: Enquiry, which: str, now: datetime.datetime | None = None) -> Deadline | None:
    """The state of one of the enquiry's deadlines at `now`."""
    due_at = getattr(enquiry, f"{which}_due_at")
    if due_at is None:
        return None
    met_at = enquiry.first_responded_at if which == "first_response" else enquiry.resolved_at
    calendar = BusinessCalendar.from_settings()
    if met_at is not None:
        state = "met" if met_at <= due_at else "late"
        return Deadline(which, due_at, state, calendar.between(met_at, due_at), met_at)
    if which == "first_response" and not enquiry.is_open:
        return None
    clock = enquiry.sla_paused_at or now or timezone.now()
    if clock - due_at > LONG_AGO:
        # Overdue for weeks: the date says more than a count of hours.
        return Deadline(which, due_at, "breached", -LONG_AGO)
    left = calendar.between(clock, due_at)
    if due_at <= clock:
        state = "breached"
    elif enquiry.sla_paused_at is not None:
        state = "paused"
    elif left <= datetime.timedelta(minutes=settings.SLA_AT_RISK_MINUTES):
        state = "due_soon"
    else:
        state = "on_track"
    return Deadline(which, due_at, state, left)


def next_deadline(enquiry: Enquiry, now: datetime.datetime | None = None) -> Deadline | None:
    """The earliest deadline an open enquiry has still to meet."""
    if not enquiry.is_open:
        return None
    pending = enquiry.next_due
    if pending is None:
        return None
    return deadline(enquiry, pending[0], now)


@register.inclusion_tag("enquiries/partials/deadline_badge.html")
def deadline_badge(
    enquiry: Enquiry, now: datetime.datetime | None = None, compact: bool = False
) -> dict:
    """The next deadline; `compact` for a list: the name only for screen
    readers and the tooltip, the time in its largest unit."""
    return {"deadline": next_deadline(enquiry, now), "compact": compact}


@register.inclusion_tag("enquiries/partials/deadline_details.html")
def deadline_details(enquiry: Enquiry, now: datetime.datetime | None = None) -> dict:
    return {
        "enquiry": enquiry,
        "deadlines": [
            d for d in (deadline(enquiry, w, now) for w in ("first_response", "resolution")) if d
        ],
    }


@register.filter
def business_time(value: datetime.timedelta | None) -> str:
    if value is None:
        return ""
    return format_business_time(value, BusinessCalendar.from_settings())
