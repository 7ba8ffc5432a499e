"""Fixtures for tests with real processes (see harness.py).

Made visible by tests/integration/conftest.py; another folder imports them
in its own conftest.py.
"""

import pytest
from django.conf import settings

from tests.integration.harness import (
    WorkerProcess,
    filesystem_broker,
    forget,
    purge,
    redis_broker,
    use_broker,
)


@pytest.fixture
def broker(tmp_path):
    """A private filesystem broker for this process; read it with `.published()`."""
    with use_broker(filesystem_broker(tmp_path / "broker")) as private:
        yield private


def _worker_broker(folder):
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        chosen = filesystem_broker(folder)
    else:
        chosen = redis_broker(settings.CELERY_BROKER_URL)
    with use_broker(chosen):
        purge(chosen)
        yield chosen
    forget(chosen)


@pytest.fixture
def worker_broker(tmp_path):
    """The configured Redis broker (PostgreSQL CI run), else a private folder.

    A fresh key prefix (or folder) per test, so no other worker shares it.
    """
    yield from _worker_broker(tmp_path / "broker")


@pytest.fixture(scope="module")
def _module_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """One real worker for the module: starting one takes seconds."""
    folder = tmp_path_factory.mktemp("celery-worker")
    for broker in _worker_broker(folder / "broker"):
        worker = WorkerProcess(
            broker=broker,
            log_path=folder / "worker.log",
            mail_dir=folder / "mail",
        )
        worker.mail_dir.mkdir()
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()


@pytest.fixture
def celery_worker_process(_module_worker, transactional_db):
    """A real `celery -A nemid_cases worker` on the test database."""
    _module_worker.forget_mails()
    yield _module_worker
