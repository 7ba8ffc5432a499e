"""Celery tasks for replies: thin wrappers over answers.delivery.

A reply's task takes the outbox row's id; the claim in deliver_mail makes a
redelivered or repeated task a no-op, so it acknowledges late. Only a
transient mail error (or a transient database error) is retried, with
exponential backoff; the beat's sweep picks up what a lost message left.
"""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from answers import delivery
from answers.models import OutgoingMail


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(delivery.TransientMailError, OperationalError, InterfaceError),
    retry_backoff=settings.REPLY_MAIL_RETRY_BACKOFF,
    retry_backoff_max=1800,
    retry_jitter=False,
    max_retries=OutgoingMail.MAX_ATTEMPTS - 1,
)
def send_reply_mail(mail_id: int) -> bool:
    """Send one reply's e-mail."""
    return delivery.deliver_mail(mail_id, now=timezone.now())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_queued_mail() -> int:
    """The periodic sweep over the replies' outbox."""
    return delivery.send_queued_mail(now=timezone.now())
