"""Every state change of an action worth a name.

The HTML views and the API call these same functions. Each is atomic,
takes the acting user as `by=` (None for the system, e.g. the report
loader), writes the action's timeline and raises ValidationError keyed by
field name. A user without the right permission gets PermissionDenied.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from actions.due import Due, parse_due
from actions.models import Action, ActionEvent, ActionUpdate, Kpi, KpiReading, Theme
from enquiries.models import Category, Topic
from nemid_cases.models import field_label
from stakeholders.models import Contact, Meeting, Organisation, Recommendation

Status = Action.Status
Kind = ActionEvent.Kind

# The workflow: from each status, where it may go. "Found insufficient"
# judges a plan, work under way or work done, and always brings a
# follow-up action; cancelled work may be revived.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.PLANNED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED),
    Status.PLANNED: (
        Status.PROPOSED,
        Status.IN_PROGRESS,
        Status.DONE,
        Status.INSUFFICIENT,
        Status.CANCELLED,
    ),
    Status.IN_PROGRESS: (Status.PLANNED, Status.DONE, Status.INSUFFICIENT, Status.CANCELLED),
    Status.DONE: (Status.IN_PROGRESS, Status.INSUFFICIENT),
    Status.INSUFFICIENT: (),
    Status.CANCELLED: (Status.PROPOSED, Status.PLANNED),
}
# Statuses an action may be created with.
CREATE_STATUSES = (Status.PROPOSED, Status.PLANNED, Status.IN_PROGRESS, Status.DONE)
ORIGIN_FIELDS = ("origin_recommendations", "origin_meetings", "origin_topics", "origin_categories")
PLAIN_FIELDS = ("title", "description", "theme")
# Fields update_action may change.
UPDATABLE_FIELDS = (
    *PLAIN_FIELDS,
    "owner",
    "responsible",
    "due_phrase",
    "follows_up",
    *ORIGIN_FIELDS,
)
# Walking a follow-up chain stops here: longer chains are refused.
MAX_CHAIN = 50


@dataclass(frozen=True)
class NewFollowUp:
    """A follow-up action to create when an action is found insufficient.

    Theme, owner and origins default to those of the insufficient action.
    """

    title: str
    due_phrase: str = ""
    description: str = ""
    owner: Organisation | None = None
    responsible: Contact | None = None


def _require(by: User | None, permission: str) -> None:
    if by is not None and not by.has_perm(permission):
        raise PermissionDenied(_("You may not change actions."))


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Organisation):
        return value.short_name or value.name
    if isinstance(value, Theme):
        return value.name_da
    if isinstance(value, Topic | Category):
        return value.name_da
    if isinstance(value, Recommendation):
        return f"{value.organisation}: {value.text[:60]}"
    return str(value)


def _record(
    action: Action,
    kind: str,
    *,
    by: User | None,
    old: Any = "",
    new: Any = "",
    text: str = "",
    at: datetime.datetime | None = None,
) -> ActionEvent:
    return ActionEvent.record_event(
        action,
        kind,
        by=by,
        at=at,
        text=text,
        old_value=_label(old)[:300],
        new_value=_label(new)[:300],
    )


def _parse_due(phrase: str, *, field: str, today: datetime.date | None) -> Due:
    try:
        return parse_due(phrase, today=today)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _apply_due(action: Action, due: Due, phrase: str) -> None:
    action.due_phrase = phrase.strip()
    action.due_start, action.due_end = due.start, due.end
    action.due_precision = due.precision


def _check_text(errors: dict[str, list[str]], field: str, value: str, *, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(
            _("Write at most %(limit)s characters.") % {"limit": limit}
        )
    return value


def _check_responsible(
    errors: dict[str, list[str]], owner: Organisation, responsible: Contact | None
) -> None:
    if responsible is not None and responsible.organisation_id != owner.pk:
        errors.setdefault("responsible", []).append(
            _("%(person)s does not work at %(organisation)s.")
            % {"person": responsible.name, "organisation": owner.name}
        )


def _ancestors(action: Action) -> list[Action]:
    """The actions `action` follows up on, nearest first."""
    chain: list[Action] = []
    current = action.follows_up
    while current is not None and len(chain) < MAX_CHAIN:
        chain.append(current)
        current = current.follows_up
    return chain


def _check_follows_up(
    errors: dict[str, list[str]], action: Action | None, earlier: Action | None
) -> None:
    if earlier is None or action is None:
        return
    if earlier.pk == action.pk or action.pk in {a.pk for a in _ancestors(earlier)}:
        errors.setdefault("follows_up", []).append(
            _("An action cannot follow up on itself or on its own follow-ups.")
        )


def _moved_later(old_end: datetime.date | None, new_end: datetime.date | None) -> bool:
    """Whether a due range now ends later (no end at all counts as later)."""
    if old_end is None:
        return False
    return new_end is None or new_end > old_end


def _names(objects: Iterable[Model]) -> str:
    return ", ".join(sorted(_label(o) for o in objects))


@transaction.atomic
def create_action(
    owner: Organisation,
    *,
    by: User | None,
    title: str,
    theme: Theme,
    due_phrase: str = "",
    description: str = "",
    responsible: Contact | None = None,
    status: str = Status.PROPOSED,
    origin_recommendations: Iterable[Recommendation] = (),
    origin_meetings: Iterable[Meeting] = (),
    origin_topics: Iterable[Topic] = (),
    origin_categories: Iterable[Category] = (),
    follows_up: Action | None = None,
    completed_on: datetime.date | None = None,
    code: str | None = None,
    today: datetime.date | None = None,
) -> Action:
    """Create an action with its origins and the first timeline line."""
    _require(by, "actions.add_action")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    title = _check_text(errors, "title", title, limit=200)
    if status not in CREATE_STATUSES:
        errors["status"] = [
            _("A new action is proposed, planned, in progress or done; it cannot start as “%(s)s”.")
            % {"s": Status(status).label if status in Status.values else status}
        ]
    if not theme.is_active:
        errors["theme"] = [_("The theme “%(theme)s” is retired.") % {"theme": theme.name}]
    _check_responsible(errors, owner, responsible)
    try:
        due = _parse_due(due_phrase, field="due_phrase", today=today)
    except ValidationError as error:
        errors.update(error.message_dict)
        raise ValidationError(errors) from None
    if errors:
        raise ValidationError(errors)
    action = Action(
        code=code or None,
        title=title,
        description=(description or "").strip(),
        theme=theme,
        owner=owner,
        responsible=responsible,
        status=status,
        follows_up=follows_up,
        created_by=by,
    )
    _apply_due(action, due, due_phrase)
    if status == Status.DONE:
        action.completed_on = completed_on or today
    action.full_clean(exclude=["theme", "owner", "responsible", "follows_up"])
    action.save()
    action.origin_recommendations.set(origin_recommendations)
    action.origin_meetings.set(origin_meetings)
    action.origin_topics.set(origin_topics)
    action.origin_categories.set(origin_categories)
    now = timezone.now()
    _record(action, Kind.CREATED, by=by, new=Status(status).value, at=now)
    if follows_up is not None:
        _record(action, Kind.FOLLOW_UP, by=by, new=follows_up, at=now)
        _record(follows_up, Kind.FOLLOW_UP, by=by, new=action, at=now)
    return action


def _locked(action: Action) -> Action:
    """Re-read the row under a lock so concurrent changes queue up."""
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("theme", "owner", "responsible", "follows_up")
        .get(pk=action.pk)
    )


def _refuse_unknown(changes: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})


def _clean_texts(errors: dict[str, list[str]], changes: dict[str, Any]) -> None:
    """Strip the title and description in `changes`; a title is required."""
    if "title" in changes:
        changes["title"] = _check_text(errors, "title", changes["title"], limit=200)
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()


def _check_owner_change(
    errors: dict[str, list[str]], locked: Action, changes: dict[str, Any]
) -> None:
    """Drop a responsible person who works elsewhere than a new owner."""
    owner = changes.get("owner", locked.owner)
    responsible = changes.get("responsible", locked.responsible)
    if (
        "owner" in changes
        and "responsible" not in changes
        and responsible is not None
        and responsible.organisation_id != owner.pk
    ):
        responsible = changes["responsible"] = None
    _check_responsible(errors, owner, responsible)


def _check_theme_change(
    errors: dict[str, list[str]], locked: Action, changes: dict[str, Any]
) -> None:
    theme = changes.get("theme")
    if theme is not None and theme != locked.theme and not theme.is_active:
        errors["theme"] = [_("The theme “%(theme)s” is retired.") % {"theme": theme.name}]


def _changed_due(
    errors: dict[str, list[str]],
    locked: Action,
    changes: dict[str, Any],
    *,
    today: datetime.date | None,
) -> tuple[Due | None, str]:
    """The new due range and phrase, or None when the phrase is unchanged."""
    phrase = (changes.get("due_phrase") or "").strip()
    if "due_phrase" not in changes or phrase == locked.due_phrase:
        return None, phrase
    try:
        return _parse_due(phrase, field="due_phrase", today=today), phrase
    except ValidationError as error:
        errors.update(error.message_dict)
        return None, phrase


def _checked_changes(
    locked: Action, changes: dict[str, Any], *, today: datetime.date | None
) -> tuple[Due | None, str]:
    """Normalise `changes` in place and refuse them all at once if any is wrong.

    Returns the new due range (None when the phrase stays) and its phrase.
    """
    errors: dict[str, list[str]] = {}
    _clean_texts(errors, changes)
    _check_owner_change(errors, locked, changes)
    _check_theme_change(errors, locked, changes)
    if "follows_up" in changes:
        _check_follows_up(errors, locked, changes["follows_up"])
    due, phrase = _changed_due(errors, locked, changes, today=today)
    if errors:
        raise ValidationError(errors)
    return due, phrase


def _change_due(
    locked: Action, due: Due, phrase: str, *, by: User | None, at: datetime.datetime
) -> None:
    old_phrase, old_end = locked.due_phrase, locked.due_end
    _apply_due(locked, due, phrase)
    if _moved_later(old_end, locked.due_end):
        # Escalation starts again from level 1 once the new date passes.
        locked.escalation_level = 0
    _record(locked, Kind.DUE, by=by, old=old_phrase, new=phrase, at=at)


def _record_field_change(
    locked: Action, name: str, old: Any, new: Any, *, by: User | None, at: datetime.datetime
) -> None:
    """The timeline line for one changed field (both actions for a follow-up)."""
    if name == "owner":
        _record(locked, Kind.OWNER, by=by, old=old, new=new, at=at)
    elif name == "responsible":
        _record(locked, Kind.RESPONSIBLE, by=by, old=old, new=new, at=at)
    elif name == "follows_up":
        _record(locked, Kind.FOLLOW_UP, by=by, old=old, new=new, at=at)
        if new is not None:
            _record(new, Kind.FOLLOW_UP, by=by, new=locked, at=at)
    else:
        field = field_label(Action, name)
        text = _("%(field)s changed.") % {"field": field.capitalize()}
        # A description is long text: its line says only that it changed.
        shown_old = "" if name == "description" else old
        shown_new = "" if name == "description" else new
        _record(locked, Kind.FIELD, by=by, old=shown_old, new=shown_new, text=text, at=at)


def _change_fields(
    locked: Action, changes: dict[str, Any], *, by: User | None, at: datetime.datetime
) -> list[str]:
    """Set the changed plain and related fields (unsaved); returns their names."""
    changed: list[str] = []
    for name in (*PLAIN_FIELDS, "owner", "responsible", "follows_up"):
        if name not in changes:
            continue
        old, new = getattr(locked, name), changes[name]
        if old == new:
            continue
        setattr(locked, name, new)
        changed.append(name)
        _record_field_change(locked, name, old, new, by=by, at=at)
    return changed


def _change_origins(
    locked: Action, changes: dict[str, Any], *, by: User | None, at: datetime.datetime
) -> list[str]:
    """Replace the changed origin sets; returns the names of those that changed."""
    changed: list[str] = []
    for name in ORIGIN_FIELDS:
        if name not in changes:
            continue
        manager = getattr(locked, name)
        old_objects = list(manager.all())
        new_objects = list(changes[name])
        if {o.pk for o in old_objects} == {o.pk for o in new_objects}:
            continue
        manager.set(new_objects)
        field = field_label(Action, name)
        _record(
            locked,
            Kind.ORIGIN,
            by=by,
            old=_names(old_objects),
            new=_names(new_objects),
            text=field.capitalize(),
            at=at,
        )
        changed.append(name)
    return changed


@transaction.atomic
def update_action(
    action: Action,
    *,
    by: User | None,
    changes: dict[str, Any],
    today: datetime.date | None = None,
) -> list[str]:
    """Apply field changes, writing a timeline line per change.

    Only the keys present in `changes` change; status has its own service.
    Changing the owner drops a responsible person who works elsewhere; a
    due date moved later sets the escalation level back to 0.
    Returns the names of the fields that changed.
    """
    _require(by, "actions.change_action")
    changes = dict(changes)
    _refuse_unknown(changes, UPDATABLE_FIELDS)
    locked = _locked(action)
    due, phrase = _checked_changes(locked, changes, today=today)
    changed: list[str] = []
    now = timezone.now()
    if due is not None:
        _change_due(locked, due, phrase, by=by, at=now)
        changed.append("due_phrase")
    changed += _change_fields(locked, changes, by=by, at=now)
    if changed:
        locked.full_clean(exclude=["theme", "owner", "responsible", "follows_up"])
        locked.save()
    changed += _change_origins(locked, changes, by=by, at=now)
    action.refresh_from_db()
    return changed


def allowed_transitions(action: Action) -> tuple[str, ...]:
    return TRANSITIONS[action.status]


def _link_follow_up(
    action: Action,
    follow_up: Action | NewFollowUp | None,
    *,
    by: User | None,
    today: datetime.date,
) -> Action:
    """Create or link the follow-up an insufficient action requires."""
    if follow_up is None:
        raise ValidationError(
            {
                "follow_up": [
                    _(
                        "An action found insufficient needs a follow-up action: "
                        "choose one or describe a new one."
                    )
                ]
            }
        )
    if isinstance(follow_up, NewFollowUp):
        try:
            created = create_action(
                follow_up.owner or action.owner,
                by=by,
                title=follow_up.title,
                theme=action.theme,
                due_phrase=follow_up.due_phrase,
                description=follow_up.description,
                responsible=follow_up.responsible,
                status=Status.PLANNED,
                origin_recommendations=action.origin_recommendations.all(),
                origin_meetings=action.origin_meetings.all(),
                origin_topics=action.origin_topics.all(),
                origin_categories=action.origin_categories.all(),
                follows_up=action,
                today=today,
            )
        except ValidationError as error:
            raise ValidationError(
                {f"follow_up_{field}": messages for field, messages in error.message_dict.items()}
            ) from error
        return created
    linked = Action.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    errors: dict[str, list[str]] = {}
    if linked.follows_up_id not in (None, action.pk):
        errors["follow_up"] = [
            _("“%(title)s” already follows up on another action.") % {"title": linked.title}
        ]
    _check_follows_up(errors, linked, action)
    if errors:
        raise ValidationError({"follow_up": [m for ms in errors.values() for m in ms]})
    if linked.follows_up_id != action.pk:
        linked.follows_up = action
        linked.save(update_fields=["follows_up", "updated_at"])
        _record(linked, Kind.FOLLOW_UP, by=by, new=action)
        _record(action, Kind.FOLLOW_UP, by=by, new=linked)
    return linked


def _check_status_move(old: str, to: str) -> None:
    """Refuse a status that does not exist or that the workflow does not allow."""
    if to not in Status.values:
        raise ValidationError({"status": [_("“%(status)s” is not a status.") % {"status": to}]})
    if to not in TRANSITIONS[old]:
        allowed = ", ".join(str(Status(s).label) for s in TRANSITIONS[old]) or "-"
        raise ValidationError(
            {
                "status": [
                    _("An action that is “%(old)s” cannot become “%(new)s”. Allowed: %(allowed)s.")
                    % {"old": Status(old).label, "new": Status(to).label, "allowed": allowed}
                ]
            }
        )


@transaction.atomic
def change_action_status(
    action: Action,
    *,
    to: str,
    by: User | None,
    note: str = "",
    follow_up: Action | NewFollowUp | None = None,
    completed_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Action:
    """Move an action along the workflow.

    Done sets the completed date (today unless given); leaving done clears
    it. Found insufficient requires a follow-up, created or linked in the
    same transaction, whose `follows_up` points back to this action.
    Reopening a finished action sets its escalation level back to 0.
    """
    _require(by, "actions.change_action")
    today = today or timezone.localdate()
    locked = _locked(action)
    old = locked.status
    _check_status_move(old, to)
    note = (note or "").strip()
    if completed_on is not None and completed_on > today:
        raise ValidationError({"completed_on": [_("The completed date cannot be in the future.")]})
    if to == Status.DONE:
        locked.completed_on = completed_on or today
    elif old == Status.DONE and to != Status.INSUFFICIENT:
        locked.completed_on = None
    if old in Action.FINISHED_STATUSES and to not in Action.FINISHED_STATUSES:
        # Reopened: overdue again means escalated again, from level 1.
        locked.escalation_level = 0
    locked.status = to
    locked.save(update_fields=["status", "completed_on", "escalation_level", "updated_at"])
    _record(locked, Kind.STATUS, by=by, old=old, new=to, text=note)
    if to == Status.INSUFFICIENT:
        _link_follow_up(locked, follow_up, by=by, today=today)
    action.refresh_from_db()
    return locked


@transaction.atomic
def add_progress_update(
    action: Action,
    *,
    by: User | None,
    text: str,
    written_on: datetime.date | None = None,
) -> ActionUpdate:
    """Add a dated progress note, also shown on the timeline."""
    _require(by, "actions.add_actionupdate")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    text = _check_text(errors, "text", text, limit=20000)
    if written_on is not None and written_on > today:
        errors["written_on"] = [_("A progress update cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    update = ActionUpdate.objects.create(
        action=action, author=by, text=text, written_on=written_on or today
    )
    _record(action, Kind.UPDATE, by=by, text=text)
    Action.objects.filter(pk=action.pk).update(updated_at=timezone.now(), version=F("version") + 1)
    return update


@transaction.atomic
def add_kpi(
    action: Action,
    *,
    by: User | None,
    metric: str,
    baseline: Decimal,
    unit: str = "",
    target: Decimal | None = None,
) -> Kpi:
    """Add a measure of the action's effect, e.g. support staff from 60."""
    _require(by, "actions.add_kpi")
    errors: dict[str, list[str]] = {}
    metric = _check_text(errors, "metric", metric, limit=200)
    if errors:
        raise ValidationError(errors)
    kpi = Kpi(
        action=action,
        metric=metric,
        unit=(unit or "").strip(),
        baseline=baseline,
        target=target,
        position=action.kpis.count(),
    )
    kpi.full_clean(exclude=["action"])
    kpi.save()
    _record(action, Kind.KPI_ADDED, by=by, new=metric)
    return kpi


@transaction.atomic
def record_kpi_reading(
    kpi: Kpi,
    *,
    by: User | None,
    measured_on: datetime.date,
    value: Decimal,
    note: str = "",
) -> KpiReading:
    """Record a dated value of a KPI; one reading per KPI and day."""
    _require(by, "actions.add_kpireading")
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": [_("A reading cannot be dated in the future.")]})
    reading = KpiReading(
        kpi=kpi, measured_on=measured_on, value=value, note=(note or "").strip(), recorded_by=by
    )
    reading.full_clean(exclude=["kpi", "recorded_by"], validate_unique=False)
    if KpiReading.objects.filter(kpi=kpi, measured_on=measured_on).exists():
        raise ValidationError({"measured_on": [_("This KPI already has a reading for that date.")]})
    try:
        with transaction.atomic():
            reading.save()
    except IntegrityError:
        # A concurrent request recorded the same day first.
        raise ValidationError(
            {"measured_on": [_("This KPI already has a reading for that date.")]}
        ) from None
    unit = f" {kpi.unit}" if kpi.unit else ""
    _record(
        kpi.action,
        Kind.KPI,
        by=by,
        new=f"{Decimal(value).normalize():f}{unit}",
        text=_("%(metric)s on %(date)s") % {"metric": kpi.metric, "date": measured_on.isoformat()},
    )
    return reading
