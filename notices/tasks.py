"""Celery tasks for webhooks: thin wrappers over notices.services."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from notices import services
from notices.models import WebhookDelivery
from notices.webhooks import DeliveryFailed

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=10,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver_webhook(self: Task[[int], bool], delivery_id: int) -> bool:
    """Send one webhook delivery; a non-2xx answer is retried with exponential
    backoff (10 s, 20 s, 40 s … at most an hour), MAX_RETRIES times."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        logger.info("Webhook delivery %s no longer exists; nothing to send.", delivery_id)
        return False
    return services.deliver_webhook(delivery, final=self.request.retries >= MAX_RETRIES)
