"""Heartbeats of the worker and the beat, and what is stale.

The beat process marks itself at start (`beat_init`), and from then on
every task it publishes touches the `beat` row; the worker touches the
`worker` row from the heartbeat task, which the beat sends every
`HEARTBEAT_SECONDS`. A row older than `HEARTBEAT_STALE_SECONDS` (five
minutes) means that process is gone, and escalations with it.
"""

from __future__ import annotations

import datetime
import logging

from celery.signals import beat_init, before_task_publish
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from operations.models import Heartbeat

logger = logging.getLogger(__name__)
_in_beat = False


def touch(process: str, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(process=process, defaults={"seen_at": now or timezone.now()})


def last_seen() -> dict[str, datetime.datetime | None]:
    seen = dict(Heartbeat.objects.values_list("process", "seen_at"))
    return {process: seen.get(process) for process in Heartbeat.Process.values}


def stale(now: datetime.datetime | None = None) -> list[str]:
    """The processes not seen within HEARTBEAT_STALE_SECONDS (or never)."""
    limit = (now or timezone.now()) - datetime.timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS)
    return [
        str(Heartbeat.Process(process).label)
        for process, seen_at in last_seen().items()
        if seen_at is None or seen_at < limit
    ]


def _beat_started(sender=None, **kwargs) -> None:
    global _in_beat
    _in_beat = True


def _beat_published(sender=None, **kwargs) -> None:
    # Web processes and workers publish too; only the beat's sends count.
    if not _in_beat:
        return
    try:
        touch(Heartbeat.Process.BEAT)
    except DatabaseError:
        logger.warning("Could not record the beat's heartbeat; the database is away.")


def connect_signals() -> None:
    beat_init.connect(_beat_started, weak=False, dispatch_uid="operations-beat-init")
    before_task_publish.connect(_beat_published, weak=False, dispatch_uid="operations-beat-sent")
