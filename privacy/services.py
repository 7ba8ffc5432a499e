"""Retention, access exports and erasures: every write of the privacy app.

Each is atomic, takes the acting user as `by=` (retention runs as the
system), raises ValidationError keyed by field and leaves a record without
personal data: a DataRequest for a request handled, an Anonymisation per
enquiry or citizen whose personal data went.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from enquiries.cpr import check_free_text
from enquiries.models import Citizen, CprReveal, Enquiry
from privacy import access
from privacy.anonymise import anonymise_citizens, anonymise_enquiries
from privacy.models import Anonymisation, DataRequest, RetentionPolicy, RetentionRules

logger = logging.getLogger(__name__)

Cause = Anonymisation.Cause


def anonymise_expired(
    *, now: datetime.datetime, batch_size: int | None = None, max_batches: int | None = None
) -> dict[str, int]:
    """Anonymise closed enquiries past their retention period, and then their citizens.

    Idempotent: a second run at the same `now` finds nothing. Works in
    bounded batches (at most `max_batches` a run), each its own transaction
    that locks its rows (SKIP LOCKED) and claims them with a conditional
    UPDATE; what is left waits for the next run. Returns the counts.
    """
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    budget = max_batches or settings.RETENTION_MAX_BATCHES
    rules = RetentionRules.load()
    counts = {"enquiries": 0, "citizens": 0}
    for policy in rules.policies:
        while budget > 0:
            budget -= 1
            enquiries, citizens = _retention_batch(policy, rules, now=now, batch_size=batch_size)
            counts["enquiries"] += enquiries
            counts["citizens"] += citizens
            if enquiries < batch_size:
                break
    if rules.default is not None:
        while budget > 0:
            budget -= 1
            citizens = _citizen_batch(rules.default, now=now, batch_size=batch_size)
            counts["citizens"] += citizens
            if citizens < batch_size:
                break
    if any(counts.values()):
        logger.info("Retention anonymised %s", counts)
    return counts


def retention_due(
    policy: RetentionPolicy, rules: RetentionRules, *, now: datetime.datetime
) -> QuerySet[Enquiry]:
    """Closed enquiries governed by `policy`, not anonymised, closed before its period."""
    cutoff = now - datetime.timedelta(days=policy.retain_days)
    return (
        Enquiry.objects.filter(
            rules.governs(policy),
            status__in=Enquiry.CLOSED_STATUSES,
            anonymised_at__isnull=True,
            # Received before closed: lets the partial index narrow first.
            received_at__lt=cutoff,
        )
        .alias(ended_at=Coalesce("closed_at", "resolved_at", "received_at"))
        .filter(ended_at__lt=cutoff)
    )


@transaction.atomic
def _retention_batch(
    policy: RetentionPolicy, rules: RetentionRules, *, now: datetime.datetime, batch_size: int
) -> tuple[int, int]:
    ids = list(
        retention_due(policy, rules, now=now)
        .select_for_update(of=("self",), skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return 0, 0
    done, citizen_ids = anonymise_enquiries(ids, now=now, cause=Cause.RETENTION, policy=policy)
    citizens = anonymise_citizens(citizen_ids, now=now, cause=Cause.RETENTION, policy=policy)
    return len(done), len(citizens)


@transaction.atomic
def _citizen_batch(policy: RetentionPolicy, *, now: datetime.datetime, batch_size: int) -> int:
    """Citizens left with no enquiry that keeps its data, untouched for the default period."""
    cutoff = now - datetime.timedelta(days=policy.retain_days)
    kept = Enquiry.objects.filter(citizen_id=OuterRef("pk"), anonymised_at__isnull=True)
    ids = list(
        Citizen.objects.filter(anonymised_at__isnull=True, updated_at__lt=cutoff)
        .exclude(Exists(kept))
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return len(anonymise_citizens(ids, now=now, cause=Cause.RETENTION, policy=policy))


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason; it is logged.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason within 500 characters.")]})
    check_free_text(reason=reason)
    return reason


@transaction.atomic
def export_citizen_data(
    citizen: Citizen,
    *,
    by: User,
    reason: str,
    format: str = DataRequest.Format.JSON,
    now: datetime.datetime | None = None,
) -> tuple[DataRequest, dict[str, Any]]:
    """Everything held about a citizen (GDPR art. 15), with the full CPR number.

    Logged twice: as an access request and, since the export shows the full
    number, as a CPR reveal. Returns the request and the export's data.
    """
    if not by.has_perm("privacy.export_citizen_data"):
        raise PermissionDenied(_("You may not export a citizen's data."))
    reason = _checked_reason(reason)
    if format not in DataRequest.Format.values:
        raise ValidationError({"format": [_("Choose JSON or HTML.")]})
    now = now or timezone.now()
    # As the database holds it now, not as the caller last read it.
    citizen = Citizen.objects.get(pk=citizen.pk)
    request = DataRequest.objects.create(
        kind=DataRequest.Kind.ACCESS,
        citizen=citizen,
        reason=reason,
        format=format,
        handled_by=by,
        handled_at=now,
    )
    if citizen.cpr_ciphertext:
        with translation.override(settings.LANGUAGE_CODE):
            logged = _("Access export (GDPR art. 15): %(reason)s") % {"reason": reason}
        CprReveal.objects.create(
            citizen=citizen, revealed_by=by, revealed_at=now, reason=logged[:200]
        )
    data = access.collect(citizen, request=request)
    request.enquiry_count = len(data["enquiries"])
    request.save(update_fields=["enquiry_count"])
    return request, data


@transaction.atomic
def erase_citizen(
    citizen: Citizen, *, by: User, reason: str, now: datetime.datetime | None = None
) -> DataRequest:
    """Erase a citizen on request (GDPR art. 17): anonymise them and their enquiries now.

    Keeps what the law and the statistics need (the cases' existence,
    dates and classification, the reveal and request logs). Refused while
    an enquiry of theirs is open. Idempotent: erasing an erased citizen
    changes nothing and returns the first erasure. Locks their enquiries,
    then the citizen row.
    """
    if not by.has_perm("privacy.erase_citizen"):
        raise PermissionDenied(_("You may not erase a citizen's data."))
    reason = _checked_reason(reason)
    now = now or timezone.now()
    # Enquiries first, then the citizen: the order retention locks them in,
    # so an erasure and a sweep never wait on each other in a circle.
    rows = list(
        Enquiry.objects.filter(citizen_id=citizen.pk)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "anonymised_at")
    )
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    open_refs = list(
        Enquiry.objects.filter(citizen=citizen)
        .open()
        .order_by("received_at")
        .values_list("reference", flat=True)
    )
    if open_refs:
        raise ValidationError(
            {
                "citizen": [
                    _(
                        "The citizen has open enquiries: %(references)s. Resolve or close "
                        "them first; an open case is never erased."
                    )
                    % {"references": ", ".join(open_refs)}
                ]
            }
        )
    ids = [pk for pk, anonymised_at in rows if anonymised_at is None]
    if citizen.anonymised_at is not None and not ids:
        earlier = DataRequest.objects.filter(citizen=citizen, kind=DataRequest.Kind.ERASURE).first()
        if earlier is not None:
            return earlier
    request = DataRequest.objects.create(
        kind=DataRequest.Kind.ERASURE,
        citizen=citizen,
        reason=reason,
        handled_by=by,
        handled_at=now,
    )
    done, _citizens = anonymise_enquiries(ids, now=now, cause=Cause.ERASURE, data_request=request)
    anonymise_citizens([citizen.pk], now=now, cause=Cause.ERASURE, data_request=request)
    request.enquiry_count = len(done)
    request.save(update_fields=["enquiry_count"])
    logger.info("Erased citizen %s (%s enquiries) by request %s", citizen.pk, len(done), request.pk)
    return request
