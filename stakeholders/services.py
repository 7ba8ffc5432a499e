"""Every state change of meetings, recommendations and follow-ups.

The HTML views and the API call these same functions. Each is atomic,
takes the acting user as `by=` and raises ValidationError keyed by field
name. Organisations, contacts and working groups are plain edits (a form
or serializer `save()`), so they have no service.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from enquiries.models import Topic
from nemid_cases.models import field_label
from stakeholders import filetypes
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    MeetingAttachment,
    Organisation,
    Recommendation,
    RecommendationEvent,
    WorkingGroup,
)

Status = Recommendation.Status
EventKind = RecommendationEvent.Kind

# Statuses that tell the organisation nothing new will be done: they need
# a rationale the secretariat can quote back.
STATUSES_NEEDING_RATIONALE = (Status.ALREADY_ADDRESSED, Status.DECLINED)


def _full_clean(instance: Model) -> None:
    """Model validation (lengths, choices, unique codes) and NUL characters.

    PostgreSQL cannot store NUL in text, and the model fields do not check
    for it (form fields do), so a service called from elsewhere would fail
    with a database error instead of a field error.
    """
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str) and "\x00" in value:
            errors[field.name] = [_("Null characters are not allowed.")]
    try:
        instance.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _check_meeting(organisations: list[Organisation], attendees: list[Contact]) -> None:
    errors: dict[str, list[str]] = {}
    if not organisations:
        errors["organisations"] = [_("Choose at least one organisation that was present.")]
    present = {org.pk for org in organisations}
    strangers = [str(c) for c in attendees if c.organisation_id not in present]
    if strangers and organisations:
        errors["attendees"] = [
            _("Their organisations are not among those present: %(people)s.")
            % {"people": ", ".join(strangers)}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_meeting(
    *,
    title: str,
    held_on: datetime.date | None,
    organisations: Iterable[Organisation],
    by: User | None,
    attendees: Iterable[Contact] = (),
    working_group: WorkingGroup | None = None,
    agenda: str = "",
    minutes: str = "",
    outcome: str = "",
    code: str | None = None,
) -> Meeting:
    """Record a meeting with the organisations and people present."""
    organisations, attendees = list(organisations), list(attendees)
    meeting = Meeting(
        code=code or None,
        title=title,
        held_on=held_on,
        working_group=working_group,
        agenda=agenda,
        minutes=minutes,
        outcome=outcome,
        created_by=by,
    )
    _full_clean(meeting)
    _check_meeting(organisations, attendees)
    meeting.save()
    meeting.organisations.set(organisations)
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    title: str,
    held_on: datetime.date | None,
    organisations: Iterable[Organisation],
    attendees: Iterable[Contact],
    working_group: WorkingGroup | None,
    agenda: str,
    minutes: str,
    outcome: str,
    by: User,
) -> Meeting:
    """Change a meeting's details and who was present (the full new state)."""
    organisations, attendees = list(organisations), list(attendees)
    meeting.title, meeting.held_on, meeting.working_group = title, held_on, working_group
    meeting.agenda, meeting.minutes, meeting.outcome = agenda, minutes, outcome
    _full_clean(meeting)
    _check_meeting(organisations, attendees)
    # Recommendations made at the meeting keep their maker present.
    makers = set(meeting.recommendations.values_list("organisation_id", flat=True))
    missing = makers - {org.pk for org in organisations}
    if missing:
        names = Organisation.objects.filter(pk__in=missing).values_list("name", flat=True)
        raise ValidationError(
            {
                "organisations": [
                    _("These made recommendations at the meeting and must stay: %(names)s.")
                    % {"names": ", ".join(names)}
                ]
            }
        )
    meeting.save()
    meeting.organisations.set(organisations)
    meeting.attendees.set(attendees)
    return meeting


def clean_file_name(name: str) -> str:
    """The user's file name without folders or control characters, for display."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        suffix = PurePath(name).suffix[:20]
        name = name[: 200 - len(suffix)] + suffix
    return name or "file"


@transaction.atomic
def add_attachment(meeting: Meeting, *, upload: UploadedFile, by: User) -> MeetingAttachment:
    """Store an uploaded file on a meeting after checking its size and content.

    The file gets a random name under MEDIA_ROOT; only the allow-listed
    types are kept, recognised by their bytes as well as their extension.
    """
    name = clean_file_name(upload.name or "")
    extension = PurePath(name).suffix.lower()
    file_type = filetypes.ALLOWED_BY_EXTENSION.get(extension)
    limit = settings.STAKEHOLDER_ATTACHMENT_MAX_BYTES
    if file_type is None:
        raise ValidationError(
            {
                "file": [
                    _("Files of this type are not accepted. Accepted types: %(types)s.")
                    % {"types": filetypes.allowed_labels()}
                ]
            }
        )
    if not upload.size:
        raise ValidationError({"file": [_("The file is empty.")]})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s; the largest accepted is %(limit)s.")
                    % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
                ]
            }
        )
    if not filetypes.content_matches(file_type, upload):
        raise ValidationError(
            {
                "file": [
                    _("The file's content is not %(type)s, whatever its name says.")
                    % {"type": file_type.label}
                ]
            }
        )
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=name,
        content_type=file_type.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    # The stored name is random (see attachment_path); only the checked
    # extension survives from what the user sent.
    attachment.file.save(f"upload{file_type.extension}", upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: MeetingAttachment, *, by: User) -> None:
    """Delete an attachment; the file goes once the deletion is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _check_response(status: str, response: str, rationale: str) -> None:
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        errors["status"] = [_("Choose one of the statuses offered.")]
    elif status != Status.NEW and not response.strip():
        errors["response"] = [_("Write the project's response before deciding.")]
    if status in STATUSES_NEEDING_RATIONALE and not rationale.strip():
        errors["rationale"] = [
            _("Say why the recommendation is “%(status)s”.") % {"status": Status(status).label}
        ]
    if errors:
        raise ValidationError(errors)


def _check_maker(organisation: Organisation, meeting: Meeting | None) -> None:
    if meeting is not None and not meeting.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                "organisation": [
                    _("%(organisation)s was not present at the meeting “%(meeting)s”.")
                    % {"organisation": organisation, "meeting": meeting.title}
                ]
            }
        )


def _record_event(
    recommendation: Recommendation,
    kind: str,
    *,
    by: User | None,
    old_status: str = "",
    new_status: str = "",
    text: str = "",
) -> RecommendationEvent:
    return RecommendationEvent.record_event(
        recommendation, kind, by=by, text=text, old_status=old_status, new_status=new_status
    )


@transaction.atomic
def record_recommendation(
    organisation: Organisation,
    *,
    text: str,
    by: User | None,
    meeting: Meeting | None = None,
    received_on: datetime.date | None = None,
    topics: Iterable[Topic] = (),
    response: str = "",
    status: str = Status.NEW,
    rationale: str = "",
    code: str | None = None,
) -> Recommendation:
    """Record a recommendation made at a meeting or in writing, with its history."""
    recommendation = Recommendation(
        code=code or None,
        organisation=organisation,
        meeting=meeting,
        received_on=received_on or (meeting.held_on if meeting else None),
        text=text,
        response=response,
        status=status,
        rationale=rationale,
        created_by=by,
    )
    _full_clean(recommendation)
    _check_maker(organisation, meeting)
    _check_response(status, response, rationale)
    recommendation.save()
    recommendation.topics.set(topics)
    _record_event(recommendation, EventKind.CREATED, by=by, new_status=status, text=rationale)
    return recommendation


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation,
    *,
    organisation: Organisation,
    text: str,
    meeting: Meeting | None,
    received_on: datetime.date | None,
    topics: Iterable[Topic],
    by: User,
) -> Recommendation:
    """Correct who made a recommendation, where, when, its text and topics."""
    topics = list(topics)
    before = {
        "organisation": recommendation.organisation_id,
        "meeting": recommendation.meeting_id,
        "received_on": recommendation.received_on,
        "text": recommendation.text,
        "topics": set(recommendation.topics.values_list("pk", flat=True)),
    }
    recommendation.organisation, recommendation.meeting = organisation, meeting
    recommendation.received_on, recommendation.text = received_on, text
    _full_clean(recommendation)
    _check_maker(organisation, meeting)
    after = {
        "organisation": organisation.pk,
        "meeting": meeting.pk if meeting else None,
        "received_on": received_on,
        "text": text,
        "topics": {t.pk for t in topics},
    }
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return recommendation
    recommendation.save()
    recommendation.topics.set(topics)
    labels = [field_label(Recommendation, name) for name in changed]
    _record_event(recommendation, EventKind.FIELD, by=by, text=", ".join(labels))
    return recommendation


@transaction.atomic
def respond_to_recommendation(
    recommendation: Recommendation,
    *,
    status: str,
    response: str,
    rationale: str,
    by: User,
) -> Recommendation:
    """Set the project's response and status; a change is kept in the history.

    Locks the recommendation, so two people deciding at once are recorded
    one after the other. Saving the same answer again records nothing.
    """
    _check_response(status, response, rationale)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    old_status = locked.status
    unchanged = (
        old_status == status and locked.response == response and locked.rationale == rationale
    )
    recommendation.status, recommendation.response = status, response
    recommendation.rationale = rationale
    if unchanged:
        return recommendation
    _full_clean(recommendation)
    recommendation.save(update_fields=["status", "response", "rationale", "updated_at"])
    if old_status != status:
        _record_event(
            recommendation,
            EventKind.STATUS,
            by=by,
            old_status=old_status,
            new_status=status,
            text=rationale,
        )
    else:
        _record_event(recommendation, EventKind.RESPONSE, by=by, text=response)
    return recommendation


def _check_follow_up(follow_up: FollowUp) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if (
        follow_up.awaited_organisation_id
        and follow_up.awaited_organisation_id == follow_up.waiting_organisation_id
    ):
        errors["awaited_organisation"] = [_("An organisation cannot wait on itself.")]
    contact = follow_up.awaited_contact
    if contact is not None and contact.organisation_id != follow_up.awaited_organisation_id:
        errors["awaited_contact"] = [
            _("%(contact)s does not work at the organisation waited on.") % {"contact": contact}
        ]
    if follow_up.since_on and follow_up.since_on > today:
        errors["since_on"] = [_("The waiting cannot start in the future.")]
    if follow_up.expected_on and follow_up.since_on and follow_up.expected_on < follow_up.since_on:
        errors["expected_on"] = [_("The answer cannot be expected before the waiting starts.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def open_follow_up(
    *,
    subject: str,
    waiting_organisation: Organisation,
    awaited_organisation: Organisation,
    since_on: datetime.date,
    by: User | None,
    waiting_user: User | None = None,
    awaited_contact: Contact | None = None,
    expected_on: datetime.date | None = None,
    meeting: Meeting | None = None,
    recommendation: Recommendation | None = None,
    notes: str = "",
    code: str | None = None,
) -> FollowUp:
    """Start waiting on another party for something; open until resolved."""
    follow_up = FollowUp(
        code=code or None,
        subject=subject,
        waiting_organisation=waiting_organisation,
        waiting_user=waiting_user,
        awaited_organisation=awaited_organisation,
        awaited_contact=awaited_contact,
        since_on=since_on,
        expected_on=expected_on,
        meeting=meeting,
        recommendation=recommendation,
        notes=notes,
        created_by=by,
    )
    _full_clean(follow_up)
    _check_follow_up(follow_up)
    follow_up.save()
    return follow_up


@transaction.atomic
def update_follow_up(
    follow_up: FollowUp,
    *,
    subject: str,
    waiting_organisation: Organisation,
    awaited_organisation: Organisation,
    since_on: datetime.date,
    waiting_user: User | None,
    awaited_contact: Contact | None,
    expected_on: datetime.date | None,
    meeting: Meeting | None,
    recommendation: Recommendation | None,
    notes: str,
    by: User,
) -> FollowUp:
    """Change what is awaited, from whom and by when (the full new state)."""
    follow_up.subject = subject
    follow_up.waiting_organisation, follow_up.waiting_user = waiting_organisation, waiting_user
    follow_up.awaited_organisation = awaited_organisation
    follow_up.awaited_contact = awaited_contact
    follow_up.since_on, follow_up.expected_on = since_on, expected_on
    follow_up.meeting, follow_up.recommendation = meeting, recommendation
    follow_up.notes = notes
    _full_clean(follow_up)
    _check_follow_up(follow_up)
    if follow_up.resolved_on and follow_up.resolved_on < since_on:
        raise ValidationError(
            {"since_on": [_("The waiting cannot start after the answer was received.")]}
        )
    follow_up.save()
    return follow_up


@transaction.atomic
def resolve_follow_up(
    follow_up: FollowUp, *, resolved_on: datetime.date, by: User | None, note: str = ""
) -> FollowUp:
    """Mark what was awaited as received; a second resolve is refused.

    Claimed with a conditional UPDATE, so two people resolving at once
    cannot both succeed.
    """
    errors: dict[str, list[str]] = {}
    if resolved_on > timezone.localdate():
        errors["resolved_on"] = [_("The answer cannot be received in the future.")]
    elif resolved_on < follow_up.since_on:
        errors["resolved_on"] = [_("The answer cannot be received before the waiting started.")]
    if len(note) > 5000:
        errors["note"] = [_("Keep the note under 5000 characters.")]
    if "\x00" in note:
        errors["note"] = [_("Null characters are not allowed.")]
    if errors:
        raise ValidationError(errors)
    notes = follow_up.notes
    if note.strip():
        notes = f"{notes}\n\n{resolved_on:%Y-%m-%d}: {note.strip()}".strip()
    claimed = FollowUp.objects.filter(pk=follow_up.pk, resolved_on__isnull=True).update(
        resolved_on=resolved_on, resolved_by=by, notes=notes, version=F("version") + 1
    )
    if claimed != 1:
        raise ValidationError({"resolved_on": [_("This follow-up is already resolved.")]})
    follow_up.refresh_from_db()
    return follow_up


@transaction.atomic
def reopen_follow_up(follow_up: FollowUp, *, by: User) -> FollowUp:
    """Wait again for something marked received by mistake; idempotent."""
    FollowUp.objects.filter(pk=follow_up.pk).update(
        resolved_on=None, resolved_by=None, version=F("version") + 1
    )
    follow_up.refresh_from_db()
    return follow_up
