from celery import shared_task

from operations import heartbeats
from operations.models import Heartbeat


@shared_task(name="operations.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """The worker is alive: the beat sends this every HEARTBEAT_SECONDS."""
    heartbeats.touch(Heartbeat.Process.WORKER)
