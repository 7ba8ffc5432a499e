"""Celery tasks of the statistics queue: thin wrappers around services."""

from celery import shared_task
from django.db import OperationalError

from analytics import services


# Idempotent (recomputes from the enquiries and deletes only the marks it
# read), so a redelivery after a killed worker is harmless: acks_late.
@shared_task(
    name="analytics.recompute_topic_shares",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def recompute_topic_shares() -> dict[str, int]:
    """Recompute the dirty days' snapshots and look for pattern alerts."""
    done = services.recompute_dirty_days()
    return {str(queue_id): days for queue_id, days in done.items()}
