"""Celery tasks for actions: thin wrappers over services (see enquiries/tasks.py)."""

from celery import shared_task
from django.utils import timezone

from actions import escalation
from nemid_cases.celery import IDEMPOTENT


@shared_task(**IDEMPOTENT)
def escalate_overdue_actions() -> dict[str, int]:
    """The periodic sweep: escalate every overdue action by one level."""
    counts = escalation.escalate_overdue_actions(now=timezone.now())
    return {str(level): count for level, count in counts.items()}
