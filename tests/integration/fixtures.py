"""Fixtures for tests with real processes (see harness.py).

Made visible by tests/integration/conftest.py; another folder imports them
in its own conftest.py.
"""

import pytest
from django.conf import settings

from tests.integration.harness import (
    Broker,
    WorkerProcess,
    filesystem_broker,
    purge,
    use_broker,
)


@pytest.fixture
def broker(tmp_path):
    """A private filesystem broker for this process; read it with `.published()`."""
    with use_broker(filesystem_broker(tmp_path / "broker")) as private:
        yield private


@pytest.fixture
def worker_broker(tmp_path):
    """The configured Redis broker (PostgreSQL CI run), else a private folder."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        chosen = filesystem_broker(tmp_path / "broker")
    else:
        chosen = Broker(
            url=settings.CELERY_BROKER_URL,
            transport_options=dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS),
        )
    with use_broker(chosen):
        purge(chosen)
        yield chosen


@pytest.fixture
def celery_worker_process(transactional_db, worker_broker, tmp_path):
    """A real `celery -A nemid_cases worker` on the test database; stopped after."""
    worker = WorkerProcess(
        broker=worker_broker,
        log_path=tmp_path / "worker.log",
        mail_dir=tmp_path / "mail",
    )
    worker.mail_dir.mkdir()
    worker.start()
    yield worker
    worker.stop()
