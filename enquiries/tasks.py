"""Celery tasks for deadlines and escalation: thin wrappers over services.

Each takes ids and plain JSON values, re-fetches what it needs and calls one
service. All are idempotent (their services claim work with conditional
updates), so they acknowledge late: a worker killed mid-task has the message
redelivered, and the rerun finishes the work without doing any twice.
Only database errors that are known to pass (a lost connection, a lock
timeout, a serialisation failure) are retried.
"""

import logging

from celery import shared_task
from django.utils import timezone

from enquiries import escalation, notifications
from enquiries.models import Enquiry
from nemid_cases.celery import IDEMPOTENT

logger = logging.getLogger(__name__)


@shared_task(**IDEMPOTENT)
def escalate_overdue_enquiries() -> dict[str, int]:
    """The periodic sweep: escalate every enquiry past a deadline by one level."""
    counts = escalation.escalate_overdue_enquiries(now=timezone.now())
    return {str(level): count for level, count in counts.items()}


@shared_task(**IDEMPOTENT)
def escalate_enquiry(enquiry_id: int) -> list[int]:
    """Escalate one enquiry at once (sent when a change leaves it overdue)."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id).first()
    if enquiry is None:
        logger.info("Enquiry %s no longer exists; nothing to escalate.", enquiry_id)
        return []
    return escalation.escalate_enquiry(enquiry, now=timezone.now())


@shared_task(**IDEMPOTENT)
def deliver_notifications() -> int:
    """Send the e-mails waiting in the outbox."""
    return notifications.deliver_notifications(now=timezone.now())
