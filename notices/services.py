"""Every change to outage notices: standard text versions, incidents and
their public updates."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nemid_cases.queueing import enqueue_on_commit
from notices import cache_keys, feeds, webhooks
from notices.models import (
    Incident,
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
    return StandardText.add_version(
        code, by=by, valid_from=valid_from, kind=kind, text_da=text_da, text_en=text_en
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
