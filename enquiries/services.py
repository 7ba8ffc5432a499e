"""Every state change of an enquiry worth a name.

The HTML views and the API call these same functions, so the workflow and
the timeline cannot drift between them. Each is atomic, takes the acting
user as `by=` and raises ValidationError keyed by field name.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Team, User
from enquiries import assignment, deadlines, hooks
from enquiries.cpr import check_free_text
from enquiries.models import (
    AssignmentTurn,
    Category,
    Channel,
    Citizen,
    CprReveal,
    Enquiry,
    EnquiryEvent,
    Queue,
    Topic,
)
from enquiries.sequences import format_reference, next_reference_numbers

logger = logging.getLogger(__name__)

Status = Enquiry.Status
Kind = EnquiryEvent.Kind

# The workflow: from each status, where it may go. Reopening (from resolved
# or closed back to in progress) is part of it.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.TRIAGED, Status.IN_PROGRESS, Status.RESOLVED),
    Status.TRIAGED: (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED),
    Status.IN_PROGRESS: (Status.WAITING, Status.RESOLVED),
    Status.WAITING: (Status.IN_PROGRESS, Status.RESOLVED),
    Status.RESOLVED: (Status.CLOSED, Status.IN_PROGRESS),
    Status.CLOSED: (Status.IN_PROGRESS,),
}
# Contacts where the citizen is answered the moment the agent picks up.
LIVE_CHANNELS = (Channel.PHONE, Channel.IN_PERSON)
# Fields update_enquiry may change, and the timeline kind each one writes.
TRACKED_FIELDS = {
    "queue": Kind.QUEUE,
    "category": Kind.CATEGORY,
    "additional_topics": Kind.TOPICS,
    "priority": Kind.PRIORITY,
    "assignee": Kind.ASSIGNED,
    "citizen": Kind.CITIZEN,
}
PLAIN_FIELDS = ("subject", "description", "channel", "language", "received_at", "team")


def _after_change(
    enquiry: Enquiry, *, changed: set[str], old: dict[str, Any], now: datetime.datetime
) -> None:
    """Follow-on work after any change: deadlines, assignment, then the hook.

    `changed` names the fields that changed ("created" for a new enquiry);
    `old` holds their previous values. Runs inside the caller's transaction.
    The apps above this one (analytics, problems, feedback) react through
    enquiries/hooks.py, never by being called from here.
    """
    deadlines.apply_deadline_rules(enquiry, changed=changed, old=old, now=now)
    if "created" in changed:
        auto_assign_enquiry(enquiry, now=now)
    hooks.enquiry_changed(enquiry, changed=changed, old=old, now=now)


# Fields that carry free text or point at a citizen: an anonymised
# enquiry (privacy.anonymise) takes no new personal data.
PERSONAL_FIELDS = ("subject", "description", "citizen")


def _anonymised_error(field: str) -> ValidationError:
    return ValidationError(
        {field: [_("This enquiry is anonymised; register a new one for a new contact.")]}
    )


def allowed_transitions(enquiry: Enquiry) -> tuple[str, ...]:
    return TRANSITIONS[enquiry.status]


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Category):
        return f"{value.topic.name_da} › {value.name_da}"
    if isinstance(value, Topic | Queue):
        return value.name_da
    return str(value)


def _code(value: Any) -> str:
    if value is None:
        return ""
    return str(getattr(value, "pk", value))


def _record(
    enquiry: Enquiry,
    kind: str,
    *,
    by: User | None,
    old: Any = None,
    new: Any = None,
    text: str = "",
    batch: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> EnquiryEvent:
    return EnquiryEvent.record_event(
        enquiry,
        kind,
        by=by,
        at=at,
        text=text,
        old_value=_code(old)[:100],
        new_value=_code(new)[:100],
        old_label=_label(old)[:300],
        new_label=_label(new)[:300],
        batch=batch,
    )


def _check_taxonomy(
    queue: Queue,
    category: Category | None,
    topics: Iterable[Topic],
    *,
    current: Category | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if category is not None:
        if category.topic.queue_id != queue.pk:
            errors["category"] = [
                _("The category “%(category)s” belongs to another queue.")
                % {"category": category.name}
            ]
        elif not (category.is_active and category.topic.is_active) and category != current:
            errors["category"] = [
                _("The category “%(category)s” is retired.") % {"category": category.name}
            ]
    foreign = [t.name for t in topics if t.queue_id != queue.pk]
    if foreign:
        errors["additional_topics"] = [
            _("These topics belong to another queue: %(topics)s.") % {"topics": ", ".join(foreign)}
        ]
    if errors:
        raise ValidationError(errors)


def _check_assignee(assignee: User | None, queue: Queue) -> None:
    """Refuse an assignee who could not open the queue's enquiries unassigned."""
    if assignee is None:
        return
    if not (assignee.is_active and assignee.has_perm("enquiries.change_enquiry")):
        raise ValidationError(
            {"assignee": [_("%(user)s cannot work on enquiries.") % {"user": assignee}]}
        )
    if not User.objects.assignable_for(queue).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {
                "assignee": [
                    _("%(user)s cannot be given enquiries of the queue %(queue)s.")
                    % {"user": assignee, "queue": queue}
                ]
            }
        )


@transaction.atomic
def register_enquiry(
    queue: Queue,
    *,
    by: User | None,
    subject: str,
    channel: str | None = None,
    received_at: datetime.datetime | None = None,
    citizen: Citizen | None = None,
    description: str = "",
    category: Category | None = None,
    additional_topics: Iterable[Topic] = (),
    priority: int = Enquiry.Priority.NORMAL,
    language: str = Enquiry.Language.DA,
    assignee: User | None = None,
) -> Enquiry:
    """Log a new enquiry with its reference and the first timeline line."""
    additional_topics = list(additional_topics)
    _check_taxonomy(queue, category, additional_topics)
    _check_assignee(assignee, queue)
    now = timezone.now()
    received_at = received_at or now
    channel = channel or queue.default_channel
    (number,) = next_reference_numbers(1)
    enquiry = Enquiry(
        reference=format_reference(
            queue.reference_prefix, timezone.localtime(received_at).year, number
        ),
        queue=queue,
        channel=channel,
        received_at=received_at,
        citizen=citizen,
        subject=subject,
        description=description,
        category=category,
        priority=priority,
        language=language,
        assignee=assignee,
        team=queue.team,
        created_by=by,
        first_responded_at=received_at if channel in LIVE_CHANNELS else None,
    )
    enquiry.full_clean(exclude=["reference", "citizen", "assignee", "team", "category"])
    enquiry.save()
    primary_topic_id = category.topic_id if category else None
    enquiry.additional_topics.set([t for t in additional_topics if t.pk != primary_topic_id])
    _record(enquiry, Kind.CREATED, by=by, at=now)
    if assignee is not None:
        _record(enquiry, Kind.ASSIGNED, by=by, new=assignee, at=now)
    _after_change(enquiry, changed={"created"}, old={}, now=now)
    return enquiry


def _locked(enquiry: Enquiry) -> Enquiry:
    """Re-read the row under a lock so concurrent changes queue up."""
    return (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("queue", "category__topic", "assignee")
        .get(pk=enquiry.pk)
    )


def _check_transition(old: str, to: str) -> None:
    """Refuse a status that does not exist or that the workflow does not allow."""
    if to not in Status.values:
        raise ValidationError({"status": [_("“%(status)s” is not a status.") % {"status": to}]})
    if to not in TRANSITIONS[old]:
        allowed = ", ".join(str(Status(s).label) for s in TRANSITIONS[old])
        raise ValidationError(
            {
                "status": [
                    _("An enquiry that is “%(old)s” cannot become “%(new)s”. Allowed: %(allowed)s.")
                    % {"old": Status(old).label, "new": Status(to).label, "allowed": allowed}
                ]
            }
        )


def _check_ready_for(locked: Enquiry, old: str, to: str) -> bool:
    """Refuse a move the enquiry is not ready for; returns whether it reopens."""
    if to == Status.TRIAGED and locked.category_id is None:
        raise ValidationError({"category": [_("Choose a category before triage.")]})
    if to == Status.RESOLVED and not locked.resolution.strip():
        raise ValidationError({"resolution": [_("Describe the resolution before resolving.")]})
    # Resolved -> closed stays finished; only a move back to work reopens.
    reopening = old in Enquiry.CLOSED_STATUSES and to not in Enquiry.CLOSED_STATUSES
    if reopening and locked.anonymised_at:
        raise _anonymised_error("status")
    return reopening


def _set_status(
    locked: Enquiry, old: str, to: str, *, reopening: bool, now: datetime.datetime
) -> None:
    """Set the status and the clock fields it starts, pauses or clears (unsaved)."""
    locked.status = to
    if to in (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED):
        locked.first_responded_at = locked.first_responded_at or now
    if to == Status.WAITING:
        locked.sla_paused_at = now
    elif old == Status.WAITING:
        locked.sla_paused_at = None
    if to == Status.RESOLVED:
        locked.resolved_at = now
    if to == Status.CLOSED:
        locked.closed_at = now
    if reopening:
        locked.resolved_at = locked.closed_at = None


def _status_text(locked: Enquiry, to: str, note: str, *, reopening: bool) -> str:
    """The timeline text of a status change: the note, or what it implies."""
    if reopening:
        return (_("Reopened.") + " " + note).strip()
    if to == Status.RESOLVED:
        return note or locked.resolution
    return note


@transaction.atomic
def transition_enquiry(
    enquiry: Enquiry,
    *,
    to: str,
    by: User | None,
    note: str = "",
    resolution: str | None = None,
    batch: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> Enquiry:
    """Move an enquiry along the workflow; refuses illegal transitions."""
    now = now or timezone.now()
    check_free_text(note=note, resolution=resolution)
    locked = _locked(enquiry)
    old = locked.status
    _check_transition(old, to)
    if resolution is not None:
        locked.resolution = resolution
    reopening = _check_ready_for(locked, old, to)
    paused_at = locked.sla_paused_at
    _set_status(locked, old, to, reopening=reopening, now=now)
    locked.save()
    text = _status_text(locked, to, note, reopening=reopening)
    _record(locked, Kind.STATUS, by=by, old=old, new=to, text=text, batch=batch, at=now)
    _after_change(
        locked, changed={"status"}, old={"status": old, "sla_paused_at": paused_at}, now=now
    )
    enquiry.refresh_from_db()
    return locked


def reopen_enquiry(enquiry: Enquiry, *, by: User | None, note: str = "") -> Enquiry:
    """Bring a resolved or closed enquiry back to work."""
    if enquiry.is_open:
        raise ValidationError({"status": [_("Only resolved or closed enquiries can be reopened.")]})
    return transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=by, note=note)


def _refuse_on_anonymised(locked: Enquiry, changes: dict[str, Any]) -> None:
    """An anonymised enquiry takes no new personal data."""
    if not locked.anonymised_at:
        return
    for name in PERSONAL_FIELDS:
        if name in changes and changes[name] != getattr(locked, name):
            raise _anonymised_error(name)


def _checked_taxonomy(
    locked: Enquiry, changes: dict[str, Any]
) -> tuple[Queue, Category | None, list[Topic], list[Topic]]:
    """The queue, category and further topics after `changes`, checked.

    A move to another queue drops a category of the old queue (setting
    `changes["category"]` to None in update_enquiry's own copy). Returns
    (queue, category, topics, old topics).
    """
    queue = changes.get("queue", locked.queue)
    category = changes.get("category", locked.category)
    moved_away = category is not None and category.topic.queue_id != queue.pk
    if "queue" in changes and "category" not in changes and moved_away:
        category = changes["category"] = None
    old_topics = list(locked.additional_topics.all())
    topics = list(changes.get("additional_topics", old_topics))
    if "queue" in changes or "category" in changes or "additional_topics" in changes:
        _check_taxonomy(queue, category, topics, current=locked.category)
    return queue, category, topics, old_topics


def _checked_assignee(locked: Enquiry, changes: dict[str, Any], queue: Queue) -> dict[str, Any]:
    """`changes` with the assignee checked, or unassigned by a queue move."""
    if "assignee" in changes:
        _check_assignee(changes["assignee"], queue)
        return changes
    if (
        "queue" in changes
        and locked.assignee is not None
        and queue != locked.queue
        and not User.objects.assignable_for(queue).filter(pk=locked.assignee.pk).exists()
    ):
        # Moved to a queue its holder may not work: it goes back unassigned
        # rather than stay visible to someone outside the new team.
        return {**changes, "assignee": None}
    return changes


def _change_fields(
    locked: Enquiry,
    changes: dict[str, Any],
    *,
    by: User | None,
    batch: uuid.UUID | None,
    at: datetime.datetime,
) -> dict[str, Any]:
    """Set the changed fields but the topics (unsaved); returns their old values."""
    previous: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "additional_topics":
            continue
        old = getattr(locked, name)
        if old == value:
            continue
        setattr(locked, name, value)
        previous[name] = old
        if name in TRACKED_FIELDS:
            _record(locked, TRACKED_FIELDS[name], by=by, old=old, new=value, batch=batch, at=at)
    return previous


def _change_topics(
    locked: Enquiry,
    category: Category | None,
    topics: list[Topic],
    old_topics: list[Topic],
    *,
    by: User | None,
    batch: uuid.UUID | None,
    at: datetime.datetime,
) -> bool:
    """Replace the further topics (never the category's own); returns whether they changed."""
    primary_topic_id = category.topic_id if category else None
    new_topic_set = {t.pk: t for t in topics if t.pk != primary_topic_id}
    if set(new_topic_set) == {t.pk for t in old_topics}:
        return False
    locked.additional_topics.set(list(new_topic_set.values()))
    _record(
        locked,
        Kind.TOPICS,
        by=by,
        old=", ".join(sorted(t.name_da for t in old_topics)),
        new=", ".join(sorted(t.name_da for t in new_topic_set.values())),
        batch=batch,
        at=at,
    )
    return True


@transaction.atomic
def update_enquiry(
    enquiry: Enquiry,
    *,
    by: User | None,
    changes: dict[str, Any],
    batch: uuid.UUID | None = None,
) -> list[str]:
    """Apply field changes, writing a timeline line per tracked change.

    Only the keys present in `changes` change. Status is not among them: use
    transition_enquiry. Returns the names of the fields that changed.
    """
    unknown = set(changes) - set(TRACKED_FIELDS) - set(PLAIN_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    locked = _locked(enquiry)
    # This enquiry's copy: a move that drops its category must not drop the
    # next one's (bulk_triage passes one dict for all).
    changes = dict(changes)
    _refuse_on_anonymised(locked, changes)
    queue, category, topics, old_topics = _checked_taxonomy(locked, changes)
    changes = _checked_assignee(locked, changes, queue)

    now = timezone.now()
    previous = _change_fields(locked, changes, by=by, batch=batch, at=now)
    changed = list(previous)
    if "queue" in changed:
        locked.team = queue.team
    if changed:
        locked.full_clean(exclude=["reference", "citizen", "assignee", "team", "category", "queue"])
        locked.save()
    if _change_topics(locked, category, topics, old_topics, by=by, batch=batch, at=now):
        changed.append("additional_topics")
        previous["additional_topics"] = old_topics
    if changed:
        _after_change(locked, changed=set(changed), old=previous, now=now)
    enquiry.refresh_from_db()
    return changed


@transaction.atomic
def add_note(enquiry: Enquiry, *, by: User | None, text: str) -> EnquiryEvent:
    """Add a note to the timeline (by=None: the system, e.g. an e-mail received)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a note.")]})
    if Enquiry.objects.filter(pk=enquiry.pk, anonymised_at__isnull=False).exists():
        raise _anonymised_error("text")
    check_free_text(text=text)
    return _record(enquiry, Kind.NOTE, by=by, text=text)


@transaction.atomic
def record_reply(
    enquiry: Enquiry, *, by: User, text: str, now: datetime.datetime | None = None
) -> EnquiryEvent:
    """Put a reply sent to the citizen on the timeline (answers writes the reply)."""
    if Enquiry.objects.filter(pk=enquiry.pk, anonymised_at__isnull=False).exists():
        raise _anonymised_error("body")
    check_free_text(text=text)
    return _record(enquiry, Kind.REPLY, by=by, text=text, at=now)


@transaction.atomic
def bulk_triage(
    enquiries: Iterable[Enquiry],
    *,
    by: User,
    changes: dict[str, Any],
    status: str | None = None,
) -> uuid.UUID:
    """Apply the same changes (and status) to many enquiries, all or none.

    Every resulting timeline line carries the same batch id. If any enquiry
    refuses a change the whole batch is rolled back and the error names the
    enquiry's reference.
    """
    if not by.has_perm("enquiries.bulk_triage_enquiry"):
        raise PermissionDenied(_("You may not triage in bulk."))
    batch = uuid.uuid4()
    enquiries = list(enquiries)
    if not enquiries:
        raise ValidationError({"selected": [_("Select at least one enquiry.")]})
    for enquiry in enquiries:
        try:
            if changes:
                # A category from another queue is refused per enquiry.
                update_enquiry(enquiry, by=by, changes=changes, batch=batch)
            if status and status != enquiry.status:
                transition_enquiry(enquiry, to=status, by=by, batch=batch)
        except ValidationError as error:
            messages = [
                f"{enquiry.reference}: {message}"
                for field_messages in error.message_dict.values()
                for message in field_messages
            ]
            raise ValidationError({"selected": messages}) from error
    return batch


@transaction.atomic
def reveal_cpr(citizen: Citizen, *, by: User, reason: str) -> str:
    """Return a citizen's full CPR number and log who saw it and why."""
    if not by.has_perm("enquiries.reveal_cpr"):
        raise PermissionDenied(_("You may not see full CPR numbers."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you need the full CPR number.")]})
    check_free_text(reason=reason)
    if not citizen.cpr_ciphertext:
        raise ValidationError({"cpr": [_("No CPR number is recorded for this citizen.")]})
    CprReveal.objects.create(citizen=citizen, revealed_by=by, reason=reason[:200])
    return citizen.reveal_cpr()


@transaction.atomic
def look_up_citizens(text: str, *, by: User, limit: int = 20) -> list[Citizen]:
    """Citizens matching a look-up: those `by` sees by CPR, phone or name;
    others only by exact CPR or phone number, each such find logged.

    The log row (a CprReveal of kind LOOKUP) lets `by` see the citizen for
    CprReveal.LOOKUP_GRANT, long enough to log the enquiry that makes the
    citizen their team's. Every look-up outside the team's enquiries is
    logged, also a repeated one.
    """
    text = text.strip()
    if not text or "\x00" in text or not by.has_perm("enquiries.view_citizen"):
        return []
    found = list(Citizen.objects.visible_to(by).matching(text)[:limit])
    across = list(
        Citizen.objects.exact(text)
        .exclude(pk__in=Citizen.objects.known_to(by).values("pk"))
        .order_by("name", "pk")[:limit]
    )
    if across:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Found across teams by exact CPR or phone number.")
        CprReveal.objects.bulk_create(
            [
                CprReveal(citizen=c, revealed_by=by, kind=CprReveal.Kind.LOOKUP, reason=reason)
                for c in across
            ]
        )
    seen = {c.pk for c in found}
    return (found + [c for c in across if c.pk not in seen])[:limit]


def record_citizen_registration(citizen: Citizen, *, by: User) -> CprReveal:
    """Log who registered `citizen`; they see it until an enquiry links it."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Registered the citizen.")
    return CprReveal.objects.create(
        citizen=citizen, revealed_by=by, kind=CprReveal.Kind.REGISTRATION, reason=reason
    )


def auto_assign_enquiry(enquiry: Enquiry, *, now: datetime.datetime) -> User | None:
    """Give a new, unassigned enquiry of an auto-assign queue to the next agent.

    Runs in the caller's transaction under a lock on the team row; records
    a system assignment (no actor) on the timeline. Returns the agent, or
    None when the queue does not assign or nobody is available.
    """
    queue = enquiry.queue
    # The queue's team, not the enquiry's: the queue decides who sees it.
    team_id = queue.team_id
    if enquiry.assignee_id or not queue.is_auto_assign or team_id is None:
        return None
    assignment.lock_team(team_id)
    agent = assignment.next_agent(queue)
    if agent is None:
        logger.info("No available agent in team %s for enquiry %s.", team_id, enquiry.pk)
        return None
    Enquiry.objects.filter(pk=enquiry.pk).update(
        assignee=agent, updated_at=now, version=F("version") + 1
    )
    enquiry.assignee = agent
    _record(enquiry, Kind.ASSIGNED, by=None, new=agent, text=_("Assigned automatically."), at=now)
    AssignmentTurn.objects.bulk_create(
        [AssignmentTurn(user=agent, last_assigned_at=now)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_assigned_at"],
    )
    return agent


@transaction.atomic
def rebalance_team(team: Team, *, by: User) -> int:
    """Spread the team's unstarted open work evenly; returns how many moved.

    Locks the team row (automatic assignment waits); every move is a normal
    reassignment on the timeline, all sharing one batch id.
    """
    if not assignment.may_rebalance(by, team):
        raise PermissionDenied(_("Only the team's lead may rebalance its work."))
    assignment.lock_team(team.pk)
    plan = assignment.plan_rebalance(team)
    if not plan and not assignment.available_agents(team.pk).exists():
        raise ValidationError({"team": [_("Nobody in the team is available for work.")]})
    enquiries = Enquiry.objects.in_bulk([enquiry_id for enquiry_id, _agent in plan])
    agents = User.objects.in_bulk({agent_id for _enquiry, agent_id in plan})
    batch = uuid.uuid4()
    for enquiry_id, agent_id in plan:
        update_enquiry(
            enquiries[enquiry_id], by=by, changes={"assignee": agents[agent_id]}, batch=batch
        )
    logger.info("Rebalanced %s enquiries in team %s.", len(plan), team.pk)
    return len(plan)


@transaction.atomic
def log_enquiry(
    queue: Queue,
    *,
    by: User,
    subject: str,
    channel: str | None = None,
    received_at: datetime.datetime | None = None,
    citizen: Citizen | None = None,
    description: str = "",
    category: Category | None = None,
    additional_topics: Iterable[Topic] = (),
    priority: int = Enquiry.Priority.NORMAL,
    language: str = Enquiry.Language.DA,
    assignee: User | None = None,
    resolution: str = "",
) -> Enquiry:
    """Log an enquiry, all or nothing: a citizen not yet saved is registered
    with it, and a resolution resolves it at once ("resolved during the call").

    The log page and the API's create both call this, so they cannot drift.
    """
    if citizen is not None and citizen.pk is None:
        try:
            with transaction.atomic():
                citizen.save()
        except IntegrityError:
            # Two agents registered the same CPR number at the same moment.
            raise ValidationError(
                {"cpr": _("A citizen with this CPR number is already registered.")},
                code="taken",
            ) from None
    enquiry = register_enquiry(
        queue,
        by=by,
        subject=subject,
        channel=channel,
        received_at=received_at,
        citizen=citizen,
        description=description,
        category=category,
        additional_topics=additional_topics,
        priority=priority,
        language=language,
        assignee=assignee,
    )
    if resolution.strip():
        transition_enquiry(enquiry, to=Status.RESOLVED, by=by, resolution=resolution)
    return enquiry
