"""Celery task for retention: a thin wrapper over privacy.services.

Idempotent (the service claims rows with conditional updates), so it
acknowledges late like the other sweeps and retries only database hiccups.
"""

from celery import shared_task
from django.utils import timezone

from nemid_cases.celery import IDEMPOTENT
from privacy import services


@shared_task(**IDEMPOTENT)
def anonymise_expired() -> dict[str, int]:
    """The periodic sweep: anonymise what is past its retention period."""
    return services.anonymise_expired(now=timezone.now())
