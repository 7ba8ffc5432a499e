"""Escalation of enquiries past a deadline: level by level, exactly once.

Level 1 notifies the team lead of the enquiry's team. Level 2 notifies the
queue's manager once the policy's delay (business time) has passed since
level 1 and the enquiry is still past a deadline. Each escalation writes
one timeline event and one outbox e-mail per recipient in the transaction
that claims it; the e-mail leaves after commit (enquiries/notifications.py).

Exactly once: a batch of due rows is locked with SELECT ... FOR UPDATE SKIP
LOCKED and claimed with a conditional UPDATE on `escalation_level`, so
concurrent sweeps, a second beat or a redelivered task find nothing left to
claim. SQLite has no row locks; its IMMEDIATE transactions serialise the
claims instead. Enquiries waiting for the citizen are not escalated.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Case, DateTimeField, F, Func, Q, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _

from accounts.models import Team, User
from enquiries import hooks
from enquiries.cpr import find_cpr, redact_cpr
from enquiries.models import (
    Enquiry,
    EnquiryEvent,
    EnquiryQuerySet,
    Notification,
    Queue,
    SlaPolicy,
)
from enquiries.notifications import enqueue_delivery
from enquiries.sla import BusinessCalendar, minutes
from nemid_cases.setbased import insert_from_select, sql_format

logger = logging.getLogger(__name__)

LEVELS = (1, 2)


def escalation_due(level: int, now: datetime.datetime) -> EnquiryQuerySet:
    """Open, running enquiries past a deadline that are due for `level`."""
    due = Enquiry.objects.overdue(now).filter(
        sla_paused_at__isnull=True, escalation_level=level - 1
    )
    if level > 1:
        due = due.filter(next_escalation_at__lte=now)
    return due


def escalate_overdue_enquiries(
    *, now: datetime.datetime, batch_size: int | None = None, max_batches: int | None = None
) -> dict[int, int]:
    """Escalate every due enquiry by one level; returns {level: count}.

    Idempotent: a second run at the same `now` escalates nothing. Works in
    bounded batches, each its own transaction; what is left over (more than
    `max_batches` batches, or rows locked by a user's edit) waits for the
    next run. Enqueues e-mail delivery after commit.
    """
    batch_size = batch_size or settings.SLA_ESCALATION_BATCH_SIZE
    max_batches = max_batches or settings.SLA_ESCALATION_MAX_BATCHES
    counts = dict.fromkeys(LEVELS, 0)
    for level in LEVELS:
        for _batch in range(max_batches):
            claimed = _escalate_batch(level, now=now, batch_size=batch_size)
            counts[level] += claimed
            if claimed < batch_size:
                break
    if any(counts.values()):
        logger.info("Escalated enquiries: %s", counts)
        enqueue_delivery()
    return counts


def escalate_enquiry(enquiry: Enquiry, *, now: datetime.datetime) -> list[int]:
    """Escalate one enquiry if it is due; returns the levels it reached now.

    The same claim as the sweep, so it never races it into a duplicate.
    """
    levels = [
        level for level in LEVELS if _escalate_batch(level, now=now, batch_size=1, only=enquiry.pk)
    ]
    if levels:
        enqueue_delivery()
    return levels


@transaction.atomic
def _escalate_batch(
    level: int, *, now: datetime.datetime, batch_size: int, only: int | None = None
) -> int:
    due = escalation_due(level, now)
    if only is not None:
        due = due.filter(pk=only)
    rows = list(
        due.select_for_update(of=("self",), skip_locked=True)
        .order_by("pk")
        .values_list("pk", "queue_id", "priority", "category_id")[:batch_size]
    )
    if not rows:
        return 0
    # One UPDATE per next-level due time (usually one): claiming and
    # scheduling in the same write halves the rows rewritten with all their
    # indexes.
    next_due = _next_level_due(rows, now=now) if level < LEVELS[-1] else {}
    groups: dict[datetime.datetime | None, list[int]] = {}
    for pk, *_policy_key in rows:
        groups.setdefault(next_due.get(pk), []).append(pk)
    claimed = 0
    for due_at, pks in groups.items():
        claimed += Enquiry.objects.filter(pk__in=pks, escalation_level=level - 1).update(
            escalation_level=level,
            escalated_at=now,
            next_escalation_at=due_at,
            version=F("version") + 1,
        )
    ids = [pk for pk, *_rest in rows]
    if claimed != len(ids):
        # The rows are locked (or, on SQLite, the database is): nobody else
        # can have claimed them. Roll back rather than guess.
        raise RuntimeError(f"Claimed {claimed} of {len(ids)} locked enquiries.")
    enquiries = _escalated_rows(ids)
    # The dashboard counts escalations per day of reception.
    hooks.enquiries_changed(
        {(e.queue_id, e.received_at) for e in enquiries}, changed={"escalation_level"}, now=now
    )
    with translation.override(settings.LANGUAGE_CODE):
        if connections[Enquiry.objects.db].vendor == "postgresql":
            _record_and_notify_in_sql(enquiries, level=level, now=now)
        else:
            _record_and_notify(enquiries, level=level, now=now)
    return len(ids)


@dataclass(slots=True)
class EscalatedRow:
    """What an escalation's event and e-mail need of one enquiry.

    Read as plain values: model instances with five related ones each cost
    most of a 10,000-row sweep's time. `queue` and `team` are shared
    instances with their lead and manager, so recipient_for() works on it.
    """

    pk: int
    reference: str
    subject: str
    status: str
    priority: int
    received_at: datetime.datetime
    first_response_due_at: datetime.datetime | None
    first_responded_at: datetime.datetime | None
    resolution_due_at: datetime.datetime | None
    queue: Queue
    team: Team | None
    assignee: str | None

    @property
    def queue_id(self) -> int:
        return self.queue.pk


_ROW_FIELDS = (
    "pk",
    "reference",
    "subject",
    "status",
    "priority",
    "received_at",
    "first_response_due_at",
    "first_responded_at",
    "resolution_due_at",
    "queue_id",
    "team_id",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def _escalated_rows(ids: list[int]) -> list[EscalatedRow]:
    """The rows of `ids` with their queues and teams: three queries."""
    values = list(Enquiry.objects.filter(pk__in=ids).order_by("pk").values_list(*_ROW_FIELDS))
    queues = Queue.objects.select_related("manager", "team__lead").in_bulk({v[9] for v in values})
    teams = Team.objects.select_related("lead").in_bulk({v[10] for v in values if v[10]})
    names: dict[int, str] = {}
    rows = []
    for *own, queue_id, team_id, assignee_id, username, first_name, last_name in values:
        if assignee_id is not None and assignee_id not in names:
            # The user's own __str__, without reading the whole user.
            names[assignee_id] = str(
                User(username=username, first_name=first_name, last_name=last_name)
            )
        rows.append(
            EscalatedRow(
                *own,
                queue=queues[queue_id],
                team=teams.get(team_id) if team_id else None,
                assignee=names.get(assignee_id),
            )
        )
    return rows


def _next_level_due(rows: list[tuple], *, now: datetime.datetime) -> dict[int, datetime.datetime]:
    """{pk: when level 2 is due} from each enquiry's policy (one query).

    `rows` are (pk, queue id, priority, category id).
    """
    policies: dict[tuple[int, int, int | None], SlaPolicy] = {
        (p.queue_id, p.priority, p.category_id): p
        for p in SlaPolicy.objects.filter(queue_id__in={row[1] for row in rows})
    }
    calendar = BusinessCalendar.from_settings()
    by_delay: dict[int, datetime.datetime] = {}
    due: dict[int, datetime.datetime] = {}
    for pk, queue_id, priority, category_id in rows:
        policy = policies.get((queue_id, priority, category_id)) or policies.get(
            (queue_id, priority, None)
        )
        delay = settings.SLA_MANAGER_DELAY_MINUTES
        if policy is not None and policy.manager_delay_minutes is not None:
            delay = policy.manager_delay_minutes
        if delay not in by_delay:
            by_delay[delay] = calendar.add(now, minutes(delay))
        due[pk] = by_delay[delay]
    return due


def recipient_for(enquiry: Enquiry, level: int):
    """The user an escalation at `level` goes to, or None.

    Only someone who can open the enquiry: level 1 the lead of the
    enquiry's team, else of the queue's team; level 2 the queue's manager.
    A deactivated user can open nothing, so is never a recipient.
    """
    queue = enquiry.queue
    if level == 1:
        candidates = [team.lead for team in (enquiry.team, queue.team) if team is not None]
    else:
        candidates = [queue.manager]
    for user in candidates:
        if user is not None and queue.enquiries_visible_to(user):
            return user
    return None


def enquiry_url(enquiry: Enquiry) -> str:
    """A link for e-mails: the detail page, or the admin until it exists."""
    links = [
        ("enquiries:detail", enquiry.reference),
        ("admin:enquiries_enquiry_change", enquiry.pk),
    ]
    for name, arg in links:
        try:
            return settings.SITE_URL.rstrip("/") + reverse(name, args=[arg])
        except NoReverseMatch:
            continue
    return settings.SITE_URL.rstrip("/") + f"/enquiries/{enquiry.reference}/"


def _detail_url_template() -> str | None:
    """The detail page's URL with "{}" for the reference: one reverse() a batch."""
    try:
        url = reverse("enquiries:detail", args=["NID-2000-000000"])
    except NoReverseMatch:
        return None
    return settings.SITE_URL.rstrip("/") + url.replace("NID-2000-000000", "{}")


def _breached(
    enquiry: Enquiry, now: datetime.datetime, labels: tuple[str, str] | None = None
) -> tuple[str, datetime.datetime]:
    first_response, resolution = labels or (_("first response"), _("resolution"))
    if (
        enquiry.first_response_due_at
        and not enquiry.first_responded_at
        and enquiry.first_response_due_at < now
    ):
        return first_response, enquiry.first_response_due_at
    return resolution, enquiry.resolution_due_at


@dataclass(frozen=True)
class _Texts:
    """An escalation's translated texts, once a batch, not once a row."""

    role: str
    labels: tuple[str, str]
    notified: str
    unnotified: str
    subject: str
    body: str
    nobody: str


def _texts(level: int) -> _Texts:
    return _Texts(
        role=_("team lead") if level == 1 else _("queue manager"),
        labels=(_("first response"), _("resolution")),
        notified=_("The %(deadline)s deadline (%(due)s) has passed; %(role)s %(name)s notified."),
        unnotified=_("The %(deadline)s deadline (%(due)s) has passed; no %(role)s to notify."),
        subject=_("[%(reference)s] Deadline passed: escalation level %(level)d"),
        body=_(
            "The enquiry %(reference)s (%(subject)s) in %(queue)s has passed its "
            "%(deadline)s deadline of %(due)s.\n\n"
            "Status: %(status)s\nPriority: %(priority)s\nAssignee: %(assignee)s\n\n"
            "You receive this as the %(role)s (escalation level %(level)d).\n"
            "Open the enquiry: %(url)s\n"
        ),
        nobody=_("nobody"),
    )


def _record_and_notify(
    enquiries: list[EscalatedRow], *, level: int, now: datetime.datetime
) -> None:
    texts = _texts(level)
    role, labels, nobody = texts.role, texts.labels, texts.nobody
    notified, unnotified = texts.notified, texts.unnotified
    subject_text, body_text = texts.subject, texts.body
    statuses = {value: str(label) for value, label in Enquiry.Status.choices}
    priorities = {value: str(label) for value, label in Enquiry.Priority.choices}
    url_template = _detail_url_template()
    events = []
    for enquiry in enquiries:
        recipient = recipient_for(enquiry, level)
        which, due_at = _breached(enquiry, now, labels)
        notifies = recipient is not None and recipient.is_active and recipient.email
        # The timeline keeps ISO dates; pages show them the language's way
        # (local_dates). The e-mail below is read as sent.
        values = {
            "deadline": which,
            "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
            "role": role,
            "name": recipient,
        }
        events.append(
            EnquiryEvent.build_event(
                enquiry.pk,
                EnquiryEvent.Kind.ESCALATED,
                by=None,
                at=now,
                text=(notified if notifies else unnotified) % values,
                old_value=str(level - 1),
                new_value=str(level),
                new_label=str(recipient or "")[:300],
            )
        )
    EnquiryEvent.record_events(events)
    notifications = []
    for enquiry, event in zip(enquiries, events, strict=True):
        recipient = recipient_for(enquiry, level)
        if recipient is None or not recipient.is_active or not recipient.email:
            continue
        which, due_at = _breached(enquiry, now, labels)
        subject = subject_text % {"reference": enquiry.reference, "level": level}
        body = body_text % {
            "reference": enquiry.reference,
            "subject": enquiry.subject,
            "queue": enquiry.queue.name,
            "deadline": which,
            "due": date_format(timezone.localtime(due_at), "SHORT_DATETIME_FORMAT"),
            "status": statuses.get(enquiry.status, enquiry.status),
            "priority": priorities.get(enquiry.priority, enquiry.priority),
            "assignee": enquiry.assignee or nobody,
            "role": role,
            "level": level,
            "url": url_template.format(enquiry.reference) if url_template else enquiry_url(enquiry),
        }
        notifications.append(
            Notification(
                key=f"enquiry-event:{event.pk}:{recipient.email}"[:200],
                recipient=recipient.email,
                subject=redact_cpr(subject)[:300],
                body=redact_cpr(body),
                created_at=now,
            )
        )
    Notification.objects.bulk_create(notifications)


# Django date format characters and their to_char() patterns ("FM": no
# padding); a format with any other letter takes the Python path.
_TO_CHAR = {
    "d": "DD",
    "j": "FMDD",
    "m": "MM",
    "n": "FMMM",
    "Y": "YYYY",
    "y": "YY",
    "H": "HH24",
    "G": "FMHH24",
    "i": "MI",
    "s": "SS",
}


def _to_char_pattern(django_format: str) -> str | None:
    pattern = []
    for char in django_format:
        if char in _TO_CHAR:
            pattern.append(_TO_CHAR[char])
        elif char in " .,:-/":
            pattern.append(char)
        else:
            return None
    return "".join(pattern)


def _local_text(moment, pattern: str) -> Func:
    """`moment` in the current time zone, as to_char(`pattern`) text."""
    local = Func(
        Value(timezone.get_current_timezone_name()),
        moment,
        function="timezone",
        output_field=DateTimeField(),
    )
    return Func(local, Value(pattern), function="to_char", output_field=TextField())


def _may_hold_cpr(row: EscalatedRow) -> bool:
    """Whether a text the e-mail quotes has something shaped like a CPR number."""
    return any(find_cpr(text) for text in (row.subject, row.queue.name, row.assignee or ""))


def _record_and_notify_in_sql(
    enquiries: list[EscalatedRow], *, level: int, now: datetime.datetime
) -> None:
    """The batch's events and e-mails as INSERT ... SELECT (PostgreSQL).

    The same rows and texts as _record_and_notify, built in SQL from the
    same translated templates: rows are grouped by recipient (their queue
    and team decide it), one INSERT ... SELECT of events and one of
    e-mails per group, no model instance per row. A row whose e-mail would
    quote something shaped like a CPR number takes the Python path, which
    masks it (Notification's bulk_create).
    """
    texts = _texts(level)
    due_pattern = _to_char_pattern(get_format("SHORT_DATETIME_FORMAT"))
    url_template = _detail_url_template()
    if due_pattern is None or url_template is None:
        _record_and_notify(enquiries, level=level, now=now)
        return
    careful: list[EscalatedRow] = []
    groups: dict[User | None, list[int]] = {}
    for row in enquiries:
        if _may_hold_cpr(row):
            careful.append(row)
        else:
            groups.setdefault(recipient_for(row, level), []).append(row.pk)
    if careful:
        _record_and_notify(careful, level=level, now=now)
    for recipient, ids in groups.items():
        notifies = bool(recipient is not None and recipient.is_active and recipient.email)
        shown = _shown_values(texts, prefix="", now=now)
        event_ids = insert_from_select(
            EnquiryEvent,
            Enquiry.objects.filter(pk__in=ids),
            {
                "enquiry": F("pk"),
                "kind": EnquiryEvent.Kind.ESCALATED,
                "actor": None,
                "created_at": now,
                "old_value": str(level - 1),
                "new_value": str(level),
                "new_label": str(recipient or ""),
                "text": sql_format(
                    texts.notified if notifies else texts.unnotified,
                    deadline=shown["deadline"],
                    due=_local_text(shown["due"], "YYYY-MM-DD HH24:MI"),
                    role=texts.role,
                    name=str(recipient),
                ),
            },
        )
        if recipient is None or not notifies:
            continue
        shown = _shown_values(texts, prefix="enquiry__", now=now)
        before_ref, after_ref = url_template.split("{}", 1)
        insert_from_select(
            Notification,
            EnquiryEvent.objects.filter(pk__in=event_ids),
            {
                "key": Concat(
                    Value("enquiry-event:"),
                    Cast("pk", TextField()),
                    Value(f":{recipient.email}"),
                    output_field=TextField(),
                ),
                "recipient": recipient.email,
                "subject": sql_format(
                    texts.subject, reference=F("enquiry__reference"), level=str(level)
                ),
                "body": sql_format(
                    texts.body,
                    reference=F("enquiry__reference"),
                    subject=F("enquiry__subject"),
                    queue=shown["queue"],
                    deadline=shown["deadline"],
                    due=_local_text(shown["due"], due_pattern),
                    status=shown["status"],
                    priority=shown["priority"],
                    assignee=shown["assignee"],
                    role=texts.role,
                    level=str(level),
                    url=Concat(
                        Value(before_ref),
                        F("enquiry__reference"),
                        Value(after_ref),
                        output_field=TextField(),
                    ),
                ),
                "created_at": now,
            },
        )


def _shown_values(texts: _Texts, *, prefix: str, now: datetime.datetime) -> dict:
    """SQL for what _record_and_notify writes of an enquiry, from `prefix`."""
    first_breached = Q(
        **{
            f"{prefix}first_response_due_at__isnull": False,
            f"{prefix}first_responded_at__isnull": True,
            f"{prefix}first_response_due_at__lt": now,
        }
    )
    first_response, resolution = texts.labels
    language = translation.get_language() or settings.LANGUAGE_CODE
    queue_name: Any = F(f"{prefix}queue__name_da")
    if language.startswith("en"):
        queue_name = Coalesce(NullIf(F(f"{prefix}queue__name_en"), Value("")), queue_name)
    full_name = Trim(
        Concat(
            F(f"{prefix}assignee__first_name"),
            Value(" "),
            F(f"{prefix}assignee__last_name"),
            output_field=TextField(),
        )
    )
    return {
        "deadline": Case(
            When(first_breached, then=Value(first_response)), default=Value(resolution)
        ),
        "due": Case(
            When(first_breached, then=F(f"{prefix}first_response_due_at")),
            default=F(f"{prefix}resolution_due_at"),
        ),
        "queue": queue_name,
        "status": Case(
            *[
                When(**{f"{prefix}status": value}, then=Value(str(label)))
                for value, label in Enquiry.Status.choices
            ],
            default=F(f"{prefix}status"),
            output_field=TextField(),
        ),
        "priority": Case(
            *[
                When(**{f"{prefix}priority": value}, then=Value(str(label)))
                for value, label in Enquiry.Priority.choices
            ],
            default=Cast(f"{prefix}priority", TextField()),
            output_field=TextField(),
        ),
        "assignee": Case(
            When(**{f"{prefix}assignee__isnull": True}, then=Value(texts.nobody)),
            default=Coalesce(NullIf(full_name, Value("")), F(f"{prefix}assignee__username")),
            output_field=TextField(),
        ),
    }
