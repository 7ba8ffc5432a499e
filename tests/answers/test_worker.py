"""A reply sent through the API is delivered by a real Celery worker over
SMTP, retried with backoff while the server refuses it (no eager mode)."""

import pytest

from answers.models import DeliveryAttempt, OutgoingMail
from tests.integration.fixtures import worker_broker  # noqa: F401
from tests.integration.harness import WorkerProcess

# Runs once in CI, in the PostgreSQL + Redis pass (docs/testing.md).
pytestmark = [
    pytest.mark.once_postgres,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def test_worker_retries_a_refused_reply_with_backoff_until_the_server_takes_it(
    worker_broker,  # noqa: F811
    smtp_server,
    enquiry,
    client_as,
    tmp_path,
):
    smtp_server.handler_state.fail_first = 2
    worker = WorkerProcess(
        broker=worker_broker,
        log_path=tmp_path / "worker.log",
        mail_dir=tmp_path / "mail",
        entry=("-m", "tests.answers.smtp_worker"),
        environment={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_server.port),
            "REPLY_MAIL_RETRY_BACKOFF": "1",
        },
    )
    worker.mail_dir.mkdir()
    worker.start()
    try:
        response = client_as("agent").post(
            f"/api/v1/enquiries/{enquiry.reference}/replies/",
            {"channel": "email", "language": "da", "subject": "Dit nøglekort", "body": "Hej"},
            content_type="application/json",
        )
        assert response.status_code == 201
        mail = OutgoingMail.objects.get(message_id=response.json()["message_id"])

        worker.wait_for(
            lambda: OutgoingMail.objects.filter(pk=mail.pk, status="sent").exists(),
            timeout=60,
            what="the reply sent after two refusals",
        )
    finally:
        worker.stop()

    log = list(DeliveryAttempt.objects.filter(mail=mail).values_list("is_delivered", flat=True))
    assert log == [False, False, True]
    received = smtp_server.handler_state.messages
    assert [m["Message-ID"] for m in received] == [mail.message_id]
    assert worker.output().count("Retry in") == 2
