"""Every change to outage notices: standard text versions, incidents and
their public updates, and the drafts of those that wait for approval.

Pages and the API call the `submit_*` functions: each publishes at once or,
where accounts.roles.APPROVAL_NEEDED says so, keeps a draft that another
person approves (the publishing function then runs) or rejects. The other
functions publish directly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Publication, needs_approval
from enquiries.cpr import redact_cpr
from enquiries.linking import insert_links
from enquiries.models import Enquiry, Notification
from enquiries.notifications import enqueue_delivery
from nemid_cases.queueing import enqueue_on_commit
from notices import cache_keys, feeds, webhooks
from notices.models import (
    DraftEvent,
    Incident,
    IncidentLink,
    IncidentUpdate,
    PublicationDraft,
    StandardText,
    WebhookDelivery,
    WebhookSubscription,
)


@transaction.atomic
def add_standard_text_version(
    code: str,
    *,
    text_da: str,
    text_en: str,
    kind: str = StandardText.Kind.INCIDENT,
    valid_from: datetime | None = None,
    by: User | None = None,
) -> StandardText:
    """Add the next version of the standard text `code`.

    Earlier versions stay as they were: what was published with them keeps
    its wording. Rows of the code are locked so two editors cannot take the
    same version number.
    """
    return StandardText.add_version(
        code, by=by, valid_from=valid_from, kind=kind, text_da=text_da, text_en=text_en
    )


@transaction.atomic
def ensure_standard_text(
    code: str, *, kind: str, text_da: str, text_en: str, valid_from: datetime | None = None
) -> tuple[StandardText, bool]:
    """The newest version of `code`, writing version 1 if there is none (as
    get_or_create: the row, and True if written). Rows of the code are
    locked, so two loaders cannot both write version 1."""
    existing = (
        StandardText.objects.select_for_update().filter(code=code).order_by("-version").first()
    )
    if existing is not None:
        return existing, False
    text = add_standard_text_version(
        code, kind=kind, text_da=text_da, text_en=text_en, valid_from=valid_from
    )
    return text, True


def _standard_text(code: str, *, at: datetime, field: str = "text_code") -> StandardText:
    text = StandardText.current(code, at=at)
    if text is None:
        raise ValidationError({field: _("No standard text %(code)s is in force.") % {"code": code}})
    return text


def _changed() -> None:
    """The banner's and the feeds' cached copies go once the change commits."""
    transaction.on_commit(cache_keys.invalidate)


@transaction.atomic
def publish_incident(
    *,
    title_da: str,
    title_en: str,
    services: list[str],
    severity: str,
    started_at: datetime,
    text_code: str,
    expected_end_at: datetime | None = None,
    by: User | None,
    now: datetime | None = None,
) -> Incident:
    """Publish a new incident with its first public update."""
    now = now or timezone.now()
    incident = Incident(
        title_da=title_da,
        title_en=title_en,
        services=list(services),
        severity=severity,
        started_at=started_at,
        expected_end_at=expected_end_at,
        published_by=by,
    )
    _save_with_update(
        incident, kind=IncidentUpdate.Kind.PUBLISHED, text_code=text_code, by=by, now=now
    )
    return incident


@transaction.atomic
def post_incident_update(
    incident: Incident,
    *,
    text_code: str,
    by: User | None,
    expected_end_at: datetime | None = None,
    severity: str | None = None,
    now: datetime | None = None,
) -> IncidentUpdate:
    """Add a public update to an ongoing incident; optionally move its
    expected end or change its severity."""
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_ongoing:
        raise ValidationError({"text_code": _("The incident has ended; it takes no updates.")})
    if expected_end_at is not None:
        incident.expected_end_at = expected_end_at
    if severity:
        incident.severity = severity
    return _save_with_update(
        incident, kind=IncidentUpdate.Kind.UPDATE, text_code=text_code, by=by, now=now
    )


@transaction.atomic
def resolve_incident(
    incident: Incident,
    *,
    text_code: str,
    by: User | None,
    ended_at: datetime | None = None,
    now: datetime | None = None,
) -> IncidentUpdate:
    """End an incident with a closing public update."""
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_ongoing:
        raise ValidationError({"ended_at": _("The incident has already ended.")})
    incident.ended_at = ended_at or now
    return _save_with_update(
        incident, kind=IncidentUpdate.Kind.RESOLVED, text_code=text_code, by=by, now=now
    )


def _save_with_update(
    incident: Incident, *, kind: str, text_code: str, by: User | None, now: datetime
) -> IncidentUpdate:
    """Check and save the incident, and post its public update worded by the
    version of `text_code` in force at `now`; subscribers and cached copies
    follow once the change commits."""
    incident.full_clean()
    text = _standard_text(text_code, at=now)
    incident.save()
    update = IncidentUpdate.objects.create(
        incident=incident, kind=kind, standard_text=text, posted_at=now, posted_by=by
    )
    _queue_webhooks(update)
    _changed()
    return update


def _queue_webhooks(update: IncidentUpdate) -> None:
    """A delivery row per interested subscriber, sent after the commit."""
    from notices import tasks

    incident = update.incident
    payload: dict[str, Any] = {
        "type": f"incident.{update.kind}",
        "timestamp": update.posted_at.isoformat(),
        "data": feeds.incident_data(incident),
    }
    for subscription in WebhookSubscription.objects.filter(is_active=True):
        if not subscription.wants(incident):
            continue
        delivery = WebhookDelivery.objects.create(
            subscription=subscription,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=payload["type"],
            payload=payload,
        )
        enqueue_on_commit(tasks.deliver_webhook, delivery.pk)


def deliver_webhook(delivery: WebhookDelivery, *, final: bool = False) -> bool:
    """Send one delivery; True once delivered. Raises DeliveryFailed for a
    retry; with `final` (the last try) a failure is recorded as failed.

    No transaction is held across the HTTP call; the row is updated after.
    """
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return True
    subscription = delivery.subscription
    try:
        code = webhooks.post(
            subscription.url,
            secret=subscription.secret,
            message_id=delivery.message_id,
            payload=delivery.payload,
        )
    except (webhooks.DeliveryFailed, ValidationError) as error:
        if isinstance(error, ValidationError):
            message = "; ".join(m for ms in error.message_dict.values() for m in ms)
            code, final = None, True
        else:
            message, code = error.args[0], error.args[1]
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1,
            last_status_code=code,
            last_error=message[:500],
            status=WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.PENDING,
        )
        if final:
            return False
        raise
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        last_status_code=code,
        last_error="",
        status=WebhookDelivery.Status.DELIVERED,
        delivered_at=timezone.now(),
    )
    return True


@dataclass(frozen=True)
class Submission:
    """What a publisher's request became: public now, or a draft to approve."""

    published: Incident | IncidentUpdate | StandardText | None = None
    draft: PublicationDraft | None = None


# The table's column for each kind of draft: a resolution is a public update.
PUBLICATION_OF = {
    PublicationDraft.Kind.INCIDENT: Publication.INCIDENT,
    PublicationDraft.Kind.UPDATE: Publication.UPDATE,
    PublicationDraft.Kind.RESOLUTION: Publication.UPDATE,
    PublicationDraft.Kind.STANDARD_TEXT: Publication.STANDARD_TEXT,
}
_MOMENTS = ("started_at", "expected_end_at", "ended_at", "valid_from")


def _to_json(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in values.items()
        if value is not None
    }


def _from_json(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        key: datetime.fromisoformat(value) if key in _MOMENTS and value else value
        for key, value in payload.items()
    }


@transaction.atomic
def submit_incident(
    *,
    title_da: str,
    title_en: str,
    services: list[str],
    severity: str,
    started_at: datetime,
    text_code: str,
    expected_end_at: datetime | None = None,
    by: User,
    now: datetime | None = None,
) -> Submission:
    """Publish a new incident, or keep it as a draft if `by`'s role needs
    approval. A draft is checked as the publication would be."""
    now = now or timezone.now()
    values: dict[str, Any] = {
        "title_da": title_da,
        "title_en": title_en,
        "services": list(services),
        "severity": severity,
        "started_at": started_at,
        "expected_end_at": expected_end_at,
        "text_code": text_code,
    }
    if not needs_approval(by, Publication.INCIDENT):
        return Submission(published=publish_incident(**values, by=by, now=now))
    fields = {k: v for k, v in values.items() if k != "text_code"}
    Incident(**fields).full_clean()
    _standard_text(text_code, at=now)
    return Submission(draft=_keep_draft(PublicationDraft.Kind.INCIDENT, values, by=by, now=now))


@transaction.atomic
def submit_incident_update(
    incident: Incident,
    *,
    text_code: str,
    by: User,
    expected_end_at: datetime | None = None,
    severity: str | None = None,
    now: datetime | None = None,
) -> Submission:
    """Post a public update, or keep it as a draft (see submit_incident)."""
    now = now or timezone.now()
    values: dict[str, Any] = {
        "text_code": text_code,
        "expected_end_at": expected_end_at,
        "severity": severity,
    }
    if not needs_approval(by, Publication.UPDATE):
        return Submission(published=post_incident_update(incident, **values, by=by, now=now))
    _check_ongoing(incident, field="text_code")
    _standard_text(text_code, at=now)
    draft = _keep_draft(PublicationDraft.Kind.UPDATE, values, incident=incident, by=by, now=now)
    return Submission(draft=draft)


@transaction.atomic
def submit_incident_resolution(
    incident: Incident,
    *,
    text_code: str,
    by: User,
    ended_at: datetime | None = None,
    now: datetime | None = None,
) -> Submission:
    """Resolve an incident, or keep the resolution as a draft."""
    now = now or timezone.now()
    values: dict[str, Any] = {"text_code": text_code, "ended_at": ended_at}
    if not needs_approval(by, Publication.UPDATE):
        return Submission(published=resolve_incident(incident, **values, by=by, now=now))
    _check_ongoing(incident, field="ended_at")
    _standard_text(text_code, at=now)
    draft = _keep_draft(PublicationDraft.Kind.RESOLUTION, values, incident=incident, by=by, now=now)
    return Submission(draft=draft)


@transaction.atomic
def submit_standard_text(
    code: str,
    *,
    text_da: str,
    text_en: str,
    kind: str = StandardText.Kind.INCIDENT,
    valid_from: datetime | None = None,
    by: User,
    now: datetime | None = None,
) -> Submission:
    """Add a standard text version, or keep it as a draft."""
    values: dict[str, Any] = {
        "code": code,
        "text_da": text_da,
        "text_en": text_en,
        "kind": kind,
        "valid_from": valid_from,
    }
    if not needs_approval(by, Publication.STANDARD_TEXT):
        return Submission(published=add_standard_text_version(**values, by=by))
    draft = _keep_draft(
        PublicationDraft.Kind.STANDARD_TEXT, values, by=by, now=now or timezone.now()
    )
    return Submission(draft=draft)


def _incident_of(draft: PublicationDraft) -> Incident:
    """The incident an update or a resolution was drafted for."""
    if draft.incident is None:
        raise ValueError(f"The draft {draft.pk} names no incident.")
    return draft.incident


def _check_ongoing(incident: Incident, *, field: str) -> None:
    if not Incident.objects.filter(pk=incident.pk, ended_at__isnull=True).exists():
        raise ValidationError({field: _("The incident has ended; it takes no updates.")})


def _keep_draft(
    kind: str, values: dict[str, Any], *, by: User, now: datetime, incident: Incident | None = None
) -> PublicationDraft:
    """Save the draft with its first timeline line; tell the approvers."""
    draft = PublicationDraft(
        kind=kind, payload=_to_json(values), incident=incident, created_by=by, created_at=now
    )
    draft.full_clean()
    draft.save()
    DraftEvent.record_event(draft, DraftEvent.Kind.SUBMITTED, by=by, at=now)
    _notify_approvers(draft, now=now)
    return draft


def approvers(*, exclude: User | None = None) -> QuerySet[User]:
    """Active users who may approve drafts (never the draft's author)."""
    permission = Permission.objects.get(
        content_type__app_label="notices", codename="approve_publicationdraft"
    )
    users = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission)
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.distinct().order_by("pk")


def _draft_url(draft: PublicationDraft) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("notices:draft-detail", args=[draft.pk])


def _mail(key: str, recipient: str, subject: str, body: str, *, now: datetime) -> Notification:
    return Notification(
        key=key[:200],
        recipient=recipient,
        subject=redact_cpr(subject)[:300],
        body=redact_cpr(body),
        created_at=now,
    )


def _notify_approvers(draft: PublicationDraft, *, now: datetime) -> None:
    """An e-mail to each approver with an address, sent after commit."""
    with translation.override("da"):
        subject = _("Awaiting your approval: %(kind)s “%(title)s”") % {
            "kind": draft.get_kind_display(),
            "title": draft.title,
        }
        body = _("%(author)s asks for approval before it is published:\n%(url)s") % {
            "author": draft.created_by.get_full_name() or draft.created_by.username,
            "url": _draft_url(draft),
        }
    mails = [
        _mail(f"notices-draft:{draft.pk}:{user.pk}", user.email, subject, body, now=now)
        for user in approvers(exclude=draft.created_by).exclude(email="")
    ]
    if mails:
        Notification.objects.bulk_create(mails, ignore_conflicts=True)
        enqueue_delivery()


def _notify_author(draft: PublicationDraft, *, now: datetime) -> None:
    author = draft.created_by
    if not author.email:
        return
    with translation.override("da"):
        subject = _("%(status)s: %(kind)s “%(title)s”") % {
            "status": draft.get_status_display(),
            "kind": draft.get_kind_display(),
            "title": draft.title,
        }
        body = _draft_url(draft)
        if draft.rejection_reason:
            body = f"{draft.rejection_reason}\n\n{body}"
    Notification.objects.bulk_create(
        [_mail(f"notices-draft:{draft.pk}:decided", author.email, subject, body, now=now)],
        ignore_conflicts=True,
    )
    enqueue_delivery()


def _locked_pending(draft: PublicationDraft, *, by: User) -> PublicationDraft:
    if not by.has_perm("notices.approve_publicationdraft"):
        raise PermissionDenied(_("You may not approve or reject drafts."))
    draft = PublicationDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_pending:
        raise ValidationError({"status": _("This draft has already been decided.")})
    if draft.created_by_id == by.pk:
        raise ValidationError(
            {"status": _("Someone other than the author must approve or reject a draft.")}
        )
    return draft


@transaction.atomic
def approve_draft(
    draft: PublicationDraft, *, by: User, now: datetime | None = None
) -> PublicationDraft:
    """Publish the draft as its author asked, in the author's name, and mark
    it approved by `by`; locks the draft, refuses the author (four eyes) and
    a decided draft. What the publication refuses (an incident that has
    ended since) leaves the draft pending."""
    now = now or timezone.now()
    draft = _locked_pending(draft, by=by)
    values = _from_json(draft.payload)
    author = draft.created_by
    if draft.kind == PublicationDraft.Kind.INCIDENT:
        draft.incident = publish_incident(**values, by=author, now=now)
    elif draft.kind == PublicationDraft.Kind.UPDATE:
        post_incident_update(_incident_of(draft), **values, by=author, now=now)
    elif draft.kind == PublicationDraft.Kind.RESOLUTION:
        resolve_incident(_incident_of(draft), **values, by=author, now=now)
    else:
        # In force from the approval at the earliest: a version never
        # reaches back before the moment it was approved.
        valid_from = max(values.pop("valid_from", None) or now, now)
        draft.standard_text = add_standard_text_version(**values, valid_from=valid_from, by=author)
    draft.status = PublicationDraft.Status.APPROVED
    draft.decided_by = by
    draft.decided_at = now
    draft.save()
    DraftEvent.record_event(draft, DraftEvent.Kind.APPROVED, by=by, at=now)
    _notify_author(draft, now=now)
    return draft


@transaction.atomic
def reject_draft(
    draft: PublicationDraft, *, by: User, reason: str, now: datetime | None = None
) -> PublicationDraft:
    """Refuse the draft with a reason the author is sent; nothing is
    published. Locks the draft; refuses the author and a decided draft."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the draft is rejected.")})
    now = now or timezone.now()
    draft = _locked_pending(draft, by=by)
    draft.status = PublicationDraft.Status.REJECTED
    draft.decided_by = by
    draft.decided_at = now
    draft.rejection_reason = reason
    draft.save()
    DraftEvent.record_event(draft, DraftEvent.Kind.REJECTED, by=by, at=now, text=reason)
    _notify_author(draft, now=now)
    return draft


@transaction.atomic
def link_enquiries(
    incident: Incident,
    enquiries: QuerySet[Enquiry],
    *,
    by: User,
    now: datetime | None = None,
) -> int:
    """Link the enquiries `by` may see to the incident; returns new links.

    One INSERT ... SELECT (enquiries.linking); enquiries already linked are
    skipped, so linking twice links once. Locks the incident.
    """
    if not by.has_perm("notices.add_incidentlink"):
        raise PermissionDenied(_("You may not link enquiries to incidents."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    visible = enquiries.filter(pk__in=Enquiry.objects.visible_to(by).values("pk"))
    return insert_links(
        IncidentLink, owner="incident", owner_id=incident.pk, enquiries=visible, by=by, now=now
    )


@transaction.atomic
def unlink_enquiries(incident: Incident, enquiries: QuerySet[Enquiry], *, by: User) -> int:
    """Remove the incident's links of the enquiries `by` may see; returns
    how many went (unlinking twice removes once)."""
    if not by.has_perm("notices.delete_incidentlink"):
        raise PermissionDenied(_("You may not unlink enquiries from incidents."))
    visible = enquiries.filter(pk__in=Enquiry.objects.visible_to(by).values("pk"))
    deleted, _rows = IncidentLink.objects.filter(
        incident=incident, enquiry__in=visible.values("pk")
    ).delete()
    return deleted
