"""The mail poller as a Celery beat task: a thin wrapper over the service.

Idempotent: a message is flagged seen on the server only once recorded,
and recording the same bytes twice is a no-op, so a rerun or an overlap
of two runs files nothing twice.
"""

from typing import Any

from celery import shared_task
from django.utils import timezone

from mailroom import services
from nemid_cases.celery import IDEMPOTENT


@shared_task(**IDEMPOTENT)
def poll_mailboxes() -> list[dict[str, Any]]:
    """Fetch and file new mail from every active IMAP mailbox."""
    return [vars(result) for result in services.poll_mailboxes(now=timezone.now())]
