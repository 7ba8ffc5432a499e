"""Escalation of overdue actions: level by level, exactly once.

Level 1 (the day after the action's due range ends) notifies its
responsible person, or the secretariat if it has none with an e-mail
address. Level 2, settings.ACTION_ESCALATION_SECRETARIAT_AFTER_DAYS days
after level 1, notifies the secretariat. Each escalation is one ActionEvent and one
outbox e-mail per recipient, written in the transaction that claims it.
Claims work as for enquiries (enquiries/escalation.py): SELECT ... FOR
UPDATE SKIP LOCKED, then a conditional UPDATE on `escalation_level`.
An action whose due date moves later or that is reopened gets its
`escalation_level` set back to 0 by actions.services.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from actions.models import Action, ActionEvent, ActionQuerySet
from enquiries.models import Notification
from enquiries.notifications import enqueue_delivery

LEVELS = (1, 2)


def escalation_due(level: int, now: datetime.datetime) -> ActionQuerySet:
    """Overdue actions due for `level` at `now`.

    Level 2 counts its delay from the latest level-1 escalation, so a sweep
    catching up after an outage never sends both levels at once.
    """
    overdue = Action.objects.overdue(timezone.localdate(now))
    if level == 1:
        return overdue.filter(escalation_level=0)
    delay = datetime.timedelta(days=settings.ACTION_ESCALATION_SECRETARIAT_AFTER_DAYS)
    previous = (
        ActionEvent.objects.filter(
            action=OuterRef("pk"), kind=ActionEvent.Kind.ESCALATED, new_value=str(level - 1)
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        overdue.filter(escalation_level=level - 1)
        .alias(previous_at=Subquery(previous))
        .filter(previous_at__lte=now - delay)
    )


def escalate_overdue_actions(*, now: datetime.datetime, batch_size: int = 200) -> dict[int, int]:
    """Escalate every overdue action by one level; returns {level: count}. Idempotent."""
    counts = dict.fromkeys(LEVELS, 0)
    for level in LEVELS:
        for _batch in range(settings.SLA_ESCALATION_MAX_BATCHES):
            claimed = _escalate_batch(level, now=now, batch_size=batch_size)
            counts[level] += claimed
            if claimed < batch_size:
                break
    if any(counts.values()):
        enqueue_delivery()
    return counts


def _secretariat() -> list[User]:
    return list(
        User.objects.filter(groups__name=Role.SECRETARIAT, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def action_url(action: Action) -> str:
    for name in ("actions:detail", "admin:actions_action_change"):
        try:
            return settings.SITE_URL.rstrip("/") + reverse(name, args=[action.pk])
        except NoReverseMatch:
            continue
    return settings.SITE_URL.rstrip("/") + f"/actions/{action.pk}/"


@transaction.atomic
def _escalate_batch(level: int, *, now: datetime.datetime, batch_size: int) -> int:
    ids = list(
        escalation_due(level, now)
        .select_for_update(of=("self",), skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return 0
    claimed = Action.objects.filter(pk__in=ids, escalation_level=level - 1).update(
        escalation_level=level, version=F("version") + 1
    )
    if claimed != len(ids):
        raise RuntimeError(f"Claimed {claimed} of {len(ids)} locked actions.")
    actions = list(Action.objects.filter(pk__in=ids).select_related("responsible", "owner"))
    secretariat = _secretariat()
    with translation.override(settings.LANGUAGE_CODE):
        events, recipients = [], []
        for action in actions:
            people = _recipients(action, level, secretariat)
            recipients.append(people)
            names = ", ".join(name for name, _email in people) or _("nobody")
            events.append(
                ActionEvent.build_event(
                    action,
                    ActionEvent.Kind.ESCALATED,
                    by=None,
                    at=now,
                    text=_("Overdue since %(due)s; escalation level %(level)d to %(names)s.")
                    % {"due": action.due_end.isoformat(), "level": level, "names": names},
                    old_value=str(level - 1),
                    new_value=str(level),
                )
            )
        ActionEvent.record_events(events)
        Notification.objects.bulk_create(
            [
                _notification(action, event, level, email, now)
                for action, event, people in zip(actions, events, recipients, strict=True)
                for _name, email in people
            ]
        )
    return len(ids)


def _recipients(action: Action, level: int, secretariat: list[User]) -> list[tuple[str, str]]:
    contact = action.responsible
    if level == 1 and contact is not None and contact.is_active and contact.email:
        return [(contact.name, contact.email)]
    return [(str(user), user.email) for user in secretariat]


def _notification(
    action: Action, event: ActionEvent, level: int, email: str, now: datetime.datetime
) -> Notification:
    subject = _("Action overdue: %(title)s (escalation level %(level)d)") % {
        "title": action.title,
        "level": level,
    }
    body = _(
        "The action “%(title)s” (owner: %(owner)s) was due by %(due)s and is not done.\n\n"
        "Status: %(status)s\nResponsible: %(responsible)s\n\n"
        "Open the action: %(url)s\n"
    ) % {
        "title": action.title,
        "owner": action.owner,
        "due": action.due_phrase or date_format(action.due_end, "SHORT_DATE_FORMAT"),
        "status": action.get_status_display(),
        "responsible": action.responsible.name if action.responsible else _("nobody"),
        "url": action_url(action),
    }
    return Notification(
        key=f"action-event:{event.pk}:{email}"[:200],
        recipient=email,
        subject=subject[:300],
        body=body,
        created_at=now,
    )
