"""Sending the outbox: e-mails written by escalations, sent after commit.

A batch of pending e-mails is claimed under SELECT ... FOR UPDATE SKIP
LOCKED (SQLite: an IMMEDIATE transaction) by setting `claimed_at`, so two
senders never take the same message. Each message is marked sent as soon as
the mail server accepted it. A message whose sender died, or that met a
transient mail error, is taken again once its claim is older than
Notification.CLAIM_TIMEOUT, up to Notification.MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from enquiries.cpr import redact_cpr
from enquiries.models import Notification
from nemid_cases.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

# Errors worth another attempt later: the server or the network, not us.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


def enqueue_delivery() -> None:
    """Have a worker send the outbox once the current transaction commits."""
    from enquiries import tasks

    enqueue_on_commit(tasks.deliver_notifications)


def _claim(now: datetime.datetime, batch_size: int) -> list[int]:
    with transaction.atomic():
        ids = list(
            Notification.objects.pending(now)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if ids:
            Notification.objects.filter(pk__in=ids, sent_at__isnull=True).update(
                claimed_at=now, attempts=F("attempts") + 1
            )
    return ids


def deliver_notifications(
    *, now: datetime.datetime | None = None, batch_size: int = 50, max_batches: int = 20
) -> int:
    """Send pending e-mails; returns how many were sent. Never inside a transaction."""
    now = now or timezone.now()
    sent = 0
    connection = get_connection()
    for _batch in range(max_batches):
        ids = _claim(now, batch_size)
        if not ids:
            break
        for notification in Notification.objects.filter(pk__in=ids).order_by("pk"):
            sent += _send(notification, connection)
    if sent:
        logger.info("Sent %d e-mail(s).", sent)
    return sent


def _send(notification: Notification, connection) -> int:
    # Masked again: a row written before the outbox was masked on write.
    message = EmailMessage(
        subject=redact_cpr(notification.subject),
        body=redact_cpr(notification.body),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        connection=connection,
    )
    try:
        message.send()
    except TRANSIENT_MAIL_ERRORS as error:
        # The claim stays: the message is tried again once it is stale.
        logger.warning("E-mail %s not sent (%s); will retry.", notification.pk, error)
        Notification.objects.filter(pk=notification.pk).update(last_error=str(error)[:300])
        return 0
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
    return 1
