"""Linking enquiries to known problems, and resolving them all at once.

Linking and resolving are set-based: one INSERT ... SELECT or UPDATE per
step, whatever the number of enquiries, so 50,000 linked enquiries are
resolved in seconds and in constant memory. The timeline lines and e-mails
of a resolution are written in the same transaction as the status change.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.periods import REPORTING_TZ
from analytics.services import mark_days_dirty
from enquiries.cpr import check_free_text, redact_cpr
from enquiries.linking import insert_links, subquery_sql
from enquiries.models import Citizen, Enquiry, EnquiryEvent, Notification
from enquiries.notifications import enqueue_delivery
from enquiries.sla import BusinessCalendar
from notices.models import StandardText
from problems.models import KnownProblem, KnownProblemLink, KnownProblemResolution

# The standard text e-mailed to citizens when a known problem is resolved.
RESOLVED_TEXT_CODE = "known-problem-resolved"
# Waiting enquiries get their paused time added back in chunks this big.
CHUNK = 2000


def _check_link_permission(by: User | None) -> None:
    if by is not None and not by.has_perm("problems.add_knownproblemlink"):
        raise PermissionDenied(_("You may not link enquiries to known problems."))


@transaction.atomic
def link_enquiries(
    problem: KnownProblem,
    enquiries: QuerySet[Enquiry],
    *,
    by: User | None,
    now: datetime.datetime | None = None,
) -> int:
    """Link the enquiries (those `by` may see) to an open problem; returns new links.

    One INSERT ... SELECT; enquiries already linked are skipped, so linking
    twice links once.
    """
    _check_link_permission(by)
    problem = KnownProblem.objects.select_for_update().get(pk=problem.pk)
    if not problem.is_open:
        raise ValidationError({"problem": [_("This known problem is resolved.")]})
    if by is not None:
        enquiries = enquiries.filter(pk__in=Enquiry.objects.visible_to(by).values("pk"))
    return insert_links(
        KnownProblemLink, owner="problem", owner_id=problem.pk, enquiries=enquiries, by=by, now=now
    )


@transaction.atomic
def record_known_problem(
    problem: KnownProblem,
    *,
    by: User,
    enquiries: QuerySet[Enquiry] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Record a new known problem and link `enquiries` to it (those behind
    a pattern alert that proposed it); returns the links made.

    All or nothing: a problem is never left without the links asked for.
    """
    if not by.has_perm("problems.add_knownproblem"):
        raise PermissionDenied(_("You may not record known problems."))
    problem.created_by = by
    problem.full_clean()
    problem.save()
    if enquiries is None:
        return 0
    return link_enquiries(problem, enquiries, by=by, now=now)


@transaction.atomic
def unlink_enquiries(problem: KnownProblem, enquiries: QuerySet[Enquiry], *, by: User) -> int:
    """Remove the links of the enquiries `by` may see; returns how many went."""
    if not by.has_perm("problems.delete_knownproblemlink"):
        raise PermissionDenied(_("You may not unlink enquiries from known problems."))
    visible = enquiries.filter(pk__in=Enquiry.objects.visible_to(by).values("pk"))
    deleted, _rows = KnownProblemLink.objects.filter(
        problem=problem, enquiry__in=visible.values("pk")
    ).delete()
    return deleted


def link_on_change(
    enquiry: Enquiry, *, changed: set[str], old: dict[str, Any], now: datetime.datetime
) -> None:
    """The reaction to enquiry changes (enquiries/hooks.py): link a new enquiry."""
    if "created" in changed:
        auto_link_enquiry(enquiry, now=now)


def auto_link_enquiry(enquiry: Enquiry, *, now: datetime.datetime) -> int:
    """Link a newly registered enquiry to the open problems auto-linking its category."""
    if enquiry.category_id is None:
        return 0
    problems = KnownProblem.objects.filter(
        category_id=enquiry.category_id, is_auto_link=True, status=KnownProblem.Status.OPEN
    ).values_list("pk", flat=True)
    links = [
        KnownProblemLink(problem_id=pk, enquiry=enquiry, linked_by=None, linked_at=now)
        for pk in problems
    ]
    KnownProblemLink.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


@dataclass(frozen=True)
class Message:
    """What the citizens are sent: the standard text's code and version."""

    code: str
    version: int | None
    subject: str
    body: str


def resolution_message(problem: KnownProblem) -> Message:
    """The e-mail of a resolution, from the standard text in force now."""
    text = StandardText.current(RESOLVED_TEXT_CODE)
    if text is None:
        raise ValidationError(
            {
                "standard_text": [
                    _("Write the standard text “%(code)s” before resolving.")
                    % {"code": RESOLVED_TEXT_CODE}
                ]
            }
        )
    with translation.override("da"):
        subject = _("Your enquiry about “%(title)s” is resolved") % {"title": problem.title}
    body = "\n\n".join(
        part.replace("{title}", problem.title).strip()
        for part in (text.text("da"), text.text("en"))
        if part.strip()
    )
    return Message(RESOLVED_TEXT_CODE, text.version, redact_cpr(subject)[:300], redact_cpr(body))


def resolution_counts(problem: KnownProblem) -> dict[str, int]:
    """What resolving now would do: open enquiries, citizens, e-mails."""
    targets = _targets(problem)
    citizens = Citizen.objects.filter(pk__in=targets.values("citizen_id"))
    return {
        "enquiries": targets.count(),
        "citizens": citizens.count(),
        "emails": citizens.exclude(email="").filter(anonymised_at__isnull=True).count(),
    }


def _targets(problem: KnownProblem) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(known_problem_links__problem=problem).open()


@transaction.atomic
def resolve_known_problem(
    problem: KnownProblem,
    *,
    by: User,
    resolution: str,
    now: datetime.datetime | None = None,
) -> KnownProblemResolution:
    """Resolve the problem and every linked open enquiry, all or nothing.

    Set-based: one INSERT of timeline lines (each with the batch id), one
    INSERT of e-mails into the outbox (one per citizen with an address),
    one UPDATE of the enquiries. Locks the problem and the enquiries; a
    second call is refused. The outbox is sent after commit.
    """
    if not by.has_perm("problems.resolve_knownproblem"):
        raise PermissionDenied(_("You may not resolve known problems."))
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": [_("Describe the resolution before resolving.")]})
    check_free_text(resolution=resolution)
    now = now or timezone.now()
    problem = KnownProblem.objects.select_for_update().get(pk=problem.pk)
    if not problem.is_open:
        raise ValidationError({"status": [_("This known problem is already resolved.")]})
    message = resolution_message(problem)
    batch = uuid.uuid4()
    targets = _targets(problem)
    select, params = subquery_sql(targets)
    _lock(select, params)
    _end_waiting(targets, now=now)
    marks = set(
        targets.annotate(day=TruncDate("received_at", tzinfo=REPORTING_TZ))
        .order_by()
        .values_list("queue_id", "day")
        .distinct()
    )
    with translation.override("da"):
        text = _("Resolved with the known problem “%(title)s”: %(resolution)s") % {
            "title": problem.title,
            "resolution": resolution,
        }
    event = EnquiryEvent._meta.db_table
    enquiry = Enquiry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {event} (enquiry_id, kind, actor_id, created_at, old_value, "  # noqa: S608 (names from _meta)
            "new_value, old_label, new_label, text, batch) "
            f"SELECT e.id, %s, %s, %s, e.status, %s, e.status, %s, %s, %s FROM {enquiry} e "
            f"WHERE e.id IN ({select})",
            [
                EnquiryEvent.Kind.STATUS,
                by.pk,
                now,
                Enquiry.Status.RESOLVED,
                Enquiry.Status.RESOLVED,
                text,
                _uuid(batch),
                *params,
            ],
        )
        enquiry_count = cursor.rowcount
        citizen_count = Citizen.objects.filter(pk__in=targets.values("citizen_id")).count()
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} (key, recipient, subject, body, "  # noqa: S608 (names from _meta)
            "created_at, claimed_at, sent_at, attempts, last_error) "
            "SELECT %s || CAST(c.id AS TEXT), c.email, %s, %s, %s, NULL, NULL, 0, '' "
            f"FROM {Citizen._meta.db_table} c WHERE c.email <> '' AND c.anonymised_at IS NULL "
            f"AND c.id IN (SELECT e.citizen_id FROM {enquiry} e WHERE e.id IN ({select}))",
            [f"known-problem:{batch}:", message.subject, message.body, now, *params],
        )
        notified_count = cursor.rowcount
    Enquiry.objects.filter(pk__in=targets.values("pk")).update(
        status=Enquiry.Status.RESOLVED,
        resolved_at=now,
        first_responded_at=Coalesce(F("first_responded_at"), Value(now, DateTimeField())),
        sla_paused_at=None,
        next_escalation_at=None,
        resolution=Case(
            When(resolution="", then=Value(resolution)),
            default=F("resolution"),
            output_field=TextField(),
        ),
        updated_at=now,
    )
    if marks:
        mark_days_dirty(marks, now=now)
    problem.status = KnownProblem.Status.RESOLVED
    problem.resolution = resolution
    problem.resolved_by = by
    problem.resolved_at = now
    problem.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    record = KnownProblemResolution.objects.create(
        batch=batch,
        problem=problem,
        resolved_by=by,
        resolved_at=now,
        enquiry_count=enquiry_count,
        citizen_count=citizen_count,
        notified_count=notified_count,
        text_code=message.code,
        text_version=message.version,
        subject=message.subject,
        body=message.body,
    )
    if notified_count:
        enqueue_delivery()
    return record


def _uuid(value: uuid.UUID) -> str | uuid.UUID:
    # SQLite stores a UUIDField as 32 hex digits; PostgreSQL has a type.
    return value if connection.vendor == "postgresql" else value.hex


def _lock(select: str, params: tuple[Any, ...]) -> None:
    """Lock the enquiries to resolve (PostgreSQL; SQLite writes one at a time)."""
    if connection.vendor != "postgresql":
        return
    enquiry = Enquiry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT e.id FROM {enquiry} e "  # noqa: S608 (names from _meta)
            f"WHERE e.id IN ({select}) FOR UPDATE OF e) locked",
            params,
        )


def _end_waiting(targets: QuerySet[Enquiry], *, now: datetime.datetime) -> None:
    """Add the paused time of waiting enquiries, as a transition out of waiting does.

    Only enquiries waiting for the citizen, read in chunks: the business
    time of each pause needs the calendar.
    """
    calendar = BusinessCalendar.from_settings()
    waiting = targets.filter(sla_paused_at__isnull=False).only(
        "pk", "sla_paused_at", "sla_paused_time"
    )
    chunk: list[Enquiry] = []
    for row in waiting.iterator(chunk_size=CHUNK):
        assert row.sla_paused_at is not None  # the filter above
        row.sla_paused_time += calendar.between(row.sla_paused_at, now)
        chunk.append(row)
        if len(chunk) == CHUNK:
            Enquiry.objects.bulk_update(chunk, ["sla_paused_time"])
            chunk = []
    if chunk:
        Enquiry.objects.bulk_update(chunk, ["sla_paused_time"])
