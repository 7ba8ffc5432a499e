"""Every change to outage notices: standard text versions, incidents and
their public updates."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from notices import cache_keys
from notices.models import Incident, IncidentUpdate, StandardText


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
    incident.full_clean()
    text = _standard_text(text_code, at=now)
    incident.save()
    IncidentUpdate.objects.create(
        incident=incident,
        kind=IncidentUpdate.Kind.PUBLISHED,
        standard_text=text,
        posted_at=now,
        posted_by=by,
    )
    _changed()
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
    incident.full_clean()
    text = _standard_text(text_code, at=now)
    incident.save()
    update = IncidentUpdate.objects.create(
        incident=incident,
        kind=IncidentUpdate.Kind.UPDATE,
        standard_text=text,
        posted_at=now,
        posted_by=by,
    )
    _changed()
    return update


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
    incident.full_clean()
    text = _standard_text(text_code, at=now)
    incident.save()
    update = IncidentUpdate.objects.create(
        incident=incident,
        kind=IncidentUpdate.Kind.RESOLVED,
        standard_text=text,
        posted_at=now,
        posted_by=by,
    )
    _changed()
    return update
