"""The poller as the beat runs it: the task on a real Celery worker process
(not eager), polling the test Dovecot and filing on the test database."""

import pytest

from mailroom import tasks
from mailroom.models import InboundMessage, Mailbox
from tests.integration.fixtures import worker_broker  # noqa: F401 - a fixture
from tests.integration.harness import WorkerProcess
from tests.mailroom.conftest import corpus, deliver, unseen

# Runs once in CI, in the PostgreSQL + Redis pass (docs/testing.md).
pytestmark = [
    pytest.mark.once_postgres,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def mail_worker(worker_broker, tmp_path, transactional_db):  # noqa: F811
    """A worker started after the test's settings, so it has the test's
    CPR keys (the mailbox passwords are encrypted with them) and media."""
    worker = WorkerProcess(
        broker=worker_broker,
        log_path=tmp_path / "worker.log",
        mail_dir=tmp_path / "mail",
        environment={"MEDIA_ROOT": str(tmp_path / "media")},
    )
    worker.mail_dir.mkdir()
    worker.start()
    yield worker
    worker.stop()


def test_the_worker_polls_files_and_records_a_wrong_password(
    mail_worker, imap, imap_mailbox, taxonomy
):
    broken = Mailbox(
        address="breve@sager.nemid.example",
        queue=taxonomy["ministry"],
        imap_host=imap.host,
        imap_port=imap.port,
        is_imap_tls=False,
        imap_user=imap_mailbox.imap_user,
    )
    broken.set_imap_password("forkert")
    broken.save()
    deliver(imap_mailbox, corpus("iso_8859_1.eml"), corpus("out_of_office.eml"))

    tasks.poll_mailboxes.delay()

    mail_worker.wait_for(
        lambda: (
            InboundMessage.objects.count() == 2
            and Mailbox.objects.filter(pk=broken.pk).exclude(last_error="").exists()
        ),
        timeout=60,
        what="two messages filed and the broken mailbox marked",
    )
    statuses = set(InboundMessage.objects.values_list("status", flat=True))
    assert statuses == {"filed", "auto_reply"}
    # The worker writes in the site's language (Danish); the server's words stay.
    error = Mailbox.objects.get(pk=broken.pk).last_error
    assert error.startswith("IMAP-serveren afviste login")
    assert "[AUTHENTICATIONFAILED] Authentication failed." in error
    assert unseen(imap_mailbox) == 0
