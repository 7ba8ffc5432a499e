"""Celery tasks of the statistics queue: thin wrappers around services."""

from celery import shared_task

from analytics import services
from nemid_cases.celery import IDEMPOTENT


# Idempotent (recomputes from the enquiries and deletes only the marks it
# read), so a redelivery after a killed worker is harmless: acks_late, and
# the message goes back when the pool process dies.
@shared_task(name="analytics.recompute_topic_shares", **IDEMPOTENT)
def recompute_topic_shares() -> dict[str, int]:
    """Recompute the dirty days' snapshots and look for pattern alerts."""
    done = services.recompute_dirty_days()
    return {str(queue_id): days for queue_id, days in done.items()}
