"""Enqueue Celery work after commit, without ever failing the request.

If the broker is down, the enquiry is still saved: the periodic sweeps and
the dirty-day marks catch up with the work once the broker is back, so a
lost message costs a delay, never data.
"""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Send `task` with JSON arguments once the current transaction commits.

    A rolled-back transaction sends nothing. Publishing does not retry: a
    broker outage is logged and left to the periodic catch-up.
    """

    def publish() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:
            logger.warning("Could not enqueue %s; the periodic sweep will catch up.", task.name)

    transaction.on_commit(publish)
