"""Sending the replies' outbox through Django's e-mail backends.

EMAIL_BACKEND masks CPR numbers (nemid_cases.mail) and hands the message to
EMAIL_DELIVERY_BACKEND: SMTP from the environment in production, the
console in the embedded default. A send first claims its row with a
conditional UPDATE, so two workers (or a retry and the sweep) never send
the same mail twice; every try is logged as a DeliveryAttempt.

A 4xx answer or a lost connection is transient: the claim is released and
the caller (the Celery task) retries with backoff. A 5xx answer (address
refused) fails the mail at once, as does the last allowed attempt.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone

from answers.models import DeliveryAttempt, OutgoingMail

logger = logging.getLogger(__name__)
Status = OutgoingMail.Status


class TransientMailError(Exception):
    """The mail server or the network failed; try again later."""


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _claim(mail_id: int, now: datetime.datetime) -> OutgoingMail | None:
    stale = now - OutgoingMail.CLAIM_TIMEOUT
    claimed = (
        OutgoingMail.objects.filter(pk=mail_id, status=Status.QUEUED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return None
    return OutgoingMail.objects.select_related("reply").get(pk=mail_id)


def build_message(mail: OutgoingMail, connection=None) -> EmailMessage:
    reply = mail.reply
    headers = {"Message-ID": mail.message_id}
    if mail.in_reply_to:
        headers["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        headers["References"] = mail.references
    return EmailMessage(
        subject=reply.subject,
        body=reply.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reply.recipient_email],
        headers=headers,
        connection=connection,
    )


def _log(mail: OutgoingMail, now: datetime.datetime, *, delivered: bool, detail: str) -> None:
    DeliveryAttempt.objects.create(
        mail=mail, attempted_at=now, is_delivered=delivered, detail=detail[:500]
    )


def deliver_mail(mail_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Send one queued mail; True if sent now. Never inside a transaction.

    Idempotent: a mail already sent, failed or being sent is left alone.
    Raises TransientMailError when the try failed and may be repeated.
    """
    now = now or timezone.now()
    mail = _claim(mail_id, now)
    if mail is None:
        logger.info("Outgoing mail %s is not waiting to be sent; skipped.", mail_id)
        return False
    try:
        build_message(mail, connection=get_connection()).send()
    except (smtplib.SMTPException, OSError) as error:
        detail = f"{type(error).__name__}: {error}"
        last = mail.attempts >= OutgoingMail.MAX_ATTEMPTS
        failed = _is_permanent(error) or last
        _log(mail, now, delivered=False, detail=detail)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=Status.FAILED if failed else Status.QUEUED,
            claimed_at=None,
            last_error=detail[:500],
        )
        if failed:
            logger.warning("Outgoing mail %s failed for good: %s", mail.pk, detail)
            return False
        raise TransientMailError(detail) from error
    _log(mail, now, delivered=True, detail="")
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def send_queued_mail(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """The sweep: try every queued mail nobody is sending; returns how many went."""
    now = now or timezone.now()
    ids = list(OutgoingMail.objects.unsent(now).order_by("pk").values_list("pk", flat=True)[:limit])
    sent = 0
    for mail_id in ids:
        try:
            sent += deliver_mail(mail_id, now=now)
        except TransientMailError as error:
            logger.warning("Outgoing mail %s not sent (%s); will retry.", mail_id, error)
    return sent
