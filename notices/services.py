"""Every change to outage notices: standard text versions, incidents and
their public updates."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from enquiries.linking import insert_links
from enquiries.models import Enquiry
from nemid_cases.queueing import enqueue_on_commit
from notices import cache_keys, feeds, webhooks
from notices.models import (
    Incident,
    IncidentLink,
    IncidentUpdate,
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
    by=None,
) -> StandardText:
    """Add the next version of the standard text `code`.

    Earlier versions stay as they were: what was published with them keeps
    its wording. Rows of the code are locked so two editors cannot take the
    same version number.
    """
    list(StandardText.objects.select_for_update().filter(code=code).values_list("pk"))
    latest = StandardText.objects.filter(code=code).aggregate(n=Max("version"))["n"] or 0
    return StandardText.objects.create(
        code=code,
        kind=kind,
        version=latest + 1,
        text_da=text_da,
        text_en=text_en,
        valid_from=valid_from or timezone.now(),
        created_by=by if by is not None and by.is_authenticated else None,
    )


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
    by,
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
    by,
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
    by,
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
    incident: Incident, *, kind: str, text_code: str, by, now: datetime
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
    payload = {
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
