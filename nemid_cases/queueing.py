"""Enqueue Celery work after commit, without ever making a save wait.

The work itself is recorded in the database in the same transaction as the
change that calls for it: an overdue enquiry or action is found again by the
escalation sweeps, an e-mail waits in the notification outbox, a day whose
topic shares are stale is marked dirty. The message sent here only makes the
work start at once instead of at the next sweep, so losing it costs a delay
of at most one sweep period, never data.

A broker can fail in two ways. Refusing connections fails fast. Hanging
(accepting the connection and never answering) would make every save wait
for the socket timeout, so publishing runs on a relay thread, and the
request waits for it at most `CELERY_PUBLISH_WAIT` seconds. A failure or a
wait that runs out opens the circuit: for `CELERY_PUBLISH_PAUSE` seconds
nothing is published from this process (each skip is logged at debug
level), then the next send tries again. A send that was only slow closes
the circuit as soon as it completes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitExpired
from typing import Any

from celery import Signature, Task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


class Relay:
    """Publishes on one background thread, behind a circuit breaker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0
        self.open_until = 0.0

    def _pool(self) -> ThreadPoolExecutor:
        # A forked web worker (gunicorn) inherits no running thread: each
        # process starts its own relay the first time it publishes.
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay")
                self._pid = os.getpid()
            return self._executor

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def reset(self) -> None:
        """Close the circuit (a new broker, or a test starting afresh)."""
        self.open_until = 0.0

    def _trip(self, reason: str, task_name: str) -> None:
        pause = settings.CELERY_PUBLISH_PAUSE
        self.open_until = time.monotonic() + pause
        logger.warning(
            "Could not enqueue %s (%s); not publishing for %s s, the periodic sweep will catch up.",
            task_name,
            reason,
            pause,
        )

    def _answered_late(self, future) -> None:
        if future.exception() is None:
            logger.info("The broker answered late; publishing again.")
            self.reset()

    def publish(
        self, task: Task[Any, Any] | Signature[Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> bool:
        """Send `task`; False if it was not sent (circuit open, failure, hang)."""
        if self.is_open():
            logger.debug("Circuit open: %s left to the periodic sweep.", task.name)
            return False
        future = self._pool().submit(task.apply_async, args=args, kwargs=kwargs, retry=False)
        try:
            future.result(timeout=settings.CELERY_PUBLISH_WAIT)
        except WaitExpired:
            # The thread stays stuck until the socket times out; the next
            # send after the pause gets a fresh one instead of queueing
            # behind it. A broker that was only slow (a cold connection on a
            # busy machine) closes the circuit again when it answers.
            with self._lock:
                self._executor = None
            self._trip("the broker did not answer", task.name)
            future.add_done_callback(self._answered_late)
            return False
        except Exception as error:  # any broker or transport error
            self._trip(type(error).__name__, task.name)
            return False
        return True


relay = Relay()


def enqueue_on_commit(task: Task[Any, Any] | Signature[Any], *args: Any, **kwargs: Any) -> None:
    """Send `task` with JSON arguments once the current transaction commits.

    A rolled-back transaction sends nothing. Publishing never retries and
    never holds the request longer than `CELERY_PUBLISH_WAIT`: a broker
    outage is logged and left to the periodic catch-up.
    """
    transaction.on_commit(lambda: relay.publish(task, args, kwargs))
