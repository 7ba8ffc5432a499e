"""The deadline clock of an enquiry: set, recomputed, paused, resumed.

Deadlines come from the enquiry's SLA policy in business time
(enquiries/sla.py). The first response is due a policy's time after
reception. The resolution is due a policy's time after the start of the
current cycle (reception, or the last reopening) plus the business time
spent waiting for the citizen in that cycle: the clock pauses while the
status is "waiting" and the paused time is added back when it resumes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enquiries.models import Enquiry, EnquiryEvent, SlaPolicy
from enquiries.sla import BusinessCalendar, minutes, split_duration
from nemid_cases.queueing import enqueue_on_commit

Status = Enquiry.Status
# A change to one of these may change which policy applies, or its start.
POLICY_FIELDS = {"priority", "queue", "category", "received_at"}
CLOCK_FIELDS = [
    "first_response_due_at",
    "resolution_due_at",
    "sla_started_at",
    "sla_paused_time",
    "escalation_level",
    "escalated_at",
    "next_escalation_at",
]


def compute_deadlines(
    enquiry: Enquiry, policy: SlaPolicy | None, calendar: BusinessCalendar
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(first response due, resolution due) for `enquiry` under `policy`."""
    if policy is None:
        return None, None
    first_response = calendar.add(enquiry.received_at, minutes(policy.first_response_minutes))
    start = enquiry.sla_started_at or enquiry.received_at
    resolution = calendar.add(start, minutes(policy.resolution_minutes) + enquiry.sla_paused_time)
    return first_response, resolution


def _format(value: datetime.datetime | None) -> str:
    if value is None:
        return "-"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _describe(first: datetime.datetime | None, resolution: datetime.datetime | None) -> str:
    return _("first response %(first)s, resolution %(resolution)s") % {
        "first": _format(first),
        "resolution": _format(resolution),
    }


def format_business_time(value: datetime.timedelta, calendar: BusinessCalendar) -> str:
    days, hours, mins = split_duration(value, calendar.day_length)
    parts = []
    if days:
        parts.append(
            ngettext("%(count)d working day", "%(count)d working days", days) % {"count": days}
        )
    if hours:
        parts.append(_("%(count)d h") % {"count": hours})
    if mins or not parts:
        parts.append(_("%(count)d min") % {"count": mins})
    return " ".join(parts)


def _start_new_cycle(enquiry: Enquiry, *, now: datetime.datetime) -> str:
    """Reopened: a new cycle from now. The first response stays met."""
    enquiry.sla_started_at = now
    enquiry.sla_paused_time = datetime.timedelta(0)
    enquiry.escalation_level = 0
    enquiry.escalated_at = None
    enquiry.next_escalation_at = None
    return _("Reopened: the resolution deadline counts again from now.")


def _resume_clock(
    enquiry: Enquiry,
    *,
    paused_at: datetime.datetime,
    now: datetime.datetime,
    calendar: BusinessCalendar,
) -> str:
    """Add the paused business time back; a pending escalation moves with it."""
    paused = calendar.between(paused_at, now)
    enquiry.sla_paused_time += paused
    pending = enquiry.next_escalation_at
    if pending is not None and pending > paused_at:
        enquiry.next_escalation_at = calendar.add(now, calendar.between(paused_at, pending))
    return _("The clock ran again after %(paused)s waiting for the citizen.") % {
        "paused": format_business_time(paused, calendar)
    }


def _follow_status(
    enquiry: Enquiry,
    old_status: str,
    *,
    paused_at: datetime.datetime | None,
    now: datetime.datetime,
    calendar: BusinessCalendar,
) -> str | None:
    """Set the clock for a new status (unsaved).

    Returns the timeline note when the deadlines must be recomputed, else None.
    """
    note = None
    left_waiting = old_status == Status.WAITING and enquiry.status != Status.WAITING
    if old_status in Enquiry.CLOSED_STATUSES and enquiry.is_open:
        note = _start_new_cycle(enquiry, now=now)
    elif left_waiting and paused_at is not None:
        note = _resume_clock(enquiry, paused_at=paused_at, now=now, calendar=calendar)
    if not enquiry.is_open:
        enquiry.next_escalation_at = None
    return note


def _record_moved_deadlines(
    enquiry: Enquiry,
    before: tuple[datetime.datetime | None, datetime.datetime | None],
    *,
    note: str,
    now: datetime.datetime,
) -> None:
    after = (enquiry.first_response_due_at, enquiry.resolution_due_at)
    if after == before:
        return
    EnquiryEvent.record_event(
        enquiry,
        EnquiryEvent.Kind.DEADLINE,
        by=None,
        at=now,
        text=note,
        old_value=_format(before[1]),
        new_value=_format(after[1]),
        old_label=_describe(*before)[:300],
        new_label=_describe(*after)[:300],
    )


def apply_deadline_rules(
    enquiry: Enquiry, *, changed: set[str], old: dict[str, Any], now: datetime.datetime
) -> None:
    """Set or move the deadlines after a change; runs in the caller's transaction.

    Creating sets them; a new priority, queue, category or reception time
    recomputes them; leaving "waiting" adds the paused business time back;
    reopening starts a new cycle with escalation reset to level 0; resolving
    cancels a pending level-2 escalation. Moved deadlines are written to the
    timeline. If set or moved deadlines are already past, an escalation
    check is enqueued after commit.
    """
    calendar = BusinessCalendar.from_settings()
    clock_before = [getattr(enquiry, name) for name in CLOCK_FIELDS]
    before = (enquiry.first_response_due_at, enquiry.resolution_due_at)
    note = ""
    recompute = "created" in changed or bool(changed & POLICY_FIELDS)
    old_status = old.get("status")
    if "status" in changed and old_status is not None:
        status_note = _follow_status(
            enquiry, old_status, paused_at=old.get("sla_paused_at"), now=now, calendar=calendar
        )
        if status_note is not None:
            recompute, note = True, status_note
    if recompute:
        policy = SlaPolicy.objects.for_enquiry(enquiry)
        enquiry.first_response_due_at, enquiry.resolution_due_at = compute_deadlines(
            enquiry, policy, calendar
        )
    if [getattr(enquiry, name) for name in CLOCK_FIELDS] != clock_before:
        enquiry.save(update_fields=[*CLOCK_FIELDS, "updated_at"])
    if "created" not in changed:
        _record_moved_deadlines(enquiry, before, note=note, now=now)
    # Deadlines just set or moved into the past: escalate now rather than at
    # the next sweep (which still catches it if this message is lost).
    if recompute and enquiry.is_overdue(now) and enquiry.sla_paused_at is None:
        from enquiries import tasks

        enqueue_on_commit(tasks.escalate_enquiry, enquiry.pk)
