"""The mail poller as a Celery beat task: a thin wrapper over the service.

Idempotent: a message is flagged seen on the server only once recorded,
and recording the same bytes twice is a no-op, so a rerun or an overlap
of two runs files nothing twice.
"""

from celery import shared_task
from django.utils import timezone

from enquiries.tasks import IDEMPOTENT
from mailroom import services


@shared_task(**IDEMPOTENT)
def poll_mailboxes() -> list[dict]:
    """Fetch and file new mail from every active IMAP mailbox."""
    return [vars(result) for result in services.poll_mailboxes(now=timezone.now())]
