"""The Celery application, and the options every app's tasks share.

Tasks live in each app's tasks.py.
"""

import os
from typing import TypedDict

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nemid_cases.settings")

app = Celery("nemid_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Database errors that pass (a lost connection, a lock timeout, a
# serialisation failure): the only ones a task retries.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


# For tasks that are idempotent by construction (their services claim work
# with a conditional UPDATE): acknowledged late, so a worker killed mid-task
# has the message redelivered, and the rerun does nothing twice.
class TaskOptions(TypedDict, total=False):
    """Options of `shared_task`, typed so that a checker can match them."""

    acks_late: bool
    reject_on_worker_lost: bool
    autoretry_for: tuple[type[BaseException], ...]
    retry_backoff: int
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


IDEMPOTENT: TaskOptions = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_DB_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}
